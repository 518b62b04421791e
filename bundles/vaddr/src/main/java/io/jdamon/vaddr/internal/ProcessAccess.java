package io.jdamon.vaddr.internal;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import io.jdamon.api.InvalidTargetException;

/**
 * Checks, before monitoring starts, that a process exists and that this JVM
 * may inspect its address space ({@code /proc/PID/maps} readable, which the
 * kernel allows under the ptrace "read" access rules: same user or root).
 */
final class ProcessAccess {

    private ProcessAccess() {
    }

    /**
     * @throws InvalidTargetException naming the reason (no such process,
     *     exited, kernel thread, permission, ptrace rules) and the fix
     */
    static void requireInspectable(String spec, int pid) {
        Path dir = Path.of("/proc/" + pid);
        if (!Files.isDirectory(dir)) {
            throw new InvalidTargetException(spec, "no process with PID " + pid
                    + " (it never existed or has exited); check the PID with 'ps -p " + pid + "'");
        }
        String name = "?";
        String state = "";
        int uid = -1;
        try {
            for (String line : Kernel.lines(dir + "/status")) {
                if (line.startsWith("Name:")) {
                    name = line.substring(5).trim();
                } else if (line.startsWith("State:")) {
                    state = line.substring(6).trim();
                } else if (line.startsWith("Uid:")) {
                    uid = Integer.parseInt(line.split("\\s+")[2]);
                }
            }
        } catch (NoSuchFileException e) {
            throw new InvalidTargetException(spec, "no process with PID " + pid + " (it has just exited)");
        } catch (IOException | RuntimeException e) {
            // carry on: the maps check below says what matters
        }
        String who = "PID " + pid + " (" + name + (uid >= 0 ? ", uid " + uid : "") + ")";
        if (state.startsWith("Z") || state.startsWith("X")) {
            throw new InvalidTargetException(spec, who + " has exited (state " + state
                    + "); there is no address space left to monitor");
        }
        String maps;
        try {
            maps = Kernel.read(dir + "/maps");
        } catch (NoSuchFileException e) {
            throw new InvalidTargetException(spec, "no process with PID " + pid + " (it has just exited)");
        } catch (AccessDeniedException e) {
            throw new InvalidTargetException(spec, denied(who, pid, uid), e);
        } catch (IOException e) {
            String m = String.valueOf(e.getMessage());
            if (m.contains("Permission denied") || m.contains("Operation not permitted")) {
                throw new InvalidTargetException(spec, denied(who, pid, uid), e);
            }
            throw new InvalidTargetException(spec, "cannot read /proc/" + pid + "/maps of " + who + ": " + m, e);
        }
        if (maps.isBlank()) {
            throw new InvalidTargetException(spec, who + " has no user address space (a kernel thread or an"
                    + " exiting process); pick a user process");
        }
    }

    private static String denied(String who, int pid, int uid) {
        int me = Kernel.euid();
        StringBuilder sb = new StringBuilder("permission denied: cannot inspect ").append(who)
                .append(": /proc/").append(pid).append("/maps is not readable by uid ").append(me).append(". ");
        if (uid >= 0 && uid != me) {
            sb.append("The process belongs to another user; run jdamon as uid ").append(uid)
                    .append(" or as root (or with CAP_SYS_PTRACE).");
        } else {
            sb.append("The kernel's ptrace access rules refuse it (the process may have changed credentials,"
                    + " be non-dumpable, or run setuid); run jdamon as root.");
        }
        int scope = Kernel.ptraceScope();
        if (scope > 0) {
            sb.append(" Note: kernel.yama.ptrace_scope is ").append(scope)
                    .append(scope == 1 ? " (only a parent may attach)" : scope == 2 ? " (only root may attach)"
                            : " (no one may attach)")
                    .append("; reading is allowed, but sensors that take the process's descriptors need attach"
                            + " rights.");
        }
        return sb.toString();
    }
}
