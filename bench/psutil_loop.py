#!/usr/bin/python3
# bench/psutil_loop.py - the sampling loop of the earlier Python tool, kept as
# a yardstick for `make bench`: every interval, RSS and cpu_percent summed
# over the target and children(recursive=True), thread count, system swap.
# Prints the loop's own CPU time per sample in microseconds (getrusage),
# without the interpreter's start-up.
#
# usage: psutil_loop.py ROOT_PID N INTERVAL_MS
import resource
import sys
import time

import psutil

root = psutil.Process(int(sys.argv[1]))
n, interval = int(sys.argv[2]), int(sys.argv[3]) / 1000.0
known = {}


def cpu_s():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


start = cpu_s()
for _ in range(n):
    procs = [root] + root.children(recursive=True)
    rss = cpu = threads = 0
    for p in procs:
        p = known.setdefault(p.pid, p)
        try:
            rss += p.memory_info().rss
            cpu += p.cpu_percent(None)
            threads += p.num_threads()
        except psutil.NoSuchProcess:
            pass
    swap = psutil.swap_memory().used
    time.sleep(interval)
print("psutil\t%d\t%.2f" % (n, (cpu_s() - start) * 1e6 / n))
