package io.jdamon.bench.internal;

import java.io.PrintStream;
import java.util.Arrays;

import io.jdamon.core.internal.EngineBench;
import io.jdamon.sim.internal.SimBenchmark;

/**
 * The benchmark jar's entry point: {@code java -jar jdamon-bench.jar engine|sim ...},
 * also run by {@code jdamon bench}. With no argument it prints the usage.
 * The system property {@code jdamon.bench.program} names the command in
 * messages ({@code bin/jdamon} sets it to {@code jdamon bench}).
 */
public final class BenchMain {

    static final String DEFAULT_PROGRAM = "java -jar jdamon-bench.jar";

    private BenchMain() {
    }

    static String usage(String program) {
        return """
                usage: %1$s <benchmark> [options]      (%1$s <benchmark> --help for each)

                benchmarks:
                  engine   JMH: the engine's own cost per region per sample at 100, 1,000 and 10,000 regions,
                           and its allocation per sample (JMH options, e.g. 'engine -f 1 -wi 2 -i 3')
                  sim      kdamond CPU per sample and per second against target size (1 GiB, 64 GiB, 1 TiB
                           virtual) next to a full-scan baseline, and WSS error against ground truth
                           (e.g. 'sim --seconds 1 --rounds 1 --skip-accuracy 1GiB')
                """.formatted(program);
    }

    public static void main(String[] args) {
        String program = System.getProperty("jdamon.bench.program", DEFAULT_PROGRAM);
        int code = run(args, program, System.out, System.err);
        System.out.flush();
        System.exit(code);
    }

    /** @return the exit status: 0 done, 1 failed, 2 bad arguments or no benchmark named */
    static int run(String[] args, String program, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.print(usage(program));
            return 2;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        return switch (args[0]) {
            case "-h", "--help", "help" -> {
                out.print(usage(program));
                yield 0;
            }
            case "engine" -> EngineBench.run(rest, program + " engine", out, err);
            case "sim" -> SimBenchmark.run(rest, program + " sim", out, err);
            default -> {
                err.println(program + ": unknown benchmark '" + args[0] + "'; name engine or sim"
                        + (args[0].startsWith("-") ? " first (JMH options go after engine: "
                                + program + " engine " + String.join(" ", args) + ")" : ""));
                err.print(usage(program));
                yield 2;
            }
        };
    }
}
