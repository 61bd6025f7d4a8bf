#!/usr/bin/env python3
"""Fails when a source file includes a header against the layering arrows of DESIGN.md.

Every CMake target exports the source root as an include path, so the compiler would accept
`#include "models/..."` from sim/; this check is what keeps the arrows true (issue 11):
  sim -> nothing;  plugin api -> sim;  policies -> api, sim;  models -> sim, api;
  results -> models (and what models may use);  apps, tests, bench -> everything.
The trace_io layer (the row parsers and trace-info: models/workload/trace_io/ and each format's
models/workload/<format>/*_reader.* and *_info.*) -> sim only, so that trace-info and fuzz targets
link clustersim_trace_io without the cluster model.
Quoted includes are resolved like the compiler does (relative to the including file first, then
to the source root), so `#include "../models/x.h"` is caught too.

Usage: .ci/check_layering.py [ROOT]      check the tree (default: this repository)
       .ci/check_layering.py --self-test  prove on a scratch tree that a violation fails
"""
import os
import re
import sys
import tempfile

# Layer of a path: the longest matching prefix. Each layer lists the layers it may include.
LAYERS = {
    "sim/": {"sim/"},
    "models/workload/trace_io/": {"sim/", "models/workload/trace_io/"},
    "scheduler_plugins/api/": {"sim/", "scheduler_plugins/api/"},
    "scheduler_plugins/": {"sim/", "scheduler_plugins/api/", "scheduler_plugins/"},
    "models/": {"sim/", "scheduler_plugins/api/", "models/workload/trace_io/", "models/"},
    "results/": {"sim/", "scheduler_plugins/api/", "models/workload/trace_io/", "models/",
                 "results/"},
}
CHECKED_FOLDERS = ["sim", "scheduler_plugins", "models", "results"]
SOURCE_SUFFIXES = (".h", ".hpp", ".cc", ".cpp", ".inc")
INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"')


# Files of a format's folder that belong to the trace_io layer.
TRACE_IO_FILES = re.compile(r"^models/workload/[^/]+/[^/]+_(reader|info)\.[a-z]+$")


def layer_of(relative_path):
    if TRACE_IO_FILES.match(relative_path):
        return "models/workload/trace_io/"
    matches = [p for p in LAYERS if relative_path.startswith(p)]
    return max(matches, key=len) if matches else None


def resolve(root, including_file, target):
    """The include's path relative to root, or None if it is not a file of the tree."""
    beside = os.path.normpath(os.path.join(os.path.dirname(including_file), target))
    for candidate in (beside, os.path.normpath(os.path.join(root, target))):
        if os.path.isfile(candidate):
            relative = os.path.relpath(candidate, root)
            return None if relative.startswith("..") else relative.replace(os.sep, "/")
    # Not found (e.g. a generated header): judge it by the path as written from the root.
    return target if layer_of(target) else None


def violations(root):
    for folder in CHECKED_FOLDERS:
        for dirpath, _, files in os.walk(os.path.join(root, folder)):
            for name in sorted(files):
                if not name.endswith(SOURCE_SUFFIXES):
                    continue
                path = os.path.join(dirpath, name)
                source = os.path.relpath(path, root).replace(os.sep, "/")
                allowed = LAYERS[layer_of(source)]
                with open(path, encoding="utf-8", errors="replace") as f:
                    for number, line in enumerate(f, 1):
                        m = INCLUDE.match(line)
                        if not m:
                            continue
                        target = resolve(root, path, m.group(1))
                        if target is None:
                            continue
                        target_layer = layer_of(target)
                        if target_layer and target_layer not in allowed:
                            yield (f"{source}:{number}: includes \"{m.group(1)}\" "
                                   f"({target_layer} may not be used from {layer_of(source)}; "
                                   f"allowed: {', '.join(sorted(allowed))})")


def check(root):
    found = list(violations(root))
    for v in found:
        print(v)
    print(f"layering: {len(found)} include(s) against the arrows of DESIGN.md")
    return 1 if found else 0


def self_test():
    """A scratch tree with legal includes and three illegal ones must fail with exactly those three
    (two against sim/, one of a format's reader reaching into the model)."""
    with tempfile.TemporaryDirectory() as root:
        files = {
            "sim/clock.h": "#pragma once\n",
            "models/agent.h": '#pragma once\n#include "sim/clock.h"\n',
            "sim/bad_root.h": '#include "models/agent.h"\n',
            "sim/bad_relative.cc": '#include "../models/agent.h"\n',
            "scheduler_plugins/api/view.h": '#include "sim/clock.h"\n',
            "models/workload/fmt/fmt_reader.cc": '#include "models/agent.h"\n',
            "models/workload/fmt/fmt_replay.cc": '#include "models/workload/fmt/fmt_reader.h"\n',
            "models/workload/fmt/fmt_reader.h": '#include "sim/clock.h"\n',
        }
        for relative, text in files.items():
            os.makedirs(os.path.join(root, os.path.dirname(relative)), exist_ok=True)
            with open(os.path.join(root, relative), "w") as f:
                f.write(text)
        found = sorted(violations(root))
        expected_sources = ["models/workload/fmt/fmt_reader.cc:1:", "sim/bad_relative.cc:1:",
                            "sim/bad_root.h:1:"]
        ok = len(found) == 3 and all(f.startswith(e) for f, e in zip(found, expected_sources))
        print("\n".join(found))
        print("layering self-test:", "ok (a models/ header included from sim/ or a reader fails)" if ok
              else "FAILED: the check did not catch the planted violations")
        return 0 if ok else 1


if __name__ == "__main__":
    if sys.argv[1:] == ["--self-test"]:
        sys.exit(self_test())
    sys.exit(check(sys.argv[1] if len(sys.argv) > 1 else
                   os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
