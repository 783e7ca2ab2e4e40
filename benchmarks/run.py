"""Benchmark harness for ``threads report`` (issue 7).

``python benchmarks/run.py [--sizes 1000,10000,100000] [--repeat 3] [--quick] [--deep N]``

Measures, in one run, for the corpus article and a synthetic page of each size N (written by
``benchmarks/synth.py``, seed 0): the median wall time of
``python -m threads report SOURCE --out TMP/x.html --quiet``, its peak memory, the HTML's
size, and the HTML's first paint in headless Chromium; plus two baselines measured in the
same run: the *import floor* (importing the report's third-party modules, nothing else) and
the *bare library work* (VADER on every comment, one TF-IDF fit, one k-means fit, timed in a
subprocess excluding imports). Prints one markdown table with the target checks, and writes
it to ``benchmarks/results/latest.md``. See ``benchmarks/README.md`` for the columns.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import synth  # noqa: E402

#: The import floor imports every third-party module a corpus report loads: the list is
#: taken from ``sys.modules`` after a real report run (PROBE_SCRIPT), not written by hand, so
#: it follows the package as its imports change. Its wall time is the time to import them
#: and exit, in a fresh interpreter (FLOOR_SCRIPT).
PROBE_SCRIPT = r"""
import json, sys, sysconfig
from threads.cli import cli
out, args = sys.argv[1], sys.argv[2:]
try:
    cli.main(args, prog_name="threads", standalone_mode=False)
finally:
    roots = {sysconfig.get_paths()[k] for k in ("purelib", "platlib")}
    found = [
        name for name, module in list(sys.modules.items())
        if str(getattr(module, "__file__", None) or "").startswith(tuple(roots))
        and name.split(".")[0] not in ("threads", "_distutils_hack")
    ]
    with open(out, "w", encoding="utf-8") as f:
        json.dump(found, f)
"""
FLOOR_SCRIPT = r"""
import importlib, json, sys
failed = 0
for name in json.load(open(sys.argv[1], encoding="utf-8")):
    try:
        importlib.import_module(name)
    except Exception:
        failed += 1
print(failed)
"""

CORPUS = REPO / "corpus" / "unherd-how-to-escape-north-korea.txt"
RESULTS = HERE / "results" / "latest.md"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIME = "/usr/bin/time"
#: Measured commands may write bytecode caches, as Python does for an installed package (its
#: site-packages were compiled at install time; threads' own modules are compiled once, in
#: the untimed warm-up). Without this, threads alone would be recompiled on every run.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
#: Bare library work: KMeans(n_clusters=8, n_init=10) up to this many comments, beyond it
#: MiniBatchKMeans with the parameters src/threads/topics.py uses for large inputs.
MINIBATCH_FROM = 20_000
KMEANS_K = 8
#: The import floor is cheap and noisy: it is measured at least this many times.
MIN_FLOOR_REPEAT = 5
GIB = 1024**3
MIB = 1024**2

# Targets (issue 7).
CORPUS_FLOOR_RATIO = 1.25
T10K_WALL, T10K_MEM, T10K_PAINT = 15.0, 1 * GIB, 3.0
T100K_WALL, T100K_MEM, T100K_BARE_RATIO = 60.0, 3 * GIB, 1.0
T100K_GROWTH, T100K_SIZE_RATIO = 12.0, 2.0

BARE_SCRIPT = r"""
import json, sys, time
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.cluster import KMeans, MiniBatchKMeans
texts = json.load(open(sys.argv[1], encoding="utf-8"))
minibatch_from, k = int(sys.argv[2]), int(sys.argv[3])
t0 = time.perf_counter()
analyzer = SentimentIntensityAnalyzer()
scores = [analyzer.polarity_scores(t)["compound"] for t in texts]
t1 = time.perf_counter()
matrix = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts)
t2 = time.perf_counter()
k = min(k, matrix.shape[0])
if len(texts) > minibatch_from:
    model = MiniBatchKMeans(n_clusters=k, n_init=3, batch_size=4096, random_state=0)
else:
    model = KMeans(n_clusters=k, n_init=10, random_state=0)
model.fit(matrix)
t3 = time.perf_counter()
print(json.dumps({"vader": t1 - t0, "tfidf": t2 - t1, "kmeans": t3 - t2, "total": t3 - t0}))
"""

PAINT_JS = """() => new Promise(resolve => {
  const pick = () => {
    const entries = performance.getEntriesByType('paint');
    const fcp = entries.find(e => e.name === 'first-contentful-paint');
    const fp = entries.find(e => e.name === 'first-paint');
    const e = fcp || fp;
    if (e) { resolve({name: e.name, ms: e.startTime}); return true; }
    return false;
  };
  if (pick()) return;
  new PerformanceObserver(() => { pick(); }).observe({type: 'paint', buffered: true});
  requestAnimationFrame(() => requestAnimationFrame(() => { pick(); }));
  setTimeout(() => { if (!pick()) resolve(null); }, 10000);
})"""


# -- measuring one command -------------------------------------------------------------


@dataclass
class Run:
    wall: float
    rc: int
    maxrss: int  # bytes: the largest single process of the tree (wait4 ru_maxrss)
    tree_pss: int  # bytes: the largest sampled sum of PSS over the whole process tree
    stdout: str = ""
    stderr: str = ""
    timed_out: bool = False

    @property
    def peak(self) -> int:
        return max(self.maxrss, self.tree_pss)


def _descendants(root: int) -> list[int]:
    parent: dict[int, int] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        # The command name may hold spaces and parentheses: ppid follows the last ')'.
        fields = stat[stat.rfind(b")") + 2 :].split()
        parent[int(name)] = int(fields[1])
    tree, frontier = [root], [root]
    while frontier:
        frontier = [pid for pid, ppid in parent.items() if ppid in frontier]
        tree += frontier
    return tree


def _memory_of(pid: int) -> int:
    """PSS in bytes (shared pages split between the processes sharing them), else RSS."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return 0


class _Sampler(threading.Thread):
    def __init__(self, pid: int, interval: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak = pid, interval, 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                total = sum(_memory_of(p) for p in _descendants(self.pid))
            except Exception:  # noqa: BLE001 - sampling is best effort
                total = 0
            self.peak = max(self.peak, total)
            self.stop.wait(self.interval)


_WRAPPER = (
    "import resource, subprocess, sys\n"
    "rc = subprocess.call(sys.argv[2:])\n"
    "open(sys.argv[1], 'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))\n"
    "sys.exit(rc)\n"
)


def measure(cmd: list[str], cwd: Path, timeout: float) -> Run:
    """Run cmd once in a fresh child; wall time, peak memory, output."""
    with tempfile.NamedTemporaryFile("r", suffix=".rss", delete=False) as rss_file:
        rss_path = rss_file.name
    if os.access(TIME, os.X_OK):
        full = [TIME, "-f", "%M", "-o", rss_path, *cmd]
    else:
        full = [sys.executable, "-c", _WRAPPER, rss_path, *cmd]
    start = time.perf_counter()
    proc = subprocess.Popen(
        full,
        cwd=cwd,
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    sampler = _Sampler(proc.pid)
    sampler.start()
    timed_out = False
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        os.killpg(proc.pid, signal.SIGKILL)  # the session this call started, nothing else
        out, err = proc.communicate()
    wall = time.perf_counter() - start
    sampler.stop.set()
    sampler.join()
    maxrss = 0
    try:
        text = Path(rss_path).read_text().split()
        maxrss = int(text[-1]) * 1024 if text else 0  # both report KiB on Linux
    except (OSError, ValueError):
        pass
    finally:
        Path(rss_path).unlink(missing_ok=True)
    return Run(wall, proc.returncode, maxrss, sampler.peak, out, err, timed_out)


# -- the pieces of the benchmark -----------------------------------------------------------


@dataclass
class Row:
    label: str
    comments: int | None
    source: Path | None
    input_bytes: int | None
    size: int | None = None  # synthetic size N (None for the corpus and the import floor)
    runs: list[Run] = field(default_factory=list)
    html_bytes: int | None = None
    paint_ms: list[float] = field(default_factory=list)
    paint_kind: str | None = None
    load_ms: list[float] = field(default_factory=list)  # the HTML's load event, for the notes
    bare: list[dict[str, float]] = field(default_factory=list)
    comments_json: list[Run] = field(default_factory=list)
    error: str | None = None
    texts: Path | None = None  # the comment texts as JSON, for the bare-work baseline
    modules: int = 0  # import floor: third-party modules imported
    failed_imports: int = 0  # import floor: modules that would not import on their own
    html: Path | None = None

    def ok_runs(self) -> list[Run]:
        return [r for r in self.runs if r.rc == 0 and not r.timed_out]

    @property
    def wall(self) -> float | None:
        ok = self.ok_runs()
        return statistics.median(r.wall for r in ok) if ok else None

    @property
    def peak(self) -> int | None:
        ok = self.ok_runs()
        return max(r.peak for r in ok) if ok else None

    @property
    def paint(self) -> float | None:
        return statistics.median(self.paint_ms) / 1000 if self.paint_ms else None

    @property
    def bare_total(self) -> float | None:
        return statistics.median(b["total"] for b in self.bare) if self.bare else None


def threads_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "threads", *args]


def has_report_command() -> bool:
    probe = subprocess.run(
        threads_cmd("report", "--help"), cwd=REPO, capture_output=True, text=True
    )
    if probe.returncode == 2 and "No such command" in probe.stderr:
        return False
    if probe.returncode != 0:
        print(f"warning: 'threads report --help' exited {probe.returncode}:", file=sys.stderr)
        print(probe.stderr.strip()[-2000:], file=sys.stderr)
    return probe.returncode == 0


def extract_texts(source: Path, out: Path) -> int:
    """Comment texts as the package parses them, written to JSON before any timing."""
    from threads.inputs import load

    texts = [c.text for c in load(source).comments]
    out.write_text(json.dumps(texts), encoding="utf-8")
    return len(texts)


def first_paint(
    browser: Any, html: Path, timeout_s: float
) -> tuple[float | None, str | None, float]:
    """(first-contentful-paint or first-paint in ms, which one, load event end in ms)."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(html.as_uri(), wait_until="load", timeout=timeout_s * 1000)
        result = page.evaluate(PAINT_JS)
        load_ms = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
        if not result:
            return None, None, float(load_ms)
        return float(result["ms"]), str(result["name"]), float(load_ms)
    finally:
        context.close()


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# -- formatting ----------------------------------------------------------------------------


def fmt_s(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    return f"{seconds:.2f} s" if seconds < 10 else f"{seconds:.1f} s"


def fmt_bytes(n: int | None) -> str:
    if n is None:
        return "–"
    if n >= GIB:
        return f"{n / GIB:.2f} GiB"
    if n >= MIB:
        return f"{n / MIB:.1f} MiB"
    return f"{n / 1024:.0f} KiB"


def fmt_ratio(x: float | None) -> str:
    return "–" if x is None else f"{x:.2f}×"


def check(ok: bool | None, text: str) -> str:
    if ok is None:
        return f"{text} n/a"
    return f"{text} {'PASS' if ok else 'FAIL'}"


def machine_info() -> str:
    def sh(cmd: str) -> str:
        try:
            return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout.strip()
        except OSError:
            return "?"

    mem = sh("free -h | awk '/^Mem:/ {print $2}'")
    chromium = sh(f"{CHROMIUM} --version 2>/dev/null") or "not found"
    commit = sh(f"git -C {REPO} rev-parse --short HEAD") or "?"
    dirty = sh(f"git -C {REPO} status --porcelain --untracked-files=no -- src")
    return (
        f"machine: {sh('nproc')} CPUs (nproc), {mem} RAM (free -h), "
        f"Python {platform.python_version()}, {chromium}; threads at {commit}"
        f"{' + uncommitted changes in src/' if dirty else ''}; load average before the run: "
        f"{load_average()}"
    )


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


# -- main ----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="synthetic page sizes")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument("--quick", action="store_true", help="sizes 1000,10000 and repeat 1")
    parser.add_argument(
        "--deep", type=int, default=0, metavar="N", help="also a single reply chain N deep"
    )
    parser.add_argument(
        "--timeout", type=float, default=1800, help="seconds before a run is killed"
    )
    parser.add_argument("--no-browser", action="store_true", help="skip the first-paint test")
    parser.add_argument("--out", type=Path, default=RESULTS, help="markdown results file")
    parser.add_argument(
        "--corpus", type=int, default=0, metavar="COMMENTS",
        help="instead: the corpus benchmark over this many comments (see corpus_bench.py)",
    )  # fmt: skip
    parser.add_argument("--pages", type=int, default=300, help="pages of the --corpus run")
    parser.add_argument(
        "--rounds", type=int, default=2,
        help="rounds of the --corpus run's 1-worker, 2-worker and Dask runs (mean wall); 0: "
        "only 2 workers without and with the top-50 reports",
    )  # fmt: skip
    parser.add_argument(
        "--corpus-dir", type=Path, default=None,
        help="keep the --corpus pages here and reuse them while the generator is unchanged",
    )  # fmt: skip
    parser.add_argument(
        "--lexical", action="store_true",
        help="run the --corpus pages by words (threads corpus --lexical), as the baselines measure",
    )  # fmt: skip
    args = parser.parse_args(argv)
    if args.corpus:
        import corpus_bench

        text = corpus_bench.run(
            args.corpus,
            args.pages,
            corpus_dir=args.corpus_dir,
            rounds=args.rounds,
            lexical=args.lexical,
        )
        print(text)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n", encoding="utf-8")
        return 0
    sizes = [1000, 10000] if args.quick else [int(s) for s in args.sizes.split(",") if s]
    repeat = 1 if args.quick else max(1, args.repeat)

    info = machine_info()
    log(info)
    report_exists = has_report_command()
    if not report_exists:
        log("threads report: no such command yet; measuring baselines and `threads comments`")
    tmp = Path(tempfile.mkdtemp(prefix="threads-bench-"))
    try:
        rows = [Row("corpus article", None, CORPUS, CORPUS.stat().st_size)]
        for n in sizes:
            page = synth.write_page(n, tmp / f"synth-{n}.txt", seed=0)
            rows.append(Row(f"synthetic {n:,}", n, page.path, page.bytes, size=n))
        if args.deep:
            page = synth.write_page(args.deep, tmp / f"deep-{args.deep}.txt", seed=0, deep=True)
            rows.append(Row(f"chain {args.deep:,} deep", args.deep, page.path, page.bytes))

        # Texts for the bare-work baseline, extracted before anything is timed.
        for i, row in enumerate(rows):
            assert row.source is not None
            row.texts = tmp / f"texts-{i}.json"
            row.comments = extract_texts(row.source, row.texts)

        # Which third-party modules a corpus report loads; this run also warms the disk
        # cache and writes threads' bytecode cache, like a first run after installing.
        modules = tmp / "report-modules.json"
        subprocess.run(
            [sys.executable, "-c", PROBE_SCRIPT, str(modules), "report", str(CORPUS),
             "--out", str(tmp / "probe.html"), "--quiet"],
            cwd=REPO, env=ENV, capture_output=True,
        )  # fmt: skip
        floor_cmd = [sys.executable, "-c", FLOOR_SCRIPT, str(modules)]
        floor = Row("import floor", None, None, None)
        if modules.is_file():
            floor.modules = len(json.loads(modules.read_text(encoding="utf-8")))
            subprocess.run(floor_cmd, cwd=REPO, env=ENV, capture_output=True)  # warm-up
        # The corpus report's runs alternate with the floor's (as many of each), so a machine
        # that speeds up or slows down during the benchmark moves both alike: their ratio is
        # a target.
        for _ in range(max(repeat, MIN_FLOOR_REPEAT) if modules.is_file() else 0):
            run = measure(floor_cmd, REPO, args.timeout)
            if run.rc != 0:
                floor.error = run.stderr.strip().splitlines()[-1] if run.stderr.strip() else "?"
            floor.failed_imports = int(run.stdout.strip() or 0) if run.rc == 0 else 0
            floor.runs.append(run)
            if report_exists:
                report_run(rows[0], report_html(tmp, rows[0]), args.timeout)
        if not modules.is_file():
            floor.error = "the probe report run failed"
        log(f"import floor ({floor.modules} modules): {fmt_s(floor.wall)}")

        for row in rows:
            for _ in range(repeat):
                out = subprocess.run(
                    [
                        sys.executable,
                        "-c",
                        BARE_SCRIPT,
                        str(row.texts),
                        str(MINIBATCH_FROM),
                        str(KMEANS_K),
                    ],
                    cwd=REPO,
                    capture_output=True,
                    text=True,
                    timeout=args.timeout,
                )
                if out.returncode == 0:
                    row.bare.append(json.loads(out.stdout.strip().splitlines()[-1]))
                else:
                    log(f"bare work failed for {row.label}: {out.stderr.strip()[-500:]}")
            log(f"{row.label}: bare library work {fmt_s(row.bare_total)}")

            html = report_html(tmp, row)
            if report_exists:
                for _ in range(repeat if not row.runs else 0):  # the corpus has run already
                    if not report_run(row, html, args.timeout):
                        break  # another run would time out too
                if html.is_file():
                    row.html_bytes = html.stat().st_size
                log(
                    f"{row.label}: report {fmt_s(row.wall)}, peak {fmt_bytes(row.peak)}, "
                    f"HTML {fmt_bytes(row.html_bytes)}"
                )
            else:
                for _ in range(repeat):
                    row.comments_json.append(
                        measure(
                            threads_cmd("comments", str(row.source), "--format", "json"),
                            REPO,
                            args.timeout,
                        )
                    )
            row.html = html

        if report_exists and not args.no_browser:
            measure_paint(rows, repeat, args.timeout)

        table = render(rows, floor, report_exists)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    notes = notes_for(rows, floor) + f"\n\nLoad average after the run: {load_average()}."
    text = f"{info}\n\n{table}\n\n{notes}\n"
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    header = f"# Benchmark results ({time.strftime('%Y-%m-%d %H:%M %Z')})\n\n"
    command = "`python benchmarks/run.py " + " ".join(argv if argv is not None else sys.argv[1:])
    args.out.write_text(header + command.rstrip() + "`\n\n" + text, encoding="utf-8")
    log(f"written to {args.out}")
    return 0


def report_html(tmp: Path, row: Row) -> Path:
    """Where a row's report is written (one folder per row)."""
    folder = tmp / f"report-{row.label.replace(' ', '-').replace(',', '')}"
    folder.mkdir(exist_ok=True)
    return folder / "x.html"


def report_run(row: Row, html: Path, timeout: float) -> bool:
    """Time one ``threads report`` of the row's source; False when it timed out."""
    assert row.source is not None
    run = measure(
        threads_cmd("report", str(row.source), "--out", str(html), "--quiet"), REPO, timeout
    )
    row.runs.append(run)
    if run.rc != 0 or run.timed_out:
        row.error = "timeout" if run.timed_out else f"error (exit {run.rc})"
        log(f"{row.label}: {row.error}: {run.stderr.strip()[-1500:]}")
    return not run.timed_out


def measure_paint(rows: list[Row], repeat: int, timeout: float) -> None:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        log("playwright not installed: no first-paint numbers")
        return
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            for row in rows:
                html = row.html
                if html is None or not html.is_file() or not row.ok_runs():
                    continue
                for _ in range(repeat):
                    try:
                        ms, kind, load_ms = first_paint(browser, html, timeout)
                    except Exception as error:  # noqa: BLE001 - report and carry on
                        log(f"{row.label}: first paint failed: {error}")
                        break
                    row.load_ms.append(load_ms)
                    if ms is not None:
                        row.paint_ms.append(ms)
                        row.paint_kind = kind
                log(f"{row.label}: first paint {fmt_s(row.paint)} ({row.paint_kind})")
        finally:
            browser.close()


def render(rows: list[Row], floor: Row, report_exists: bool) -> str:
    na = "n/a (no report command)"
    headers = [
        "input",
        "comments",
        "input size",
        "wall (median)",
        "peak memory",
        "HTML size",
        "HTML ÷ input",
        "first paint",
        "bare library work",
        "wall ÷ import floor",
        "wall ÷ bare work",
        "growth",
        "targets",
    ]
    if not report_exists:
        headers.insert(4, "`comments --format json` wall")
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]

    floor_cells = [
        f"import floor ({floor.modules:,} modules)",
        "–",
        "–",
        fmt_s(floor.wall) if not floor.error else f"error: {floor.error}",
        fmt_bytes(floor.peak),
        "–",
        "–",
        "–",
        "–",
        "1.00×",
        "–",
        "–",
        "–",
    ]
    if not report_exists:
        floor_cells.insert(4, "–")
    lines.append("| " + " | ".join(floor_cells) + " |")

    by_size = {row.size: row for row in rows if row.size is not None}
    previous: Row | None = None
    for row in rows:
        wall, peak, paint, bare = row.wall, row.peak, row.paint, row.bare_total
        if not report_exists:
            wall_cell = peak_cell = html_cell = ratio_cell = paint_cell = na
        elif row.error and wall is None:
            wall_cell = peak_cell = html_cell = ratio_cell = paint_cell = row.error
        else:
            wall_cell, peak_cell = fmt_s(wall), fmt_bytes(peak)
            failed = len(row.runs) - len(row.ok_runs())
            if failed:
                wall_cell += f" ({failed} of {len(row.runs)} runs failed: {row.error})"
            html_cell = fmt_bytes(row.html_bytes)
            ratio_cell = (
                fmt_ratio(row.html_bytes / row.input_bytes)
                if row.html_bytes and row.input_bytes
                else "–"
            )
            paint_cell = fmt_s(paint)
        floor_ratio = wall / floor.wall if wall and floor.wall else None
        bare_ratio = wall / bare if wall and bare else None
        growth = None
        if row.size is not None and previous is not None and previous.size and wall:
            growth = wall / previous.wall if previous.wall else None
        cells = [
            row.label,
            f"{row.comments:,}" if row.comments is not None else "–",
            fmt_bytes(row.input_bytes),
            wall_cell,
            peak_cell,
            html_cell,
            ratio_cell,
            paint_cell,
            fmt_s(bare),
            fmt_ratio(floor_ratio) if report_exists else na,
            fmt_ratio(bare_ratio) if report_exists else na,
            (f"{fmt_ratio(growth)} vs {previous.size:,}" if growth and previous else "–")
            if report_exists
            else na,
            targets_for(row, floor, by_size, report_exists),
        ]
        if not report_exists:
            cj = [r for r in row.comments_json if r.rc == 0]
            cj_cell = "error"
            if cj:
                cj_wall = statistics.median(r.wall for r in cj)
                cj_cell = f"{fmt_s(cj_wall)}, {fmt_bytes(max(r.peak for r in cj))}"
            cells.insert(4, cj_cell)
        lines.append("| " + " | ".join(cells) + " |")
        if row.size is not None:
            previous = row
    return "\n".join(lines)


def targets_for(row: Row, floor: Row, by_size: dict[int, Row], report_exists: bool) -> str:
    if not report_exists:
        return "n/a (no report command)"
    wall, peak = row.wall, row.peak
    checks: list[str] = []
    if row.size is None and row.source == CORPUS:
        ok = wall <= CORPUS_FLOOR_RATIO * floor.wall if wall and floor.wall else None
        checks.append(check(ok, f"≤ {CORPUS_FLOOR_RATIO}× floor"))
    elif row.size == 10_000:
        checks.append(check(wall <= T10K_WALL if wall else None, f"≤ {T10K_WALL:.0f} s"))
        checks.append(check(peak <= T10K_MEM if peak else None, "≤ 1 GiB"))
        checks.append(
            check(row.paint <= T10K_PAINT if row.paint else None, f"paint ≤ {T10K_PAINT:.0f} s")
        )
    elif row.size == 100_000:
        bare = row.bare_total
        ten = by_size.get(10_000)
        growth = wall / ten.wall if wall and ten and ten.wall else None
        size_ratio = (
            row.html_bytes / row.input_bytes if row.html_bytes and row.input_bytes else None
        )
        checks.append(check(wall <= T100K_WALL if wall else None, f"≤ {T100K_WALL:.0f} s"))
        checks.append(check(peak <= T100K_MEM if peak else None, "≤ 3 GiB"))
        checks.append(
            check(
                wall / bare <= T100K_BARE_RATIO if wall and bare else None,
                f"≤ {T100K_BARE_RATIO:.1f}× bare",
            )
        )
        checks.append(
            check(
                growth <= T100K_GROWTH if growth else None,
                f"growth 10k→100k ≤ {T100K_GROWTH:.0f}×",
            )
        )
        checks.append(
            check(
                size_ratio <= T100K_SIZE_RATIO if size_ratio else None,
                f"HTML ≤ {T100K_SIZE_RATIO:.0f}× input",
            )
        )
    return "; ".join(checks) if checks else "–"


def notes_for(rows: list[Row], floor: Row) -> str:
    lines = ["Bare library work, median seconds (VADER / TF-IDF / k-means):", ""]
    for row in rows:
        if row.bare:
            parts = [
                statistics.median(b[k] for b in row.bare) for k in ("vader", "tfidf", "kmeans")
            ]
            kind = "MiniBatchKMeans" if (row.comments or 0) > MINIBATCH_FROM else "KMeans"
            lines.append(
                f"- {row.label}: {parts[0]:.2f} / {parts[1]:.2f} / {parts[2]:.2f} ({kind})"
            )
    if floor.modules:
        lines += [
            "",
            f"The import floor imports the {floor.modules:,} third-party modules a corpus "
            f"report loads ({floor.failed_imports} would not import on their own and are "
            "skipped), in a fresh interpreter, and exits.",
        ]
    lines.append("")
    lines.append(
        "Peak memory is the larger of the biggest single process's max RSS (`/usr/bin/time`) "
        "and the largest sampled (every 0.1 s) sum of PSS over the whole process tree "
        "(worker processes included):"
    )
    lines.append("")
    for row in [floor, *rows]:
        ok = row.ok_runs() or [r for r in row.comments_json if r.rc == 0]
        if ok:
            lines.append(
                f"- {row.label}: max RSS {fmt_bytes(max(r.maxrss for r in ok))}, "
                f"tree PSS {fmt_bytes(max(r.tree_pss for r in ok))}; walls "
                + ", ".join(fmt_s(r.wall) for r in ok)
            )
    loads = [
        f"{row.label} {statistics.median(row.load_ms) / 1000:.2f} s" for row in rows if row.load_ms
    ]
    if loads:
        lines += ["", "HTML load event in Chromium (median): " + "; ".join(loads) + "."]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
