# For the vaddr DAMOS test: a 64 MiB file mapped and read once (then cold, its pages in RssFile) next to a
# 16 MiB anonymous buffer written all the time (hot). Prints the two ranges, then runs until killed.
import ctypes
import mmap
import os
import sys
import time

path = sys.argv[1]
n = 64 << 20
with open(path, "wb") as f:
    f.write(b"\1" * n)
fd = os.open(path, os.O_RDONLY)
cold = mmap.mmap(fd, n, mmap.MAP_SHARED, mmap.PROT_READ)
total = 0
for i in range(0, n, 4096):
    total += cold[i]
hot_n = 16 << 20
hot = bytearray(hot_n)
cold_addr = None
with open("/proc/self/maps") as maps:  # a read-only mapping gives ctypes no address: ask the kernel
    for line in maps:
        if line.rstrip().endswith(os.path.realpath(path)):
            cold_addr = int(line.split("-")[0], 16)
            break
h = ctypes.addressof((ctypes.c_char * hot_n).from_buffer(hot))
print(cold_addr, cold_addr + n, h, h + hot_n, total, flush=True)
x = 0
while True:
    x = (x + 1) & 255
    for i in range(0, hot_n, 4096):
        hot[i] = x
    time.sleep(0.001)
