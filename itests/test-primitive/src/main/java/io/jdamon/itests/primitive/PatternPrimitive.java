package io.jdamon.itests.primitive;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.osgi.service.component.annotations.Component;

import io.jdamon.api.InvalidTargetException;
import io.jdamon.api.MonitoringTarget;
import io.jdamon.api.Primitive;
import io.jdamon.api.PrimitiveContext;

/**
 * The primitive {@value #NAME}: every target is one synthetic address space
 * of {@value #SIZE} bytes at {@value #BASE} with a fixed, known access
 * pattern, so tests can check what the engine reports.
 *
 * <p>Target syntax: {@code half}, {@code all} or {@code none}, optionally
 * followed by options: {@code ;failAfter=N} makes {@code checkAccesses} throw
 * once N samples were taken; {@code ;sleepAfter=N} makes it block after N
 * samples until its thread is interrupted (then it returns);
 * {@code ;hangAfter=N} makes it block for good after N samples, ignoring
 * interrupts (a hook that never returns). {@code half}: the lower half is
 * accessed at every sample, the upper half never.
 *
 * <p>It also counts its {@code init} and {@code cleanup} calls per context;
 * tests read them through {@link Supplier#get()} (a JDK type, so the counts
 * stay readable after this bundle was stopped or uninstalled), keys
 * {@code <context>.init} and {@code <context>.cleanup}, and for the blocking
 * options {@code <context>.blocked} (entered the blocking hook) and
 * {@code <context>.interrupted} (interrupts it saw there).
 */
@Component(service = Primitive.class, property = Primitive.SERVICE_PROPERTY + "=" + PatternPrimitive.NAME)
public final class PatternPrimitive implements Primitive, Supplier<Map<String, Long>> {

    /** This primitive's {@value Primitive#SERVICE_PROPERTY}. */
    public static final String NAME = "itest";
    /** Where every target's address space starts. */
    public static final long BASE = 0x100000;
    /** Every target's size in bytes: 1 MiB. */
    public static final long SIZE = 0x100000;

    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

    private enum Pattern {
        HALF, ALL, NONE
    }

    /** Per-context state, made in init; the hot path only reads and bumps it. */
    private static final class State {
        final Pattern[] patterns;
        final Spec options;
        long samples;

        State(Pattern[] patterns, Spec options) {
            this.patterns = patterns;
            this.options = options;
        }
    }

    /** A target's pattern and options; 0 for an option not given. */
    private record Spec(Pattern pattern, long failAfter, long sleepAfter, long hangAfter) {
        /** @return the options of both, the earliest of each */
        Spec earliest(Spec other) {
            return new Spec(pattern, min(failAfter, other.failAfter), min(sleepAfter, other.sleepAfter),
                    min(hangAfter, other.hangAfter));
        }

        private static long min(long a, long b) {
            return a == 0 ? b : b == 0 ? a : Math.min(a, b);
        }
    }

    private static final String[] OPTIONS = { "failAfter", "sleepAfter", "hangAfter" };

    private static Spec parse(String spec) {
        String[] parts = spec.trim().split(";");
        Pattern pattern;
        try {
            pattern = Pattern.valueOf(parts[0].trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidTargetException(spec, "unknown pattern '" + parts[0]
                    + "'; use half, all or none, optionally followed by ;failAfter=N");
        }
        long[] values = new long[OPTIONS.length];
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim();
            int o = 0;
            while (o < OPTIONS.length && !p.startsWith(OPTIONS[o] + "=")) {
                o++;
            }
            if (o == OPTIONS.length) {
                throw new InvalidTargetException(spec, "unknown option '" + p + "'; the options are "
                        + String.join("=N, ", OPTIONS) + "=N");
            }
            try {
                values[o] = Long.parseLong(p.substring(OPTIONS[o].length() + 1));
            } catch (NumberFormatException e) {
                throw new InvalidTargetException(spec, OPTIONS[o] + " needs a whole number of samples, not '" + p
                        + "'");
            }
        }
        return new Spec(pattern, values[0], values[1], values[2]);
    }

    @Override
    public void checkTarget(String spec) {
        parse(spec);
    }

    @Override
    public Map<String, String> describe(PrimitiveContext ctx) {
        return Map.of("space", "synthetic, " + SIZE + " bytes per target");
    }

    @Override
    public void init(PrimitiveContext ctx) {
        Pattern[] patterns = new Pattern[ctx.targetCount()];
        Spec options = new Spec(Pattern.NONE, 0, 0, 0);
        for (int t = 0; t < ctx.targetCount(); t++) {
            MonitoringTarget target = ctx.target(t);
            Spec spec = parse(target.spec());
            patterns[t] = spec.pattern();
            options = options.earliest(spec);
            target.initRegions(BASE, BASE + SIZE);
        }
        ctx.attach(new State(patterns, options));
        count(ctx.name() + ".init");
    }

    @Override
    public void checkAccesses(PrimitiveContext ctx) {
        State state = (State) ctx.attachment();
        state.samples++;
        Spec options = state.options;
        if (options.failAfter() > 0 && state.samples > options.failAfter()) {
            throw new IllegalStateException("itest primitive fails on purpose after " + options.failAfter()
                    + " samples, as its target asks");
        }
        if (options.sleepAfter() > 0 && state.samples == options.sleepAfter() + 1) {
            count(ctx.name() + ".blocked");
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                count(ctx.name() + ".interrupted"); // gives up, as a well-behaved hook does
                return;
            }
        }
        if (options.hangAfter() > 0 && state.samples == options.hangAfter() + 1) {
            count(ctx.name() + ".blocked");
            hang(ctx.name());
        }
        for (int t = 0; t < ctx.targetCount(); t++) {
            MonitoringTarget target = ctx.target(t);
            Pattern pattern = state.patterns[t];
            for (int i = 0, n = target.regionCount(); i < n; i++) {
                if (accessed(pattern, target.samplingAddress(i))) {
                    target.markAccessed(i);
                }
            }
        }
    }

    /** Blocks for good, ignoring every interrupt (counted): a hook that never returns. */
    private void hang(String context) {
        // said on the console, so that a test of the real container sees the hang begin
        System.err.println("itest primitive: checkAccesses of context '" + context + "' hangs for good, as its "
                + "target asks (hangAfter)");
        Object never = new Object();
        while (true) {
            try {
                synchronized (never) {
                    never.wait();
                }
            } catch (InterruptedException e) {
                count(context + ".interrupted");
            }
        }
    }

    private static boolean accessed(Pattern pattern, long address) {
        switch (pattern) {
        case ALL:
            return true;
        case HALF:
            return address < BASE + SIZE / 2;
        default:
            return false;
        }
    }

    @Override
    public void cleanup(PrimitiveContext ctx) {
        count(ctx.name() + ".cleanup");
    }

    private void count(String key) {
        counts.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
    }

    @Override
    public Map<String, Long> get() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }
}
