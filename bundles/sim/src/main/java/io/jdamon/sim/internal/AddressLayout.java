package io.jdamon.sim.internal;

/**
 * Where a workload's regions sit in the simulated address space: in config
 * order from {@link #BASE}, each size rounded up to a page, with a
 * {@link #GAP} between neighbours as between separate mmap areas. The
 * workload's data (and its per-page bits) is the regions back to back,
 * without the gaps.
 */
final class AddressLayout {

    /** The first region's start address: 4 GiB, clear of address 0. */
    static final long BASE = 1L << 32;
    /** Unmapped bytes between two regions. */
    static final long GAP = 16L << 20;

    private final long[] starts;
    private final long[] ends;
    private final long[] dataOffsets;
    private final long dataBytes;

    AddressLayout(WorkloadConfig config) {
        int n = config.regions().size();
        starts = new long[n];
        ends = new long[n];
        dataOffsets = new long[n];
        long address = BASE;
        long offset = 0;
        for (int i = 0; i < n; i++) {
            long size = Sizes.roundUpToPage(config.regions().get(i).sizeBytes());
            starts[i] = address;
            ends[i] = address + size;
            dataOffsets[i] = offset;
            address += size + GAP;
            offset += size;
        }
        dataBytes = offset;
    }

    /** @return the bytes of all regions, page-rounded, without gaps */
    static long dataBytes(WorkloadConfig config) {
        long sum = 0;
        for (WorkloadConfig.Region r : config.regions()) {
            sum += Sizes.roundUpToPage(r.sizeBytes());
        }
        return sum;
    }

    int regionCount() {
        return starts.length;
    }

    long start(int region) {
        return starts[region];
    }

    long end(int region) {
        return ends[region];
    }

    long size(int region) {
        return ends[region] - starts[region];
    }

    /** @return where region {@code region}'s data begins in the gap-free data */
    long dataOffset(int region) {
        return dataOffsets[region];
    }

    long dataBytes() {
        return dataBytes;
    }

    long dataPages() {
        return dataBytes >>> Sizes.PAGE_SHIFT;
    }

    /** @return {@code [start0, end0, start1, end1, ...]} for {@code MonitoringTarget.initRegions} */
    long[] ranges() {
        long[] ranges = new long[starts.length * 2];
        for (int i = 0; i < starts.length; i++) {
            ranges[2 * i] = starts[i];
            ranges[2 * i + 1] = ends[i];
        }
        return ranges;
    }

    /** @return the workload region holding {@code address}, or -1 if it lies in no region. Allocates nothing. */
    int regionOf(long address) {
        int lo = 0;
        int hi = starts.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (address < starts[mid]) {
                hi = mid - 1;
            } else if (address >= ends[mid]) {
                lo = mid + 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    /** @return the index of the data page holding {@code address}, or -1 if it lies in a gap */
    long pageOf(long address) {
        int r = regionOf(address);
        if (r < 0) {
            return -1;
        }
        return (dataOffsets[r] + (address - starts[r])) >>> Sizes.PAGE_SHIFT;
    }
}
