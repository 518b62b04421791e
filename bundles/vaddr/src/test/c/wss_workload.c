/*
 * The working-set workload of issue 13, with a known truth:
 *
 *   wss_workload TOTAL_MIB HOT_MIB IDLE_MIB [SECONDS]
 *
 * maps one anonymous private mapping of TOTAL_MIB (4 KiB pages: no
 * transparent huge pages, so Referenced counts exactly the pages touched),
 * writes the IDLE_MIB after the hot part once and never again, then writes
 * one byte of every page of the first HOT_MIB once per pass, a pass every
 * 5 ms, until SECONDS have passed (forever without it) or stdin reaches its
 * end when it is a pipe. Prints "mapping START END" and "ready" first.
 * The working set of any window of 5 ms or more is HOT_MIB.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void *stdin_watch(void *arg) {
    char c;
    (void)arg;
    while (read(0, &c, 1) > 0) {
    }
    _exit(0);
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: %s TOTAL_MIB HOT_MIB IDLE_MIB [SECONDS]\n", argv[0]);
        return 2;
    }
    size_t total = (size_t)atol(argv[1]) << 20;
    size_t hot = (size_t)atol(argv[2]) << 20;
    size_t idle = (size_t)atol(argv[3]) << 20;
    double seconds = argc > 4 ? atof(argv[4]) : -1;
    size_t page = 4096;
    if (hot + idle > total) {
        fprintf(stderr, "HOT_MIB + IDLE_MIB must fit in TOTAL_MIB\n");
        return 2;
    }
    char *m = mmap(NULL, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (m == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    madvise(m, total, MADV_NOHUGEPAGE);
    for (size_t off = hot; off < hot + idle; off += page) {
        m[off] = 1;
    }
    struct stat st;
    if (fstat(0, &st) == 0 && S_ISFIFO(st.st_mode)) {
        pthread_t t;
        pthread_create(&t, NULL, stdin_watch, NULL);
    }
    printf("mapping %lu %lu\nready\n", (unsigned long)m, (unsigned long)(m + total));
    fflush(stdout);
    double start = now_s();
    struct timespec pause = {0, 5 * 1000 * 1000};
    for (unsigned char v = 2;; v++) {
        for (size_t off = 0; off < hot; off += page) {
            m[off] = v;
        }
        if (seconds >= 0 && now_s() - start >= seconds) {
            return 0;
        }
        nanosleep(&pause, NULL);
    }
}
