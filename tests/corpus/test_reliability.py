"""All or nothing, said loudly: a report not written, a page changed while read, a damaged
cache, a page that kills its worker, an interrupt, a Dask scheduler that does not answer."""

from __future__ import annotations

import json
import os
import signal
import socket
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from threads import _atomic
from threads.corpus import engines, task
from threads.errors import OutputError

from . import _crashing
from .conftest import run_lexical as run
from .conftest import write_corpus

# These tests are about the corpus machinery, not the drift measure: every run uses the word
# measure (``run`` is ``threads corpus ... --lexical``), a third of the bundled model's CPU.


@pytest.mark.slow
def test_a_report_name_too_long_is_named_and_the_run_fails(tmp_path: Path) -> None:
    long = "p" * 250 + ".txt"  # its report, long + ".html", is over the 255-byte limit
    pages = write_corpus(tmp_path / "pages", {"a.txt": 20, long: 22})
    out = tmp_path / "out"
    result = run(str(pages), "--out", str(out), "--workers", "1", "--reports", "all")
    assert result.exit_code == 1
    last = result.output.splitlines()[-1]
    assert last.startswith(f"Error: 1 report(s) not written: 'reports/{long}.html' (")
    assert last.endswith(": cannot write (File name too long))")
    assert (out / "reports" / "a.txt.html").is_file()
    rows = {r["page"]: r["report"] for r in pq.read_table(out / "articles.parquet").to_pylist()}
    assert rows == {"a.txt": "reports/a.txt.html", long: None}


@pytest.mark.slow
def test_a_disk_full_while_writing_reports_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages = write_corpus(tmp_path / "pages", {"a.txt": 20, "b.txt": 22, "c.txt": 24})
    out = tmp_path / "out"
    from threads.analysis.results import Analysis
    from threads.report import ReportFiles, write_report

    real = write_report  # what reports.write_report is

    def full(analysis: Analysis, path: Path) -> ReportFiles:
        if path.name != "a.txt.html":
            raise OutputError(f"{path}: cannot write (No space left on device)")
        return real(analysis, path)

    monkeypatch.setattr("threads.corpus.reports.write_report", full)
    result = run(str(pages), "--out", str(out), "--workers", "1", "--reports", "all")
    assert result.exit_code == 1
    reports = out / "reports"
    assert result.output.splitlines()[-1] == (
        "Error: 2 report(s) not written: "
        f"'reports/b.txt.html' ({reports / 'b.txt.html'}: cannot write (No space left on device)), "
        f"'reports/c.txt.html' ({reports / 'c.txt.html'}: cannot write (No space left on device))"
    )
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [n for n in manifest["files"] if n.startswith("reports/")] == [
        f"reports/a.txt.{suffix}" for suffix in ("csv", "html", "json")
    ]
    monkeypatch.undo()
    assert run(str(pages), "--out", str(out), "--workers", "1", "--reports", "all").exit_code == 0
    assert sorted(p.name for p in reports.glob("*.html")) == [
        "a.txt.html",
        "b.txt.html",
        "c.txt.html",
    ]


@pytest.mark.slow
def test_a_page_changed_while_the_run_reads_it_fails_and_is_not_cached(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages = write_corpus(tmp_path / "pages", {"a.txt": 20, "b.txt": 22})
    fresh = write_corpus(tmp_path / "fresh", {"a.txt": 20, "b.txt": 30})
    out = tmp_path / "out"
    from threads.corpus import driver
    from threads.corpus.inputs import Inputs, collect

    real = collect  # what driver.collect is

    def then_changed(paths: Sequence[str | Path], page_list: str | Path | None = None) -> Inputs:
        inputs = real(paths, page_list)
        (pages / "b.txt").write_bytes((fresh / "b.txt").read_bytes())  # after it was hashed
        return inputs

    monkeypatch.setattr(driver, "collect", then_changed)
    result = run(str(pages), "--out", str(out), "--workers", "1")
    assert result.exit_code == 1
    rows = {r["page"]: r for r in pq.read_table(out / "articles.parquet").to_pylist()}
    assert rows["b.txt"]["status"] == "failed"
    assert rows["b.txt"]["error"] == (
        "b.txt: changed while the run read it (its bytes are not the ones hashed at the "
        "start); run again to read it as it is now"
    )
    assert len(list((out / "cache").glob("*.sketch.json"))) == 1  # b.txt is not cached
    monkeypatch.undo()
    assert run(str(pages), "--out", str(out), "--workers", "1").exit_code == 0
    again = tmp_path / "again"
    assert run(str(pages), "--out", str(again), "--workers", "1").exit_code == 0
    assert (out / "articles.csv").read_bytes() == (again / "articles.csv").read_bytes()


def damage_row(out: Path) -> None:
    entry = sorted((out / "cache").glob("*[0-9a-f].json"))[0]
    data = json.loads(entry.read_text(encoding="utf-8"))
    del data["row"]["status"]
    entry.write_text(json.dumps(data), encoding="utf-8")


def truncate_part(out: Path) -> None:
    part = sorted((out / "comments").glob("*.parquet"))[0]
    part.write_bytes(part.read_bytes()[:-100])


@pytest.mark.parametrize(
    ("damage", "problem"),
    [
        (damage_row, "not the entry of this page"),
        (truncate_part, "its comment part cannot be read"),
    ],
    ids=["row-without-status", "truncated-part"],
)
@pytest.mark.slow
def test_a_damaged_cache_entry_is_recomputed_with_a_warning(
    tmp_path: Path, damage: Callable[[Path], None], problem: str
) -> None:
    pages = write_corpus(tmp_path / "pages", {"a.txt": 20, "b.txt": 22})
    out = tmp_path / "out"
    assert run(str(pages), "--out", str(out), "--workers", "1").exit_code == 0
    before = (out / "articles.csv").read_bytes()
    damage(out)
    result = run(str(pages), "--out", str(out), "--workers", "1")
    assert result.exit_code == 0, result.output
    assert "the page is analysed again" in result.output and problem in result.output
    assert (out / "articles.csv").read_bytes() == before
    for part in (out / "comments").glob("*.parquet"):
        assert pq.read_metadata(part).num_rows > 0


@pytest.mark.slow
def test_a_foreign_model_file_is_refitted_with_a_warning(tmp_path: Path) -> None:
    pages = write_corpus(tmp_path / "pages", {"a.txt": 20, "b.txt": 22})
    out = tmp_path / "out"
    assert run(str(pages), "--out", str(out), "--workers", "1").exit_code == 0
    before = (out / "articles.csv").read_bytes()
    (out / "space-model.json").write_text('{"documents": 3, "df": [[1], [2, 3]]}', "utf-8")
    result = run(str(pages), "--out", str(out), "--workers", "1")
    assert result.exit_code == 0, result.output
    model = out / "space-model.json"
    warning = f"{model}: not a comparison-space model ('n_features'); fitted again over this corpus"
    assert warning in result.output
    assert "--refit" not in result.output  # it was refitted: no advice to do it by hand
    assert (out / "articles.csv").read_bytes() == before


@pytest.mark.slow
def test_a_task_that_kills_its_worker_is_retried_alone_then_given_up() -> None:
    def lost(job: object) -> list[object]:
        return [f"lost {job}"]

    engine = engines.LocalProcesses(2)
    try:
        batches: list[list[object]] = [[1, 2], [_crashing.POISON, 3], [4], [5, 6]]
        found = dict(
            (tuple(batch), result)
            for batch, result in engines.isolating(engine, _crashing.doubled, batches, lost)
        )
    finally:
        engine.close()
    results = [r for batch in found.values() for r in batch]
    assert sorted(map(str, results)) == sorted(
        ["2", "4", "6", "8", "10", "12", f"lost {_crashing.POISON}"]
    )


@pytest.mark.slow  # local workers started three times: about 15 s
@pytest.mark.parametrize("workers", [["--workers", "2"], []], ids=["two workers", "one core"])
def test_a_page_that_kills_its_worker_is_failed_and_the_rest_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: list[str]
) -> None:
    pages = write_corpus(tmp_path / "pages", {"a.txt": 20, "poison.txt": 22, "c.txt": 24})
    out = tmp_path / "out"
    from threads.corpus import driver

    monkeypatch.setattr(driver, "run_batch", _crashing.run_batch)
    # On a one-core machine the default still runs pages in a worker process, not here.
    monkeypatch.setattr(engines, "available_cores", lambda: 1)
    result = run(str(pages), "--out", str(out), *workers, "--reports", "none")
    assert result.exit_code == 1
    rows = {r["page"]: r for r in pq.read_table(out / "articles.parquet").to_pylist()}
    assert rows["poison.txt"]["error"] == f"poison.txt: {task.WORKER_DIED}"
    assert rows["a.txt"]["status"] == rows["c.txt"]["status"] == "ok"


def test_a_signal_while_a_temporary_file_is_made_waits_for_the_block(tmp_path: Path) -> None:
    # The signal goes to a thread of its own in this process (as a pool's), so blocking it
    # in the main thread would not hold it back. The wakeup fd says when that thread has
    # taken it: sent with os.kill, the kernel could hand it to a thread that a busy machine
    # runs only after the block has ended.
    stop = threading.Event()
    other = threading.Thread(target=stop.wait, daemon=True)
    other.start()
    taken, wakeup = socket.socketpair()
    wakeup.setblocking(False)
    previous_wakeup = signal.set_wakeup_fd(wakeup.fileno())
    # Ctrl-C's own handler, whatever an earlier test in this process left in its place.
    previous_handler = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(KeyboardInterrupt), _atomic.staged() as stage:
            with _atomic._signals_held():
                assert other.ident is not None
                signal.pthread_kill(other.ident, signal.SIGINT)
                taken.settimeout(30)
                assert taken.recv(1) == bytes([signal.SIGINT])
                temporary = stage.temporary(tmp_path / "x.json")  # not interrupted
            pytest.fail("the signal should have come at the end of the block")
    finally:
        signal.signal(signal.SIGINT, previous_handler)
        signal.set_wakeup_fd(previous_wakeup)
        taken.close()
        wakeup.close()
        stop.set()
    assert not temporary.exists()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_a_scheduler_that_never_answers_is_one_error_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("distributed")
    pages = write_corpus(tmp_path / "pages", {"a.txt": 20})
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)  # accepts, never speaks
    address = f"tcp://127.0.0.1:{silent.getsockname()[1]}"
    monkeypatch.setattr(engines, "CONNECT_SECONDS", 1.0)
    out = tmp_path / "out"
    try:
        result = run(str(pages), "--out", str(out), "--scheduler", address)
    finally:
        silent.close()
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {address}: cannot connect to the Dask scheduler (no answer within 1 s)\n"
    )
    assert not out.exists()


@pytest.mark.slow  # a real scheduler and two workers, then Dask's 10 s reconnect: about 30 s
def test_a_scheduler_lost_mid_run_is_one_error(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("distributed")
    import sys

    from threads.corpus import analyze_many
    from threads.errors import ThreadsError

    root = Path(__file__).resolve().parents[2]
    sys.path.insert(0, str(root / "benchmarks"))
    import dask_local

    pages = write_corpus(tmp_path / "pages", {f"p{i}.txt": 300 for i in range(10)})
    env = {**os.environ, "PYTHONPATH": str(root / "src")}
    address, processes = dask_local.start(2, env, memory_limit="2GiB", timeout=60)
    killed: list[int] = []

    def kill_the_scheduler(progress: object) -> None:
        if getattr(progress, "pages_done", 0) >= 1 and not killed:
            processes[0].send_signal(signal.SIGKILL)
            killed.append(1)

    try:
        with pytest.raises(ThreadsError) as raised:
            analyze_many(
                [pages], tmp_path / "out", scheduler=address, progress=kill_the_scheduler,
                reports="none",
            )  # fmt: skip
    finally:
        dask_local.stop(processes)
    assert str(raised.value) == (
        f"dask scheduler {address}: the connection was lost; "
        "pages already done are kept: run again to finish"
    )
    assert capfd.readouterr().err == ""  # no log line, no traceback from Dask
