package io.jdamon.itests.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;

import io.jdamon.api.ContextState;
import io.jdamon.api.ContextStatus;
import io.jdamon.api.MonitoringContext;
import io.jdamon.api.StopReason;

/** Callback bundles see every aggregation, and come and go without stopping the context. */
class CallbackTest extends PlatformTestSupport {

    @Test
    void aCallbackSeesEveryAggregation() throws Exception {
        installCallback();
        installPrimitive();
        Hashtable<String, Object> p = fastContext("half");
        p.put("callbacks", CALLBACK);
        configure("counted", p);
        awaitStatus("counted", ContextState.RUNNING, s -> s.aggregations() >= 20, "20 aggregations done");
        Supplier<Map<String, Long>> counts = callbackCounter();

        MonitoringContext ctx = engine.context("counted").orElseThrow();
        engine.stop(List.of(ctx));
        ContextStatus stopped = status("counted").orElseThrow();
        assertThat(stopped.state()).isEqualTo(ContextState.STOPPED);
        assertThat(stopped.stopReason()).contains(StopReason.STOP_REQUESTED);

        assertThat(count(counts, "counted/afterAggregation")).as("afterAggregation calls")
                .isEqualTo(stopped.aggregations());
        assertThat(count(counts, "counted/missedAggregations")).isZero();
        assertThat(count(counts, "counted/afterSampling")).as("afterSampling calls").isEqualTo(stopped.samples());
        assertThat(count(counts, "counted/beforeStart")).isEqualTo(1);
        assertThat(count(counts, "counted/beforeTerminate")).isEqualTo(1);
    }

    @Test
    void callbacksComeAndGoWithoutStoppingTheContext() throws Exception {
        installPrimitive();
        Hashtable<String, Object> p = fastContext("half");
        p.put("callbacks", new String[] { CALLBACK });
        configure("steady", p);
        ContextStatus first = awaitStatus("steady", ContextState.RUNNING, s -> s.aggregations() >= 2,
                "running without its callback, which is not installed");
        String thread = first.threadName().orElseThrow();
        assertThat(first.detail()).as("the status says which configured callback is missing")
                .contains("runs without callback(s) '" + CALLBACK + "'");

        Bundle callback = installCallback();
        Supplier<Map<String, Long>> firstCallback = callbackCounter();
        await("the callback joins the running context", () -> count(firstCallback, "steady/beforeStart") == 1
                && count(firstCallback, "steady/afterAggregation") >= 3);

        await("the status no longer calls the callback missing",
                () -> !status("steady").orElseThrow().detail().contains("runs without callback"));

        callback.stop();
        await("the leaving callback gets beforeTerminate", () -> count(firstCallback, "steady/beforeTerminate") == 1);
        assertThat(status("steady").orElseThrow().detail()).contains("runs without callback(s) '" + CALLBACK + "'");
        long aggregationsSeen = count(firstCallback, "steady/afterAggregation");
        long samples = status("steady").orElseThrow().samples();
        awaitStatus("steady", ContextState.RUNNING, s -> s.samples() > samples + 20, "still sampling");
        assertThat(count(firstCallback, "steady/afterAggregation")).as("a callback that left hears nothing more")
                .isEqualTo(aggregationsSeen);

        callback.start();
        Supplier<Map<String, Long>> secondCallback = callbackCounter();
        await("the callback joins again", () -> count(secondCallback, "steady/beforeStart") == 1
                && count(secondCallback, "steady/afterAggregation") >= 3);

        ContextStatus last = status("steady").orElseThrow();
        assertThat(last.state()).isEqualTo(ContextState.RUNNING);
        assertThat(last.threadName()).as("the same kdamond ran all along").contains(thread);
        assertThat(last.samples()).isGreaterThan(samples);
        assertThat(count(primitiveCounter(), "steady.init")).as("the context never restarted").isEqualTo(1);
    }
}
