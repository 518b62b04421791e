# A process for the uffd-write launch test: a hot buffer written all the time,
# a cold one written once; prints both ranges, then runs until killed.
import ctypes
import time

n = 32 << 20
hot = bytearray(n)
cold = bytearray(n)
for i in range(0, n, 4096):
    cold[i] = 1
    hot[i] = 1
h = ctypes.addressof((ctypes.c_char * n).from_buffer(hot))
c = ctypes.addressof((ctypes.c_char * n).from_buffer(cold))
print(h, h + n, c, c + n, flush=True)
x = 0
while True:
    x = (x + 1) & 255
    for i in range(0, n, 4096):
        hot[i] = x
    time.sleep(0.0002)
