package io.jdamon.vaddr.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

/**
 * How a sensor session opens the {@code /proc} files of its process: the
 * real {@link #REAL} everywhere but in tests, which make one particular open
 * fail to check that a session that cannot open all it needs closes what it
 * did open (filling the real file table instead races with every other
 * thread of the JVM).
 */
interface ProcFileOpener {

    /** Opens files for real: {@link FileChannel#open}, and {@code open(2)} for raw descriptors. */
    ProcFileOpener REAL = new ProcFileOpener() {
    };

    /** @return the opened channel, as {@link FileChannel#open(Path, OpenOption...)} */
    default FileChannel channel(Path path, OpenOption... options) throws IOException {
        return FileChannel.open(path, options);
    }

    /**
     * Opens a file read-only, close-on-exec, as a raw descriptor for ioctls.
     *
     * @return the descriptor, or minus the error number
     */
    default int readOnlyFd(String path) {
        Memory p = new Memory(path.length() + 1L);
        p.setString(0, path, "US-ASCII");
        int fd = (int) LibC.syscall(LibC.SYS_OPEN, Pointer.nativeValue(p), LibC.O_RDONLY | LibC.O_CLOEXEC, 0, 0, 0);
        return fd >= 0 ? fd : -LibC.errno();
    }
}
