#!/usr/bin/python3
"""Plots a clustersim output folder (run, compare or sweep) as PNG and SVG, plus report.html.

    /usr/bin/python3 results/plot.py [--catalogue FILE] OUT_DIR   (or: build/clustersim plot OUT_DIR)

Titles and units come from the metric catalogue: FILE as `clustersim metrics --json` writes it
(`clustersim plot` passes one), else from running a clustersim beside this script, in ../build,
or on PATH.

Run folders (summary.json, tasks.csv, timeseries.csv): start-latency CDF per OS and isolation,
queue-delay CDF per OS, allocated cpus and pending tasks over time per OS, capacity registered,
queue delay and start latency over time per OS, dominant share per role over time. Compare folders (compare.csv): a bar chart per metric with 95% intervals.
Sweep folders (summary.csv): each metric against the last axis, one line per value of the
other axes, with 95% interval bands. Compare and sweep folders with cdfs.csv: start latency and
queue delay CDFs per OS, one line per policy (sweep: per value of the first axis). Figures and
panels with no values, or whose values are all zero, are left out, and each one left out is
named on stderr ("plot: skipped ..."); figures an earlier plot of the folder drew and this one
does not are removed. report.html (results/report.py) shows them all with the tables. Needs
Debian's python3-matplotlib.
"""
import csv
import json
import math
import os
import re
import shutil
import subprocess
import sys
import types

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

# report.py sits beside this file (also as build/report.py beside build/clustersim-plot.py).
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import report  # noqa: E402

# t_{0.975, df} for df = 1..30, as apps/stats.cc computes it (Boost.Math), to 9 decimals.
T95 = [12.706204736, 4.302652730, 3.182446305, 2.776445105, 2.570581836, 2.446911851,
       2.364624252, 2.306004135, 2.262157163, 2.228138852, 2.200985160, 2.178812830,
       2.160368656, 2.144786688, 2.131449546, 2.119905299, 2.109815578, 2.100922040,
       2.093024054, 2.085963447, 2.079613845, 2.073873068, 2.068657610, 2.063898562,
       2.059538553, 2.055529439, 2.051830516, 2.048407142, 2.045229642, 2.042272456]

# The metric catalogue (titles, units, axis labels by summary.json path), as `clustersim metrics
# --json` writes it: the C++ table (results/metric_catalogue.cc) is its one source. main() loads it.
CATALOGUE = {}


def catalogue_command():
    """The `clustersim metrics --json` command line to read the catalogue from, or None: a
    clustersim beside this script (build/clustersim-plot.py), in the build folder of the source
    tree it is in (results/plot.py), or on PATH."""
    here = os.path.dirname(os.path.abspath(__file__))
    for candidate in (os.path.join(here, "clustersim"),
                      os.path.join(here, "..", "build", "clustersim"),
                      shutil.which("clustersim")):
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return [candidate, "metrics", "--json"]
    return None


def load_catalogue(path=None):
    """Loads the catalogue from `path` (JSON of `clustersim metrics --json`), else from a
    clustersim found by catalogue_command(). Returns an error message, or None."""
    global CATALOGUE
    try:
        if path is not None:
            with open(path) as f:
                data = json.load(f)
        else:
            command = catalogue_command()
            if command is None:
                return ("plot: cannot find the metric catalogue: run `clustersim plot DIR`, or pass "
                        "--catalogue FILE (from `clustersim metrics --json > FILE`), or put "
                        "clustersim on PATH")
            data = json.loads(subprocess.run(command, check=True, capture_output=True,
                                             text=True).stdout)
    except (OSError, ValueError, subprocess.CalledProcessError) as e:
        return f"plot: cannot read the metric catalogue: {e}"
    CATALOGUE = {m["path"]: m for m in data["metrics"]}
    return None


def catalogue_entry(path):
    """The catalogue entry of a concrete summary.json path (list elements by name), or None."""
    pattern = re.sub(r"\[name=[^\]]*\]", "[name=*]", path)
    if pattern in CATALOGUE:
        return CATALOGUE[pattern]
    stem = pattern.rsplit(".", 1)[0]
    return CATALOGUE.get(stem + ".*") if "." in pattern else None


def describe(name):
    """(title, y-axis label) of a metric named by its summary.json path (compare.csv and sweep
    columns are those paths)."""
    entry = catalogue_entry(name)
    if entry is not None:
        element = re.search(r"\[name=([^\]]*)\]", name)
        title = entry["title"] + (f" ({element.group(1)})" if element else "")
        return title, entry["axis_label"]
    words = name.replace(".", " ").replace("_", " ")
    return words[:1].upper() + words[1:], f"{name} (not in the metric catalogue)"


def time_axis(span_s):
    """(divisor, unit name) of a time axis spanning span_s seconds: tick values stay below ~120."""
    if span_s <= 120:
        return 1, "s"
    if span_s <= 120 * 60:
        return 60, "min"
    if span_s <= 72 * 3600:
        return 3600, "h"
    return 86400, "days"


def skipped(what, why):
    print(f"plot: skipped {what}: {why}", file=sys.stderr)


STYLES = [("-", "o"), ("--", "s"), (":", "^"), ("-.", "D"), ((0, (5, 1, 1, 1)), "v")]


def style(i):
    """Line style and marker of the i-th line, so that lines drawn over each other stay apart."""
    ls, marker = STYLES[i % len(STYLES)]
    return {"linestyle": ls, "marker": marker, "color": f"C{i % 10}"}


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def replace_atomically(path, write):
    """Writes through `path`.tmp and renames it into place: `path` is never seen half-written."""
    write(path + ".tmp")
    os.replace(path + ".tmp", path)


def save(fig, out_dir, name, figures):
    if fig.get_layout_engine() is None:
        fig.tight_layout()
    for ext in ("png", "svg"):
        replace_atomically(os.path.join(out_dir, f"{name}.{ext}"),
                           lambda tmp: fig.savefig(tmp, dpi=110, format=ext, bbox_inches="tight"))
    plt.close(fig)
    figures.append(name)


def num(s):
    try:
        return float(s)
    except (TypeError, ValueError):
        return None


def plot_cdfs(out_dir, figures, name, groups, title, xlabel, linthresh):
    """A CDF per group; the figure is skipped when there is no value, or every value is zero
    (nothing to tell apart)."""
    if not any(groups.values()):
        skipped(name, f"no task has one ({title})")
        return
    if not any(v for values in groups.values() for v in values):
        skipped(name, f"every value is 0 ({title})")
        return
    fig, ax = plt.subplots(figsize=(7, 4.2))
    for i, key in enumerate(sorted(groups)):
        values = sorted(groups[key])
        n = len(values)
        ax.step(values, [(j + 1) / n for j in range(n)], where="post", label=f"{key} (n={n})",
                markevery=max(1, n // 8), markersize=4, **style(i))
    ax.set_xscale("symlog", linthresh=linthresh)
    ax.set_xlim(left=0)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("share of tasks at or below (0-1)")
    ax.set_title(title)
    ax.grid(True, alpha=0.3)
    ax.legend(loc="best")
    save(fig, out_dir, name, figures)


def plot_task_cdfs(out_dir, figures, tasks):
    starts = {}
    for t in tasks:
        launch, running = num(t.get("launch_s")), num(t.get("running_s"))
        if launch is not None and running is not None:
            key = f"{t['os']} / {t.get('isolation') or '?'}"
            starts.setdefault(key, []).append(running - launch)
    plot_cdfs(out_dir, figures, "start_latency_cdf", starts, "Start latency by OS and isolation",
              "start latency: launch to RUNNING (seconds; log scale above 1 s)", 1)
    delays = {}
    for t in tasks:
        q = num(t.get("queue_delay_s"))
        if q is not None:
            delays.setdefault(t["os"], []).append(q)
    plot_cdfs(out_dir, figures, "queue_delay_cdf", delays, "Queue delay by OS",
              "queue delay: submit to first launch (seconds; log scale above 0.1 s)", 0.1)


def legend_outside(ax, **kwargs):
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), borderaxespad=0, **kwargs)


def plot_utilization(out_dir, figures, ts, t, unit):
    fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(8, 6), sharex=True)
    for i, os_name in enumerate(("linux", "windows")):
        total = [float(r[f"{os_name}_cpus_total"]) for r in ts]
        alloc = [float(r[f"{os_name}_cpus_alloc"]) for r in ts]
        if max(total, default=0) > 0:
            ax1.plot(t, [a / tot if tot else 0 for a, tot in zip(alloc, total)], label=os_name,
                     markevery=max(1, len(t) // 10), markersize=4, **style(i))
    ax1.set_ylabel("CPUs allocated / total (0-1)")
    ax1.set_title("CPU utilization and tasks over time")
    ax1.grid(True, alpha=0.3)
    legend_outside(ax1)
    for i, (col, label) in enumerate((("pending_tasks", "pending"),
                                      ("active_tasks", "launched, not ended"))):
        ax2.plot(t, [int(r[col]) for r in ts], label=label, markevery=max(1, len(t) // 10),
                 markersize=4, **style(i))
    ax2.set_xlabel(f"simulated time ({unit})")
    ax2.set_ylabel("tasks")
    ax2.grid(True, alpha=0.3)
    legend_outside(ax2)
    save(fig, out_dir, "utilization_pending", figures)


def plot_shares(out_dir, figures, ts, t, unit):
    """Dominant share per role. The timeseries counts offered resources as the role's (they are
    its until it answers), which makes spikes to 1.0 while an offer is outstanding; at samples with
    no outstanding offer the share is what the role's tasks hold, so those are the solid lines."""
    shares = [k for k in (ts[0].keys() if ts else []) if k.startswith("share_")]
    if not shares:
        return
    if not any(float(r[k]) for r in ts for k in shares):
        skipped("dominant_shares", "every role's share is 0")
        return
    quiet = [i for i, r in enumerate(ts) if int(r.get("outstanding_offers") or 0) == 0]
    fig, ax = plt.subplots(figsize=(8, 4.2))
    offers_seen = len(quiet) < len(ts)
    for i, k in enumerate(shares):
        s = style(i)
        role = k[len("share_"):]
        if offers_seen:
            ax.plot(t, [float(r[k]) for r in ts], color=s["color"], linewidth=0.7, alpha=0.35,
                    linestyle=":", label=f"{role}, incl. offered")
        ax.plot([t[j] for j in quiet], [float(ts[j][k]) for j in quiet], label=f"{role}, allocated",
                markevery=max(1, len(quiet) // 10), markersize=4, **s)
    ax.set_xlabel(f"simulated time ({unit})")
    ax.set_ylabel("dominant share (0-1)")
    if offers_seen:
        ax.set_title(f"Dominant share per role\nsolid: allocated, at the {len(quiet)} of {len(ts)} "
                     "samples without outstanding offers; dotted: including offered", fontsize=10)
    else:
        ax.set_title("Dominant share per role (allocated; no offer outstanding at any sample)",
                     fontsize=10)
    ax.grid(True, alpha=0.3)
    legend_outside(ax)
    save(fig, out_dir, "dominant_shares", figures)


def binned(points, edges):
    """(bin centres, means, maxima) of (time, value) points in the bins [edges[i], edges[i+1]);
    bins without points are left out."""
    sums, counts, peaks = {}, {}, {}
    width = edges[1] - edges[0]
    for at, value in points:
        i = min(int((at - edges[0]) // width), len(edges) - 2)
        if i < 0:
            continue
        sums[i] = sums.get(i, 0.0) + value
        counts[i] = counts.get(i, 0) + 1
        peaks[i] = max(peaks.get(i, value), value)
    keys = sorted(sums)
    return ([(edges[i] + edges[i + 1]) / 2 for i in keys], [sums[i] / counts[i] for i in keys],
            [peaks[i] for i in keys])


def plot_os_timeline(out_dir, figures, ts, tasks, divisor, unit):
    """Per OS over the run: the CPU capacity registered (its drops are hosts away: faults,
    maintenance), and the queue delay and start latency of the tasks submitted / launched in each
    of 60 time bins (mean solid, worst dotted): where a patch day's or an outage's cost shows."""
    if "submit_s" not in tasks[0]:
        # Needs tasks.csv (a file without submission times is not a clustersim run's).
        skipped("os_timeline", "tasks.csv has no submit_s column")
        return
    seconds = [float(r["time_s"]) for r in ts]
    start, end = min(seconds), max(seconds)
    if end <= start:
        skipped("os_timeline", "timeseries.csv spans no time")
        return
    edges = [start + (end - start) * i / 60 for i in range(61)]
    fig, axes = plt.subplots(3, 1, figsize=(8, 8), sharex=True)
    oses = [o for o in ("linux", "windows") if max(float(r[f"{o}_cpus_total"]) for r in ts) > 0]
    for i, os_name in enumerate(oses):
        s = style(i)
        total = [float(r[f"{os_name}_cpus_total"]) for r in ts]
        most = max(total)
        axes[0].plot([x / divisor for x in seconds], [v / most for v in total], label=os_name,
                     color=s["color"], linestyle=s["linestyle"])
        delays, starts = [], []
        for t in tasks:
            if t.get("os") != os_name:
                continue
            submit, delay = num(t.get("submit_s")), num(t.get("queue_delay_s"))
            if submit is not None and delay is not None:
                delays.append((submit, delay))
            launch, running = num(t.get("launch_s")), num(t.get("running_s"))
            if launch is not None and running is not None:
                starts.append((launch, running - launch))
        for ax, points in ((axes[1], delays), (axes[2], starts)):
            x, mean, worst = binned(points, edges)
            x = [v / divisor for v in x]
            ax.plot(x, mean, label=f"{os_name}, mean", marker=s["marker"], markersize=3,
                    color=s["color"], linestyle="-")
            ax.plot(x, worst, label=f"{os_name}, worst", color=s["color"], linestyle=":",
                    linewidth=0.9)
    axes[0].set_ylabel("CPUs registered /\nthe OS's most (0-1)")
    axes[0].set_ylim(0, 1.05)
    axes[0].set_title("Per OS over time: capacity, queue delay, start latency")
    axes[1].set_ylabel("queue delay (s),\nby submission")
    axes[2].set_ylabel("start latency (s),\nby launch")
    axes[2].set_xlabel(f"simulated time ({unit}); delays and latencies in {len(edges) - 1} bins")
    for ax in axes:
        ax.grid(True, alpha=0.3)
        legend_outside(ax)
    save(fig, out_dir, "os_timeline", figures)


def load_summary(out_dir):
    """(summary, None), or (None, the error) when summary.json is not a JSON object."""
    path = os.path.join(out_dir, "summary.json")
    try:
        with open(path) as f:
            summary = json.load(f)
    except (OSError, ValueError) as e:
        return None, f"plot: {path}: not a readable summary: {e}"
    if not isinstance(summary, dict):
        return None, f"plot: {path}: not a summary (a JSON object expected)"
    return summary, None


def plot_run(out_dir, figures, summary):
    # Only the files summary.json vouches for: others are an earlier run's.
    tasks_path = report.listed_file(out_dir, summary, "tasks.csv")
    tasks = read_csv(tasks_path) if tasks_path else []
    if tasks:
        plot_task_cdfs(out_dir, figures, tasks)
    else:
        why = "no task in tasks.csv" if tasks_path else "the run wrote no tasks.csv " \
            "(results.tasks_csv: false)"
        skipped("start_latency_cdf, queue_delay_cdf, os_timeline", why)
    ts_path = report.listed_file(out_dir, summary, "timeseries.csv")
    ts = read_csv(ts_path) if ts_path else []
    if not ts:
        skipped("utilization_pending, os_timeline, dominant_shares",  # os_timeline needs both
                "no sample in timeseries.csv" if ts_path else "the run wrote no timeseries.csv")
    else:
        seconds = [float(r["time_s"]) for r in ts]
        divisor, unit = time_axis(max(seconds) - min(seconds))
        t = [s / divisor for s in seconds]
        plot_utilization(out_dir, figures, ts, t, unit)
        if tasks:  # else said above
            plot_os_timeline(out_dir, figures, ts, tasks, divisor, unit)
        plot_shares(out_dir, figures, ts, t, unit)


def mean_ci(values):
    values = [v for v in values if v is not None and not math.isnan(v)]
    n = len(values)
    if n == 0:
        return float("nan"), 0.0
    m = sum(values) / n
    if n < 2:
        return m, 0.0
    sd = math.sqrt(sum((v - m) ** 2 for v in values) / (n - 1))
    t = T95[n - 2] if n - 1 <= 30 else 1.959963985 + 2.4 / (n - 1)  # within 2e-3 beyond 30
    return m, t * sd / math.sqrt(n)


def all_zero(values):
    """True when no value is a non-zero number (NaN and missing count as zero: nothing to draw)."""
    return not any(v and not math.isnan(v) for v in values if v is not None)


def plot_compare(out_dir, figures):
    rows = read_csv(os.path.join(out_dir, "compare.csv"))
    if not rows:
        return
    cells = []
    for r in rows:
        key = (r["allocator"], r["placement"])
        if key not in cells:
            cells.append(key)
    panels, empty = [], []
    metrics = [k for k in rows[0].keys() if k not in ("cell", "allocator", "placement", "seed")]
    for metric in metrics:
        stats = [mean_ci([num(r[metric]) for r in rows if (r["allocator"], r["placement"]) == c])
                 for c in cells]
        if all_zero([s[0] for s in stats]) and all_zero([s[1] for s in stats]):
            empty.append(metric)
            skipped(f"policy_bars panel {metric}", "0 in every cell")
        else:
            panels.append((metric, stats))
    if not panels:
        return
    cols = min(3, len(panels))
    lines = math.ceil(len(panels) / cols)
    fig, axes = plt.subplots(lines, cols, figsize=(4.6 * cols, 3.9 * lines), squeeze=False,
                             layout="constrained")
    labels = [f"{a} / {p}" for a, p in cells]
    for i, (metric, stats) in enumerate(panels):
        ax = axes[i // cols][i % cols]
        ax.bar(range(len(cells)), [s[0] for s in stats], yerr=[s[1] for s in stats], capsize=4,
               color=[f"C{j % 10}" for j in range(len(cells))])
        ax.set_xticks(range(len(cells)))
        # Rotated and anchored at their right end: long names like min-cost-flow never overlap.
        ax.set_xticklabels(labels, fontsize=7, rotation=40, ha="right", rotation_mode="anchor")
        title, ylabel = describe(metric)
        ax.set_title(title, fontsize=10)
        ax.set_ylabel(ylabel, fontsize=8)
        ax.grid(True, axis="y", alpha=0.3)
    for j in range(len(panels), lines * cols):
        axes[j // cols][j % cols].axis("off")
    fig.suptitle("Policies (allocator / placement): mean and 95% interval over seeds")
    if empty:
        fig.text(0.5, 0, "Not shown, 0 in every cell: " + ", ".join(describe(m)[0] for m in empty),
                 ha="center", va="top", fontsize=9)
    save(fig, out_dir, "policy_bars", figures)


def log_scale_if_wide(ax, values):
    """A symmetric-log y axis when the positive values span more than three decades (a wait that
    explodes from 0.03 s to an hour), linear around zero up to the smallest of them."""
    finite = [v for v in values if v is not None and math.isfinite(v)]
    positive = [v for v in finite if v > 0]
    if len(positive) < 2 or max(positive) < 1000 * min(positive):
        return
    ax.set_yscale("symlog", linthresh=min(positive))
    if min(finite) >= 0:
        ax.set_ylim(bottom=0)  # a nonnegative metric: no band below zero


def plot_sweep(out_dir, figures):
    rows = read_csv(os.path.join(out_dir, "summary.csv"))
    if not rows:
        return
    keys = list(rows[0].keys())
    runs_at = keys.index("runs")
    axes_names = keys[1:runs_at]
    # Per metric: <path>.mean, <path>.ci95_half, <path>.n.
    metrics = [k[:-len(".mean")] for k in keys[runs_at + 1:]
               if k.endswith(".mean") and k[:-len(".mean")] + ".ci95_half" in keys]
    x_axis = axes_names[-1] if axes_names else None
    others = [a for a in axes_names if a != x_axis]
    if x_axis is None:  # a sweep with no axes: one cell, plotted as one point
        for r in rows:
            r[""] = "all runs"
        x_axis = ""
    x_values = []
    for r in rows:
        if r[x_axis] not in x_values:
            x_values.append(r[x_axis])
    for metric in metrics:
        if all_zero([num(r[f"{metric}.{col}"]) for r in rows for col in ("mean", "ci95_half")]):
            skipped(f"sweep_{metric}", "0 in every cell")
            continue
        title, ylabel = describe(metric)
        fig, ax = plt.subplots(figsize=(8, 4.2))
        series = {}
        for r in rows:
            label = " / ".join(r[a] for a in others) or title
            series.setdefault(label, {})[r[x_axis]] = (num(r[f"{metric}.mean"]),
                                                       num(r[f"{metric}.ci95_half"]))
        for j, (label, points) in enumerate(series.items()):
            xs = [i for i, x in enumerate(x_values) if x in points]
            means = [points[x_values[i]][0] for i in xs]
            cis = [points[x_values[i]][1] or 0 for i in xs]
            s = style(j)
            # Cells often agree (e.g. allocators on an uncontended cluster): shrinking markers keep
            # the earlier lines' markers visible around the later ones drawn on top.
            ax.plot(xs, means, label=label, markersize=max(3, 9 - 2 * j), **s)
            ax.fill_between(xs, [m - c for m, c in zip(means, cis)], [m + c for m, c in zip(means, cis)],
                            alpha=0.12, color=s["color"])
        log_scale_if_wide(ax, [m for points in series.values() for m, _ in points.values()])
        ax.set_xticks(range(len(x_values)))
        long_ticks = max(len(x) for x in x_values) * len(x_values) > 60
        ax.set_xticklabels(x_values, rotation=30 if long_ticks else 0,
                           ha="right" if long_ticks else "center", rotation_mode="anchor")
        ax.set_xlabel(x_axis)
        ax.set_ylabel(ylabel)
        ax.set_title(f"{title} (mean, 95% interval)")
        ax.grid(True, alpha=0.3)
        if others:
            legend_outside(ax, title=" / ".join(others), fontsize=8)
        save(fig, out_dir, f"sweep_{metric}", figures)


# The per-policy CDF figures (series, OS), in report order: Windows start latency is the picture
# this project exists for.
POLICY_CDFS = [("start_latency_s", "windows", "start latency", 1),
               ("start_latency_s", "linux", "start latency", 1),
               ("queue_delay_s", "windows", "queue delay", 0.1),
               ("queue_delay_s", "linux", "queue delay", 0.1)]
MAX_CDF_PANELS = 4  # sweeps: figures per series for combinations of the axes after the first
FIGURE_TITLES = {}  # figure name -> title, where report.py cannot tell it from the name


def read_cdf_points(path):
    """cdfs.csv as (axis names, {(series, os): {(labels): {seed: [(q, value)]}}})."""
    rows = read_csv(path)
    if not rows:
        return [], {}
    keys = list(rows[0].keys())
    axes = keys[1:keys.index("seed")]
    points = {}
    for r in rows:
        by_cell = points.setdefault((r["series"], r["os"]), {})
        seeds = by_cell.setdefault(tuple(r[a] for a in axes), {})
        seeds.setdefault(r["seed"], []).append((float(r["q"]), float(r["value"])))
    return axes, points


def plot_quantile_lines(out_dir, figures, name, lines, title, xlabel, linthresh):
    """One CDF per line from its seeds' quantile points: the mean over seeds of the value at each
    q (a Vincentized average, which keeps the distributions' shape) and a band from the smallest
    to the largest seed's value."""
    fig, ax = plt.subplots(figsize=(7, 4.2))
    for i, (label, seeds) in enumerate(lines):
        curves = [sorted(p) for p in seeds.values()]
        qs = [q for q, _ in curves[0]]
        at = [[c[j][1] for c in curves] for j in range(len(qs))]
        mean = [sum(v) / len(v) for v in at]
        s = style(i)
        ax.plot(mean, qs, label=f"{label} ({len(curves)} seeds)", markevery=max(1, len(qs) // 8),
                markersize=max(3, 7 - i), **s)
        if len(curves) > 1:
            ax.fill_betweenx(qs, [min(v) for v in at], [max(v) for v in at], color=s["color"],
                             alpha=0.12, linewidth=0)
    ax.set_xscale("symlog", linthresh=linthresh)
    ax.set_xlim(left=0)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("share of tasks at or below (0-1)")
    ax.set_title(title, fontsize=10)
    ax.grid(True, alpha=0.3)
    ax.legend(loc="lower right", fontsize=8)
    save(fig, out_dir, name, figures)


def plot_policy_cdfs(out_dir, figures, kind):
    """From cdfs.csv (compare and sweep folders): per series and OS, one CDF per policy — for a
    compare each allocator / placement cell, for a sweep each value of the first axis, one figure
    per combination of the other axes' values (the first MAX_CDF_PANELS)."""
    path = os.path.join(out_dir, "cdfs.csv")
    if not os.path.exists(path):
        skipped("policy CDFs", "no cdfs.csv (compare and sweep write it since issue 13)")
        return
    axes, points = read_cdf_points(path)
    for series, os_name, what, linthresh in POLICY_CDFS:
        by_cell = points.get((series, os_name), {})
        values = [v for seeds in by_cell.values() for p in seeds.values() for _, v in p]
        name = f"cdf_{series}_{os_name}"
        if not any(values):
            skipped(name, f"no {os_name} task or every value is 0")
            continue
        groups = {}
        for labels, seeds in by_cell.items():
            key = labels[1:] if kind == "sweep" else ()
            label = labels[0] if kind == "sweep" else " / ".join(labels)
            groups.setdefault(key, []).append((label, seeds))
        xlabel = f"{what} (seconds; log scale above {linthresh:g} s)"
        for k, (rest, lines) in enumerate(groups.items()):
            if k == MAX_CDF_PANELS:
                skipped(f"{name}_{k}..", f"only the first {MAX_CDF_PANELS} combinations of "
                        f"{', '.join(axes[1:])} are drawn")
                break
            title = f"{os_name.capitalize()} {what} per " + (
                f"{axes[0]}" if kind == "sweep" else "allocator / placement")
            if rest:
                title += "\n" + ", ".join(f"{a} = {v}" for a, v in zip(axes[1:], rest))
            figure = name + (f"_{k}" if rest else "")
            FIGURE_TITLES[figure] = title.replace("\n", ": ")
            plot_quantile_lines(out_dir, figures, figure, lines, title, xlabel, linthresh)


def main():
    args = sys.argv[1:]
    catalogue = None
    if len(args) == 3 and args[0] == "--catalogue":
        catalogue, args = args[1], args[2:]
    if args in (["-h"], ["--help"]):
        print(__doc__)
        return 0
    if len(args) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    out_dir = args[0]
    error = load_catalogue(catalogue)
    if error:
        print(error, file=sys.stderr)
        return 2
    if not os.path.isdir(out_dir):
        print(f"plot: {out_dir}: not a folder", file=sys.stderr)
        return 2
    try:
        return plot_folder(out_dir)
    except (ValueError, KeyError, TypeError, AttributeError, IndexError, OSError) as e:
        # A damaged or hand-edited folder: say which, do not dump a traceback.
        print(f"plot: {out_dir}: cannot plot this folder ({type(e).__name__}: {e}); "
              "is it a clustersim run, compare or sweep output, whole?", file=sys.stderr)
        return 2


# Names of the figures plot_folder draws: exact names, and prefixes of the per-metric ones.
FIGURE_NAMES = {"start_latency_cdf", "queue_delay_cdf", "utilization_pending", "os_timeline",
                "dominant_shares", "policy_bars"}
FIGURE_PREFIXES = ("sweep_", "cdf_")


def remove_stale_figures(out_dir, figures):
    """Removes the figures an earlier plot of this folder drew and this one did not (data that
    changed, a later run in the same folder): the folder then shows only what is true now."""
    drawn = set(figures)
    for entry in sorted(os.listdir(out_dir)):
        stem, ext = os.path.splitext(entry)
        if ext not in (".png", ".svg") or stem in drawn:
            continue
        if stem in FIGURE_NAMES or stem.startswith(FIGURE_PREFIXES):
            os.remove(os.path.join(out_dir, entry))


def plot_folder(out_dir):
    figures = []
    kind = None
    if os.path.exists(os.path.join(out_dir, "compare.csv")):
        kind = "compare"
        plot_compare(out_dir, figures)
        plot_policy_cdfs(out_dir, figures, kind)
    elif os.path.exists(os.path.join(out_dir, "summary.csv")):
        kind = "sweep"
        plot_sweep(out_dir, figures)
        plot_policy_cdfs(out_dir, figures, kind)
    elif os.path.exists(os.path.join(out_dir, "summary.json")):
        kind = "run"
        summary, error = load_summary(out_dir)
        if error:
            print(error, file=sys.stderr)
            return 2
        plot_run(out_dir, figures, summary)
    else:
        print(f"plot: {out_dir}: no summary.json, compare.csv or summary.csv", file=sys.stderr)
        return 2
    # What the report takes from here: titles and units, the interval, metric and figure names.
    api = types.SimpleNamespace(describe=describe, mean_ci=mean_ci,
                                catalogue_entry=catalogue_entry, FIGURE_TITLES=FIGURE_TITLES)
    text = report.render(out_dir, kind, figures, api)

    def write_report(tmp):
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
    replace_atomically(os.path.join(out_dir, "report.html"), write_report)
    remove_stale_figures(out_dir, figures)
    for name in figures:
        print(os.path.join(out_dir, f"{name}.png"))
    print(os.path.join(out_dir, "report.html"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
