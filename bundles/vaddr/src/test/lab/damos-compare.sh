#!/bin/sh
# The same DAMOS scheme on the same workload under the kernel's DAMOS (sysfs) and under jdamon (page-idle),
# inside the lab VM (zram as swap, so pageout can reclaim anonymous memory):
#   gcc -O2 -Wall -o /work/lab-damos/masim_stairs bundles/vaddr/src/test/c/masim_stairs.c
#   cd /work/lab-damos && /work/shared/lab/run --churn --timeout 1500 -- sh /work/main/bundles/vaddr/src/test/lab/damos-compare.sh [LABEL]
# Run from the folder holding masim_stairs and jdamon/ (a built distribution); logs go to ./damos-out/LABEL.
# For each monitor (kernel, jdamon) and action (stat, pageout): a fresh workload, the same intervals
# (5 ms / 100 ms / 1 s, 10..1000 regions) and scheme (ACTION regions of any size with no access for 2 s or
# more; no quotas, no watermarks) for DUR seconds of wall time, counted from when the monitor starts
# monitoring (for jdamon: when its first "recording" line is seen, after the JVM has started; it then
# runs its -d DUR). Prints one RESULT line per run:
#   the scheme's counters (kernel: exact bytes; jdamon: bytes converted back from its 4-digit human sizes);
#   aggregations: how many the monitor made in the window (kernel: from the damon_aggregated tracepoint;
#     jdamon: the snapshots it recorded) -- 10 a second is what the intervals ask for;
#   a jdamon run that fails gives a RESULT line with error= and its last log line, and the script goes on;
#   the workload's RSS (VmRSS, and RssAnon; kB) at the start of the window, its lowest and at the end,
#     from the workload's own once-a-second lines (starting programs in the emulated VM is slow and takes
#     CPU from the monitor, so nothing is started while a window runs);
#   pswpout_pages: pages swapped out (system-wide) during the window;
#   max_pass_ms: the workload's longest pass over its hot region (well under the 100 ms aggregation
#     means the region is hot in every aggregation) and how many phases it ran.
# Environment: WL_ARGS (default "8 8 5000 0 64": 8 regions of 8 MiB, 5 s each, forever, 64 MiB cold tail),
# SAMPLE_US AGGR_US UPDATE_US (default 5000 100000 1000000; the scheme's 2 s age follows the aggregation),
# DUR (default 35), MONITORS (default "kernel jdamon"), ACTIONS (default "stat pageout"),
# JDAMON_JAVA_OPTS (passed on to bin/jdamon's JVM).
set -u
label=${1:-run}
here=$(pwd)
wl=${WL:-$here/masim_stairs}
wl_args=${WL_ARGS:-8 8 5000 0 64}
dur=${DUR:-35}
sample_us=${SAMPLE_US:-5000}
aggr_us=${AGGR_US:-100000}
update_us=${UPDATE_US:-1000000}
age_aggrs=$((2000000 / aggr_us))
monitors=${MONITORS:-kernel jdamon}
actions=${ACTIONS:-stat pageout}
jdamon=${JDAMON:-$here/jdamon/bin/jdamon}
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}"
out=$here/damos-out/$label
rm -rf "$out"
mkdir -p "$out"
damon=/sys/kernel/mm/damon/admin/kdamonds
tr=/sys/kernel/tracing

if ! grep -q zram0 /proc/swaps; then
  echo 512M > /sys/block/zram0/disksize
  mkswap /dev/zram0 > /dev/null
  swapon /dev/zram0
fi
echo "kernel $(uname -r); swap: $(tail -n +2 /proc/swaps | tr -s ' '); JDAMON_JAVA_OPTS=${JDAMON_JAVA_OPTS:-}"
echo "workload: $wl $wl_args; window ${dur}s; intervals ${sample_us} ${aggr_us} ${update_us} us; age >= 2 s = $age_aggrs aggregations"

# shell built-ins only (no program started): uptime in seconds, pswpout
uptime_s() { read -r up _ < /proc/uptime; echo "$up"; }
pswpout() { while read -r k v; do [ "$k" = pswpout ] && { echo "$v"; return; }; done < /proc/vmstat; }

# start_wl NAME: starts a fresh workload, waits for its ready line; sets wl_pid
start_wl() {
  "$wl" $wl_args > "$out/$1.wl.out" 2> "$out/$1.wl.err" &
  wl_pid=$!
  i=0
  until grep -q '^ready' "$out/$1.wl.out"; do
    i=$((i + 1))
    if [ $i -gt 120 ] || ! kill -0 $wl_pid 2>/dev/null; then echo "workload did not start" >&2; exit 1; fi
    sleep 1
  done
}

window_start() { swp0=$(pswpout); t0=$(uptime_s); }
window_end() { # NAME: stops the workload, reads its RSS lines of the window
  t1=$(uptime_s)
  swp=$(($(pswpout) - swp0))
  kill $wl_pid 2>/dev/null
  wait $wl_pid 2>/dev/null
  rssline=$(awk -v t0="$t0" -v t1="$t1" '
    $1 == "rss" && $2 <= t0 { sv = $3; sa = $4 }
    $1 == "rss" && $2 > t0 && $2 <= t1 { if (sv == "") { sv = $3; sa = $4 } if (mv == "" || $3 < mv) { mv = $3; ma = $4 } ev = $3; ea = $4 }
    $1 == "phase" && $2 != "" { n++; if ($8 > m) m = $8 }
    END { if (mv == "" || sv < mv) { mv = sv; ma = sa }
          printf "rss_start_kb=%s rss_min_kb=%s rss_end_kb=%s anon_start_kb=%s anon_min_kb=%s anon_end_kb=%s max_pass_ms=%s phases=%d", sv, mv, ev, sa, ma, ea, m, n }' "$out/$1.wl.err")
}

result() { # MONITOR ACTION NR_TRIED SZ_TRIED NR_APPLIED SZ_APPLIED QT_EXCEEDS AGGREGATIONS [EXTRA]
  set -- "$@" ""
  echo "RESULT label=$label monitor=$1 scheme=$2 nr_tried=$3 sz_tried=$4 nr_applied=$5 sz_applied=$6 qt_exceeds=$7" \
    "aggregations=$8 window_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') $rssline pswpout_pages=$swp $9"
}

run_kernel() { # ACTION
  name=kernel-$1
  start_wl $name
  echo 1 > $damon/nr_kdamonds
  k=$damon/0
  echo 1 > $k/contexts/nr_contexts
  c=$k/contexts/0
  echo vaddr > $c/operations
  echo $sample_us > $c/monitoring_attrs/intervals/sample_us
  echo $aggr_us > $c/monitoring_attrs/intervals/aggr_us
  echo $update_us > $c/monitoring_attrs/intervals/update_us
  echo 10 > $c/monitoring_attrs/nr_regions/min
  echo 1000 > $c/monitoring_attrs/nr_regions/max
  echo 1 > $c/targets/nr_targets
  echo $wl_pid > $c/targets/0/pid_target
  echo 1 > $c/schemes/nr_schemes
  s=$c/schemes/0
  echo $1 > $s/action
  echo 0 > $s/access_pattern/sz/min
  echo 18446744073709551615 > $s/access_pattern/sz/max
  echo 0 > $s/access_pattern/nr_accesses/min
  echo 0 > $s/access_pattern/nr_accesses/max
  echo $age_aggrs > $s/access_pattern/age/min   # 2 s, in aggregations
  echo 4294967295 > $s/access_pattern/age/max
  echo 0 > $s/quotas/ms
  echo 0 > $s/quotas/bytes
  echo 0 > $s/quotas/reset_interval_ms
  echo none > $s/watermarks/metric
  { ls -R $k; for f in $(find $k -type f -name '[a-z]*' ! -name state); do echo "$f: $(cat $f)"; done; } > "$out/$name.sysfs" 2>&1
  # count aggregations: damon_aggregated traces every region of every aggregation, in address order
  trace=0
  if [ -d $tr/events/damon/damon_aggregated ]; then
    echo 16384 > $tr/buffer_size_kb; echo > $tr/trace; echo 1 > $tr/events/damon/damon_aggregated/enable; trace=1
  fi
  window_start
  echo on > $k/state
  sleep $dur
  echo update_schemes_stats > $k/state
  st=$s/stats
  set -- $1 $(cat $st/nr_tried) $(cat $st/sz_tried) $(cat $st/nr_applied) $(cat $st/sz_applied) $(cat $st/qt_exceeds)
  window_end $name
  echo off > $k/state 2>/dev/null   # (already off if the kdamond saw its target end)
  aggs=unknown
  if [ $trace = 1 ]; then
    echo 0 > $tr/events/damon/damon_aggregated/enable
    cp $tr/trace "$out/$name.trace"
    # "... damon_aggregated: target_id=0 nr_regions=N START-END: NR_ACCESSES AGE": a start below the previous starts an aggregation
    aggs=$(awk '/damon_aggregated:/ { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+-[0-9]+:$/) { split($i, r, "-"); s = r[1] + 0; if (p == "" || s < p) n++; p = s } }
                END { print n + 0 }' "$out/$name.trace")
    grep -q 'LOST' "$out/$name.trace" && aggs="$aggs(lost-events)"
  fi
  result kernel "$@" "$aggs"
}

# bytes VALUE UNIT: jdamon's human sizes (B, KiB, MiB, GiB, TiB) in bytes
bytes() { awk -v v="$1" -v u="$2" 'BEGIN { m["B"] = 1; m["KiB"] = 2^10; m["MiB"] = 2^20; m["GiB"] = 2^30; m["TiB"] = 2^40; printf "%.0f", v * m[u] }'; }

run_jdamon() { # ACTION
  name=jdamon-$1
  start_wl $name
  "$jdamon" record --pid $wl_pid --sensor page-idle -s ${sample_us}us -a ${aggr_us}us -u ${update_us}us --nr_regions 10,1000 -d ${dur}s \
    -o "$out/$name.data" --damos_action $1 --damos_access_rate 0% 0% --damos_age 2s max > "$out/$name.log" 2>&1 &
  jd=$!
  seen=0 i=0
  while [ $seen = 0 ]; do
    [ -f "$out/$name.log" ] && while read -r w _; do [ "$w" = recording ] && seen=1; done < "$out/$name.log"
    [ $seen = 1 ] && break
    i=$((i + 1))
    if [ $i -gt 1200 ] || ! kill -0 $jd 2>/dev/null; then
      kill $jd 2>/dev/null; wait $jd; rc=$?; kill $wl_pid; wait $wl_pid 2>/dev/null
      echo "RESULT label=$label monitor=jdamon scheme=${name#jdamon-} error=no-recording exit=$rc: $(tail -n 1 "$out/$name.log")"
      return
    fi
    sleep 0.5
  done
  window_start
  wait $jd
  rc=$?
  window_end $name
  line=$(grep 'scheme 0' "$out/$name.log")
  if [ -z "$line" ]; then
    result jdamon ${name#jdamon-} - - - - - - "error=no-scheme-line exit=$rc: $(tail -n 1 "$out/$name.log")"
    return
  fi
  snaps=$(sed -n 's/.*; \([0-9]*\) snapshots recorded.*/\1/p' "$out/$name.log")
  # ... nr_tried=N sz_tried=X U nr_applied=N sz_applied=X U qt_exceeds=N applications=N
  set -- $(echo "$line" | sed 's/.*nr_tried=//; s/sz_tried=//; s/nr_applied=//; s/sz_applied=//; s/qt_exceeds=//; s/applications=//')
  result jdamon ${name#jdamon-} $1 $(bytes $2 $3) $4 $(bytes $5 $6) $7 "${snaps:-unknown}" "applications=$8 exit=$rc"
}

for m in $monitors; do
  for a in $actions; do
    run_$m $a
  done
done
