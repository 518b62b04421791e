package io.jdamon.record.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import io.jdamon.api.MeasuredRange;
import io.jdamon.api.MeasuredRound;
import io.jdamon.api.RegionSnapshot;
import io.jdamon.record.DamosStats;
import io.jdamon.record.RecordWriter;
import io.jdamon.record.RecordFileException;
import io.jdamon.record.RecordedSnapshot;

/**
 * One snapshot's fields as written, before they are turned into a
 * {@link RecordedSnapshot}: damo gives a region's access count in samples or
 * percent and its age in aggregation intervals or microseconds, and jdamon
 * writes the intervals that convert them after the regions. Reused from one
 * snapshot to the next, so a reader holds one snapshot's worth at a time.
 * {@link #ABSENT} marks a field that was missing or null.
 */
public final class RawSnapshot {
    public static final long ABSENT = Long.MIN_VALUE;

    public long startTime = ABSENT;
    public long endTime = ABSENT;
    public long totalBytes = ABSENT;
    public long sampleUs = ABSENT;
    public long aggrUs = ABSENT;
    public long samples = ABSENT;
    public long aggregation = ABSENT;
    /** {@code damos_stats}, null if the snapshot has none */
    public DamosStats damosStats;
    int n;
    long[] start = new long[16];
    long[] end = new long[16];
    long[] nr = new long[16];
    long[] percent = new long[16];
    long[] ageAggr = new long[16];
    long[] ageUs = new long[16];
    // measured rounds: per round its first range, start and end; per range start, end, accessed bytes
    int rounds;
    int[] roundFirst = new int[4];
    long[] roundStart = new long[4];
    long[] roundEnd = new long[4];
    int rangeCount;
    long[] ranges = new long[12];

    public void clear() {
        startTime = endTime = totalBytes = sampleUs = aggrUs = samples = aggregation = ABSENT;
        damosStats = null;
        n = 0;
        rounds = 0;
        rangeCount = 0;
    }

    /** Opens a measured round; any time may be {@link #ABSENT}. */
    public void addRound(long startNanos, long endNanos) {
        if (rounds == roundFirst.length) {
            roundFirst = Arrays.copyOf(roundFirst, rounds * 2);
            roundStart = Arrays.copyOf(roundStart, rounds * 2);
            roundEnd = Arrays.copyOf(roundEnd, rounds * 2);
        }
        roundFirst[rounds] = rangeCount;
        roundStart[rounds] = startNanos;
        roundEnd[rounds] = endNanos;
        rounds++;
    }

    /** Sets the times of the last round opened. */
    public void setLastRoundTimes(long startNanos, long endNanos) {
        roundStart[rounds - 1] = startNanos;
        roundEnd[rounds - 1] = endNanos;
    }

    /** Adds a range to the last round opened. */
    public void addMeasuredRange(long start, long end, long accessedBytes) {
        if (3 * rangeCount == ranges.length) {
            ranges = Arrays.copyOf(ranges, ranges.length * 2);
        }
        ranges[3 * rangeCount] = start;
        ranges[3 * rangeCount + 1] = end;
        ranges[3 * rangeCount + 2] = accessedBytes;
        rangeCount++;
    }

    public int regionCount() {
        return n;
    }

    /** Adds a region; any field may be {@link #ABSENT}. */
    public void addRegion(long s, long e, long samplesOfRegion, long percentOfRegion, long aggrIntervals, long usec) {
        if (n == start.length) {
            int c = n * 2;
            start = Arrays.copyOf(start, c);
            end = Arrays.copyOf(end, c);
            nr = Arrays.copyOf(nr, c);
            percent = Arrays.copyOf(percent, c);
            ageAggr = Arrays.copyOf(ageAggr, c);
            ageUs = Arrays.copyOf(ageUs, c);
        }
        start[n] = s;
        end[n] = e;
        nr[n] = samplesOfRegion;
        percent[n] = percentOfRegion;
        ageAggr[n] = aggrIntervals;
        ageUs[n] = usec;
        n++;
    }

    public RawSnapshot copy() {
        RawSnapshot c = new RawSnapshot();
        c.startTime = startTime;
        c.endTime = endTime;
        c.totalBytes = totalBytes;
        c.sampleUs = sampleUs;
        c.aggrUs = aggrUs;
        c.samples = samples;
        c.aggregation = aggregation;
        c.damosStats = damosStats;
        c.n = n;
        c.start = Arrays.copyOf(start, n);
        c.end = Arrays.copyOf(end, n);
        c.nr = Arrays.copyOf(nr, n);
        c.percent = Arrays.copyOf(percent, n);
        c.ageAggr = Arrays.copyOf(ageAggr, n);
        c.ageUs = Arrays.copyOf(ageUs, n);
        c.rounds = rounds;
        c.roundFirst = Arrays.copyOf(roundFirst, Math.max(1, rounds));
        c.roundStart = Arrays.copyOf(roundStart, Math.max(1, rounds));
        c.roundEnd = Arrays.copyOf(roundEnd, Math.max(1, rounds));
        c.rangeCount = rangeCount;
        c.ranges = Arrays.copyOf(ranges, Math.max(3, 3 * rangeCount));
        return c;
    }

    /**
     * The snapshot, with counts and ages in jdamon's units: the access count
     * from {@code samples}, else from {@code percent} of the samples per
     * aggregation; the age from {@code aggr_intervals}, else from
     * {@code usec} over the aggregation interval.
     *
     * @param where names the snapshot in messages, e.g. {@code record 0 snapshot 3}
     * @param position the snapshot's position in its record (its index when the file gives none)
     * @param previousEnd the end of the record's previous snapshot, or {@link Long#MIN_VALUE}
     */
    public RecordedSnapshot build(Path file, String where, RecordHeader h, int position, long previousEnd)
            throws RecordFileException {
        if (endTime == ABSENT) {
            throw new RecordFileException(file, "is corrupt: " + where + " has no 'end_time'");
        }
        long snapSampleUs = sampleUs != ABSENT ? sampleUs : h.sampleUs;
        long snapAggrUs = aggrUs != ABSENT ? aggrUs : h.aggrUs;
        long start0;
        if (startTime != ABSENT) {
            start0 = startTime;
        } else if (previousEnd != Long.MIN_VALUE) {
            start0 = previousEnd;
        } else {
            start0 = endTime - snapAggrUs * 1000;
        }
        long taken = samples != ABSENT ? samples : 0;
        if (taken < 0 || taken > Integer.MAX_VALUE) {
            throw new RecordFileException(file, "is corrupt: " + where + " 'jdamon_samples' is " + taken);
        }
        int perAggr = taken > 0 ? (int) taken
                : snapSampleUs > 0 && snapAggrUs > 0 ? (int) Math.max(1, snapAggrUs / snapSampleUs)
                        : h.samplesPerAggregation();
        List<RegionSnapshot> regions = new ArrayList<>(n);
        long total = 0;
        for (int r = 0; r < n; r++) {
            String rw = where + " region " + r;
            long s = start[r];
            long e = end[r];
            if (s == ABSENT) {
                throw new RecordFileException(file, "is corrupt: " + rw + " has no 'start'");
            }
            if (e == ABSENT) {
                throw new RecordFileException(file, "is corrupt: " + rw + " has no 'end'");
            }
            if (e < s) {
                throw new RecordFileException(file, "is corrupt: " + rw + " ends (" + e + ") before it starts (" + s
                        + ")");
            }
            long accesses = 0;
            if (nr[r] != ABSENT) {
                accesses = nr[r];
            } else if (percent[r] != ABSENT) {
                accesses = percent[r] * Math.max(1, perAggr) / 100;
            }
            long age = 0;
            if (ageAggr[r] != ABSENT) {
                age = ageAggr[r];
            } else if (ageUs[r] != ABSENT && snapAggrUs > 0) {
                age = ageUs[r] / snapAggrUs;
            }
            boolean damoFake = s == 0 && e == 0 && accesses == -1;
            if (!damoFake && (accesses < 0 || accesses > Integer.MAX_VALUE)) {
                throw new RecordFileException(file, "is corrupt: " + rw + " has " + accesses + " accesses");
            }
            if (!damoFake && (age < 0 || age > Integer.MAX_VALUE)) {
                throw new RecordFileException(file, "is corrupt: " + rw + " has an age of " + age
                        + " aggregation intervals");
            }
            regions.add(new RegionSnapshot(s, e, (int) accesses, (int) age));
            total += e - s;
        }
        long index = aggregation != ABSENT ? aggregation : position;
        return new RecordedSnapshot(index, start0, endTime, snapSampleUs, snapAggrUs,
                totalBytes != ABSENT ? totalBytes : total, regions, (int) taken, measuredRounds(file, where),
                Optional.ofNullable(damosStats));
    }

    private List<MeasuredRound> measuredRounds(Path file, String where) throws RecordFileException {
        List<MeasuredRound> out = new ArrayList<>(rounds);
        for (int k = 0; k < rounds; k++) {
            String rw = where + " " + RecordWriter.EXTRA_MEASURED_KEY + " round " + k;
            if (roundStart[k] == ABSENT || roundEnd[k] == ABSENT) {
                throw new RecordFileException(file, "is corrupt: " + rw + " has no 'start_time' or 'end_time'");
            }
            int to = k + 1 < rounds ? roundFirst[k + 1] : rangeCount;
            List<MeasuredRange> rs = new ArrayList<>(to - roundFirst[k]);
            for (int j = roundFirst[k]; j < to; j++) {
                try {
                    rs.add(new MeasuredRange(ranges[3 * j], ranges[3 * j + 1], ranges[3 * j + 2]));
                } catch (IllegalArgumentException e) {
                    throw new RecordFileException(file, "is corrupt: " + rw + " range " + (j - roundFirst[k]) + ": "
                            + e.getMessage());
                }
            }
            out.add(new MeasuredRound(roundStart[k], roundEnd[k], rs));
        }
        return out;
    }

    /** damo adds a fake snapshot (one region 0-0 with -1 counts) to single-snapshot records. */
    public static boolean isDamoFake(RecordedSnapshot s) {
        if (s.regions().size() != 1) {
            return false;
        }
        RegionSnapshot r = s.regions().get(0);
        return r.start() == 0 && r.end() == 0 && r.nrAccesses() == -1;
    }
}
