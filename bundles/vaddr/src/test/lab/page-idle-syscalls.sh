#!/bin/sh
# Counts the system calls page-idle makes per sample, at 20, 200 and 1,000 regions, inside the lab VM:
#   cd bundles/vaddr && mvn -B -o -q -Plab verify -DskipTests   (builds target/lab-lib; -Dlab.run=/bin/true skips the check)
#   ../../../shared/lab/run --churn --timeout 1800 -- sh src/test/lab/page-idle-syscalls.sh [SAMPLES [REGIONS...]]
# One JVM under strace; strace -y names each descriptor's file, so only the sensor's preads and pwrites on
# /proc/PID/pagemap and /sys/kernel/mm/page_idle/bitmap are counted (not the JVM's own), between the
# marker reads the driver makes around each run. The trace stays in target/lab-syscalls.
# Counts only: the VM is emulated, so times there say nothing.
set -e
samples=${1:-10}
[ $# -gt 0 ] && shift
[ $# -gt 0 ] || set -- 20 200 1000
java="${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}/bin/java"
out=target/lab-syscalls
rm -rf $out
mkdir -p $out
strace -f --seccomp-bpf -y -e trace=pread64,pwrite64 -o $out/trace \
  "$java" -XX:TieredStopAtLevel=1 -cp 'target/classes:target/test-classes:target/lab-lib/*' \
  io.jdamon.vaddr.internal.PageIdleSyscalls $out/marks "$samples" "$@" | tee $out/driver.txt
awk -v s="$samples" '
  /pread64\([0-9]+<[^>]*\/marks\/start-[0-9]+>/ { match($0, /start-[0-9]+/); n = substr($0, RSTART + 6, RLENGTH - 6); on = 1; pm = br = bw = 0; next }
  /pread64\([0-9]+<[^>]*\/marks\/end-[0-9]+>/ { on = 0; printf "strace: regions=%d samples=%d per sample: %.1f system calls (pagemap pread %.1f, bitmap pread %.1f, bitmap pwrite %.1f)\n", n, s, (pm + br + bw) / s, pm / s, br / s, bw / s; next }
  on && /pread64\([0-9]+<\/proc\/[0-9]+\/pagemap>/ { pm++ }
  on && /pread64\([0-9]+<\/sys\/kernel\/mm\/page_idle\/bitmap>/ { br++ }
  on && /pwrite64\([0-9]+<\/sys\/kernel\/mm\/page_idle\/bitmap>/ { bw++ }
' $out/trace | tee $out/counts.txt
