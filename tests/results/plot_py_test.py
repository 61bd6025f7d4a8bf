#!/usr/bin/python3
"""Unit tests of results/plot.py: time-axis units, metric titles from the catalogue, and which
all-zero figures and panels are left out (and named on stderr). Run by ctest as PlotPyTest:

    CLUSTERSIM_BINARY=build/clustersim /usr/bin/python3 tests/results/plot_py_test.py

The titles and units come from `$CLUSTERSIM_BINARY metrics --json`, the one metric catalogue.
"""
import contextlib
import csv
import importlib.util
import io
import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location(
    "plot", os.path.join(HERE, "..", "..", "results", "plot.py"))
plot = importlib.util.module_from_spec(spec)
spec.loader.exec_module(plot)


BINARY = os.environ.get("CLUSTERSIM_BINARY",
                        os.path.join(HERE, "..", "..", "build", "clustersim"))
CATALOGUE_DIR = tempfile.TemporaryDirectory()
CATALOGUE = os.path.join(CATALOGUE_DIR.name, "catalogue.json")


def setUpModule():
    with open(CATALOGUE, "w") as f:
        f.write(subprocess.run([BINARY, "metrics", "--json"], check=True, capture_output=True,
                               text=True).stdout)
    assert plot.load_catalogue(CATALOGUE) is None


def read(path):
    with open(path) as f:
        return f.read()


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


def write_csv(path, header, rows):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def vouch(out_dir, extra=None):
    """A summary.json whose `files` lists the folder's CSVs with their sizes, as a run writes."""
    files = {n: os.path.getsize(os.path.join(out_dir, n))
             for n in sorted(os.listdir(out_dir)) if n.endswith(".csv")}
    write(os.path.join(out_dir, "summary.json"), json.dumps(dict(extra or {}, files=files)))


def run_plot(out_dir):
    """plot.main() on out_dir: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    argv = sys.argv
    sys.argv = ["plot.py", "--catalogue", CATALOGUE, out_dir]
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = plot.main()
    finally:
        sys.argv = argv
    return code, out.getvalue(), err.getvalue()


TS_HEADER = ["time_s", "linux_cpus_alloc", "linux_cpus_total", "linux_mem_alloc",
             "linux_mem_total", "windows_cpus_alloc", "windows_cpus_total", "windows_mem_alloc",
             "windows_mem_total", "pending_tasks", "active_tasks", "outstanding_offers",
             "share_batch"]
TASK_HEADER = ["task_id", "os", "isolation", "launch_s", "running_s", "queue_delay_s"]


class TimeAxisTest(unittest.TestCase):
    def test_unit_follows_span(self):
        self.assertEqual(plot.time_axis(90), (1, "s"))
        self.assertEqual(plot.time_axis(120), (1, "s"))
        self.assertEqual(plot.time_axis(3600), (60, "min"))       # the default scenario's hour
        self.assertEqual(plot.time_axis(7200), (60, "min"))
        self.assertEqual(plot.time_axis(7201), (3600, "h"))
        self.assertEqual(plot.time_axis(86400), (3600, "h"))
        self.assertEqual(plot.time_axis(34560000), (86400, "days"))  # the KTH SP2 replay: 400 days


class BinnedTest(unittest.TestCase):
    def test_means_and_maxima_per_bin_and_empty_bins_left_out(self):
        # Bins [0,10) [10,20) [20,30]: the last one takes the end itself; nothing in [10, 20).
        x, mean, worst = plot.binned([(1, 2.0), (9, 4.0), (25, 1.0), (30, 5.0), (-1, 9.0)],
                                     [0, 10, 20, 30])
        self.assertEqual(x, [5, 25])
        self.assertEqual(mean, [3.0, 3.0])
        self.assertEqual(worst, [4.0, 5.0])


class DescribeTest(unittest.TestCase):
    def test_titles_and_units_come_from_the_catalogue(self):
        self.assertEqual(plot.describe("start_latency_s.by_os.windows.p99"),
                         ("Windows start latency, p99", "seconds"))
        self.assertEqual(plot.describe("utilization.cpus"),
                         ("CPU utilization", "fraction of total (0-1)"))
        self.assertEqual(plot.describe("master_cost.busy_fraction"),
                         ("Simulated master: busy fraction", "fraction of total (0-1)"))

    def test_list_elements_and_reason_keys_match_their_patterns(self):
        self.assertEqual(plot.describe("frameworks[name=web.v2].tasks_finished"),
                         ("Tasks finished (web.v2)", "tasks"))
        self.assertEqual(plot.describe("tasks.by_reason.failed.pull_timeout"),
                         ("Tasks failed by reason", "tasks"))

    def test_every_catalogue_entry_has_a_title_and_an_axis_label(self):
        with open(CATALOGUE) as f:
            entries = json.load(f)["metrics"]
        self.assertGreater(len(entries), 50)
        for e in entries:
            if e["kind"] == "metric":
                self.assertTrue(e["title"] and e["axis_label"], e["path"])

    def test_unknown_metric_says_it_is_not_in_the_catalogue(self):
        self.assertEqual(plot.describe("swf.wait_s.mean"),
                         ("Swf wait s mean", "swf.wait_s.mean (not in the metric catalogue)"))

    def test_an_unreadable_catalogue_is_a_clear_error(self):
        saved = dict(plot.CATALOGUE)
        try:
            self.assertIn("cannot read the metric catalogue",
                          plot.load_catalogue(os.path.join(CATALOGUE_DIR.name, "missing.json")))
        finally:
            plot.CATALOGUE = saved


class SkipTest(unittest.TestCase):
    def test_run_with_zero_queue_delays_skips_that_cdf_only(self):
        with tempfile.TemporaryDirectory() as d:
            write(os.path.join(d, "summary.json"), "{}")
            write_csv(os.path.join(d, "tasks.csv"), TASK_HEADER,
                      [[i, "linux", "docker", 10, 10 + i, 0] for i in range(1, 20)])
            write_csv(os.path.join(d, "timeseries.csv"), TS_HEADER,
                      [[t, 1, 10, 1, 10, 0, 0, 0, 0, 0, 1, 0, 0.1] for t in range(0, 600, 10)])
            vouch(d)
            code, out, err = run_plot(d)
            self.assertEqual(code, 0, err)
            # (This tasks.csv has no submit_s, which the OS timeline needs: named too.)
            self.assertEqual(
                err.strip().splitlines(),
                ["plot: skipped queue_delay_cdf: every value is 0 (Queue delay by OS)",
                 "plot: skipped os_timeline: tasks.csv has no submit_s column"])
            self.assertFalse(os.path.exists(os.path.join(d, "queue_delay_cdf.png")))
            self.assertTrue(os.path.exists(os.path.join(d, "start_latency_cdf.png")))
            self.assertNotIn("queue_delay_cdf", read(os.path.join(d, "report.html")))

    def test_a_run_without_tasks_csv_names_the_figures_it_leaves_out_and_drops_old_ones(self):
        with tempfile.TemporaryDirectory() as d:
            write(os.path.join(d, "summary.json"), "{}")
            write_csv(os.path.join(d, "timeseries.csv"), TS_HEADER,
                      [[t, 1, 10, 1, 10, 0, 0, 0, 0, 0, 1, 0, 0.1] for t in range(0, 600, 10)])
            vouch(d)
            # An earlier plot's figures, of a run that had tasks; and a file plot never writes.
            for name in ("start_latency_cdf.png", "start_latency_cdf.svg", "os_timeline.png",
                         "sweep_tasks.finished.png", "my_notes.png"):
                write(os.path.join(d, name), "old")
            code, out, err = run_plot(d)
            self.assertEqual(code, 0, err)
            self.assertIn("plot: skipped start_latency_cdf, queue_delay_cdf, os_timeline: the run "
                          "wrote no tasks.csv (results.tasks_csv: false)", err)
            left = sorted(f for f in os.listdir(d) if f.endswith((".png", ".svg")))
            self.assertEqual(left, ["dominant_shares.png", "dominant_shares.svg", "my_notes.png",
                                    "utilization_pending.png", "utilization_pending.svg"])

    def test_compare_names_zero_panels_and_keeps_the_others(self):
        with tempfile.TemporaryDirectory() as d:
            rows = [[f"{a}/{p}", a, p, seed, 100 + seed, 0, "", 0.5]
                    for a in ("drf", "random") for p in ("first-fit", "min-cost-flow")
                    for seed in (1, 2)]
            write_csv(os.path.join(d, "compare.csv"),
                      ["cell", "allocator", "placement", "seed", "tasks.finished",
                       "queue_delay_s.mean", "start_latency_s.by_os.windows.p99",
                       "utilization.cpus"], rows)
            code, out, err = run_plot(d)
            self.assertEqual(code, 0, err)
            self.assertEqual(err.strip().splitlines(), [
                "plot: skipped policy_bars panel queue_delay_s.mean: 0 in every cell",
                "plot: skipped policy_bars panel start_latency_s.by_os.windows.p99: 0 in every cell",
                "plot: skipped policy CDFs: no cdfs.csv (compare and sweep write it since "
                "issue 13)"])
            self.assertTrue(os.path.exists(os.path.join(d, "policy_bars.png")))

    def test_shares_plot_only_samples_without_outstanding_offers_as_allocated(self):
        with tempfile.TemporaryDirectory() as d:
            write(os.path.join(d, "summary.json"), "{}")
            # Every third sample has an offer out and the share jumps to 1.0 there.
            rows = [[t, 1, 10, 1, 10, 0, 0, 0, 0, 0, 1, 1 if t % 3 == 0 else 0,
                     1.0 if t % 3 == 0 else 0.2] for t in range(60)]
            write_csv(os.path.join(d, "timeseries.csv"), TS_HEADER, rows)
            vouch(d)
            code, out, err = run_plot(d)
            self.assertEqual(code, 0, err)
            svg = read(os.path.join(d, "dominant_shares.svg"))
            self.assertIn("batch, allocated", svg)
            self.assertIn("the 40 of 60 samples without outstanding offers", svg)

    def test_shares_without_any_outstanding_offer_draw_one_line_per_role(self):
        with tempfile.TemporaryDirectory() as d:
            write(os.path.join(d, "summary.json"), "{}")
            rows = [[t, 1, 10, 1, 10, 0, 0, 0, 0, 0, 1, 0, 0.2] for t in range(60)]
            write_csv(os.path.join(d, "timeseries.csv"), TS_HEADER, rows)
            vouch(d)
            code, out, err = run_plot(d)
            self.assertEqual(code, 0, err)
            svg = read(os.path.join(d, "dominant_shares.svg"))
            self.assertIn("no offer outstanding at any sample", svg)
            self.assertNotIn("incl. offered", svg)


class DamagedFolderTest(unittest.TestCase):
    def test_files_the_summary_does_not_list_are_an_earlier_runs(self):
        with tempfile.TemporaryDirectory() as d:
            write_csv(os.path.join(d, "timeseries.csv"), TS_HEADER,
                      [[t, 1, 10, 1, 10, 0, 0, 0, 0, 0, 1, 0, 0.1] for t in range(0, 600, 10)])
            vouch(d)  # this run wrote no tasks.csv
            write_csv(os.path.join(d, "tasks.csv"), TASK_HEADER,
                      [[i, "windows", "hyperv", 10, 10 + i, 5] for i in range(1, 20)])
            code, out, err = run_plot(d)
            self.assertEqual(code, 0, err)
            self.assertFalse(os.path.exists(os.path.join(d, "start_latency_cdf.png")))
            self.assertNotIn("hyperv", read(os.path.join(d, "report.html")))

    def test_a_damaged_summary_is_an_error_not_a_traceback(self):
        for text in ('{"scenario": "base", "tasks": ', "[]"):
            with tempfile.TemporaryDirectory() as d:
                write(os.path.join(d, "summary.json"), text)
                code, out, err = run_plot(d)
                self.assertEqual(code, 2)
                self.assertIn("summary.json", err)
                self.assertNotIn("Traceback", err)

    def test_a_sweep_without_axes_is_plotted_as_one_cell(self):
        with tempfile.TemporaryDirectory() as d:
            write_csv(os.path.join(d, "summary.csv"),
                      ["scenario", "runs", "tasks.finished.mean", "tasks.finished.ci95_half",
                       "tasks.finished.n"], [["base", 2, 100, 5, 2]])
            code, out, err = run_plot(d)
            self.assertEqual(code, 0, err)
            self.assertTrue(os.path.exists(os.path.join(d, "sweep_tasks.finished.png")))


report = plot.report
BEST = "class='num best'"


class ReportTest(unittest.TestCase):
    def test_numbers_for_people(self):
        self.assertEqual(report.fmt_num(1234567.0), "1,234,567")
        self.assertEqual(report.fmt_num(12477.0), "12,477")
        self.assertEqual(report.fmt_num(0.123456), "0.123")
        self.assertEqual(report.fmt_num(12.3456), "12.3")
        self.assertEqual(report.fmt_num(3456.7), "3,457")
        self.assertEqual(report.fmt_num(None), "–")
        self.assertEqual(report.fmt_num(float("nan")), "–")
        self.assertEqual(report.fmt_mean_ci(1094.3, 27.4, 5), "1,094 ± 27")
        self.assertEqual(report.fmt_mean_ci(10943.0, 274.0, 5), "10,940 ± 270")
        self.assertEqual(report.fmt_mean_ci(0.5834, 0.2412, 2), "0.58 ± 0.24")
        self.assertIn("(n=1)", report.fmt_mean_ci(3.0, None, 1))
        self.assertEqual(report.fmt_mean_ci(None, None, 0), "n/a")

    def test_run_report_has_tables_and_survives_null_statistics(self):
        empty = None  # summary.json's null for a statistic without samples
        summary = {
            "scenario": "s", "seed": 3, "sim_seconds": 7200.0, "events": 123456,
            "tasks": {"submitted": 10, "finished": 8, "unschedulable": 2,
                      "by_reason": {"unschedulable": {"too_large": 2}, "failed": {}}},
            "queue_delay_s": {"count": 8, "mean": 1.23456789012345, "p50": 1, "p95": 2, "p99": 2,
                              "max": 2, "by_os": {"linux": {"count": 8, "mean": 1.2},
                                                  "windows": empty}},
            "start_latency_s": empty,
            "frameworks": [{"name": "web", "role": "web", "tasks_finished": 8,
                            "offers": {"received": 4321, "by_agent_os": {
                                "linux": {"received": 4000}, "windows": {"received": 321}}},
                            "queue_delay_s": {"count": 8, "mean": 1.5, "p99": 2.25}},
                           {"name": "idle", "role": "idle", "tasks_finished": 0,
                            "queue_delay_s": empty}],
            "run": {"wall_seconds": 0.5, "version": "0.1.0"}}
        with tempfile.TemporaryDirectory() as d:
            write(os.path.join(d, "summary.json"), json.dumps(summary))
            code, out, err = run_plot(d)
            self.assertEqual(code, 0, err)
            text = read(os.path.join(d, "report.html"))
            for want in ("<table", "too_large", "2 h", "123,456", "1.23", "queue delay p99 (s)",
                         "2.25", "offers received", "offers by agent os windows received",
                         ">4,321<", ">4,000<", ">321<"):
                self.assertIn(want, text)
            self.assertNotIn("<pre", text)
            self.assertNotIn("1.2345678", text)  # no 17-digit floats
            self.assertNotIn('"scenario"', text)  # no raw JSON

    def write_compare(self, d, second_finished):
        rows = [[0, "drf", "first-fit", seed, 100 + seed, 0.5] for seed in (1, 2)]
        rows += [[1, "drf", "image-locality", seed, second_finished + seed, 0.5]
                 for seed in (1, 2)]
        write_csv(os.path.join(d, "compare.csv"),
                  ["cell", "allocator", "placement", "seed", "tasks.finished",
                   "fairness_jain"], rows)

    def test_compare_table_highlights_the_best_cell_and_no_tie(self):
        with tempfile.TemporaryDirectory() as d:
            self.write_compare(d, 200)
            code, out, err = run_plot(d)
            self.assertEqual(code, 0, err)
            text = read(os.path.join(d, "report.html"))
            self.assertEqual(text.count(BEST), 1)  # tasks finished; fairness ties
            self.assertIn(BEST + ">201.5 ± 6.4", text)

    def test_headline_metrics_from_cells_json_lead_the_table(self):
        with tempfile.TemporaryDirectory() as d:
            self.write_compare(d, 200)
            titles = ["Tasks finished", "Fairness between roles"]
            run_plot(d)
            text = read(os.path.join(d, "report.html"))
            self.assertLess(text.index(titles[0]), text.index(titles[1]))  # file order
            write(os.path.join(d, "cells.json"), json.dumps({"headline": ["fairness_jain"]}))
            run_plot(d)
            text = read(os.path.join(d, "report.html"))
            self.assertLess(text.index(titles[1]), text.index(titles[0]))

    def test_cells_that_print_alike_tie(self):
        with tempfile.TemporaryDirectory() as d:
            self.write_compare(d, 100.0001)
            run_plot(d)
            self.assertEqual(read(os.path.join(d, "report.html")).count(BEST), 0)

    def test_policy_cdfs_overlay_the_cells_from_cdfs_csv(self):
        with tempfile.TemporaryDirectory() as d:
            self.write_compare(d, 200)
            rows = [[c, "drf", p, seed, "start_latency_s", "windows", q / 10, (c + 1) * q + seed]
                    for c, p in enumerate(("first-fit", "image-locality")) for seed in (1, 2)
                    for q in range(11)]
            write_csv(os.path.join(d, "cdfs.csv"),
                      ["cell", "allocator", "placement", "seed", "series", "os", "q", "value"],
                      rows)
            code, out, err = run_plot(d)
            self.assertEqual(code, 0, err)
            self.assertTrue(os.path.exists(os.path.join(d, "cdf_start_latency_s_windows.png")))
            self.assertIn("plot: skipped cdf_queue_delay_s_linux", err)
            text = read(os.path.join(d, "report.html"))
            title = "Windows start latency per allocator / placement"
            self.assertTrue(title in text and "src='data:image/" in text)
            self.assertLess(text.index(title),
                            text.index("Policies side by side"))


if __name__ == "__main__":
    unittest.main()
