#!/usr/bin/env python3
"""Fails when a function in the checked folders is longer than the limit (issue 11).

Lengths are universal-ctags' own (`--fields=+ne`: start line to end line, inclusive), so the
figure is the one anybody gets from `ctags --fields=+ne`. Usage:
  .ci/function_lengths.py [--limit 80] [--top N] [FOLDER ...]
"""
import argparse
import os
import subprocess
import sys

DEFAULT_FOLDERS = ["apps", "models/master", "models/cell", "models/workload"]


def functions(root, folders):
    cmd = ["ctags", "--fields=+ne", "--kinds-c++=f", "--languages=C++", "-R", "-x",
           "--_xformat=%N\t%F\t%n\t%e"] + folders
    out = subprocess.run(cmd, cwd=root, check=True, capture_output=True, text=True).stdout
    for line in out.splitlines():
        name, path, start, end = line.split("\t")
        if start.isdigit() and end.isdigit():
            yield int(end) - int(start) + 1, name, path, int(start)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=80)
    parser.add_argument("--top", type=int, default=0, help="print the N longest and exit 0")
    parser.add_argument("folders", nargs="*", default=DEFAULT_FOLDERS)
    args = parser.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    found = sorted(functions(root, args.folders), reverse=True)
    if args.top:
        for length, name, path, start in found[:args.top]:
            print(f"{length:4d}  {path}:{start}  {name}")
        return 0
    long_ones = [f for f in found if f[0] > args.limit]
    for length, name, path, start in long_ones:
        print(f"{path}:{start}: {name} is {length} lines (limit {args.limit})")
    print(f"function lengths: {len(found)} functions in {' '.join(args.folders)}, "
          f"{len(long_ones)} over {args.limit} lines")
    return 1 if long_ones else 0


if __name__ == "__main__":
    sys.exit(main())
