/*
 * jdamon's uffd-write batch: the sensor's per-sample ioctls for all regions
 * of a target in one call from Java, so a sample costs one Java-to-native
 * transition per step instead of one per region (each costs about as much as
 * the ioctl itself). Loaded into jdamon's own JVM, never into the target.
 *
 * Build: cc -shared -fPIC -O2 -o libjdamon-uffd-batch.so uffd_batch.c
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>

/* linux/userfaultfd.h and linux/fs.h (6.7), spelled out for older headers */
struct jdamon_uffdio_writeprotect {
    uint64_t start;
    uint64_t len;
    uint64_t mode;
};
struct jdamon_page_region {
    uint64_t start;
    uint64_t end;
    uint64_t categories;
};
struct jdamon_pm_scan_arg {
    uint64_t size, flags, start, end, walk_end, vec, vec_len, max_pages, category_inverted, category_mask,
        category_anyof_mask, return_mask;
};
#define JDAMON_UFFDIO_WRITEPROTECT _IOWR(0xAA, 0x06, struct jdamon_uffdio_writeprotect)
#define JDAMON_PAGEMAP_SCAN _IOWR('f', 16, struct jdamon_pm_scan_arg)
#define JDAMON_PAGE_IS_WPALLOWED (1 << 0)
#define JDAMON_PAGE_IS_WRITTEN (1 << 1)

/*
 * Write-protects the page at each of pages[0..n) (page aligned) through
 * userfaultfd uffd. errs[i] is 0, or the errno of that page's failure.
 * Returns how many failed.
 */
int jdamon_uffd_protect(int uffd, const uint64_t *pages, int n, int32_t *errs) {
    struct jdamon_uffdio_writeprotect wp;
    int failed = 0;
    for (int i = 0; i < n; i++) {
        wp.start = pages[i];
        wp.len = 4096;
        wp.mode = 1; /* UFFDIO_WRITEPROTECT_MODE_WP */
        if (ioctl(uffd, JDAMON_UFFDIO_WRITEPROTECT, &wp) < 0) {
            errs[i] = errno;
            failed++;
        } else {
            errs[i] = 0;
        }
    }
    return failed;
}

/*
 * Asks, for the page at each of pages[0..n), whether it was written since it
 * was write-protected (PAGEMAP_SCAN on pagemap, report only). res[i] is 1
 * (written), 0 (not), or -errno. Returns how many were written.
 */
int jdamon_uffd_scan(int pagemap, const uint64_t *pages, int n, int32_t *res) {
    struct jdamon_page_region region;
    struct jdamon_pm_scan_arg scan;
    int written = 0;
    memset(&scan, 0, sizeof scan);
    scan.size = sizeof scan;
    scan.vec = (uint64_t)(uintptr_t)&region;
    scan.vec_len = 1;
    scan.category_mask = JDAMON_PAGE_IS_WPALLOWED | JDAMON_PAGE_IS_WRITTEN; /* must be both */
    scan.return_mask = JDAMON_PAGE_IS_WRITTEN;
    for (int i = 0; i < n; i++) {
        scan.start = pages[i];
        scan.end = pages[i] + 4096;
        scan.walk_end = 0;
        int found = ioctl(pagemap, JDAMON_PAGEMAP_SCAN, &scan);
        if (found > 0) {
            res[i] = 1;
            written++;
        } else if (found == 0) {
            res[i] = 0;
        } else {
            res[i] = -errno;
        }
    }
    return written;
}
