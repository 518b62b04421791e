package io.jdamon.core.internal.osgi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** A {@code .cfg} file's single targets string: the README's examples work as written. */
class TargetListTest {

    @Test
    void optionsStayWithTheirTarget() {
        assertThat(TargetList.split("pid=1234,sensor=referenced")).containsExactly("pid=1234,sensor=referenced");
        assertThat(TargetList.split("virtual:stairs,size=1GiB")).containsExactly("virtual:stairs,size=1GiB");
        assertThat(TargetList.split("file=/tmp/my.cfg, size=2GiB")).containsExactly("file=/tmp/my.cfg,size=2GiB");
    }

    @Test
    void aRepeatedKeyOrAPlainWordStartsANewTarget() {
        assertThat(TargetList.split("pid=1, pid=2")).containsExactly("pid=1", "pid=2");
        assertThat(TargetList.split("pid=1,sensor=referenced,pid=2,sensor=uffd-write"))
                .containsExactly("pid=1,sensor=referenced", "pid=2,sensor=uffd-write");
        assertThat(TargetList.split("stairs,zigzag")).containsExactly("stairs", "zigzag");
        assertThat(TargetList.split("virtual:stairs,size=1GiB,virtual:zigzag,size=2GiB"))
                .containsExactly("virtual:stairs,size=1GiB", "virtual:zigzag,size=2GiB");
    }

    @Test
    void blankPiecesAreDropped() {
        assertThat(TargetList.split(" , ")).isEmpty();
        assertThat(TargetList.split("stairs,,zigzag,")).containsExactly("stairs", "zigzag");
    }

    @Test
    void aCfgFileTargetsLineIsSplitThisWay() {
        Map<String, Object> p = new HashMap<>();
        p.put("primitive", "vaddr");
        p.put("targets", "pid=1234,sensor=referenced");
        p.put("callbacks", "a,b");
        ContextConfiguration c = ContextConfiguration.parse("io.jdamon.context~heap", p);
        assertThat(c.problems()).isEmpty();
        assertThat(c.definition().targets()).containsExactly("pid=1234,sensor=referenced");
        assertThat(c.callbackNames()).containsExactly("a", "b");
    }
}
