#!/usr/bin/env python3
"""Makes a longer Google 2011 trace from the shared sample, to show that replay memory does not
grow with the trace's length (bench/RESULTS.md).

Writes into OUT_DIR:
  task_events-copies.csv  the t = 0 block (lines 1-40,000) once, then COPIES copies of the
                          in-window slice (600 s .. 2,853 s), copy k shifted by k x SHIFT s. Job
                          IDs are kept, so each copy resubmits the same tasks (a workload that
                          repeats): what is live stays bounded while the file grows.
  machine_events.csv      the shared machine_events, unchanged (29 days: covers any COPIES < 900)
  demand.yaml, recorded.yaml
                          scenarios/google2011-sample.yaml and google2011-recorded.yaml with these
                          paths, the demand run lasting until the last copy ends

Usage: bench/google2011_copies.py OUT_DIR COPIES [SOURCE_DIR]
  SOURCE_DIR: the repository (default: this script's parent's parent); the samples are read at
  SOURCE_DIR/../shared/traces/google2011.

Then: /usr/bin/time -v build/clustersim run OUT_DIR/demand.yaml --quiet --no-progress
      (look at "Maximum resident set size").
"""
import os
import re
import sys

SHIFT_US = 2_300_000_000  # > the slice's 2,253 s span, so copies stay in time order


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    out_dir, copies = sys.argv[1], int(sys.argv[2])
    source = sys.argv[3] if len(sys.argv) > 3 else os.path.dirname(
        os.path.dirname(os.path.abspath(__file__)))
    traces = os.path.join(source, '..', 'shared', 'traces', 'google2011')
    start = os.path.join(traces, 'task_events-part-00000-of-00500.lines000001-040000.csv')
    window = os.path.join(traces, 'task_events-part-00000-of-00500.lines277322-377321.csv')
    machines = os.path.join(traces, 'machine_events-part-00000-of-00001.csv')
    os.makedirs(out_dir, exist_ok=True)

    tasks_out = os.path.join(out_dir, 'task_events-copies.csv')
    last = 0
    with open(tasks_out, 'w') as out:
        with open(start) as f:
            out.write(f.read())
        rows = open(window).read().splitlines()
        for k in range(copies):
            shift = k * SHIFT_US
            for row in rows:
                t, rest = row.split(',', 1)
                last = int(t) + shift
                out.write(f'{last},{rest}\n')
    machines_out = os.path.join(out_dir, 'machine_events.csv')
    with open(machines) as f, open(machines_out, 'w') as out:
        out.write(f.read())

    scenarios = os.path.join(source, 'scenarios')
    for name, mode in (('demand', 'google2011-sample.yaml'), ('recorded', 'google2011-recorded.yaml')):
        text = open(os.path.join(scenarios, mode)).read()
        text = re.sub(r'(?m)^name: .*$', f'name: google2011-{name}-x{copies}', text)
        text = re.sub(r'(?m)^    machine_events: .*$', f'    machine_events: {machines_out}', text)
        text = re.sub(r'(?m)^    task_events:\n(      - .*\n)+', f'    task_events: {tasks_out}\n', text)
        if name == 'demand':
            text = re.sub(r'(?m)^duration: .*$', f'duration: {last // 1_000_000 + 30}s', text)
        with open(os.path.join(out_dir, f'{name}.yaml'), 'w') as out:
            out.write(text)
    size = os.path.getsize(tasks_out)
    print(f'{tasks_out}: {size / 1e6:.1f} MB, {40_000 + copies * 100_000} rows, last event at '
          f'{last / 1e6:.0f} s')


if __name__ == '__main__':
    main()
