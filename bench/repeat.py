#!/usr/bin/env python3
"""Times a whole command N times and prints the medians: wall, CPU (user + sys) and peak RSS.

The figures in bench/RESULTS.md and README.md quoted as `farm-bench -n N [--vs B] -- A` came from
the development machines' timing harness; this script measures the same things with nothing but
Python's standard library, so anyone can rerun them:

  bench/repeat.py -n 3 -- build/clustersim run scenarios/google2011-sample.yaml --out /tmp/g11 -q
  bench/repeat.py -n 5 --vs 'old/clustersim run scenarios/default.yaml --out /tmp/b -q' \\
      -- build/clustersim run scenarios/default.yaml --out /tmp/a -q

With --vs the two commands alternate (A, B, A, B, ...) so that drift in the machine's speed hits
both alike, and the A/B ratio of each pair's CPU time is summarised by its median and range.
A command that exits non-zero stops the measurement (exit 1).
Peak RSS is the kernel's high-water mark for the child, which starts as a copy of this script:
figures below ~15 MiB (Python's own) are that floor, not the command's.
"""

import argparse
import os
import shlex
import statistics
import subprocess
import sys
import time


def measure(argv):
    """One run of argv: (wall s, cpu s, peak RSS MiB) of the child alone."""
    start = time.monotonic()
    child = subprocess.Popen(argv, stdin=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.monotonic() - start
    code = os.waitstatus_to_exitcode(status)
    child.returncode = code  # reaped here: Popen must not wait for it again
    if code != 0:
        sys.exit(f"repeat.py: {shlex.join(argv)} exited with {code}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def summary(label, runs):
    walls, cpus, rss = zip(*runs)
    return (f"{label}: median wall {statistics.median(walls):.3f} s, "
            f"cpu {statistics.median(cpus):.3f} s, peak RSS {statistics.median(rss):.1f} MiB "
            f"({len(runs)} runs; wall {min(walls):.3f}-{max(walls):.3f} s)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=3, help="runs of each command (default 3)")
    parser.add_argument("--vs", help="a second command (one shell-quoted string) to alternate with")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- COMMAND ARGS...")
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command or args.n < 1:
        parser.error("give -n >= 1 and a command after --")
    other = shlex.split(args.vs) if args.vs else None

    a_runs, b_runs = [], []
    for _ in range(args.n):
        a_runs.append(measure(command))
        if other:
            b_runs.append(measure(other))
    print(summary("A", a_runs))
    if other:
        print(summary("B", b_runs))
        ratios = [a[1] / b[1] for a, b in zip(a_runs, b_runs) if b[1] > 0]
        if ratios:
            print(f"A/B cpu ratio: median {statistics.median(ratios):.3f} "
                  f"({min(ratios):.3f}-{max(ratios):.3f})")


if __name__ == "__main__":
    main()
