#!/bin/sh
# Counts the system calls page-idle makes per sample, at 20, 200 and 1,000 regions, inside the lab VM:
#   cd bundles/vaddr && mvn -B -o -q -Plab verify -DskipTests   (builds target/lab-lib; or -Dlab.run=/bin/true to skip the check)
#   ../../../shared/lab/run --churn --timeout 1200 -- sh src/test/lab/page-idle-syscalls.sh [SAMPLES]
# strace -y names each descriptor's file, so only the sensor's preads and pwrites on
# /proc/PID/pagemap and /sys/kernel/mm/page_idle/bitmap are counted (the JVM's own are not).
# Counts only: the VM is emulated, so times there say nothing.
set -e
samples=${1:-20}
java="${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}/bin/java"
out=/tmp/page-idle-syscalls
mkdir -p $out
for regions in 20 200 1000; do
  strace -f --seccomp-bpf -y -e trace=pread64,pwrite64 -o $out/trace.$regions \
    "$java" -cp 'target/classes:target/test-classes:target/lab-lib/*' \
    io.jdamon.vaddr.internal.PageIdleSyscalls $regions $samples
  pm=$(grep -c '^[0-9]* *pread64([0-9]*</proc/[0-9]*/pagemap>' $out/trace.$regions || true)
  br=$(grep -c '^[0-9]* *pread64([0-9]*</sys/kernel/mm/page_idle/bitmap>' $out/trace.$regions || true)
  bw=$(grep -c '^[0-9]* *pwrite64([0-9]*</sys/kernel/mm/page_idle/bitmap>' $out/trace.$regions || true)
  awk -v r=$regions -v s=$samples -v pm=$pm -v br=$br -v bw=$bw 'BEGIN { printf "strace: regions=%d samples=%d per sample: %.1f system calls (pagemap pread %.1f, bitmap pread %.1f, bitmap pwrite %.1f)\n", r, s, (pm + br + bw) / s, pm / s, br / s, bw / s }'
done
