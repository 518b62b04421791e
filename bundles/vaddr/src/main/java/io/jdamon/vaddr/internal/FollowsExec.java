package io.jdamon.vaddr.internal;

import java.io.IOException;

/**
 * A built-in sensor session that can follow its process through an
 * {@code execve}: files opened on the old address space read nothing
 * afterwards, so the session says when a read came back empty and reopens
 * its files on the new address space, keeping the rest of its state.
 * (Sessions of other sensors are closed and opened again instead.)
 */
interface FollowsExec {

    /**
     * @return true if a read since the last {@link #reopen} found no address
     *     space behind the session's files (the process exec'd or is exiting);
     *     a field read, called every sample
     */
    boolean sawNoAddressSpace();

    /**
     * Closes the files opened on the old address space and opens them on the
     * process's current one.
     *
     * @throws IOException if they cannot be opened; the session then holds
     *     nothing open and must not be used until a later reopen succeeds
     */
    void reopen() throws IOException;
}
