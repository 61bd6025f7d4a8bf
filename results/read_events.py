#!/usr/bin/python3
"""Reads a clustersim events.binpb (length-delimited clustersim.results.Event records).

Needs Debian's python3-protobuf and the generated events_pb2 module, which the build writes to
build/results/python:

    PYTHONPATH=build/results/python /usr/bin/python3 results/read_events.py out/default-s42/events.binpb
"""
import argparse
import sys

from google.protobuf.internal.decoder import _DecodeVarint32

import events_pb2


def read_events(path):
    with open(path, "rb") as f:
        data = f.read()
    pos = 0
    while pos < len(data):
        size, pos = _DecodeVarint32(data, pos)
        event = events_pb2.Event()
        event.ParseFromString(data[pos:pos + size])
        pos += size
        yield event


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--count", action="store_true", help="print only the number of events")
    args = parser.parse_args()
    if args.count:
        print(sum(1 for _ in read_events(args.path)))
        return 0
    kind = events_pb2.Event.Kind.Name
    for e in read_events(args.path):
        print(f"{e.time_us / 1e6:.6f} {kind(e.kind)} task={e.task_id} framework={e.framework} "
              f"agent={e.agent} offer={e.offer_id} state={e.state}"
              f"{' reason=' + e.reason if e.reason else ''} {e.resources}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
