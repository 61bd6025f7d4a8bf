"""report.html of a clustersim output folder (run, compare or sweep): one self-contained page a
person can show in a meeting. Imported by plot.py, which draws the figures first.

Run: scenario, seed and run facts; tables of tasks (with reasons), queue delay and start latency
per OS and per isolation, per framework; the figures in a grid with captions. Compare and sweep:
the comparison table (mean ± 95% half-width and n per cell, the best cell of each metric
highlighted, headline metrics first) and the figures, the overlaid CDFs per policy first.

Everything is inlined (figures as data: URIs, CSS in the page): no network, nothing external.
"""
import base64
import csv
import html
import json
import math
import os

# The metrics compare.md and a sweep's summary.md show first (apps/run_metrics.cc DefaultMetrics,
# `headline`), by summary.json path: the table puts them first.
# The experiment's headline metrics (cells.json `headline`, from the C++ plan), set by render().
HEADLINE = []

def better(path):
    """"lower", "higher" or "neither": which way the metric at `path` is better, from the metric
    catalogue's "better" field (`clustersim metrics`)."""
    entry = PLOT.catalogue_entry(path)
    return entry["better"] if entry else "neither"


def metric_path(column):
    """The summary.json path of a metric as compare.csv, runs.csv and summary.csv name it: the
    column is the path (the metric catalogue's naming)."""
    return column


def sweep_stat_columns(header):
    """[(metric, mean column, ci95 half-width column, n column)] of a sweep's summary.csv."""
    runs = "runs" if "runs" in header else None
    found = []
    for col in header:
        if col.endswith(".mean") and col[: -len(".mean")] + ".ci95_half" in header:
            metric = col[: -len(".mean")]
            found.append((metric, col, metric + ".ci95_half",
                          metric + ".n" if metric + ".n" in header else runs))
    return found


# From plot.py, which calls render(): describe (title, axis label), mean_ci, metric tables.
PLOT = None

# ---------------------------------------------------------------------------------------------
# Numbers for people


def is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def fmt_num(v, digits=3):
    """`v` with `digits` significant digits and thousands separators; integers whole; "–" when
    missing (None, NaN, JSON null for an empty statistic)."""
    if not is_number(v):
        return "–"
    if v == int(v) and abs(v) < 1e15:
        return f"{int(v):,}"
    a = abs(v)
    if a >= 10 ** digits:
        return f"{round(v):,}"
    if a < 1e-4:
        return f"{v:.{digits - 1}e}"
    decimals = digits - 1 - math.floor(math.log10(a))
    return f"{v:,.{max(0, decimals)}f}"


def fmt_mean_ci(mean, half, n):
    """"mean ± half-width": the half-width to 2 significant digits and the mean to the same digit;
    "(n=1)" for a single run; "n/a" without values."""
    if not n or not is_number(mean):
        return "n/a"
    if n < 2 or not is_number(half):
        return f"{fmt_num(mean)} <span class='n'>(n=1)</span>"
    if half == 0:
        return f"{fmt_num(mean)} ± 0"
    decimals = 1 - math.floor(math.log10(abs(half)))
    if decimals <= 0:
        m, h = round(mean, decimals), round(half, decimals)
        return f"{int(m):,} ± {int(h):,}"
    return f"{mean:,.{decimals}f} ± {half:,.{decimals}f}"


def fmt_seconds(s):
    """A duration in the unit a person would say it in."""
    if not is_number(s):
        return "–"
    for unit, size in (("days", 86400), ("h", 3600), ("min", 60)):
        if s >= 2 * size:
            return f"{fmt_num(s / size)} {unit}"
    return f"{fmt_num(s)} s"


def fmt_bytes(b):
    for unit, size in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if b >= size:
            return f"{fmt_num(b / size)} {unit}"
    return f"{fmt_num(b)} B"


# ---------------------------------------------------------------------------------------------
# HTML pieces

CSS = """
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
       margin: 0; color: #1d2430; background: #f6f7f9; line-height: 1.4; }
main { max-width: 1200px; margin: 0 auto; padding: 24px 24px 48px; }
h1 { font-size: 1.7em; margin: 0 0 4px; }
h2 { font-size: 1.2em; margin: 28px 0 8px; border-bottom: 2px solid #dde1e7; padding-bottom: 4px; }
.sub { color: #5a6372; margin: 0 0 16px; }
.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 8px;
         background: #fff; border: 1px solid #dde1e7; border-radius: 8px; padding: 12px 16px; }
.facts div { min-width: 0; }
.facts dt { font-size: 0.78em; color: #5a6372; text-transform: uppercase; letter-spacing: .03em; }
.facts dd { margin: 0; font-size: 1.05em; font-weight: 600; overflow-wrap: anywhere; }
.scroll { max-width: 100%; overflow-x: auto; background: #fff; border: 1px solid #dde1e7;
          border-radius: 8px; margin: 8px 0; }
table { border-collapse: collapse; font-size: 0.92em; width: 100%; }
th, td { padding: 6px 10px; border-bottom: 1px solid #eceff3; text-align: left;
         vertical-align: top; }
th { background: #f0f2f5; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tbody tr:nth-child(even) td { background: #fafbfc; }
td.best { background: #d9f2df !important; font-weight: 700; }
th .unit, .n { font-weight: 400; color: #5a6372; font-size: 0.85em; }
th .dir { font-weight: 400; color: #2e7d32; font-size: 0.85em; white-space: nowrap; }
.sticky { position: sticky; left: 0; z-index: 1; background: #fff; }
th.sticky { background: #f0f2f5; }
.note { color: #5a6372; font-size: 0.88em; margin: 4px 0 12px; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 16px; }
figure { margin: 0; background: #fff; border: 1px solid #dde1e7; border-radius: 8px; padding: 10px;
         min-width: 0; }
figure img { display: block; max-width: 100%; height: auto; margin: 0 auto; }
figcaption { font-size: 0.9em; color: #333b48; margin-top: 6px; }
figcaption b { display: block; }
.wide { grid-column: 1 / -1; }
@media (max-width: 700px) { .grid { grid-template-columns: 1fr; } }
"""


def esc(s):
    return html.escape(str(s))


def facts_box(items):
    """A box of (label, value) facts; values already formatted."""
    cells = "".join(f"<div><dt>{esc(k)}</dt><dd>{esc(v)}</dd></div>" for k, v in items
                    if v not in (None, ""))
    return f"<dl class='facts'>{cells}</dl>"


def table(header, rows, numeric=None, classes=None, note=None, raw=False):
    """An HTML table in a scrolling box. `numeric[i]` right-aligns column i; `classes[r][i]`
    adds a class to a cell; with `raw`, cells are HTML already (else escaped)."""
    numeric = numeric or [False] * len(header)
    out = ["<div class='scroll'><table><thead><tr>"]
    for i, h in enumerate(header):
        cls = ["num"] if numeric[i] else []
        if i == 0:
            cls.append("sticky")
        out.append(f"<th class='{' '.join(cls)}'>{h if raw else esc(h)}</th>")
    out.append("</tr></thead><tbody>")
    for r, row in enumerate(rows):
        out.append("<tr>")
        for i, cell in enumerate(row):
            cls = ["num"] if numeric[i] else []
            if i == 0:
                cls.append("sticky")
            if classes and classes[r][i]:
                cls.append(classes[r][i])
            out.append(f"<td class='{' '.join(cls)}'>{cell if raw else esc(cell)}</td>")
        out.append("</tr>")
    out.append("</tbody></table></div>")
    if note:
        out.append(f"<p class='note'>{note}</p>")
    return "".join(out)


def image_uri(out_dir, name):
    """The figure as a data: URI: its SVG when small, else its PNG (a CDF over many tasks makes a
    large SVG)."""
    svg, png = (os.path.join(out_dir, f"{name}.{ext}") for ext in ("svg", "png"))
    if os.path.exists(svg) and os.path.getsize(svg) <= 400_000:
        path, mime = svg, "image/svg+xml"
    else:
        path, mime = png, "image/png"
    with open(path, "rb") as f:
        return f"data:{mime};base64,{base64.b64encode(f.read()).decode('ascii')}"


def figure_grid(out_dir, figures, captions):
    if not figures:
        return "<p class='note'>No figures: every series was empty or zero (see plot's stderr).</p>"
    out = ["<div class='grid'>"]
    for name in figures:
        title, text = captions(name)
        wide = " class='wide'" if name == "policy_bars" else ""
        out.append(f"<figure{wide} id='fig-{esc(name)}'><img src='{image_uri(out_dir, name)}' "
                   f"alt='{esc(title)}'>"
                   f"<figcaption><b>{esc(title)}</b>{esc(text)}</figcaption></figure>")
    out.append("</div>")
    return "".join(out)


def page(title, subtitle, body):
    return ("<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{esc(title)}</title><style>{CSS}</style></head><body><main>"
            f"<h1>{esc(title)}</h1><p class='sub'>{esc(subtitle)}</p>{body}</main></body></html>\n")


# ---------------------------------------------------------------------------------------------
# Figure captions

RUN_CAPTIONS = {
    "start_latency_cdf": ("Start latency by OS and isolation",
                          "Share of task starts (launch to RUNNING, image pull included) that took "
                          "at most x seconds; a curve further left starts tasks sooner."),
    "queue_delay_cdf": ("Queue delay by OS",
                        "Share of tasks that waited at most x seconds from submission to their "
                        "first launch."),
    "utilization_pending": ("CPU utilization and tasks over time",
                            "Allocated share of each OS's CPUs (top) and tasks pending and "
                            "launched (bottom), over simulated time."),
    "os_timeline": ("Capacity, queue delay and start latency per OS over time",
                    "Per OS: the CPUs registered as a share of the most it had (drops are hosts "
                    "away: faults, maintenance), then the queue delay of the tasks submitted and "
                    "the start latency of those launched in each time bin (mean solid, worst "
                    "dotted)."),
    "dominant_shares": ("Dominant share per role",
                        "Each role's dominant share of the cluster over time: the fairness the "
                        "allocator keeps."),
    "policy_bars": ("Policies side by side",
                    "Each metric's mean over seeds per allocator / placement cell, with its 95% "
                    "interval."),
}

CDF_SERIES = {
    "start_latency_s": ("start latency", "launch to RUNNING, image pull included"),
    "queue_delay_s": ("queue delay", "submission to first launch"),
}


def captions_for():
    def captions(name):
        if name in RUN_CAPTIONS:
            return RUN_CAPTIONS[name]
        if name.startswith("cdf_"):
            title, text = cdf_caption(name)
            # A sweep's figure per combination of the other axes says which in its title.
            return PLOT.FIGURE_TITLES.get(name, title), text
        if name.startswith("sweep_"):
            title = PLOT.describe(name[len("sweep_"):])[0]
            return (f"{title} across the sweep",
                    "Mean over seeds per value of the last axis, one line per value of the other "
                    "axes, with 95% interval bands.")
        return name, ""
    return captions


def cdf_caption(name):
    # cdf_<series>_<os>[_<n>]: see plot.py plot_policy_cdfs.
    for series, (what, span) in CDF_SERIES.items():
        if name.startswith(f"cdf_{series}_"):
            os_name = name[len(f"cdf_{series}_"):].split("_")[0]
            return (f"{os_name.capitalize()} {what} per policy",
                    f"Share of {os_name.capitalize()} tasks whose {what} ({span}) was at most x: "
                    "the quantiles averaged over seeds, the band spanning the seeds; further left "
                    "is better.")
    return name, ""


# ---------------------------------------------------------------------------------------------
# Run report


def stat(obj, key):
    """obj[key] when obj is a statistics object (None for JSON null or a missing one)."""
    return obj.get(key) if isinstance(obj, dict) else None


STAT_KEYS = ["count", "mean", "p50", "p95", "p99", "max"]


def stat_row(label, s):
    return [label] + [fmt_num(stat(s, k)) for k in STAT_KEYS]


def nearest_rank(sorted_values, q):
    n = len(sorted_values)
    return sorted_values[max(1, math.ceil(q * n)) - 1]


def stats_of(values):
    """count, mean and nearest-rank quantiles of `values`, as summary.json writes them."""
    if not values:
        return None
    v = sorted(values)
    return {"count": len(v), "mean": sum(v) / len(v), "p50": nearest_rank(v, 0.5),
            "p95": nearest_rank(v, 0.95), "p99": nearest_rank(v, 0.99), "max": v[-1]}


def task_number(row, key):
    try:
        return float(row[key])
    except (KeyError, TypeError, ValueError):
        return None


def per_isolation(tasks):
    """{(os, isolation): (queue delays, start latencies)} from tasks.csv rows: summary.json has
    them per OS only. Start latency is launch to RUNNING (running_s - launch_s), as summary.json's
    start_latency_s counts it (image pull included)."""
    groups = {}
    for t in tasks:
        key = (t.get("os") or "?", t.get("isolation") or "none")
        delays, starts = groups.setdefault(key, ([], []))
        q = task_number(t, "queue_delay_s")
        if q is not None:
            delays.append(q)
        launch, running = task_number(t, "launch_s"), task_number(t, "running_s")
        if launch is not None and running is not None:
            starts.append(running - launch)
    return groups


def latency_section(summary, tasks):
    header = ["", "count", "mean (s)", "p50 (s)", "p95 (s)", "p99 (s)", "max (s)"]
    numeric = [False] + [True] * 6
    groups = per_isolation(tasks)
    parts = []
    for key, what in (("queue_delay_s", "Queue delay: submission to first launch"),
                      ("start_latency_s", "Start latency: launch to RUNNING, image pull included")):
        s = summary.get(key)
        rows = [stat_row("all tasks", s)]
        for os_name, os_stats in (stat(s, "by_os") or {}).items():
            rows.append(stat_row(os_name, os_stats))
        index = 0 if key == "queue_delay_s" else 1
        for (os_name, isolation), series in sorted(groups.items()):
            if series[index]:
                rows.append(stat_row(f"{os_name} / {isolation} isolation",
                                     stats_of(series[index])))
        method = stat(s, "quantile_method")
        note = (f"Nearest-rank quantiles ({esc(method)})" if method else "") + (
            "; per isolation from tasks.csv (the tasks' last attempt)" if groups else "")
        parts.append(f"<h3>{esc(what)}</h3>" + table(header, rows, numeric, note=note or None))
    return "".join(parts)


def tasks_section(summary):
    t = summary.get("tasks") or {}
    keys = [("submitted", "submitted"), ("finished", "finished"), ("failed", "failed"),
            ("lost", "lost"), ("killed", "killed"), ("unschedulable", "unschedulable"),
            ("pending_at_warmup", "pending at warmup"), ("running_at_warmup", "running at warmup"),
            ("pending_at_end", "pending at end"), ("running_at_end", "running at end"),
            ("retried_attempts", "retried attempts")]
    present = [(k, label) for k, label in keys if k in t]
    out = table([label for _, label in present], [[fmt_num(t[k]) for k, _ in present]],
                [True] * len(present))
    reasons = [[state, reason, fmt_num(count)]
               for state, by in (t.get("by_reason") or {}).items()
               for reason, count in (by or {}).items()]
    if reasons:
        out += "<h3>Why tasks ended badly</h3>" + table(
            ["state", "reason", "tasks"], reasons, [False, False, True],
            note="Reasons are explained in results/README.md, \"Reasons\".")
    return out


def framework_section(summary):
    frameworks = summary.get("frameworks") or []
    if not frameworks:
        return ""
    # Columns: plain values as they are; a latency block (`*_s`) as its mean and p99; any other
    # object (`offers`, and in it `by_agent_os`) as one column per key, nested keys flattened:
    # "offers received", "offers by agent os linux received" ...
    scalars, stats = [], []

    def flat_keys(path, v):
        if not isinstance(v, dict):
            return [path]
        return [key for sub, inner in v.items() for key in flat_keys(path + (sub,), inner)]

    for fw in frameworks:
        for k, v in fw.items():
            if k == "name":
                continue
            if k.endswith("_s") and (isinstance(v, dict) or v is None):
                target, keys = stats, [k]
            elif isinstance(v, dict):
                target, keys = scalars, flat_keys((k,), v)
            else:
                target, keys = scalars, [k]
            target += [key for key in keys if key not in target]

    def value(fw, key):
        if isinstance(key, str):
            return fw.get(key)
        for part in key:
            fw = fw.get(part) if isinstance(fw, dict) else None
        return fw

    header = ["framework"] + [(k if isinstance(k, str) else " ".join(k)).replace("_", " ")
                              for k in scalars]
    for k in stats:
        header += [f"{k.replace('_s', '').replace('_', ' ')} mean (s)",
                   f"{k.replace('_s', '').replace('_', ' ')} p99 (s)"]
    rows = []
    for fw in frameworks:
        row = [fw.get("name", "?")]
        row += [value(fw, k) if isinstance(value(fw, k), str) else fmt_num(value(fw, k))
                for k in scalars]
        for k in stats:
            row += [fmt_num(stat(fw.get(k), "mean")), fmt_num(stat(fw.get(k), "p99"))]
        rows.append(row)
    numeric = [False] + [not isinstance(value(frameworks[0], k), str) for k in scalars] + \
        [True] * (2 * len(stats))
    return table(header, rows, numeric)


def cluster_section(summary):
    rows = []
    util = summary.get("utilization") or {}
    for k in ("cpus", "mem"):
        if k in util:
            rows.append([f"utilization, {k} (allocated / total, time-averaged)", fmt_num(util[k])])
    if "fairness_jain" in summary:
        rows.append(["fairness between roles (Jain, 1 = equal)", fmt_num(summary["fairness_jain"])])
    for k, v in (summary.get("offers") or {}).items():
        rows.append([f"offers: {k.replace('_', ' ')}", fmt_num(v)])
    for k, v in (summary.get("master_cost") or {}).items():
        rows.append([f"simulated master: {k.replace('_', ' ')}", fmt_num(v)])
    jc = summary.get("job_completion_s")
    if stat(jc, "count"):
        rows.append(["job completion, mean (s)", fmt_num(stat(jc, "mean"))])
    return table(["", "value"], rows, [False, True]) if rows else ""


def trace_section(summary):
    trace = summary.get("trace")
    if not isinstance(trace, dict):
        return ""
    rows = []

    def walk(prefix, obj):
        for k, v in obj.items():
            if isinstance(v, dict):
                walk(f"{prefix}{k}.", v)
            elif not isinstance(v, list):
                rows.append([prefix + k, v if isinstance(v, str) else fmt_num(v)])
    walk("", trace)
    return "<h2>Trace</h2>" + table(["", "value"], rows, [False, True]) if rows else ""


def listed_file(out_dir, summary, name):
    """The path of a run's file NAME if summary.json's `files` vouches for it (listed, same size):
    a file it does not list, or of another size, is an earlier or killed run's (results/README.md)."""
    size = (summary.get("files") or {}).get(name)
    path = os.path.join(out_dir, name)
    if size is None or not os.path.isfile(path) or os.path.getsize(path) != size:
        return None
    return path


def run_report(out_dir, figures, captions):
    with open(os.path.join(out_dir, "summary.json")) as f:
        summary = json.load(f)
    tasks_path = listed_file(out_dir, summary, "tasks.csv")
    tasks = []
    if tasks_path:
        with open(tasks_path, newline="") as f:
            tasks = list(csv.DictReader(f))
    run = summary.get("run") or {}
    files = summary.get("files") or {}
    facts = [("scenario", summary.get("scenario")), ("seed", fmt_num(summary.get("seed"))),
             ("simulated time", fmt_seconds(summary.get("sim_seconds"))),
             # Figures from summary.json leave the warmup out; those read from tasks.csv do not.
             ("warmup left out", fmt_seconds(summary.get("warmup_s"))
              if summary.get("warmup_s") else None),
             ("events", fmt_num(summary.get("events"))),
             ("tasks submitted", fmt_num((summary.get("tasks") or {}).get("submitted"))),
             ("wall time", fmt_seconds(run.get("wall_seconds"))),
             ("events per wall second", fmt_num(run.get("events_per_second"))),
             ("version", run.get("version")),
             ("interrupted", "yes: partial results" if run.get("interrupted") else None),
             ("stopped by an error", f"{run['error']}: partial results" if run.get("error")
              else None),
             ("files", ", ".join(f"{k} ({fmt_bytes(v)})" for k, v in files.items()))]
    body = [facts_box(facts),
            "<h2>Tasks</h2>", tasks_section(summary),
            "<h2>Queue delay and start latency</h2>", latency_section(summary, tasks),
            "<h2>Frameworks</h2>", framework_section(summary),
            "<h2>Cluster and offers</h2>", cluster_section(summary),
            trace_section(summary),
            "<h2>Figures</h2>", figure_grid(out_dir, figures, captions)]
    title = f"clustersim run: {summary.get('scenario', os.path.basename(out_dir))}"
    subtitle = f"seed {summary.get('seed')} · {out_dir}"
    return page(title, subtitle, "".join(body))


# ---------------------------------------------------------------------------------------------
# Comparison table (compare and sweep)


def order_metrics(metrics, path_of):
    """Headline metrics first, in HEADLINE's order, then the others in file order."""
    rank = {p: i for i, p in enumerate(HEADLINE)}
    return sorted(metrics, key=lambda m: (rank.get(path_of(m), len(HEADLINE)), metrics.index(m)))


def comparison_table(label_header, cells, metrics):
    """cells: [(labels, {metric: (mean, half, n)})]. Best mean per metric column highlighted."""
    metrics = order_metrics(metrics, metric_path)
    header = [esc(" · ".join(label_header))]
    for m in metrics:
        path = metric_path(m)
        title, unit = PLOT.describe(m)
        way = better(path)
        arrow = {"lower": "↓ lower is better", "higher": "↑ higher is better"}.get(way, "")
        header.append(f"{esc(title)}<br><span class='unit'>{esc(unit)}</span>"
                      + (f"<br><span class='dir'>{arrow}</span>" if arrow else ""))
    rows, classes = [], []
    for labels, _ in cells:
        rows.append([esc(" · ".join(labels))])
        classes.append([None])
    for m in metrics:
        way = better(metric_path(m))
        # Compared as shown (3 significant digits): cells that print the same tie, and a column
        # where all of them do has nothing to highlight.
        means = [shown(stats.get(m, (None, None, 0))[0]) for _, stats in cells]
        valid = [v for v in means if v is not None]
        best = None
        if way != "neither" and valid and min(valid) != max(valid):
            best = min(valid) if way == "lower" else max(valid)
        for r, (_, stats) in enumerate(cells):
            mean, half, n = stats.get(m, (None, None, 0))
            rows[r].append(fmt_mean_ci(mean, half, n))
            classes[r].append("best" if best is not None and means[r] == best else None)
    numeric = [False] + [True] * len(metrics)
    note = ("Mean ± half-width of the 95% Student-t interval over seeds; (n=1): one run, no "
            "interval. Highlighted: the best mean of each metric (arrows say which way is "
            "better). Headline metrics come first; scroll sideways for the rest.")
    return table(header, rows, numeric, classes, note=note, raw=True)


def shown(v):
    """`v` rounded to 3 significant digits, or None when missing."""
    if not is_number(v):
        return None
    return float(f"{v:.3g}")


def read_rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def num(s):
    try:
        v = float(s)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def compare_report(out_dir, figures, captions):
    rows = read_rows(os.path.join(out_dir, "compare.csv"))
    fixed = ("cell", "allocator", "placement", "seed")
    metrics = [k for k in (rows[0].keys() if rows else []) if k not in fixed]
    cells = {}
    for r in rows:
        cells.setdefault((r["allocator"], r["placement"]), []).append(r)
    table_cells = []
    for labels, runs in cells.items():
        stats = {}
        for m in metrics:
            values = [v for v in (num(r[m]) for r in runs) if v is not None]
            mean, half = PLOT.mean_ci(values)
            stats[m] = (mean if values else None, half, len(values))
        table_cells.append((labels, stats))
    seeds = sorted({r["seed"] for r in rows}, key=int)
    facts = [("policies (allocator · placement)", fmt_num(len(cells))),
             ("seeds", f"{len(seeds)} ({', '.join(seeds)})" if seeds else "0"),
             ("runs", fmt_num(len(rows))), ("metrics", fmt_num(len(metrics)))]
    facts += plan_facts(out_dir)
    body = [facts_box(facts), "<h2>Policies compared</h2>",
            comparison_table(["allocator", "placement"], table_cells, metrics),
            "<h2>Figures</h2>", figure_grid(out_dir, cdf_first(figures), captions)]
    title = f"clustersim compare: {experiment_name(out_dir)}"
    return page(title, out_dir, "".join(body))


def sweep_report(out_dir, figures, captions):
    rows = read_rows(os.path.join(out_dir, "summary.csv"))
    header = list(rows[0].keys()) if rows else []
    columns = sweep_stat_columns(header)
    last_axis = header.index("runs") if "runs" in header else 1
    axes = header[1:last_axis]
    table_cells = []
    for r in rows:
        stats = {}
        for metric, mean_col, ci_col, n_col in columns:
            n = num(r.get(n_col)) if n_col else None
            stats[metric] = (num(r.get(mean_col)), num(r.get(ci_col)), int(n or 0))
        table_cells.append(([r[a] for a in axes], stats))
    facts = [("cells", fmt_num(len(rows))), ("axes", ", ".join(axes)),
             ("metrics", fmt_num(len(columns)))]
    facts += plan_facts(out_dir)
    body = [facts_box(facts), "<h2>Cells compared</h2>",
            comparison_table(axes, table_cells, [c[0] for c in columns]),
            "<h2>Figures</h2>", figure_grid(out_dir, cdf_first(figures), captions)]
    title = f"clustersim sweep: {experiment_name(out_dir)}"
    return page(title, out_dir, "".join(body))


def cdf_first(figures):
    """The per-policy CDFs first (Windows start latency leads): the pictures the project is for."""
    return [f for f in figures if f.startswith("cdf_")] + [f for f in figures
                                                           if not f.startswith("cdf_")]


def plan_facts(out_dir):
    """Seeds and scenario name from cells.json, when the experiment wrote it."""
    path = os.path.join(out_dir, "cells.json")
    if not os.path.exists(path):
        return []
    with open(path) as f:
        cells = json.load(f)
    seeds = cells.get("seeds") or {}
    facts = []
    if "count" in seeds:
        facts.append(("seeds per cell", f"{seeds['count']} from {seeds.get('first', '?')}"))
    return facts


def headline_metrics(out_dir):
    """The metrics compare.md/summary.md lead with, as cells.json lists them ([] without it)."""
    path = os.path.join(out_dir, "cells.json")
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return json.load(f).get("headline", [])


def experiment_name(out_dir):
    path = os.path.join(out_dir, "cells.json")
    if os.path.exists(path):
        with open(path) as f:
            name = json.load(f).get("name")
        if name:
            return name
    return os.path.basename(os.path.abspath(out_dir))


# ---------------------------------------------------------------------------------------------


def render(out_dir, kind, figures, plot):
    """The report.html text of `out_dir` (a `kind` folder: run, compare or sweep) whose figures
    plot.py has drawn, named in `figures`; `plot` holds plot.py's describe, mean_ci,
    catalogue_entry (the metric catalogue) and FIGURE_TITLES."""
    global PLOT, HEADLINE
    PLOT = plot
    HEADLINE = headline_metrics(out_dir)
    captions = captions_for()
    if kind == "run":
        return run_report(out_dir, figures, captions)
    if kind == "compare":
        return compare_report(out_dir, figures, captions)
    return sweep_report(out_dir, figures, captions)
