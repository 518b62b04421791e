package io.jdamon.vaddr.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

import io.jdamon.api.MonitoringTarget;
import io.jdamon.vaddr.Granularity;
import io.jdamon.vaddr.SensorProbe;
import io.jdamon.vaddr.SensorSession;
import io.jdamon.vaddr.SensorTraits;

/**
 * {@code pageout-probe}: evicts the sampled page with
 * {@code process_madvise(MADV_PAGEOUT)} and checks later, in
 * {@code /proc/PID/pagemap}, whether it is present again: any access (read or
 * write) faults it back in. Page granular and available without idle page
 * tracking, but it <b>evicts the target's pages</b> (swapping anonymous
 * memory, dropping clean file pages), so it slows the target down; used only
 * when named ({@code sensor=pageout-probe}), never by {@code auto}. Samples
 * whose page could not be evicted (pinned, shared, or already out) count as
 * not accessed and are counted in the description.
 */
final class PageoutProbeSensor extends BuiltInSensor {

    static final String NAME = "pageout-probe";

    /** What it is; see {@link SensorTraits}. */
    static final SensorTraits TRAITS = SensorTraits.of(NAME, true, true, Granularity.PAGE,
            10,
            "EVICTS the sampled page (process_madvise MADV_PAGEOUT) and checks whether an access brought it"
                    + " back; intrusive, opt-in only").asIntrusive();

    PageoutProbeSensor() {
        super(TRAITS);
    }

    @Override
    public SensorProbe probe(int pid) {
        SensorProbe ruledOut = nativeCallsAndKernel(5, 10, "process_madvise");
        if (ruledOut != null) {
            return ruledOut;
        }
        if (!Kernel.root()) {
            return SensorProbe.unavailable("process_madvise on another process needs CAP_SYS_NICE; run jdamon as root");
        }
        long swapKb = Kernel.swapTotalKb();
        if (swapKb == 0) {
            return SensorProbe.unavailable("no swap space: MADV_PAGEOUT cannot evict anonymous pages, so most"
                    + " samples would say nothing; add swap (e.g. zram) to use it");
        }
        if (pid > 0) {
            int fd = (int) LibC.syscall(LibC.SYS_PIDFD_OPEN, pid, 0, 0, 0, 0);
            if (fd < 0) {
                return SensorProbe.unavailable("pidfd_open(" + pid + ") failed: " + LibC.strerror(LibC.errno()));
            }
            LibC.close(fd);
        }
        return SensorProbe.available("INTRUSIVE: evicts sampled pages; swap " + swapKb / 1024 + " MiB");
    }

    @Override
    public SensorSession open(int pid, long sampleIntervalUs) throws IOException {
        return new Session(pid);
    }

    private static final class Session implements SensorSession, FollowsExec {
        private final PagemapReader pagemap;
        private final int pidfd;
        /** struct iovec { void *base; size_t len; } */
        private final Memory iovec = new Memory(16);
        private final long iovecAddress = Pointer.nativeValue(iovec);
        private boolean[] evicted = new boolean[64];
        private long samples;
        private long notEvicted;

        Session(int pid) throws IOException {
            this.pagemap = new PagemapReader(pid);
            this.pidfd = (int) LibC.syscall(LibC.SYS_PIDFD_OPEN, pid, 0, 0, 0, 0);
            if (pidfd < 0) {
                pagemap.close();
                throw new IOException("pidfd_open(" + pid + ") failed: " + LibC.strerror(LibC.errno()));
            }
        }

        @Override
        public void prepare(MonitoringTarget target) {
            int n = target.regionCount();
            if (evicted.length < n) {
                evicted = Arrays.copyOf(evicted, Math.max(n, evicted.length * 2));
            }
            try {
                for (int i = 0; i < n; i++) {
                    long page = target.samplingAddress(i) & ~4095L;
                    LibC.processMadvise(pidfd, iovec, iovecAddress, page, 4096, LibC.MADV_PAGEOUT);
                    evicted[i] = (pagemap.entry(page) & PagemapReader.PRESENT) == 0;
                    samples++;
                    if (!evicted[i]) {
                        notEvicted++;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void check(MonitoringTarget target) {
            int n = Math.min(target.regionCount(), evicted.length);
            try {
                for (int i = 0; i < n; i++) {
                    if (evicted[i] && (pagemap.entry(target.samplingAddress(i)) & PagemapReader.PRESENT) != 0) {
                        target.markAccessed(i);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public Map<String, String> describe() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("warning", "evicts the sampled pages of the target");
            return m;
        }

        @Override
        public boolean sawNoAddressSpace() {
            return pagemap.sawNoAddressSpace();
        }

        /** The pagemap follows the address space; the pidfd names the process, which an exec keeps. */
        @Override
        public void reopen() throws IOException {
            pagemap.reopen();
        }

        @Override
        public void close() {
            if (notEvicted > 0) {
                System.getLogger(PageoutProbeSensor.class.getName()).log(System.Logger.Level.INFO,
                        "pageout-probe: " + notEvicted + " of " + samples + " sampled pages could not be evicted"
                                + " (pinned, shared, or no swap) and counted as not accessed");
            }
            pagemap.close();
            LibC.close(pidfd);
        }
    }
}
