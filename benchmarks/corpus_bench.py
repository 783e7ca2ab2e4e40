"""The corpus benchmark (``python benchmarks/run.py --corpus COMMENTS [--pages P]``).

Writes a synthetic corpus (``corpus_synth.py``), then measures in one run:

* ``threads corpus`` end to end (``--reports none``) with ``--workers 1``, ``--workers 2``
  and a local Dask cluster of two workers (``--nthreads 1``, started here on 127.0.0.1);
* baseline (a): the per-page analysis (load + analyze, one process, no outputs) in a loop;
* baseline (b): the bare library work per page, summed in one process: sentence splitting
  (sentencex, as threads does) and VADER per sentence, one TF-IDF fit, one k-means fit
  (k = 8, KMeans n_init=10, or MiniBatchKMeans beyond 20,000 comments), texts extracted
  before timing, imports excluded;

with wall time, comments per second, and memory: the peak of the sum over every process
(PSS, sampled every 0.1 s: driver, workers, and for Dask the scheduler and workers too),
the driver's own peak, and the largest worker's peak.
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import corpus_synth  # noqa: E402
import dask_local  # noqa: E402
from run import GIB, MIB, _descendants, _memory_of, machine_info  # noqa: E402

SRC = REPO / "src"
ENV = {**os.environ, "PYTHONPATH": str(SRC)}

#: Targets (the corpus issue).
T_BARE_RATIO = 1.5  # 2 local workers end to end vs (b)
T_MEMORY, T_DRIVER = 4 * GIB, 0.3 * GIB
T_LOCAL_SPEEDUP, T_DASK_SPEEDUP = 1.8, 1.7
T_SMALL_PAGE_CPU = 0.05

LOOP_SCRIPT = r"""
import json, sys, time
from pathlib import Path
import threads
from threads.analysis import analyze
import threads.analysis._analyze, threads.report.render  # imported before the timing starts
from threads.pools import one_thread
from threads.workers import config_context
pages = json.load(open(sys.argv[1]))
t0 = time.perf_counter(); cpu0 = time.process_time()
small = []
with one_thread(), config_context(processes=0):
    for path, name in pages:
        c0 = time.process_time()
        d = threads.load(Path(path))
        analyze(d, lexical=sys.argv[2] == "lexical")
        if 16 <= len(d) <= 100:
            small.append(time.process_time() - c0)
print(json.dumps({"wall": time.perf_counter() - t0, "cpu": time.process_time() - cpu0,
                  "small_pages": len(small), "small_cpu_mean": sum(small) / max(len(small), 1),
                  "small_cpu_max": max(small, default=0)}))
"""

BARE_SCRIPT = r"""
import json, sys, time
from sentencex import segment
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.cluster import KMeans, MiniBatchKMeans
from threadpoolctl import threadpool_limits
import numpy, scipy.sparse, sklearn.cluster  # loaded before the thread limit, so it covers them
pages = [json.load(open(p)) for p in json.load(open(sys.argv[1]))]
analyzer = SentimentIntensityAnalyzer()
parts = {"vader": 0.0, "tfidf": 0.0, "kmeans": 0.0}
with threadpool_limits(limits=1):
    for texts in pages:
        t0 = time.process_time()
        for text in texts:
            for s in segment("en", " ".join(text.split())):
                if s.strip():
                    analyzer.polarity_scores(s.strip())
        t1 = time.process_time()
        matrix = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts)
        t2 = time.process_time()
        k = min(8, matrix.shape[0])
        if len(texts) > 20000:
            model = MiniBatchKMeans(n_clusters=k, n_init=3, batch_size=4096, random_state=0)
        else:
            model = KMeans(n_clusters=k, n_init=10, random_state=0)
        model.fit(matrix)
        t3 = time.process_time()
        parts["vader"] += t1 - t0; parts["tfidf"] += t2 - t1; parts["kmeans"] += t3 - t2
parts["total"] = sum(parts.values())
print(json.dumps(parts))
"""

EXTRACT_SCRIPT = r"""
import json, sys
from pathlib import Path
import threads
pages = json.load(open(sys.argv[1])); out = Path(sys.argv[2]); files = []
for i, (path, name) in enumerate(pages):
    d = threads.load(Path(path))
    target = out / f"texts-{i}.json"
    target.write_text(json.dumps([c.text for c in d.comments]))
    files.append(str(target))
json.dump(files, open(out / "texts.json", "w"))
"""


@dataclass
class Measured:
    label: str
    wall: float = 0.0
    rc: int = 0
    total_peak: int = 0  # bytes: the largest sampled sum over all processes
    driver_peak: int = 0
    worker_peak: int = 0
    cpu: float = 0.0  # seconds of CPU (user + system) of every process of the run
    load: str = ""  # the machine's 1-minute load average when the run started (it is shared)
    extra: dict[str, float] = field(default_factory=dict)
    stderr: str = ""


class _Sampler(threading.Thread):
    """Samples the PSS of the measured command's tree and of ``others`` (Dask processes)."""

    def __init__(self, root: int, others: list[int]) -> None:
        super().__init__(daemon=True)
        self.root, self.others = root, others
        self.total = 0
        self.per_pid: dict[int, int] = {}
        self.stop = threading.Event()

    def run(self) -> None:
        # Reading smaps_rollup walks each process's page tables: about 5% of a core at
        # 0.1 s. At the lowest priority that time comes from an idle core, not from the
        # workers, so the runs that keep both cores busy are not slowed by their measurement.
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)
        while not self.stop.is_set():
            pids = set(_descendants(self.root))
            for other in self.others:
                pids.update(_descendants(other))
            sizes = {pid: _memory_of(pid) for pid in pids}
            self.total = max(self.total, sum(sizes.values()))
            for pid, size in sizes.items():
                self.per_pid[pid] = max(self.per_pid.get(pid, 0), size)
            self.stop.wait(0.1)


def _cpu_of(pid: int) -> float:
    """User + system seconds of a process and its waited-for children, from /proc."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            stat = f.read()
    except OSError:
        return 0.0
    fields = stat[stat.rfind(b")") + 2 :].split()
    return sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def _tree_cpu(roots: list[int]) -> float:
    return sum(_cpu_of(pid) for root in roots for pid in _descendants(root))


def measure(
    label: str, cmd: list[str], others: list[int] | None = None, timeout: float = 7200
) -> Measured:
    others_before = _tree_cpu(others or [])
    load = f"{os.getloadavg()[0]:.2f}"
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd,
        cwd=REPO,
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    sampler = _Sampler(proc.pid, others or [])
    sampler.start()
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
    wall = time.perf_counter() - start
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = children.ru_utime + children.ru_stime - _CHILD_CPU[0]
    _CHILD_CPU[0] = children.ru_utime + children.ru_stime
    cpu += _tree_cpu(others or []) - others_before
    sampler.stop.set()
    sampler.join()
    driver = sampler.per_pid.get(proc.pid, 0)
    workers = [v for pid, v in sampler.per_pid.items() if pid != proc.pid]
    result = Measured(
        label,
        wall,
        proc.returncode,
        sampler.total,
        driver,
        max(workers, default=0),
        cpu=cpu,
        load=load,
        stderr=err.strip()[-400:],
    )
    line = out.strip().splitlines()[-1] if out.strip() else ""
    if line.startswith("{"):
        result.extra = json.loads(line)
    return result


#: RUSAGE_CHILDREN is cumulative: the total of the children measured so far.
_CHILD_CPU = [0.0]


#: Dask's nanny starts every worker with MALLOC_TRIM_THRESHOLD_=65536, which also turns off
#: glibc's adaptive mmap threshold: every array over 128 KiB is then mapped and unmapped again,
#: and the same analysis ran 15-28% slower in one process with that variable set. None unsets
#: it (the whole dict is given: an upper-case key cannot be named in a DASK_ variable alone),
#: as README "Running on a cluster" advises.
DASK_MALLOC_DEFAULT = {
    "DASK_DISTRIBUTED__NANNY__PRE_SPAWN_ENVIRON": "{'MALLOC_TRIM_THRESHOLD_': None}"
}


def start_dask(
    workers: int, environ: dict[str, str] | None = None
) -> tuple[str, list[subprocess.Popen[bytes]]]:
    return dask_local.start(workers, {**ENV, **(environ or {})})


def corpus_cmd(
    pages: Path, out: Path, *args: str, reports: str = "none", lexical: bool = False
) -> list[str]:
    return [
        sys.executable,
        "-m",
        "threads",
        "corpus",
        str(pages),
        "--out",
        str(out),
        "--reports",
        reports,
        "--quiet",
        *args,
        *(["--lexical"] if lexical else []),
    ]


def log(message: str) -> None:
    print(f"[corpus bench] {message}", file=sys.stderr, flush=True)


def fmt_gib(n: int) -> str:
    return f"{n / GIB:.2f} GiB" if n >= GIB else f"{n / MIB:.0f} MiB"


#: Beside a generated corpus: what it was generated from (see ``pages_folder``).
STAMP = ".corpus.json"


def pages_folder(comments: int, pages: int, folder: Path) -> corpus_synth.CorpusInfo:
    """``folder`` holding the synthetic corpus: reused when its stamp says it was generated
    with these arguments by these generator files, else (re)generated, then stamped."""
    sources = [Path(corpus_synth.__file__), Path(corpus_synth.__file__).with_name("synth.py")]
    stamp = {
        "comments": comments,
        "pages": pages,
        "generator": hashlib.sha256(b"".join(p.read_bytes() for p in sources)).hexdigest(),
    }
    if (folder / STAMP).is_file() and json.loads((folder / STAMP).read_text()) == stamp:
        log(f"reusing the corpus in {folder} ({STAMP} matches)")
        sizes = tuple(corpus_synth.page_sizes(comments, pages))
        written = sum(p.stat().st_size for p in folder.glob("page-*.txt"))
        return corpus_synth.CorpusInfo(folder, sizes, written)
    shutil.rmtree(folder, ignore_errors=True)
    t0 = time.perf_counter()
    info = corpus_synth.write_corpus(comments, pages, folder)
    log(
        f"wrote {pages} pages, {comments:,} comments, {info.bytes / 1e6:.0f} MB "
        f"in {time.perf_counter() - t0:.0f} s"
    )
    (folder / STAMP).write_text(json.dumps(stamp))
    return info


def run(
    comments: int,
    pages: int,
    keep: Path | None = None,
    corpus_dir: Path | None = None,
    rounds: int = 2,
    lexical: bool = False,
) -> str:
    """The benchmark's markdown. ``rounds`` 0 measures only the two-worker runs without and
    with the top-50 reports (the end-to-end target), beside the baselines; ``lexical`` runs
    the corpus and loop (a) by words (``--lexical``), as the baselines measure."""
    info_line = machine_info()
    log(info_line)
    tmp = Path(tempfile.mkdtemp(prefix="threads-corpus-bench-"))
    try:
        info = pages_folder(comments, pages, corpus_dir or tmp / "pages")
        folder = info.folder
        listing = tmp / "pages.json"
        listing.write_text(
            json.dumps(
                [
                    [str(folder / f"page-{i + 1:04d}.txt"), f"page-{i + 1:04d}.txt"]
                    for i in range(pages)
                ]
            )
        )
        texts = tmp / "texts"
        texts.mkdir()
        subprocess.run(
            [sys.executable, "-c", EXTRACT_SCRIPT, str(listing), str(texts)], env=ENV, check=True
        )

        rows: list[Measured] = []
        bare = measure(
            "(b) bare library work, one process",
            [sys.executable, "-c", BARE_SCRIPT, str(texts / "texts.json")],
        )
        bare.wall = bare.extra.get("total", bare.wall)
        rows.append(bare)
        log(f"bare: {bare.extra}")
        loop = measure(
            "(a) per-page analysis, one-process loop",
            [sys.executable, "-c", LOOP_SCRIPT, str(listing), "lexical" if lexical else "meaning"],
        )
        loop.wall = loop.extra.get("wall", loop.wall)
        rows.append(loop)
        log(f"loop: {loop.extra}")
        # The scaling runs come in rounds (1 worker, 2 workers, Dask, then again): this
        # machine's speed drifts by 10-15% over minutes, so a ratio of two runs taken once,
        # minutes apart, can be off by that much; the ratios are of the mean walls, and each
        # round's own ratio is shown beside them.
        scaling: list[tuple[Measured, Measured, Measured]] = []
        for index in range(rounds):
            suffix = f" (round {index + 1} of {rounds})" if rounds > 1 else ""
            measured = []
            for workers in (1, 2):
                row = measure(
                    f"threads corpus --workers {workers}{suffix}",
                    corpus_cmd(
                        folder,
                        tmp / f"out-{workers}-{index}",
                        "--workers",
                        str(workers),
                        lexical=lexical,
                    ),
                )
                measured.append(row)
                log(f"{row.label}: {row.wall:.1f} s rc={row.rc} {row.stderr}")
            address, procs = start_dask(2, DASK_MALLOC_DEFAULT)
            try:
                pids = [p.pid for p in procs]
                row = measure(
                    f"threads corpus --scheduler (Dask, 2 workers){suffix}",
                    corpus_cmd(
                        folder, tmp / f"out-dask-{index}", "--scheduler", address, lexical=lexical
                    ),
                    pids,
                )
                measured.append(row)
                log(f"{row.label}: {row.wall:.1f} s rc={row.rc} {row.stderr}")
            finally:
                dask_local.stop(procs)
                # The Dask processes were our children: their CPU (counted in the Dask row
                # from /proc) must not land in the next row's RUSAGE_CHILDREN difference.
                children = resource.getrusage(resource.RUSAGE_CHILDREN)
                _CHILD_CPU[0] = children.ru_utime + children.ru_stime
            scaling.append((measured[0], measured[1], measured[2]))
            rows += measured
        if not rounds:  # the end-to-end target only: two workers without reports, then with
            row = measure(
                "threads corpus --workers 2",
                corpus_cmd(folder, tmp / "out-2-0", "--workers", "2", lexical=lexical),
            )
            rows.append(row)
            log(f"{row.label}: {row.wall:.1f} s rc={row.rc} {row.stderr}")
        # End to end as the target reads: the default top-50 one-page reports as well.
        row = measure(
            "threads corpus --workers 2, top-50 reports",
            corpus_cmd(
                folder, tmp / "out-2-reports", "--workers", "2", reports="top:50", lexical=lexical
            ),
        )
        rows.append(row)
        log(f"{row.label}: {row.wall:.1f} s rc={row.rc} {row.stderr}")
        same = all(
            (tmp / "out-1-0" / name).read_bytes() == (tmp / f"{kind}-{index}" / name).read_bytes()
            for kind in ("out-1", "out-2", "out-dask")
            for index in range(rounds)
            for name in ("articles.parquet", "corpus.html")
        )
        if keep is not None:
            shutil.copytree(tmp / "out-2-0", keep, dirs_exist_ok=True)
        return render(info_line, comments, pages, info, rows, scaling, same)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def render(
    info_line: str,
    comments: int,
    pages: int,
    info: corpus_synth.CorpusInfo,
    rows: list[Measured],
    scaling: list[tuple[Measured, Measured, Measured]],
    same: bool,
) -> str:
    sizes = sorted(info.sizes)
    bare, loop, reported = rows[0], rows[1], rows[-1]
    if not scaling:  # ``rounds`` 0: the end-to-end runs only
        return _render_end_to_end(info_line, comments, pages, info, rows)
    one, two, dask = (sum(r[i].wall for r in scaling) / len(scaling) for i in range(3))
    with_workers = [r for r in rows[2:] if "--workers 1" not in r.label]
    two_rounds = ", ".join(f"{a.wall / b.wall:.2f}x" for a, b, _ in scaling)
    dask_rounds = ", ".join(f"{a.wall / c.wall:.2f}x" for a, _, c in scaling)
    mean = f"mean wall of {len(scaling)} rounds" if len(scaling) > 1 else "one round"
    lines = [
        info_line,
        "",
        f"Corpus: {pages} pages, {comments:,} comments ({info.bytes / 1e6:.0f} MB); page sizes: "
        f"median {sizes[len(sizes) // 2]:,}, largest {sizes[-1]:,}, "
        f"{sum(s <= 100 for s in sizes)} pages of at most 100 comments.",
        "",
        *_table(rows, comments),
    ]
    small_mean = loop.extra.get("small_cpu_mean", 0.0)
    small_max = loop.extra.get("small_cpu_max", 0.0)
    checks = [
        (
            reported.wall <= T_BARE_RATIO * bare.wall,
            f"2 local workers end to end with the top-50 reports {reported.wall:.1f} s <= "
            f"{T_BARE_RATIO} x (b) {bare.wall:.1f} s = {T_BARE_RATIO * bare.wall:.1f} s "
            f"(ratio {reported.wall / bare.wall:.2f}; without reports {two:.1f} s, "
            f"ratio {two / bare.wall:.2f})",
        ),
        (
            max(r.total_peak for r in rows[2:]) <= T_MEMORY,
            f"peak of all processes {fmt_gib(max(r.total_peak for r in rows[2:]))} <= 4 GiB",
        ),
        (
            max(r.driver_peak for r in with_workers) <= T_DRIVER,
            f"driver (with workers) {fmt_gib(max(r.driver_peak for r in with_workers))} <= 0.3 GiB",
        ),
        (
            one / two >= T_LOCAL_SPEEDUP,  # shown to 3 places: 1.796 would print as 1.80
            f"2 local workers {one / two:.3f}x one ({mean}; by round {two_rounds}) "
            f"(>= {T_LOCAL_SPEEDUP}x)",
        ),
        (
            one / dask >= T_DASK_SPEEDUP,
            f"Dask 2 workers {one / dask:.3f}x one local ({mean}; by round {dask_rounds}) "
            f"(>= {T_DASK_SPEEDUP}x)",
        ),
        (
            small_mean <= T_SMALL_PAGE_CPU,
            f"pages of 16-100 comments: {small_mean:.3f} s CPU each on average "
            f"(max {small_max:.3f}; {int(loop.extra.get('small_pages', 0))} pages) "
            f"<= {T_SMALL_PAGE_CPU} s",
        ),
        (
            same,
            "articles.parquet and corpus.html identical for 1, 2 workers and Dask"
            + (", in every round" if len(scaling) > 1 else ""),
        ),
    ]
    lines += ["", "Targets:", ""]
    lines += [f"- {'met' if ok else 'NOT met'}: {text}" for ok, text in checks]
    lines += [
        "",
        f"(b) split: VADER {bare.extra.get('vader', 0):.1f} s, TF-IDF "
        f"{bare.extra.get('tfidf', 0):.1f} s, k-means {bare.extra.get('kmeans', 0):.1f} s. "
        f"(a) CPU {loop.extra.get('cpu', 0):.1f} s.",
    ]
    return "\n".join(lines)


def _table(rows: list[Measured], comments: int) -> list[str]:
    lines = [
        "| run | wall | CPU, all processes | comments/s | peak, all processes | driver peak "
        "| largest worker | load average before |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        ok = r.rc == 0
        wall = f"{r.wall:.1f} s" if ok else f"failed (rc {r.rc})"
        rate = f"{comments / r.wall:,.0f}" if ok and r.wall else "–"
        worker = fmt_gib(r.worker_peak) if r.worker_peak else "–"
        cpu = f"{r.cpu:.1f} s" if r.cpu else "–"
        lines.append(
            f"| {r.label} | {wall} | {cpu} | {rate} | {fmt_gib(r.total_peak)} | "
            f"{fmt_gib(r.driver_peak)} | {worker} | {r.load} |"
        )
    return lines


def _render_end_to_end(
    info_line: str,
    comments: int,
    pages: int,
    info: corpus_synth.CorpusInfo,
    rows: list[Measured],
) -> str:
    """The markdown of a ``rounds`` 0 run: baselines, two workers without and with reports."""
    sizes = sorted(info.sizes)
    bare, loop, plain, reported = rows
    return "\n".join(
        [
            info_line,
            "",
            f"Corpus: {pages} pages, {comments:,} comments ({info.bytes / 1e6:.0f} MB); page "
            f"sizes: median {sizes[len(sizes) // 2]:,}, largest {sizes[-1]:,}.",
            "",
            *_table(rows, comments),
            "",
            f"- {'met' if reported.wall <= T_BARE_RATIO * bare.wall else 'NOT met'}: 2 local "
            f"workers end to end with the top-50 reports {reported.wall:.1f} s <= "
            f"{T_BARE_RATIO} x (b) {bare.wall:.1f} s (ratio {reported.wall / bare.wall:.2f}; "
            f"without reports {plain.wall:.1f} s, ratio {plain.wall / bare.wall:.2f}; the "
            f"reports' CPU {reported.cpu - plain.cpu:.1f} s)",
            "",
            f"(b) split: VADER {bare.extra.get('vader', 0):.1f} s, TF-IDF "
            f"{bare.extra.get('tfidf', 0):.1f} s, k-means {bare.extra.get('kmeans', 0):.1f} s. "
            f"(a) CPU {loop.extra.get('cpu', 0):.1f} s.",
        ]
    )
