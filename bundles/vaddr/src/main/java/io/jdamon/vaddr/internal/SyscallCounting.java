package io.jdamon.vaddr.internal;

/**
 * A sensor session that counts the system calls it makes on the hot path, a
 * debug figure for the lab (whose emulated CPU makes times meaningless there):
 * a field read, no cost to keep.
 */
interface SyscallCounting {

    /** @return preads, pwrites and ioctls made by prepare and check since the session opened */
    long syscalls();
}
