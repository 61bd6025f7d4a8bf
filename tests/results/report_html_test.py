#!/usr/bin/python3
"""Acceptance test of report.html (issue 13, acceptance 1), run by ctest as ReportHtmlTest:

    /usr/bin/python3 tests/results/report_html_test.py BUILD/clustersim

Makes a small run, a compare (2 policies x 2 seeds) and a sweep (2 x 2 cells x 2 seeds) of
scenarios/windows-cold-start.yaml (placements first-fit and image-locality) with the real
binary, runs `clustersim plot` on each, opens each report.html in headless Chromium at 1280 px
and checks from the DOM: no horizontal overflow, the comparison is a <table> with a highlighted
best cell, every <img> loaded with a non-zero size and inlined, no raw JSON block, no 17-digit
floats. Full-page screenshots go to
the test folder (kept with CLUSTERSIM_KEEP_TEST_DIRS=1, path printed).

CLUSTERSIM_SCREENSHOTS=docs/screenshots also writes the README's screenshots there
(report-run.png, report-compare.png, report-sweep.png: the first 1280 x 1000 px, 256 colours).

Needs Debian's chromium, chromium-driver and python3-selenium (`./dev test` installs them); a
missing one fails the test, it does not skip.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
SCENARIO = os.path.join(ROOT, "scenarios", "windows-cold-start.yaml")
# 20 simulated minutes: past the first Windows cold starts (4-6 min), so the Windows start
# latency CDFs have both the cold pulls and the cached starts.
DURATION = "duration=20m"
WIDTH, HEIGHT = 1280, 1000

SWEEP = f"""name: report-test
base: {SCENARIO}
set:
  - {DURATION}
seeds: 2
axes:
  - name: placement
    paths:
      - frameworks[0].placement
      - frameworks[1].placement
    values: [[first-fit, first-fit], [image-locality, image-locality]]
  - name: windows_agents
    paths:
      - cluster.groups[1].count
      - cluster.groups[2].count
    values: [[5, 5], [10, 10]]
"""

# Run in the page: what the report shows, measured by the browser.
DOM_FACTS = """
const imgs = [...document.images].map(i => ({src: i.src.slice(0, 30), complete: i.complete,
    width: i.naturalWidth, height: i.naturalHeight, alt: i.alt}));
const jsonBlocks = [];
for (const el of document.body.querySelectorAll('*')) {
  const t = el.textContent.trim();
  if (t.length > 1 && (t[0] === '{' || t[0] === '[')) {
    try {
      const v = JSON.parse(t);
      if (v !== null && typeof v === 'object') jsonBlocks.push(t.slice(0, 80));
    } catch (e) {}
  }
}
const tables = [...document.querySelectorAll('table')].map(t => ({
    header: [...t.querySelectorAll('thead th')].map(th => th.textContent),
    rows: t.querySelectorAll('tbody tr').length,
    best: t.querySelectorAll('td.best').length}));
return {scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
        height: document.documentElement.scrollHeight, imgs: imgs, jsonBlocks: jsonBlocks,
        pres: document.querySelectorAll('pre').length, tables: tables,
        text: document.body.innerText,
        external: [...document.querySelectorAll('[src],[href],link,script')]
            .map(e => e.getAttribute('src') || e.getAttribute('href') || e.tagName)
            .filter(s => !s.startsWith('data:'))};
"""


def run(cmd, cwd=None):
    t = time.monotonic()
    r = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd)
    if r.returncode != 0:
        sys.exit(f"FAIL: {' '.join(cmd)} exited {r.returncode}\n{r.stderr[-3000:]}")
    print(f"  {time.monotonic() - t:5.1f}s  {' '.join(os.path.basename(c) for c in cmd[:2])} ...")
    return r


def make_outputs(binary, tmp):
    common = ["--set", DURATION]
    run([binary, "run", SCENARIO, "--out", f"{tmp}/run", "--quiet", *common])
    run([binary, "compare", SCENARIO, "--placements", "first-fit,image-locality", "--seeds", "2",
         "--jobs", "2",
         "--out", f"{tmp}/compare", "--quiet", *common])
    with open(f"{tmp}/sweep.yaml", "w") as f:
        f.write(SWEEP)
    run([binary, "sweep", f"{tmp}/sweep.yaml", "--jobs", "2", "--out", f"{tmp}/sweep", "--quiet"])
    for kind in ("run", "compare", "sweep"):
        run([binary, "plot", kind], cwd=tmp)  # the reports name the folder as given: "run"


def browser():
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError as e:
        sys.exit(f"FAIL: selenium is missing ({e}): apt-get install python3-selenium "
                 "chromium chromium-driver (./dev test does)")
    for path in ("/usr/bin/chromium", "/usr/bin/chromedriver"):
        if not os.path.exists(path):
            sys.exit(f"FAIL: {path} is missing: apt-get install chromium chromium-driver "
                     "(./dev test does)")
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    # As root Chromium needs --no-sandbox; /dev/shm is small in containers.
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--hide-scrollbars", f"--window-size={WIDTH},{HEIGHT}",
                "--force-device-scale-factor=1", "--disable-extensions"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(60)
    driver.set_script_timeout(30)
    return driver


def viewport(driver, height):
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": WIDTH, "height": height, "deviceScaleFactor": 1,
                            "mobile": False})


def screenshots(driver, kind, facts, tmp):
    """Full page into the test folder; with CLUSTERSIM_SCREENSHOTS, the first WIDTH x HEIGHT px
    as a 256-colour PNG (small enough to commit) into that folder."""
    viewport(driver, min(facts["height"], 16000))
    driver.save_screenshot(f"{tmp}/report-{kind}-full.png")
    viewport(driver, HEIGHT)
    docs = os.environ.get("CLUSTERSIM_SCREENSHOTS")
    if docs:
        from PIL import Image
        os.makedirs(docs, exist_ok=True)
        raw = f"{tmp}/report-{kind}-top.png"
        driver.save_screenshot(raw)
        img = Image.open(raw).convert("RGB").quantize(colors=256, method=Image.MEDIANCUT)
        img.save(os.path.join(docs, f"report-{kind}.png"), optimize=True)


def check(kind, facts):
    """The acceptance checks; returns the failures."""
    bad = []
    if facts["innerWidth"] != WIDTH:
        bad.append(f"viewport is {facts['innerWidth']} px wide, not {WIDTH}")
    if facts["scrollWidth"] > WIDTH:
        bad.append(f"horizontal overflow: page is {facts['scrollWidth']} px wide at {WIDTH} px")
    imgs = facts["imgs"]
    if len(imgs) < 3:
        bad.append(f"only {len(imgs)} figures")
    for i in imgs:
        if not i["complete"] or i["width"] <= 0 or i["height"] <= 0:
            bad.append(f"image not loaded or empty: {i['alt']} ({i['width']}x{i['height']})")
    if facts["external"]:
        bad.append(f"not self-contained, refers to {facts['external'][:5]}")
    if facts["jsonBlocks"] or facts["pres"]:
        bad.append(f"raw JSON / <pre> blocks: {facts['jsonBlocks'][:3]} ({facts['pres']} <pre>)")
    long_floats = re.findall(r"\d\.\d{6,}", facts["text"])
    if long_floats:
        bad.append(f"unformatted numbers: {long_floats[:5]}")
    if kind == "run":
        texts = " ".join(" ".join(t["header"]) for t in facts["tables"])
        for word in ("submitted", "unschedulable", "p99 (s)", "framework"):
            if word not in texts:
                bad.append(f"no table with a '{word}' column")
        if "windows / hyperv isolation" not in facts["text"]:
            bad.append("no per-isolation latency row (windows / hyperv)")
    else:
        first = "allocator · placement" if kind == "compare" else "placement · windows_agents"
        table = next((t for t in facts["tables"] if t["header"] and t["header"][0] == first), None)
        want_rows = 2 if kind == "compare" else 4
        if table is None:
            bad.append(f"no comparison <table> with a '{first}' column: {facts['tables']}")
        elif table["rows"] != want_rows or table["best"] == 0:
            bad.append(f"comparison table has {table['rows']} rows (want {want_rows}) and "
                       f"{table['best']} highlighted cells")
        if not any(i["alt"].startswith("Windows start latency per") for i in imgs):
            bad.append("no Windows start latency CDF per policy")
    return bad


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    binary = os.path.abspath(sys.argv[1])
    tmp = tempfile.mkdtemp(prefix="clustersim-report-")
    started = time.monotonic()
    failures = []
    try:
        make_outputs(binary, tmp)
        driver = browser()
        try:
            for kind in ("run", "compare", "sweep"):
                viewport(driver, HEIGHT)
                driver.get(f"file://{tmp}/{kind}/report.html")
                facts = driver.execute_script(DOM_FACTS)
                screenshots(driver, kind, facts, tmp)
                bad = check(kind, facts)
                print(f"  {kind}: {len(facts['imgs'])} figures, {len(facts['tables'])} tables, "
                      f"{facts['scrollWidth']} x {facts['height']} px"
                      + ("" if not bad else "\n    FAIL " + "\n    FAIL ".join(bad)))
                failures += [f"{kind}: {b}" for b in bad]
        finally:
            driver.quit()
    finally:
        if os.environ.get("CLUSTERSIM_KEEP_TEST_DIRS") == "1":
            print(f"  kept {tmp} (screenshots report-*-full.png)")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"report_html_test: {len(failures)} failures, {time.monotonic() - started:.0f}s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
