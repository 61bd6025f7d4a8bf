#!/usr/bin/python3
"""Reads a clustersim events.binpb (format 2 or 3, results/proto/events.proto) and prints one line per event.

    results/read_events.py out/default-s42/events.binpb | head
    results/read_events.py --jsonl out/default-s42/events.binpb > events.jsonl

Names are resolved, offers filled in from their OFFER_SENT, times absolute. Needs Debian's
python3-protobuf (hence /usr/bin/python3) and the module events_pb2 the build generates in
<build>/results/python; it is found next to this script, in $CLUSTERSIM_BUILD/results/python, or
in build/results/python of the checkout this script is in. `clustersim events FILE` prints the same
lines without Python.
"""
import argparse
import json
import os
import signal
import sys

# Versions 3 and 4 only added kinds (scheduling, frameworks) and their fields: version 2 files
# read the same.
FORMAT_VERSIONS = (2, 3, 4)


def import_events_pb2():
    here = os.path.dirname(os.path.abspath(__file__))
    candidates = [here]
    if os.environ.get("CLUSTERSIM_BUILD"):
        candidates.append(os.path.join(os.environ["CLUSTERSIM_BUILD"], "results", "python"))
    candidates.append(os.path.join(os.path.dirname(here), "build", "results", "python"))
    for folder in candidates:
        if os.path.isfile(os.path.join(folder, "events_pb2.py")):
            sys.path.insert(0, folder)
            break
    try:
        import events_pb2  # noqa: E402 (located above)
    except ImportError as e:
        sys.exit(f"read_events.py: cannot import events_pb2 ({e}); looked in {', '.join(candidates)}."
                 " Build clustersim (cmake --build build) or set CLUSTERSIM_BUILD to its build"
                 " folder, and run with /usr/bin/python3 (Debian's python3-protobuf).")
    return events_pb2


pb = import_events_pb2()
from google.protobuf.internal.decoder import _DecodeVarint  # noqa: E402 (after the check above)
from google.protobuf.message import DecodeError  # noqa: E402


class FormatError(Exception):
    pass


def records(data):
    """Yields the messages' bytes of a length-delimited file."""
    pos = 0
    while pos < len(data):
        try:
            size, pos = _DecodeVarint(data, pos)
        except IndexError:
            raise FormatError(f"truncated record length at byte {pos}") from None
        if pos + size > len(data):
            raise FormatError(f"truncated record at byte {pos}")
        yield data[pos:pos + size]
        pos += size


def read_events(path):
    """Yields (header, event dict) for each event of the file, names and offers resolved."""
    with open(path, "rb") as f:
        data = f.read()
    # A header record is never all text (its third byte is the magic's length, 17): a summary.json
    # or a CSV given by mistake is named as such.
    start = data[:64]
    if start and all(0x20 <= b < 0x7f or b in b"\n\r\t" for b in start):
        raise FormatError("not an events.binpb: it is a text file (events.binpb is the binary "
                          "file `clustersim run --events` writes)")
    it = records(data)
    header = pb.Header()
    first = next(it, None)
    if first is not None:
        try:
            header.ParseFromString(first)
        except DecodeError:
            pass  # no header: refused below
    if header.magic != "clustersim.events":
        raise FormatError("not an events.binpb of format 2 or later (a version 1 file, written "
                          "before issue 13, has no header: re-run the scenario with --events)")
    if header.version not in FORMAT_VERSIONS:
        raise FormatError(f"format version {header.version}; this reader reads "
                          f"{FORMAT_VERSIONS[0]} to {FORMAT_VERSIONS[-1]}")
    kinds = list(header.resource_kinds)
    names = [""]
    time_us = 0
    offer = 0
    offers = {}  # outstanding offers: id -> (framework, agent, resources)
    last_offered = {}  # agent -> resources of its previous OFFER_SENT
    kind_name = pb.Event.Kind.Name
    os_name = {pb.Event.LINUX: "linux", pb.Event.WINDOWS: "windows"}

    def resources(values):
        return {kinds[k]: v / 1000 for k, v in enumerate(values) if v}

    for raw in it:
        e = pb.Event()
        try:
            e.ParseFromString(raw)
        except DecodeError as error:
            raise FormatError(f"malformed record: {error}") from None
        time_us += e.dt_us
        if e.kind == pb.Event.NAME:
            names.append(e.name)
            continue
        kind = kind_name(e.kind)
        out = {"time_s": time_us / 1e6, "kind": kind}
        if kind.startswith("OFFER_"):
            offer += e.offer_delta
            out["offer_id"] = offer
            if e.kind == pb.Event.OFFER_SENT:
                res = resources(e.resources) if len(e.resources) else last_offered.get(e.agent, {})
                last_offered[e.agent] = res
                offers[offer] = (names[e.framework], names[e.agent], res)
                framework, agent, res = offers[offer]
            elif offer in offers:
                framework, agent, res = offers.pop(offer)
            else:
                raise FormatError(f"{kind} of offer {offer}, never sent")
            out.update(framework=framework, agent=agent, resources=res)
            if e.kind == pb.Event.OFFER_ACCEPTED:
                out["tasks_launched"] = e.tasks_launched
        elif kind.startswith("TASK_"):
            out.update(task_id=e.task_id, framework=names[e.framework], agent=names[e.agent],
                       os=os_name.get(e.os, ""), state=names[e.state], reason=names[e.reason])
            if e.kind == pb.Event.TASK_SUBMITTED:
                out.update(job_id=e.job_id, image=names[e.image], os_version=names[e.os_version])
            if e.kind == pb.Event.TASK_LAUNCHED:
                out["offer_id"] = e.offer_id
            if len(e.resources):
                out["resources"] = resources(e.resources)
            if e.kind == pb.Event.TASK_ENDED:
                out["final"] = e.final
        elif e.kind == pb.Event.DECISION_STARTED:
            out.update(framework=names[e.framework], busy_s=e.busy_us / 1e6, placed=e.placed)
        elif e.kind == pb.Event.TRANSACTION:
            out.update(framework=names[e.framework], claims_committed=e.claims_committed,
                       claims_conflicted=e.claims_conflicted)
        elif e.kind == pb.Event.JOB_PLACED:
            out.update(framework=names[e.framework], job_id=e.job_id, wait_s=e.wait_us / 1e6)
        elif kind.startswith("FRAMEWORK_"):
            out["framework"] = names[e.framework]
        elif kind.startswith("INVERSE_OFFER_"):
            out.update(framework=names[e.framework], agent=names[e.agent])
        else:
            out["agent"] = names[e.agent]
        yield header, {k: v for k, v in out.items() if v != ""}


def exact(amount):
    """An amount of three decimals at most, as the shortest exact decimal: 2048, 0.5, 1.25."""
    return f"{amount:.3f}".rstrip("0").rstrip(".")


def format_line(e):
    """One readable line: time (s), kind, then the event's fields as key=value (the same line as
    `clustersim events FILE`)."""
    parts = [f"{e['time_s']:.6f}", e["kind"]]
    for key, value in e.items():
        if key in ("time_s", "kind"):
            continue
        if key == "resources":
            parts.extend(f"{k}={exact(v)}" for k, v in value.items())
        elif key in ("busy_s", "wait_s"):
            parts.append(f"{key}={value:.6f}")
        elif isinstance(value, bool):
            parts.append(f"{key}={str(value).lower()}")
        else:
            parts.append(f"{key}={value}")
    return " ".join(parts)


def main():
    # A closed pipe (`| head`) ends the reader quietly, as it does `cat`.
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--count", action="store_true", help="print only the number of events")
    group.add_argument("--jsonl", action="store_true", help="one JSON object per line")
    args = parser.parse_args()
    try:
        if args.count:
            print(sum(1 for _ in read_events(args.path)))
            return 0
        for _, e in read_events(args.path):
            print(json.dumps(e, separators=(",", ":"), ensure_ascii=False) if args.jsonl else format_line(e))
    except (OSError, FormatError) as e:
        if isinstance(e, BrokenPipeError):
            raise
        print(f"read_events.py: {args.path}: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
