package io.jdamon.core.internal.osgi;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Splits a single {@code targets} string, as a {@code .cfg} file gives it,
 * into targets. Targets are separated by commas, but a target may itself hold
 * comma-separated {@code key=value} options ({@code pid=1234,sensor=referenced},
 * {@code virtual:stairs,size=1GiB}). The rule: a {@code key=value} piece
 * belongs to the target before it, unless that target already has the key;
 * any other piece starts a new target. So {@code pid=1,sensor=referenced,pid=2}
 * is two targets and {@code stairs,zigzag} is two.
 */
final class TargetList {

    private TargetList() {
    }

    /** @return the targets in {@code value}, trimmed, blank pieces dropped */
    static List<String> split(String value) {
        List<String> targets = new ArrayList<>();
        StringBuilder current = null;
        Set<String> keys = new HashSet<>();
        for (String raw : value.split(",")) {
            String piece = raw.trim();
            if (piece.isEmpty()) {
                continue;
            }
            int eq = piece.indexOf('=');
            String key = eq > 0 ? piece.substring(0, eq).trim() : null;
            if (current != null && key != null && !keys.contains(key)) {
                current.append(',').append(piece);
                keys.add(key);
                continue;
            }
            if (current != null) {
                targets.add(current.toString());
            }
            current = new StringBuilder(piece);
            keys.clear();
            if (key != null) {
                keys.add(key);
            }
        }
        if (current != null) {
            targets.add(current.toString());
        }
        return targets;
    }
}
