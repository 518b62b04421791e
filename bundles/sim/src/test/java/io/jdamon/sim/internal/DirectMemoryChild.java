package io.jdamon.sim.internal;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.jdamon.api.ContextDefinition;
import io.jdamon.api.MonitoringContext;
import io.jdamon.api.StartMode;
import io.jdamon.core.internal.DamonEngine;

/**
 * Run in a JVM with a small {@code -XX:MaxDirectMemorySize}: two contexts each
 * ask for a real workload that fits the limit alone but not together. Prints
 * the status of the first context to end, then stops the other.
 */
public final class DirectMemoryChild {

    private DirectMemoryChild() {
    }

    public static void main(String[] args) throws Exception {
        String size = args[0];
        if (args.length > 1 && args[1].equals("workloads")) {
            workloads(size);
            return;
        }
        DamonEngine engine = new DamonEngine();
        SimPrimitive sim = new SimPrimitive();
        MonitoringContext a = engine.newContext(ContextDefinition.of("a", "sim", "stairs_30secs,size=" + size), sim);
        MonitoringContext b = engine.newContext(ContextDefinition.of("b", "sim", "stairs_30secs,size=" + size), sim);
        engine.start(List.of(a, b), StartMode.SHARED);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        MonitoringContext ended = null;
        while (ended == null && System.nanoTime() < deadline) {
            if (a.awaitTermination(20, TimeUnit.MILLISECONDS)) {
                ended = a;
            } else if (b.awaitTermination(20, TimeUnit.MILLISECONDS)) {
                ended = b;
            }
        }
        if (ended == null) {
            System.out.println("neither context ended");
        } else {
            System.out.println("ended: " + ended.status().name());
            System.out.println("stopReason: " + ended.status().stopReason().map(Enum::name).orElse("none"));
            System.out.println("detail: " + ended.status().detail());
        }
        for (MonitoringContext c : List.of(a, b)) {
            if (c != ended) {
                engine.stop(List.of(c));
            }
        }
        System.exit(0);
    }

    /**
     * The same two workloads without the engine: once one has failed, it must
     * not count as finished, or the engine would end its context as if the
     * target had run all its phases and the reason would be lost.
     */
    private static void workloads(String size) throws Exception {
        TargetSpec spec = TargetSpec.parse("stairs_30secs,size=" + size);
        RealWorkload first = new RealWorkload(spec, 100_000_000L, "sim.child.0", 16);
        RealWorkload second = new RealWorkload(spec, 100_000_000L, "sim.child.1", 16);
        first.start();
        second.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!first.failed() && !second.failed() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        RealWorkload failed = first.failed() ? first : second.failed() ? second : null;
        if (failed == null) {
            System.out.println("neither workload failed");
        } else {
            failed.stop(); // joins its thread: everything it does on failing is done
            System.out.println("failed workload finished: " + failed.finished());
        }
        first.stop();
        second.stop();
        System.exit(0);
    }
}
