"""Analysed pages as a ConvoKit corpus folder (``--to convokit``).

ConvoKit's data format (convokit.cornell.edu/documentation/data_format.html): five files,
loaded with ``convokit.Corpus(filename=DIR)``:

* ``utterances.jsonl``: one comment a line: ``id``, ``speaker``, ``conversation_id`` (the id
  of the thread's top-level comment), ``reply_to`` (the parent's id, or null), ``timestamp``
  (Unix seconds from ``posted_iso``, a date without an offset taken as UTC; null when the
  date is unknown), ``text``, and ``meta``: every other field of the comment record with
  threads' figures (cluster, sentiment, similarities, off_topic, ...), ``page`` and the
  ``comment_id`` on that page;
* ``speakers.json``: {speaker: {"meta": {...}, "vectors": []}}; a comment without a display
  name gets a speaker of its own (``[no name] ID``): nothing says two of them are one person;
* ``conversations.json``: {thread's top-level id: {"meta": {...}, "vectors": []}};
* ``corpus.json``: the corpus's meta: the pages with their figures;
* ``index.json``: the type of every meta field, by object kind, and the format version.

Utterance ids are the comment ids for one page; for several, ``PAGE/ID`` (unique across
the corpus, as ConvoKit needs). The five files are written all or nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from threads._atomic import prepare_folder, write_all
from threads.export.tables import PageTables, as_dict

FILES = ("utterances.jsonl", "speakers.json", "conversations.json", "corpus.json", "index.json")
#: The utterance fields ConvoKit requires; the rest of a comment record goes under ``meta``.
UTTERANCE_KEYS = ("id", "speaker", "conversation_id", "reply_to", "timestamp", "text")
#: Comment fields that the utterance's own keys carry (not repeated under ``meta``).
_CARRIED = ("id", "author", "thread_id", "parent_id", "text", "page")
#: The ``version`` index.json states (ConvoKit's own dumps count up from 1).
INDEX_VERSION = 1
ANONYMOUS = "[no name] "


def write_convokit(pages: Sequence[PageTables], out: Path) -> None:
    """Write the ConvoKit corpus of ``pages`` into the folder ``out``."""
    prefixed = len(pages) > 1
    utterances = [_utterance(record, prefixed) for page in pages for record in page.comments]
    speakers: dict[str, dict[str, Any]] = {}
    for utterance in utterances:
        name = utterance["speaker"]
        meta: dict[str, Any] = speakers.setdefault(
            name, {"meta": {"comments": 0, "named": not name.startswith(ANONYMOUS)}, "vectors": []}
        )["meta"]
        meta["comments"] += 1
    conversations: dict[str, dict[str, Any]] = {
        _uid(t.page, t.thread_id, prefixed): {
            "meta": {k: v for k, v in as_dict(t).items() if k != "thread_id"},
            "vectors": [],
        }
        for page in pages
        for t in page.threads
    }
    corpus = {"pages": [as_dict(page.page) for page in pages]}
    index = {
        "utterances-index": _types(u["meta"] for u in utterances),
        "speakers-index": _types(speaker["meta"] for speaker in speakers.values()),
        "conversations-index": _types(c["meta"] for c in conversations.values()),
        "overall-index": _types([corpus]),
        "version": INDEX_VERSION,
        "vectors": [],
    }
    prepare_folder(out)
    write_all(
        {
            out / "utterances.jsonl": "".join(_json(u) + "\n" for u in utterances),
            out / "speakers.json": _json(speakers),
            out / "conversations.json": _json(conversations),
            out / "corpus.json": _json(corpus),
            out / "index.json": _json(index),
        }
    )


def _uid(page: str, comment_id: str, prefixed: bool) -> str:
    return f"{page}/{comment_id}" if prefixed else comment_id


def _utterance(record: Mapping[str, Any], prefixed: bool) -> dict[str, Any]:
    page = record["page"]
    uid = _uid(page, record["id"], prefixed)
    parent = record["parent_id"]
    author = record["author"]
    return {
        "id": uid,
        "speaker": author if author is not None else f"{ANONYMOUS}{uid}",
        "conversation_id": _uid(page, record["thread_id"], prefixed),
        "reply_to": None if parent is None else _uid(page, parent, prefixed),
        "timestamp": unix_seconds(record["posted_iso"]),
        "text": record["text"],
        "meta": {
            "page": page,
            "comment_id": record["id"],
            **{k: v for k, v in record.items() if k not in _CARRIED},
        },
    }


def unix_seconds(posted_iso: str | None) -> int | None:
    """Seconds since 1970 (UTC) of an ISO 8601 date; a date without an offset is taken as UTC."""
    if posted_iso is None:
        return None
    moment = datetime.fromisoformat(posted_iso)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp())


def _types(metas: Iterable[Mapping[str, Any]]) -> dict[str, list[str]]:
    """Each meta key's type as ConvoKit's index writes it (``["<class 'int'>"]``), from its
    first non-null value (``<class 'NoneType'>`` when it is always null)."""
    found: dict[str, list[str]] = {}
    for meta in metas:
        for key, value in meta.items():
            if key not in found or (value is not None and found[key] == [_NONE]):
                found[key] = [str(type(value))]
    return found


_NONE = str(type(None))


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, allow_nan=False)
