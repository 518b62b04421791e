/*
 * The system-call floor of the uffd-write sensor: per sample, exactly the
 * ioctls the sensor makes, on the same process and the same regions, with
 * nothing else around them.
 *
 *   uffd_floor PID UFFD_FD SAMPLE_US SECONDS START-END [START-END ...]   (hex addresses)
 *
 * Takes a copy of PID's userfaultfd (descriptor UFFD_FD in PID, pidfd_getfd:
 * the same userfaultfd context the sensor set up, so its registrations and
 * asynchronous write-protect mode are the sensor's) and opens its pagemap.
 * Then, every SAMPLE_US for SECONDS, like the sensor:
 *   prepare: per region, a random page in [START, END): UFFDIO_WRITEPROTECT of that page
 *   (sleep until the sample interval has passed)
 *   check:   per region, PAGEMAP_SCAN of that page: still write-protected, or written?
 * Prints one line:
 *   floor samples=N regions=R usPerSample=F usPerRegion=F protectUsPerRegion=F scanUsPerRegion=F
 *         cpuUsPerRegion=F written=F unprotectable=F
 * where the times are CLOCK_MONOTONIC around the ioctl loops only (cpu: the
 * thread's CPU time around the same loops), written is the fraction of
 * sampled pages found written and unprotectable of those outside any
 * registered mapping.
 *
 * Build: cc -O2 -o uffd_floor uffd_floor.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <linux/fs.h>
#include <linux/userfaultfd.h>

#ifndef PAGEMAP_SCAN
/* linux/fs.h of Linux 6.7, for older headers */
#define PAGE_IS_WPALLOWED (1 << 0)
#define PAGE_IS_WRITTEN (1 << 1)
struct page_region {
    uint64_t start;
    uint64_t end;
    uint64_t categories;
};
struct pm_scan_arg {
    uint64_t size;
    uint64_t flags;
    uint64_t start;
    uint64_t end;
    uint64_t walk_end;
    uint64_t vec;
    uint64_t vec_len;
    uint64_t max_pages;
    uint64_t category_inverted;
    uint64_t category_mask;
    uint64_t category_anyof_mask;
    uint64_t return_mask;
};
#define PAGEMAP_SCAN _IOWR('f', 16, struct pm_scan_arg)
#endif
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint64_t cpu_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint64_t rng = 0x9E3779B97F4A7C15u;

static uint64_t next_random(void) {
    /* xorshift64 */
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

int main(int argc, char **argv) {
    if (argc < 6) {
        fprintf(stderr, "usage: %s PID UFFD_FD SAMPLE_US SECONDS START-END...\n", argv[0]);
        return 2;
    }
    int pid = atoi(argv[1]);
    int target_fd = atoi(argv[2]);
    long sample_us = atol(argv[3]);
    double seconds = atof(argv[4]);
    int n = argc - 5;
    uint64_t *start = calloc((size_t)n, sizeof *start);
    uint64_t *end = calloc((size_t)n, sizeof *end);
    uint64_t *page = calloc((size_t)n, sizeof *page);
    for (int i = 0; i < n; i++) {
        if (sscanf(argv[5 + i], "%lx-%lx", &start[i], &end[i]) != 2 || end[i] <= start[i]) {
            fprintf(stderr, "bad region '%s', expected START-END in hex\n", argv[5 + i]);
            return 2;
        }
    }
    int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    if (pidfd < 0) {
        fprintf(stderr, "pidfd_open(%d): %s\n", pid, strerror(errno));
        return 1;
    }
    int uffd = (int)syscall(SYS_pidfd_getfd, pidfd, target_fd, 0);
    if (uffd < 0) {
        fprintf(stderr, "pidfd_getfd(%d, %d): %s\n", pid, target_fd, strerror(errno));
        return 1;
    }
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/pagemap", pid);
    int pagemap = open(path, O_RDONLY | O_CLOEXEC);
    if (pagemap < 0) {
        fprintf(stderr, "open %s: %s\n", path, strerror(errno));
        return 1;
    }
    rng ^= (uint64_t)now_ns();

    struct page_region region;
    struct pm_scan_arg scan;
    struct uffdio_writeprotect wp;
    uint64_t cpu_total = 0;
    uint64_t samples = 0, protect_ns = 0, scan_ns = 0, written = 0, failed = 0;
    uint64_t stop = now_ns() + (uint64_t)(seconds * 1e9);
    while (now_ns() < stop) {
        uint64_t c0 = cpu_ns();
        uint64_t t0 = now_ns();
        for (int i = 0; i < n; i++) {
            uint64_t pages = (end[i] - start[i]) / 4096;
            page[i] = (start[i] & ~4095ul) + (next_random() % (pages ? pages : 1)) * 4096;
            wp.range.start = page[i];
            wp.range.len = 4096;
            wp.mode = UFFDIO_WRITEPROTECT_MODE_WP;
            if (ioctl(uffd, UFFDIO_WRITEPROTECT, &wp) < 0) {
                failed++;
            }
        }
        uint64_t t1 = now_ns();
        protect_ns += t1 - t0;
        cpu_total += cpu_ns() - c0;
        uint64_t wake = t0 + (uint64_t)sample_us * 1000u;
        struct timespec ts = {(time_t)(wake / 1000000000u), (long)(wake % 1000000000u)};
        clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
        c0 = cpu_ns();
        uint64_t t2 = now_ns();
        for (int i = 0; i < n; i++) {
            memset(&scan, 0, sizeof scan);
            scan.size = sizeof scan;
            scan.start = page[i];
            scan.end = page[i] + 4096;
            scan.vec = (uint64_t)(uintptr_t)&region;
            scan.vec_len = 1;
            scan.category_mask = PAGE_IS_WPALLOWED | PAGE_IS_WRITTEN;
            scan.return_mask = PAGE_IS_WRITTEN;
            if (ioctl(pagemap, PAGEMAP_SCAN, &scan) > 0) {
                written++;
            }
        }
        scan_ns += now_ns() - t2;
        cpu_total += cpu_ns() - c0;
        samples++;
    }
    double rs = (double)samples * n;
    printf("floor samples=%lu regions=%d usPerSample=%.2f usPerRegion=%.3f protectUsPerRegion=%.3f"
           " scanUsPerRegion=%.3f cpuUsPerRegion=%.3f written=%.3f unprotectable=%.3f\n",
           (unsigned long)samples, n, (protect_ns + scan_ns) / 1e3 / (double)samples,
           (protect_ns + scan_ns) / 1e3 / rs, protect_ns / 1e3 / rs, scan_ns / 1e3 / rs, cpu_total / 1e3 / rs, written / rs, failed / rs);
    return 0;
}
