#!/usr/bin/python3
"""Unit tests of results/plot.py: time-axis units, metric titles, and which all-zero figures and
panels are left out (and named on stderr). Run by ctest as PlotPyTest:

    /usr/bin/python3 tests/results/plot_py_test.py
"""
import contextlib
import csv
import importlib.util
import io
import os
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location(
    "plot", os.path.join(HERE, "..", "..", "results", "plot.py"))
plot = importlib.util.module_from_spec(spec)
spec.loader.exec_module(plot)


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


def run_plot(out_dir):
    """plot.main() on out_dir: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    argv = sys.argv
    sys.argv = ["plot.py", out_dir]
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


class DescribeTest(unittest.TestCase):
    def test_compare_sweep_and_path_names_share_a_title_and_unit(self):
        want = ("Windows start latency, p99", "seconds")
        self.assertEqual(plot.describe("start_p99_windows_s"), want)                 # compare.csv
        self.assertEqual(plot.describe("start_latency_s_by_os_windows_p99"), want)  # sweep
        self.assertEqual(plot.describe("start_latency_s.by_os.windows.p99"), want)  # summary.json
        self.assertEqual(plot.describe("utilization_cpus"),
                         ("CPU utilization", "share of total (0-1)"))

    def test_unknown_metric_gets_words_and_seconds_from_its_suffix(self):
        self.assertEqual(plot.describe("swf.wait_s.mean"), ("Swf wait s mean", "seconds"))
        self.assertEqual(plot.describe("frameworks.web.pending"),
                         ("Frameworks web pending", "frameworks.web.pending (unit not listed)"))
        self.assertEqual(plot.describe("master_cost_busy_fraction"),
                         ("Simulated master: busy fraction", "share of total (0-1)"))


class SkipTest(unittest.TestCase):
    def test_run_with_zero_queue_delays_skips_that_cdf_only(self):
        with tempfile.TemporaryDirectory() as d:
            write(os.path.join(d, "summary.json"), "{}")
            write_csv(os.path.join(d, "tasks.csv"), TASK_HEADER,
                      [[i, "linux", "docker", 10, 10 + i, 0] for i in range(1, 20)])
            write_csv(os.path.join(d, "timeseries.csv"), TS_HEADER,
                      [[t, 1, 10, 1, 10, 0, 0, 0, 0, 0, 1, 0, 0.1] for t in range(0, 600, 10)])
            code, out, err = run_plot(d)
            self.assertEqual(code, 0, err)
            self.assertEqual(
                err.strip().splitlines(),
                ["plot: skipped queue_delay_cdf: every value is 0 (Queue delay by OS)"])
            self.assertFalse(os.path.exists(os.path.join(d, "queue_delay_cdf.png")))
            self.assertTrue(os.path.exists(os.path.join(d, "start_latency_cdf.png")))
            self.assertNotIn("queue_delay_cdf", read(os.path.join(d, "report.html")))

    def test_compare_names_zero_panels_and_keeps_the_others(self):
        with tempfile.TemporaryDirectory() as d:
            rows = [[f"{a}/{p}", a, p, seed, 100 + seed, 0, "", 0.5]
                    for a in ("drf", "random") for p in ("first-fit", "min-cost-flow")
                    for seed in (1, 2)]
            write_csv(os.path.join(d, "compare.csv"),
                      ["cell", "allocator", "placement", "seed", "tasks_finished",
                       "queue_delay_mean_s", "start_p99_windows_s", "utilization_cpus"], rows)
            code, out, err = run_plot(d)
            self.assertEqual(code, 0, err)
            self.assertEqual(err.strip().splitlines(), [
                "plot: skipped policy_bars panel queue_delay_mean_s: 0 in every cell",
                "plot: skipped policy_bars panel start_p99_windows_s: 0 in every cell"])
            self.assertTrue(os.path.exists(os.path.join(d, "policy_bars.png")))

    def test_shares_plot_only_samples_without_outstanding_offers_as_allocated(self):
        with tempfile.TemporaryDirectory() as d:
            write(os.path.join(d, "summary.json"), "{}")
            # Every third sample has an offer out and the share jumps to 1.0 there.
            rows = [[t, 1, 10, 1, 10, 0, 0, 0, 0, 0, 1, 1 if t % 3 == 0 else 0,
                     1.0 if t % 3 == 0 else 0.2] for t in range(60)]
            write_csv(os.path.join(d, "timeseries.csv"), TS_HEADER, rows)
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
            code, out, err = run_plot(d)
            self.assertEqual(code, 0, err)
            svg = read(os.path.join(d, "dominant_shares.svg"))
            self.assertIn("no offer outstanding at any sample", svg)
            self.assertNotIn("incl. offered", svg)


if __name__ == "__main__":
    unittest.main()
