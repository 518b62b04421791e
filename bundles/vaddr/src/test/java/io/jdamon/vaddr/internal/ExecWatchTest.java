package io.jdamon.vaddr.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * What counts as an exec. The reads are what {@code /proc/PID/stat} shows in
 * the order Linux's ELF loader fills the new address space in: nothing yet,
 * the arguments and environment, then code, data and the final stack, the
 * randomised heap start last. ({@link ExecFollowTest} checks the count on a
 * real exec; this pins the reads a real exec may happen to be seen at.)
 */
class ExecWatchTest {

    private static final long START = 4711;
    private static final String SH = "/usr/bin/dash";
    private static final String HELPER = "/tmp/access_helper";

    /** layout fields in AddressSpaceId's order: code start, code end, stack start, data, heap, args, env */
    private static AddressSpaceId id(String exe, long code, long stack, long brk, long env) {
        long[] layout = {code, code == 0 ? 0 : code + 0x1000, stack, code == 0 ? 0 : code + 0x2000,
                code == 0 ? 0 : code + 0x3000, brk, env, env == 0 ? 0 : env + 8, env == 0 ? 0 : env + 16,
                env == 0 ? 0 : env + 24};
        return new AddressSpaceId(START, layout, exe, exe);
    }

    private static final AddressSpaceId SHELL = id(SH, 0x5550_0000L, 0x7ffd_0000L, 0x5560_0000L, 0x7ffd_1000L);

    /** The stages of one exec of the helper, as a sample may read them. */
    private static final AddressSpaceId[] EXEC_STAGES = {
            id(HELPER, 0, 0x7ffe_0000L, 0, 0), // the new mm, its stack set up, no program yet
            id(HELPER, 0, 0x7ffe_0000L, 0, 0x7ffe_2000L), // arguments and environment copied
            id(HELPER, 0x5650_0000L, 0x7ffe_0000L, 0, 0x7ffe_2000L), // code, the stack still the setup's
            id(HELPER, 0x5650_0000L, 0x7ffe_1f00L, 0x5650_8000L, 0x7ffe_2000L), // final stack, heap unrandomised
            id(HELPER, 0x5650_0000L, 0x7ffe_1f00L, 0x5690_0000L, 0x7ffe_2000L), // loaded
    };

    private static final class Reads {
        final Deque<AddressSpaceId> queue = new ArrayDeque<>();
        AddressSpaceId last;

        AddressSpaceId next(int pid) {
            if (!queue.isEmpty()) {
                last = queue.poll();
            }
            return last;
        }
    }

    private static int execsSeen(ExecWatch w) {
        Map<String, String> m = new HashMap<>();
        w.describe("", m);
        return Integer.parseInt(m.getOrDefault("execs", "0"));
    }

    @Test
    void anExecSeenAtAnyStageOfLoadingCountsOnce() {
        for (int first = 0; first < EXEC_STAGES.length; first++) {
            Reads reads = new Reads();
            reads.queue.add(SHELL);
            ExecWatch w = new ExecWatch(1, reads::next);
            assertThat(w.execed(false)).isFalse();
            for (int i = first; i < EXEC_STAGES.length; i++) {
                reads.queue.add(EXEC_STAGES[i]);
            }
            int noticed = 0;
            for (int i = first; i < EXEC_STAGES.length + 2; i++) {
                noticed += w.execed(false) ? 1 : 0;
            }
            assertThat(noticed).as("exec first seen at stage " + first).isEqualTo(1);
            assertThat(execsSeen(w)).isEqualTo(1);
            assertThat(w.exe()).isEqualTo(HELPER);
        }
    }

    @Test
    void aProcessWatchedHalfWayThroughItsExecHasNotExecdSince() {
        Reads reads = new Reads();
        reads.queue.add(EXEC_STAGES[0]);
        ExecWatch w = new ExecWatch(1, reads::next);
        for (int i = 1; i < EXEC_STAGES.length; i++) {
            reads.queue.add(EXEC_STAGES[i]);
        }
        for (int i = 0; i < EXEC_STAGES.length + 2; i++) {
            assertThat(w.execed(false)).as("read " + i).isFalse();
        }
        assertThat(execsSeen(w)).isZero();
    }

    @Test
    void aSecondExecAfterTheFirstSettledCountsAgain() {
        Reads reads = new Reads();
        reads.queue.add(SHELL);
        ExecWatch w = new ExecWatch(1, reads::next);
        reads.queue.add(EXEC_STAGES[EXEC_STAGES.length - 1]);
        assertThat(w.execed(false)).isTrue();
        assertThat(w.execed(false)).as("the same reading again: settled").isFalse();
        // the helper execs itself again: a new layout (address space randomisation)
        reads.queue.add(id(HELPER, 0x5a00_0000L, 0x7ffc_0000L, 0x5a40_0000L, 0x7ffc_1000L));
        assertThat(w.execed(false)).isTrue();
        assertThat(execsSeen(w)).isEqualTo(2);
    }

    @Test
    void anotherProgramWhileSettlingIsAnotherExec() {
        Reads reads = new Reads();
        reads.queue.add(SHELL);
        ExecWatch w = new ExecWatch(1, reads::next);
        reads.queue.add(EXEC_STAGES[2]);
        assertThat(w.execed(false)).isTrue();
        reads.queue.add(SHELL);
        assertThat(w.execed(false)).as("the helper exec'd the shell at once").isTrue();
        assertThat(execsSeen(w)).isEqualTo(2);
    }

    @Test
    void filesReadingNothingSayTheSameLookingProgramIsANewExec() {
        Reads reads = new Reads();
        reads.queue.add(SHELL);
        ExecWatch w = new ExecWatch(1, reads::next);
        assertThat(w.execed(false)).isFalse();
        assertThat(w.execed(false)).isFalse();
        // no randomisation: the shell exec'd itself and looks the same; the sensor's files read nothing
        assertThat(w.execed(true)).isTrue();
        assertThat(w.execed(false)).isFalse();
    }

    @Test
    void aReusedPidIsNoExec() {
        Reads reads = new Reads();
        reads.queue.add(SHELL);
        ExecWatch w = new ExecWatch(1, reads::next);
        assertThat(w.execed(false)).isFalse();
        long[] l = EXEC_STAGES[EXEC_STAGES.length - 1].layout();
        reads.queue.add(new AddressSpaceId(START + 100, l, HELPER, HELPER));
        assertThat(w.execed(true)).isFalse();
        assertThat(execsSeen(w)).isZero();
    }
}
