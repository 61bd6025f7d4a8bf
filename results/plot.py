#!/usr/bin/python3
"""Plots a clustersim output folder (run, compare or sweep) as PNG and SVG, plus report.html.

    /usr/bin/python3 results/plot.py OUT_DIR        (or: build/clustersim plot OUT_DIR)

Run folders (summary.json, tasks.csv, timeseries.csv): start-latency CDF per OS and isolation,
queue-delay CDF per OS, allocated cpus and pending tasks over time per OS, dominant share per
role over time. Compare folders (compare.csv): a bar chart per metric with 95% intervals.
Sweep folders (summary.csv): each metric against the first axis, one line per value of the
other axes, with 95% interval bands. Needs Debian's python3-matplotlib.
"""
import csv
import html
import json
import math
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

T95 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179,
       2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064,
       2.060, 2.056, 2.052, 2.048, 2.045, 2.042]


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def replace_atomically(path, write):
    """Writes through `path`.tmp and renames it into place: `path` is never seen half-written."""
    write(path + ".tmp")
    os.replace(path + ".tmp", path)


def save(fig, out_dir, name, figures):
    fig.tight_layout()
    for ext in ("png", "svg"):
        replace_atomically(os.path.join(out_dir, f"{name}.{ext}"),
                           lambda tmp: fig.savefig(tmp, dpi=110, format=ext))
    plt.close(fig)
    figures.append(name)


def cdf(ax, values, label):
    values = sorted(values)
    if not values:
        return
    n = len(values)
    ax.step(values, [(i + 1) / n for i in range(n)], where="post", label=f"{label} (n={n})")


def num(s):
    try:
        return float(s)
    except (TypeError, ValueError):
        return None


def plot_run(out_dir, figures):
    tasks = read_csv(os.path.join(out_dir, "tasks.csv")) if os.path.exists(
        os.path.join(out_dir, "tasks.csv")) else []
    if tasks:
        fig, ax = plt.subplots(figsize=(7, 4.2))
        groups = {}
        for t in tasks:
            start, launch, running = num(t.get("start_s")), num(t.get("launch_s")), num(t.get("running_s"))
            if launch is None or running is None:
                continue
            key = f"{t['os']} / {t.get('isolation') or '?'}"
            groups.setdefault(key, []).append(running - launch)
        for key in sorted(groups):
            cdf(ax, groups[key], key)
        ax.set_xscale("symlog", linthresh=1)
        ax.set_xlabel("start latency: launch -> RUNNING (s)")
        ax.set_ylabel("fraction of tasks")
        ax.set_title("Start latency by OS and isolation")
        ax.grid(True, alpha=0.3)
        ax.legend()
        save(fig, out_dir, "start_latency_cdf", figures)

        fig, ax = plt.subplots(figsize=(7, 4.2))
        by_os = {}
        for t in tasks:
            q = num(t.get("queue_delay_s"))
            if q is not None:
                by_os.setdefault(t["os"], []).append(q)
        for os_name in sorted(by_os):
            cdf(ax, by_os[os_name], os_name)
        ax.set_xscale("symlog", linthresh=0.1)
        ax.set_xlabel("queue delay: submit -> first launch (s)")
        ax.set_ylabel("fraction of tasks")
        ax.set_title("Queue delay by OS")
        ax.grid(True, alpha=0.3)
        ax.legend()
        save(fig, out_dir, "queue_delay_cdf", figures)

    ts_path = os.path.join(out_dir, "timeseries.csv")
    if os.path.exists(ts_path):
        ts = read_csv(ts_path)
        t = [float(r["time_s"]) / 60 for r in ts]
        fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(7, 6), sharex=True)
        for os_name in ("linux", "windows"):
            total = [float(r[f"{os_name}_cpus_total"]) for r in ts]
            alloc = [float(r[f"{os_name}_cpus_alloc"]) for r in ts]
            if max(total, default=0) > 0:
                ax1.plot(t, [a / tot if tot else 0 for a, tot in zip(alloc, total)], label=os_name)
        ax1.set_ylabel("cpus allocated / total")
        ax1.set_title("Utilization over time")
        ax1.grid(True, alpha=0.3)
        ax1.legend()
        ax2.plot(t, [int(r["pending_tasks"]) for r in ts], label="pending")
        ax2.plot(t, [int(r["active_tasks"]) for r in ts], label="launched, not ended")
        ax2.set_xlabel("simulated time (min)")
        ax2.set_ylabel("tasks")
        ax2.grid(True, alpha=0.3)
        ax2.legend()
        save(fig, out_dir, "utilization_pending", figures)

        shares = [k for k in (ts[0].keys() if ts else []) if k.startswith("share_")]
        if shares:
            fig, ax = plt.subplots(figsize=(7, 4.2))
            for k in shares:
                ax.plot(t, [float(r[k]) for r in ts], label=k[len("share_"):])
            ax.set_xlabel("simulated time (min)")
            ax.set_ylabel("dominant share (allocated + offered)")
            ax.set_title("Dominant share per role")
            ax.grid(True, alpha=0.3)
            ax.legend()
            save(fig, out_dir, "dominant_shares", figures)


def mean_ci(values):
    values = [v for v in values if v is not None and not math.isnan(v)]
    n = len(values)
    if n == 0:
        return float("nan"), 0.0
    m = sum(values) / n
    if n < 2:
        return m, 0.0
    sd = math.sqrt(sum((v - m) ** 2 for v in values) / (n - 1))
    t = T95[n - 2] if n - 1 <= 30 else 1.96
    return m, t * sd / math.sqrt(n)


def plot_compare(out_dir, figures):
    rows = read_csv(os.path.join(out_dir, "compare.csv"))
    if not rows:
        return
    metrics = [k for k in rows[0].keys() if k not in ("cell", "allocator", "placement", "seed")]
    cells = []
    for r in rows:
        key = (r["allocator"], r["placement"])
        if key not in cells:
            cells.append(key)
    cols = 3
    lines = math.ceil(len(metrics) / cols)
    fig, axes = plt.subplots(lines, cols, figsize=(4.2 * cols, 3.2 * lines), squeeze=False)
    labels = [f"{a}\n{p}" for a, p in cells]
    for i, metric in enumerate(metrics):
        ax = axes[i // cols][i % cols]
        stats = [mean_ci([num(r[metric]) for r in rows if (r["allocator"], r["placement"]) == c])
                 for c in cells]
        ax.bar(range(len(cells)), [s[0] for s in stats], yerr=[s[1] for s in stats], capsize=4,
               color=[f"C{j % 10}" for j in range(len(cells))])
        ax.set_xticks(range(len(cells)))
        ax.set_xticklabels(labels, fontsize=7)
        ax.set_title(metric, fontsize=9)
        ax.grid(True, axis="y", alpha=0.3)
    for j in range(len(metrics), lines * cols):
        axes[j // cols][j % cols].axis("off")
    fig.suptitle("Policies: mean and 95% interval over seeds")
    save(fig, out_dir, "policy_bars", figures)


def plot_sweep(out_dir, figures):
    rows = read_csv(os.path.join(out_dir, "summary.csv"))
    if not rows:
        return
    keys = list(rows[0].keys())
    runs_at = keys.index("runs")
    axes_names = keys[1:runs_at]
    metrics = [k[:-len("_mean")] for k in keys[runs_at + 1:] if k.endswith("_mean")]
    x_axis = axes_names[-1] if axes_names else None
    others = [a for a in axes_names if a != x_axis]
    x_values = []
    for r in rows:
        if r[x_axis] not in x_values:
            x_values.append(r[x_axis])
    for metric in metrics:
        fig, ax = plt.subplots(figsize=(7, 4.2))
        series = {}
        for r in rows:
            label = " / ".join(r[a] for a in others) or metric
            series.setdefault(label, {})[r[x_axis]] = (num(r[f"{metric}_mean"]), num(r[f"{metric}_ci95"]))
        for j, (label, points) in enumerate(series.items()):
            xs = [i for i, x in enumerate(x_values) if x in points]
            means = [points[x_values[i]][0] for i in xs]
            cis = [points[x_values[i]][1] or 0 for i in xs]
            ax.plot(xs, means, marker="o", label=label, color=f"C{j % 10}")
            ax.fill_between(xs, [m - c for m, c in zip(means, cis)], [m + c for m, c in zip(means, cis)],
                            alpha=0.2, color=f"C{j % 10}")
        ax.set_xticks(range(len(x_values)))
        ax.set_xticklabels(x_values)
        ax.set_xlabel(x_axis)
        ax.set_ylabel(metric)
        ax.set_title(f"{metric} (mean, 95% interval)")
        ax.grid(True, alpha=0.3)
        if others:
            ax.legend(title=" / ".join(others))
        save(fig, out_dir, f"sweep_{metric}", figures)


def table_html(path):
    if not os.path.exists(path):
        return ""
    text = open(path).read()
    return f"<pre>{html.escape(text)}</pre>"


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    out_dir = sys.argv[1]
    if not os.path.isdir(out_dir):
        print(f"plot: {out_dir}: not a folder", file=sys.stderr)
        return 2
    figures = []
    kind = None
    if os.path.exists(os.path.join(out_dir, "compare.csv")):
        kind = "compare"
        plot_compare(out_dir, figures)
    elif os.path.exists(os.path.join(out_dir, "summary.csv")):
        kind = "sweep"
        plot_sweep(out_dir, figures)
    elif os.path.exists(os.path.join(out_dir, "summary.json")):
        kind = "run"
        plot_run(out_dir, figures)
    else:
        print(f"plot: {out_dir}: no summary.json, compare.csv or summary.csv", file=sys.stderr)
        return 2
    parts = [f"<html><head><meta charset='utf-8'><title>clustersim {kind}: {html.escape(out_dir)}</title>"
             "</head><body style='font-family: sans-serif'>",
             f"<h1>clustersim {kind}: {html.escape(os.path.basename(os.path.abspath(out_dir)))}</h1>"]
    if kind == "run":
        summary = json.load(open(os.path.join(out_dir, "summary.json")))
        summary.pop("run", None)
        parts.append(f"<pre>{html.escape(json.dumps(summary, indent=2))}</pre>")
    else:
        parts.append(table_html(os.path.join(out_dir, "compare.md" if kind == "compare" else "summary.md")))
    for name in figures:
        parts.append(f"<div><img src='{name}.svg' alt='{name}' style='max-width: 100%'></div>")
    parts.append("</body></html>")
    def write_report(tmp):
        with open(tmp, "w") as f:
            f.write("\n".join(parts))
    replace_atomically(os.path.join(out_dir, "report.html"), write_report)
    for name in figures:
        print(os.path.join(out_dir, f"{name}.png"))
    print(os.path.join(out_dir, "report.html"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
