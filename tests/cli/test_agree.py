"""`threads agree`: the flag and the similarity against people's labels."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sklearn.metrics import roc_auc_score

import threads
from threads.cli import cli

from ..conftest import CORPUS, FIXTURES, SOURCE

HAND_LABELS = FIXTURES / "labels" / "unherd-north-korea.json"


def agree_json(runner: CliRunner, *args: str) -> dict[str, Any]:
    result = runner.invoke(cli, ["agree", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def hand_labels() -> dict[str, bool]:
    entries = json.loads(HAND_LABELS.read_text(encoding="utf-8"))["labels"]
    return {cid: entry["on_topic"] for cid, entry in entries.items()}


@pytest.mark.slow
def test_corpus_hand_labels_exact_confusion_and_auc(runner: CliRunner) -> None:
    labels = hand_labels()
    analysis = threads.analyze(threads.load(CORPUS))
    flags = {r.id: r.off_topic for r in analysis.comments}
    scores = {r.id: r.article_similarity for r in analysis.comments}
    expected = {
        "flagged_off": sum(flags[i] and not on for i, on in labels.items()),
        "kept_off": sum(not flags[i] and not on for i, on in labels.items()),
        "flagged_on": sum(flags[i] and on for i, on in labels.items()),
        "kept_on": sum(not flags[i] and on for i, on in labels.items()),
    }
    ids = sorted(labels, key=int)
    expected_auc = roc_auc_score([labels[i] for i in ids], [scores[i] for i in ids])

    data = agree_json(runner, str(HAND_LABELS), SOURCE)
    pooled = data["pooled"]
    assert pooled["confusion"] == expected
    assert pooled["comments"] == 16 and pooled["on_topic"] == 7
    assert pooled["auc"]["value"] == round(float(expected_auc), 6)
    assert pooled["accuracy"]["value"] == round(
        (expected["flagged_off"] + expected["kept_on"]) / 16, 6
    )
    assert pooled["accuracy_flag_nothing"]["value"] == round(7 / 16, 6)
    assert pooled["resampled"] == "comments" and data["resamples"] >= 1000
    disagreements = [d["id"] for d in data["disagreements"]]
    assert disagreements == [i for i in ids if flags[i] == labels[i]]


def test_text_output_and_default_source(runner: CliRunner, monkeypatch: Any) -> None:
    monkeypatch.chdir(CORPUS.parent.parent)  # the labels name corpus/... from the repository root
    result = runner.invoke(cli, ["agree", str(HAND_LABELS)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("16 labelled comments on 1 page (threshold ")
    assert "ROC AUC of the similarity    0.889 [0.683, 1.000]" in lines  # README
    at = lines.index(
        "  inside word-count bands    0.708 (quartiles of word count, 2 with both labels, "
        "weighted by comments)"
    )
    assert lines[at + 1].startswith("  gain over length alone     -0.032 (cross-fitted AUC 0.841")
    assert "labelled off-topic" in result.stdout and "Cohen's kappa" in result.stdout
    assert any(line.startswith("<= 10 words") for line in lines)
    assert "Disagreements (" in result.stdout


def test_unknown_ids_are_one_error_naming_them(runner: CliRunner, tmp_path: Path) -> None:
    labels = tmp_path / "labels.json"
    entries = {"1": {"on_topic": True}, "98": {"on_topic": False}, "99": {"on_topic": True}}
    labels.write_text(json.dumps({"labels": entries}), encoding="utf-8")
    result = runner.invoke(cli, ["agree", str(labels), SOURCE])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {labels}: labels for unknown comment ids on unherd-how-to-escape-north-korea: "
        "98, 99 (valid ids are 1 to 16)\n"
    )


def write_page(folder: Path, name: str, texts: list[str], on_topic: list[int]) -> None:
    page = {
        "article": {"title": "Buses in Doha", "paragraphs": ["Which bus goes from Doha to Wakra?"]},
        "comments": [
            {"id": f"{name}_C{i}", "text": t, "parent_id": None} for i, t in enumerate(texts, 1)
        ],
    }
    labels = {
        "page": name,
        "comments": [{"id": f"{name}_C{i}", "on_topic": o} for i, o in enumerate(on_topic, 1)],
    }
    (folder / f"{name}.json").write_text(json.dumps(page), encoding="utf-8")
    (folder / f"{name}.labels.json").write_text(json.dumps(labels), encoding="utf-8")


def test_a_folder_of_labels_pairs_each_page(runner: CliRunner, tmp_path: Path) -> None:
    texts = ["Take the bus from Doha to Wakra.", "I like cats a lot.", "Wakra bus at noon."]
    write_page(tmp_path, "p1", texts, [1, 0, 1])
    write_page(tmp_path, "p2", texts[::-1], [1, 1, 0])
    data = agree_json(runner, str(tmp_path))
    assert list(data["by_page"]) == ["p1", "p2"]
    assert data["pooled"]["comments"] == 6 and data["pooled"]["resampled"] == "pages"
    assert data["pages_with_both_classes"] == 2
    # SOURCEs named: only those pages, and labels for a page not given are an error.
    only = runner.invoke(
        cli, ["agree", str(tmp_path / "p1.labels.json"), str(tmp_path / "p1.json")]
    )
    assert only.exit_code == 0, only.output
    both = runner.invoke(cli, ["agree", str(tmp_path), str(tmp_path / "p1.json")])
    assert both.exit_code == 1
    assert "has labels for pages not among the SOURCEs: p2" in both.stderr


def test_filled_sheet_round_trip(runner: CliRunner, tmp_path: Path) -> None:
    sheet = tmp_path / "sheet.csv"
    assert runner.invoke(cli, ["sample", SOURCE, "--n", "10", "--out", str(sheet)]).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(sheet.read_text(encoding="utf-8"))))
    labels = hand_labels()
    for row in rows[:-1]:  # the last row is left blank: not labelled
        row["on_topic"] = "1" if labels[row["id"]] else "0"
    filled = io.StringIO()
    writer = csv.DictWriter(filled, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    sheet.write_text(filled.getvalue(), encoding="utf-8")

    from_sheet = agree_json(runner, str(sheet), SOURCE)
    assert from_sheet["pooled"]["comments"] == 9
    analysis = threads.analyze(threads.load(CORPUS))
    flags = {r.id: r.off_topic for r in analysis.comments}
    labelled = [r["id"] for r in rows[:-1]]
    assert from_sheet["pooled"]["confusion"]["flagged_off"] == sum(
        flags[i] and not labels[i] for i in labelled
    )
    assert from_sheet["pooled"]["confusion"]["kept_on"] == sum(
        not flags[i] and labels[i] for i in labelled
    )


def test_several_sources_need_a_page_column(runner: CliRunner, tmp_path: Path) -> None:
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("id,on_topic\n1,1\n2,0\n", encoding="utf-8")
    write_page(tmp_path, "p1", ["Bus to Wakra.", "Cats."], [1, 0])
    result = runner.invoke(cli, ["agree", str(sheet), SOURCE, str(tmp_path / "p1.json")])
    assert result.exit_code == 1
    assert "has no page column" in result.stderr
    bad = tmp_path / "bad.csv"
    bad.write_text("id,on_topic\n1,maybe\n", encoding="utf-8")
    result = runner.invoke(cli, ["agree", str(bad), SOURCE])
    assert result.stderr == f"Error: {bad}: line 2: on_topic must be 1, 0 or blank; got 'maybe'\n"


@pytest.mark.slow
def test_report_shows_the_agreement_in_its_method_section(
    runner: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "r.html"
    args = ["report", SOURCE, "--clusters", "3", "--quiet", "--out", str(out)]
    result = runner.invoke(cli, [*args, "--labels", str(HAND_LABELS)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    method = html[html.index('id="method"') :]
    figures = agree_json(runner, str(HAND_LABELS), SOURCE, "--clusters", "3")["pooled"]
    assert "Agreement with your labels" in method
    assert "16 comments labelled by hand (7 on-topic)" in method
    auc = figures["auc"]
    assert f"{auc['value']:.2f} (95% interval {auc['low']:.2f} to {auc['high']:.2f})" in method
    assert "Cohen&#39;s kappa: " in method and "for flagging nothing" in method

    assert runner.invoke(cli, args).exit_code == 0
    assert "Agreement with your labels" not in out.read_text(encoding="utf-8")

    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"labels": {"99": {"on_topic": True}}}), encoding="utf-8")
    other = tmp_path / "other.html"
    failed = runner.invoke(cli, ["report", SOURCE, "--out", str(other), "--labels", str(bad)])
    assert failed.exit_code == 1 and "unknown comment ids" in failed.stderr
    assert not other.exists()


def test_labels_for_another_page_than_the_source_are_one_error(
    runner: CliRunner, tmp_path: Path
) -> None:
    write_page(tmp_path, "p1", ["Bus to Wakra.", "Cats."], [1, 0])
    write_page(tmp_path, "p2", ["Bus to Wakra.", "Cats."], [1, 0])
    labels = str(tmp_path / "p2.labels.json")
    result = runner.invoke(cli, ["agree", labels, str(tmp_path / "p1.json")])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {labels}: has labels for page p2, not for the SOURCE p1\n"
    out = tmp_path / "r.html"
    report = ["report", str(tmp_path / "p1.json"), "--out", str(out), "--labels", labels]
    failed = runner.invoke(cli, [*report, "--clusters", "1"])
    assert failed.exit_code == 1
    assert failed.stderr == f"Error: {labels}: has labels for page p2, not for the SOURCE p1\n"
    assert not out.exists()


def test_one_comment_labelled_twice_differently_is_one_error(
    runner: CliRunner, tmp_path: Path
) -> None:
    write_page(tmp_path, "p1", ["Bus to Wakra.", "Cats."], [1, 0])
    twice = tmp_path / "twice.labels.json"
    twice.write_text(
        json.dumps(
            {
                "page": "p1",
                "comments": [{"id": "p1_C1", "on_topic": 1}, {"id": "p1_C1", "on_topic": 0}],
            }
        ),
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["agree", str(twice), str(tmp_path / "p1.json")])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {twice}: comment p1_C1: labelled twice, differently\n"
    keys = tmp_path / "keys.json"  # the corpus format: one JSON key given twice
    keys.write_text(
        '{"labels": {"1": {"on_topic": true}, "2": {"on_topic": true}, "1": {"on_topic": false}}}',
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["agree", str(keys), SOURCE])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {keys}: comment 1: labelled twice, differently\n"
    other = tmp_path / "other"  # two files of a folder labelling one comment both ways
    other.mkdir()
    write_page(other, "p1", ["Bus to Wakra.", "Cats."], [1, 0])
    (other / "copy.labels.json").write_text(
        json.dumps({"page": "p1", "comments": [{"id": "p1_C2", "on_topic": 1}]}), "utf-8"
    )
    result = runner.invoke(cli, ["agree", str(other)])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {other}: comment p1_C2 of p1: labelled twice, differently\n"


def test_a_sheet_with_a_comment_over_the_csv_field_limit_is_read(
    runner: CliRunner, tmp_path: Path
) -> None:
    long = "Bus to Wakra. " * 12_000  # 168,000 characters: over csv's 131,072 default
    texts = [long, "Cats.", "Bus at noon to Wakra."]
    write_page(tmp_path, "p1", texts, [1, 0, 1])
    sheet = tmp_path / "sheet.csv"
    cells = [f'p1_C{i},"{t}",{o}' for i, (t, o) in enumerate(zip(texts, [1, 0, 1], strict=True), 1)]
    sheet.write_text("id,text,on_topic\n" + "\n".join(cells) + "\n", encoding="utf-8")
    data = agree_json(runner, str(sheet), str(tmp_path / "p1.json"))
    assert data["pooled"]["comments"] == 3
