/*
 * Ground truth for the vaddr sensor tests: a process whose memory accesses
 * the test controls.
 *
 *   access_helper HOT_MIB COLD_MIB MODE [EXIT_AFTER_MS]
 *
 * maps two anonymous private mappings, a "cold" one and a "hot" one, with an
 * inaccessible guard page between them so they are separate mappings; writes
 * every page of both once (so both are resident); prints
 *   hot START END
 *   cold START END
 *   ready
 * and then, forever (or until EXIT_AFTER_MS), touches every page of the hot
 * mapping once per pass, reading (MODE=read), writing (MODE=write) or both
 * (MODE=rw), and never touches the cold mapping again. Exits when stdin
 * closes, so it never outlives the test.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static void *stdin_watch(void *arg) {
    char c;
    (void)arg;
    while (read(0, &c, 1) > 0) {
    }
    _exit(0);
}

static long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: %s HOT_MIB COLD_MIB read|write|rw [EXIT_AFTER_MS]\n", argv[0]);
        return 2;
    }
    size_t hot = (size_t)atol(argv[1]) << 20;
    size_t cold = (size_t)atol(argv[2]) << 20;
    const char *mode = argv[3];
    long exit_after = argc > 4 ? atol(argv[4]) : -1;
    int reads = strcmp(mode, "write") != 0;
    int writes = strcmp(mode, "read") != 0;
    size_t page = 4096;

    /* one reservation: cold, guard page, hot */
    char *base = mmap(NULL, cold + page + hot, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (base == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    char *c = base;
    char *h = base + cold + page;
    if (mprotect(c, cold, PROT_READ | PROT_WRITE) || mprotect(h, hot, PROT_READ | PROT_WRITE)) {
        perror("mprotect");
        return 1;
    }
    /* 4 KiB pages only, so every sensor sees the same page size */
    madvise(c, cold, MADV_NOHUGEPAGE);
    madvise(h, hot, MADV_NOHUGEPAGE);
    for (size_t i = 0; i < cold; i += page) {
        c[i] = (char)i;
    }
    for (size_t i = 0; i < hot; i += page) {
        h[i] = (char)i;
    }
    pthread_t t;
    pthread_create(&t, NULL, stdin_watch, NULL);
    printf("hot %lu %lu\ncold %lu %lu\nready\n", (unsigned long)h, (unsigned long)(h + hot), (unsigned long)c,
           (unsigned long)(c + cold));
    fflush(stdout);

    long start = now_ms();
    volatile unsigned long sink = 0;
    for (unsigned long pass = 0;; pass++) {
        for (size_t i = 0; i < hot; i += page) {
            if (reads) {
                sink += ((volatile char *)h)[i];
            }
            if (writes) {
                ((volatile char *)h)[i] = (char)pass;
            }
        }
        usleep(200);
        if (exit_after >= 0 && now_ms() - start >= exit_after) {
            return 0;
        }
    }
}
