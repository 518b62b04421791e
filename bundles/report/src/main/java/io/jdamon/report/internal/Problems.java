package io.jdamon.report.internal;

/** The two ways a report fails, each with a message that says what to fix. */
final class Problems {

    private Problems() {
    }

    /** A wrong command line (exit status 2). */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /** Data that cannot be used (exit status 1). */
    static final class DataException extends Exception {
        private static final long serialVersionUID = 1L;

        DataException(String message) {
            super(message);
        }
    }

    /** The option refused because it is damo's and makes no sense for jdamon; names what to use instead. */
    static UsageException damoOnly(String option, String why, String instead) {
        return new UsageException(option + " is a damo option jdamon does not take: " + why + "; " + instead);
    }
}
