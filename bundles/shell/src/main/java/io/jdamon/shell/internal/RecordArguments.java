package io.jdamon.shell.internal;

import java.io.PrintStream;

/**
 * The first step of {@code jdamon record}: checks the arguments and answers
 * {@code --help}. The launcher runs it from the bundle's jar before it starts
 * any framework (a wrong argument is told at once), and {@link RecordCommand}
 * runs it again inside the framework (the Gogo {@code jdamon:record} has no
 * launcher), so both print the same words.
 */
public final class RecordArguments {

    /** {@link #run} found the arguments fine: the recording can start. */
    public static final int FINE = -1;

    private RecordArguments() {
    }

    /**
     * @return {@link #FINE} when the arguments are right; 0 after printing the help;
     *     2 after printing what is wrong and the usage
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            if (RecordOptions.parse(args).help()) {
                out.print(RecordOptions.USAGE);
                return 0;
            }
            return FINE;
        } catch (RecordOptions.UsageException e) {
            err.println("jdamon record: " + e.getMessage());
            err.print(RecordOptions.USAGE);
            return 2;
        }
    }
}
