package io.jdamon.record;

import java.nio.file.Path;

/**
 * A record file that cannot be read: missing, unreadable, empty, corrupt, or
 * not a DAMON record file at all. The message names the file, says what is
 * wrong and, where it can, what to do; it is meant to be shown to the user as
 * it is.
 */
public class RecordFileException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient Path file;

    public RecordFileException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public RecordFileException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** @return the file that could not be read */
    public Path file() {
        return file;
    }
}
