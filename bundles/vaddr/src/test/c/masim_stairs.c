/*
 * A stairs access pattern (in the manner of masim's stairs workloads, but
 * written here from scratch), for comparing DAMOS schemes:
 *
 *   masim_stairs NR_REGIONS REGION_MIB PHASE_MS [ROUNDS [COLD_MIB]]
 *
 * maps one anonymous private mapping of NR_REGIONS * REGION_MIB + COLD_MIB
 * (4 KiB pages: no transparent huge pages), writes every page of it once (so
 * all of it is resident), prints "ready START END COLD_START" (the mapping,
 * and where its cold tail begins) and then runs phases: in phase k it writes
 * one byte of every page of region k % NR_REGIONS, pass after pass in a tight
 * loop, for PHASE_MS. The cold tail (the last COLD_MIB, default 0) is never
 * touched again. Exits after ROUNDS passes over all the regions (default 1;
 * 0 runs until killed) or when stdin reaches its end, if stdin is a pipe.
 *
 * After each phase it prints to stderr "phase K region R passes N
 * max_pass_ms M": M is the longest time one pass took, so the longest a page
 * of the hot region went untouched. It must stay well under the aggregation
 * interval (100 ms) for the region to be really hot in every aggregation.
 * About once a second (between passes) it also prints to stderr "rss UPTIME
 * VMRSS_KB RSSANON_KB", its own VmRSS and RssAnon with the time of
 * /proc/uptime, so a caller can follow its RSS without starting programs
 * (slow in an emulated machine, and taking CPU from what it measures).
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

/* "rss UPTIME VMRSS_KB RSSANON_KB" to stderr */
static void print_rss(void) {
    char line[256];
    double up = 0;
    long rss = -1, anon = -1;
    FILE *f = fopen("/proc/uptime", "r");
    if (f) {
        if (fscanf(f, "%lf", &up) != 1) {
            up = 0;
        }
        fclose(f);
    }
    f = fopen("/proc/self/status", "r");
    if (f) {
        while (fgets(line, sizeof line, f)) {
            sscanf(line, "VmRSS: %ld", &rss);
            sscanf(line, "RssAnon: %ld", &anon);
        }
        fclose(f);
    }
    fprintf(stderr, "rss %.2f %ld %ld\n", up, rss, anon);
}

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: %s NR_REGIONS REGION_MIB PHASE_MS [ROUNDS [COLD_MIB]]\n", argv[0]);
        return 2;
    }
    long nr = atol(argv[1]);
    size_t region = (size_t)atol(argv[2]) << 20;
    double phase_ms = atof(argv[3]);
    long rounds = argc > 4 ? atol(argv[4]) : 1;
    size_t cold = argc > 5 ? (size_t)atol(argv[5]) << 20 : 0;
    size_t page = 4096;
    if (nr < 1 || region == 0 || phase_ms <= 0 || rounds < 0) {
        fprintf(stderr, "NR_REGIONS, REGION_MIB and PHASE_MS must be positive, ROUNDS not negative\n");
        return 2;
    }
    size_t hot = (size_t)nr * region;
    size_t total = hot + cold;
    char *m = mmap(NULL, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    madvise(m, total, MADV_NOHUGEPAGE);
    for (size_t off = 0; off < total; off += page) {
        m[off] = 1;
    }
    struct stat st;
    if (fstat(0, &st) == 0 && S_ISFIFO(st.st_mode)) {
        pthread_t t;
        pthread_create(&t, NULL, stdin_watch, NULL);
    }
    printf("ready %lu %lu %lu\n", (unsigned long)m, (unsigned long)(m + total), (unsigned long)(m + hot));
    fflush(stdout);
    unsigned char v = 2;
    print_rss();
    double last_rss = now_ms();
    for (long k = 0; rounds == 0 || k < rounds * nr; k++) {
        char *r = m + (size_t)(k % nr) * region;
        double start = now_ms(), last = start, max_pass = 0;
        long passes = 0;
        for (;;) {
            for (size_t off = 0; off < region; off += page) {
                r[off] = v;
            }
            v++;
            passes++;
            double t = now_ms();
            if (t - last > max_pass) {
                max_pass = t - last;
            }
            last = t;
            if (t - last_rss >= 1000) {
                print_rss();
                last_rss = t;
            }
            if (t - start >= phase_ms) {
                break;
            }
        }
        fprintf(stderr, "phase %ld region %ld passes %ld max_pass_ms %.1f\n", k, k % nr, passes, max_pass);
    }
    return 0;
}
