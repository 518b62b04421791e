#!/bin/sh
# Runs the pageout-probe ground-truth check inside the lab VM, which has zram:
#   cd bundles/vaddr && mvn -B -o -q -Plab verify -DskipTests   (builds target/lab-lib)
#   ../../../shared/lab/run --churn --timeout 900 -- sh src/test/lab/pageout-probe.sh
# pageout-probe evicts anonymous pages, which needs swap; the lab has none until this makes one.
set -e
echo 512M > /sys/block/zram0/disksize
mkswap /dev/zram0 > /dev/null
swapon /dev/zram0
exec "${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}/bin/java" \
  -cp 'target/classes:target/test-classes:target/lab-lib/*' io.jdamon.vaddr.internal.LabCheck pageout-probe
