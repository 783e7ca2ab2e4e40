"""Agreement of the off-topic flag with SemEval-2015 crowd labels, through ``threads agree``.

    python benchmarks/validity.py dev              # the 197 converted development pages
    python benchmarks/validity.py test             # the test split: run it once, at the end
    python benchmarks/validity.py dev --lexical    # any option of threads agree follows

The data live outside the repository (``../shared/validity`` beside the work tree, or
``THREADS_VALIDITY``). The development pages are already in threads' JSON format; the test
split is converted here from the task's XML and gold file the same way (the question's
subject is the title, its body the one paragraph, each answer a flat comment; Good and
Potential are on the subject, Bad and Dialogue off it; "Not English" and "Other" are left
out, and so are pages with fewer than 4 labelled comments) into a temporary folder, then
``threads agree`` reads it. Every cut and setting was chosen on ``dev``.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

from threads.cli import cli

ROOT = Path(
    os.environ.get("THREADS_VALIDITY", Path(__file__).resolve().parents[2] / "shared" / "validity")
)
ON_TOPIC = {"Good": 1, "Potential": 1, "Bad": 0, "Dialogue": 0}
MIN_LABELLED = 4


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def convert_test(out: Path) -> int:
    """Write the test split as threads pages with labels into ``out``; the number of pages."""
    source = ROOT / "sources" / "semeval2015-cqa-ql"
    gold = dict(
        line.split("\t")[:2]
        for line in (source / "CQA-QL-test-gold.txt").read_text(encoding="utf-8").splitlines()
        if "\t" in line
    )
    pages = 0
    for question in ET.parse(source / "test_task3_English.xml").getroot().iter("Question"):
        qid = question.get("QID", "")
        comments, labels = [], []
        for position, comment in enumerate(question.iter("Comment"), start=1):
            cid = comment.get("CID", "")
            comments.append(
                {
                    "id": cid,
                    "author": comment.get("CUSERID"),
                    "parent_id": None,
                    "position": position,
                    "text": _clean(comment.findtext("CBody")),
                }
            )
            label = gold.get(cid, "").strip()
            if label in ON_TOPIC:
                labels.append(
                    {
                        "id": cid,
                        "label": label,
                        "on_topic": ON_TOPIC[label],
                        "by_asker": comment.get("CUSERID") == question.get("QUSERID"),
                    }
                )
        if len(labels) < MIN_LABELLED:
            continue
        page = {
            "article": {
                "title": _clean(question.findtext("QSubject")),
                "paragraphs": [_clean(question.findtext("QBody"))],
                "author": question.get("QUSERID"),
                "published": question.get("QDATE"),
            },
            "comments": comments,
        }
        name = f"semeval2015-test-{qid}"
        (out / f"{name}.json").write_text(json.dumps(page, indent=1), encoding="utf-8")
        (out / f"{name}.labels.json").write_text(
            json.dumps({"category": question.get("QCATEGORY"), "comments": labels}, indent=1),
            encoding="utf-8",
        )
        pages += 1
    return pages


def main(argv: list[str]) -> None:
    if not argv or argv[0] not in ("dev", "test"):
        sys.exit("usage: python benchmarks/validity.py dev|test [threads agree options]")
    split, rest = argv[0], argv[1:]
    with tempfile.TemporaryDirectory() as folder:
        if split == "dev":
            labels = ROOT / "semeval2015-dev"
        else:
            labels = Path(folder)
            print(f"SemEval-2015 test: {convert_test(labels)} pages", file=sys.stderr)
        cli.main(["agree", str(labels), *rest], prog_name="threads", standalone_mode=True)


if __name__ == "__main__":
    main(sys.argv[1:])
