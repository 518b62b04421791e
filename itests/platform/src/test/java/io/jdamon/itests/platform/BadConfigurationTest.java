package io.jdamon.itests.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Hashtable;

import org.junit.jupiter.api.Test;
import org.osgi.service.cm.Configuration;

import io.jdamon.api.ContextState;
import io.jdamon.api.ContextStatus;

/**
 * Bad configurations show as INVALID (or, for a primitive nobody registered,
 * WAITING) with a message naming the configuration PID, the key and the fix;
 * they never start, and the good context beside them runs on.
 */
class BadConfigurationTest extends PlatformTestSupport {

    private static final String PID_PREFIX = FACTORY_PID + "~";

    @Test
    void badConfigurationsAreReportedAndDoNotDisturbOthers() throws Exception {
        installPrimitive();
        Configuration goodConfig = configure("good", fastContext("half"));
        awaitStatus("good", ContextState.RUNNING, s -> s.samples() > 0, "sampling");

        Hashtable<String, Object> unknownKey = fastContext("half");
        unknownKey.put("sampleInterval", 5_000L);
        Configuration unknown = configure("unknown-key", unknownKey);

        Hashtable<String, Object> wrongType = fastContext("half");
        wrongType.put("sampleIntervalUs", Boolean.TRUE);
        configure("wrong-type", wrongType);

        Hashtable<String, Object> notANumber = fastContext("half");
        notANumber.put("aggregationIntervalUs", "soon");
        configure("not-a-number", notANumber);

        Hashtable<String, Object> tooFewRegions = fastContext("half");
        tooFewRegions.put("minNrRegions", 1);
        configure("too-few-regions", tooFewRegions);

        Hashtable<String, Object> inverted = fastContext("half");
        inverted.put("sampleIntervalUs", 50_000L);
        inverted.put("aggregationIntervalUs", 10_000L);
        configure("inverted", inverted);

        Hashtable<String, Object> noPrimitive = fastContext("half");
        noPrimitive.remove("primitive");
        configure("no-primitive", noPrimitive);

        configure("bad-target", fastContext("zigzag"));

        // a long region limit that would wrap to a valid int (-4294967286 as an int is 10)
        Hashtable<String, Object> wrappedRegions = fastContext("half");
        wrappedRegions.put("minNrRegions", -4_294_967_286L);
        configure("wrapped-regions", wrappedRegions);

        Hashtable<String, Object> badName = fastContext("half");
        badName.put("name", "no spaces allowed");
        configure("bad-name", badName);

        assertInvalid("unknown-key", "sampleInterval", "did you mean 'sampleIntervalUs'");
        assertInvalid("wrong-type", "sampleIntervalUs", "wrong type");
        assertInvalid("not-a-number", "aggregationIntervalUs", "not a whole number");
        assertInvalid("too-few-regions", "minNrRegions", "minNrRegions");
        assertInvalid("inverted", "sampleIntervalUs", "aggregationIntervalUs");
        assertInvalid("no-primitive", "primitive", "missing");
        assertInvalid("bad-target", "targets", "unknown pattern 'zigzag'");
        assertInvalid("bad-name", "name", "not a valid context name");
        assertInvalid("wrapped-regions", "minNrRegions", "-4294967286");

        // a primitive nobody registered: the context waits, naming it and the registered ones
        Hashtable<String, Object> unknownPrimitive = fastContext("half");
        unknownPrimitive.put("primitive", "nosuch");
        configure("unknown-primitive", unknownPrimitive);
        ContextStatus waiting = awaitStatus("unknown-primitive", ContextState.WAITING);
        assertThat(waiting.detail()).contains("'nosuch'").contains("registered: itest");

        // a name taken by another configuration
        Hashtable<String, Object> duplicate = fastContext("half");
        duplicate.put("name", "good");
        configure("duplicate", duplicate);
        await("the duplicate name reported", () -> engine.statuses().stream()
                .anyMatch(s -> s.name().equals("good") && s.state() == ContextState.INVALID
                        && s.detail().contains(PID_PREFIX + "duplicate") && s.detail().contains("'name'")
                        && s.detail().contains(PID_PREFIX + "good")));

        // nothing bad started, and the good context ran on undisturbed
        ContextStatus good = status("good", ContextState.RUNNING).orElseThrow();
        assertThat(good.threadName()).isPresent();
        assertThat(count(primitiveCounter(), "good.init")).isEqualTo(1);
        long samples = good.samples();
        awaitStatus("good", ContextState.RUNNING, s -> s.samples() > samples + 10, "sampling on");
        for (String bad : new String[] { "unknown-key", "wrong-type", "not-a-number", "too-few-regions", "inverted",
                "no-primitive", "bad-target", "unknown-primitive", "wrapped-regions" }) {
            assertThat(count(primitiveCounter(), bad + ".init")).as(bad + " never started").isZero();
            assertThat(engine.context(bad).map(c -> c.isRunning()).orElse(false)).as(bad).isFalse();
        }

        // fixing a configuration makes its context start
        unknown.update(fastContext("half"));
        awaitStatus("unknown-key", ContextState.RUNNING, s -> s.samples() > 0, "running once fixed");
        assertThat(status("unknown-key", ContextState.INVALID)).isEmpty();

        // freeing a name lets the configuration that wanted it start
        goodConfig.delete();
        await("the duplicate takes the freed name", () -> engine.statuses().stream()
                .filter(s -> s.name().equals("good")).allMatch(s -> s.state() == ContextState.RUNNING)
                && status("good", ContextState.RUNNING).isPresent());
        await("the second context named 'good' initialised", () -> count(primitiveCounter(), "good.init") == 2);
        assertThat(count(primitiveCounter(), "good.cleanup")).as("the first one").isEqualTo(1);
    }

    @Test
    void aConfigurationRefusedForATakenNameStaysReportedWhileTheOwnerRestarts() throws Exception {
        installPrimitive();
        Configuration owner = configure("owner", fastContext("half"));
        awaitStatus("owner", ContextState.RUNNING, s -> s.samples() > 0, "sampling");
        Hashtable<String, Object> duplicate = fastContext("half");
        duplicate.put("name", "owner");
        configure("second", duplicate);
        await("the taken name reported", () -> takenNameReported("owner", "second"));

        // the owner restarts with another target: the refused configuration must not vanish from the statuses
        owner.update(fastContext("all"));
        await("the owner restarted", () -> count(primitiveCounter(), "owner.init") == 2);
        awaitStatus("owner", ContextState.RUNNING, s -> s.samples() > 0, "sampling again");
        assertThat(takenNameReported("owner", "second")).as("the refused configuration is still reported; "
                + "statuses: " + engine.statuses()).isTrue();

        // a third configuration wants the name too; once it is deleted, the second is still reported
        Configuration third = configure("third", duplicate);
        await("the third configuration reported", () -> takenNameReported("owner", "third"));
        third.delete();
        await("the second configuration reported again after the third was deleted",
                () -> takenNameReported("owner", "second"));
    }

    @Test
    void everyRejectedConfigurationIsReportedEvenUnderOneName() throws Exception {
        Hashtable<String, Object> first = fastContext("half");
        first.put("name", "twin");
        first.put("minNrRegions", 1);
        configure("twin-a", first);
        Hashtable<String, Object> second = fastContext("half");
        second.put("name", "twin");
        second.put("sampleIntervalUs", "often");
        Configuration b = configure("twin-b", second);

        await("both rejected configurations named 'twin' reported", () -> engine.statuses().stream()
                .filter(s -> s.name().equals("twin") && s.state() == ContextState.INVALID).count() == 2);
        assertThat(engine.statuses()).filteredOn(s -> s.name().equals("twin"))
                .anySatisfy(s -> assertThat(s.detail()).contains(PID_PREFIX + "twin-a").contains("minNrRegions"))
                .anySatisfy(s -> assertThat(s.detail()).contains(PID_PREFIX + "twin-b").contains("sampleIntervalUs"));

        b.delete();
        await("only the first one reported", () -> engine.statuses().stream()
                .filter(s -> s.name().equals("twin")).count() == 1);
        assertThat(status("twin", ContextState.INVALID).orElseThrow().detail()).contains(PID_PREFIX + "twin-a");
    }

    private boolean takenNameReported(String name, String refusedConfig) {
        return engine.statuses().stream().anyMatch(s -> s.name().equals(name) && s.state() == ContextState.INVALID
                && s.detail().contains(PID_PREFIX + refusedConfig) && s.detail().contains("'name'"));
    }

    private void assertInvalid(String configName, String key, String fix) {
        ContextStatus s = awaitStatus(configName, ContextState.INVALID);
        assertThat(s.detail()).as("the reason names the configuration PID, the key and what to do")
                .contains(PID_PREFIX + configName).contains("key '" + key + "'").contains(fix);
    }
}
