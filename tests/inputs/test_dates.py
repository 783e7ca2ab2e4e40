"""posted_iso: ISO 8601 from the dates pages show, relative ones only with a saved date."""

from __future__ import annotations

from pathlib import Path

import pytest

import threads
from threads.errors import OptionError
from threads.inputs.dates import posted_iso

from ..conftest import SOURCE


@pytest.mark.parametrize(
    ("posted_at", "posted", "saved_at", "expected"),
    [
        ("June 2, 2023 9:41 am", "10 months ago", None, "2023-06-02T09:41:00"),
        (None, "2023-06-02T09:41:00+01:00", None, "2023-06-02T09:41:00+01:00"),
        (None, "2023-06-02T08:41:00Z", None, "2023-06-02T08:41:00+00:00"),
        (None, "Fri, 02 Jun 2023 09:41:00 +0200", None, "2023-06-02T09:41:00+02:00"),
        (None, "2 June 2023", None, "2023-06-02T00:00:00"),
        (None, "10 months ago", None, None),  # relative, and no saved date: unknown
        (None, "10 months ago", "2024-04-02T10:00:00+01:00", "2023-06-02T10:00:00+01:00"),
        (None, "a day ago", "2024-04-02T10:00:00", "2024-04-01T10:00:00"),
        (None, "3 hours ago", "2024-04-02T10:00:00", "2024-04-02T07:00:00"),
        (None, "yesterday", "2024-04-02T10:00:00", "2024-04-01T10:00:00"),
        (None, "1685696400", None, "2023-06-02T09:00:00+00:00"),  # Unix seconds
        (None, "1685696400000", None, "2023-06-02T09:00:00+00:00"),  # milliseconds
        (None, "13/06/2023 09:41", None, "2023-06-13T09:41:00"),
        (None, "02/06/2023 09:41", None, None),  # 2 June or February 6: refused
        (None, "June 2", None, None),  # no year: never filled in from today
        (None, "9:41 am", None, None),
        (None, "Reply", None, None),
        (None, None, "2024-04-02T10:00:00", None),
    ],
)
def test_posted_iso(
    posted_at: str | None, posted: str | None, saved_at: str | None, expected: str | None
) -> None:
    assert posted_iso(posted_at, posted, saved_at) == expected


def test_saved_at_resolves_relative_dates_of_a_text_dump() -> None:
    assert {c.posted_iso for c in threads.load(SOURCE)} == {None}
    discussion = threads.load(SOURCE, saved_at="2024-04-02")
    assert discussion.saved_at == "2024-04-02T00:00:00"
    assert discussion.get("1").posted == "10 months ago"
    assert discussion.get("1").posted_iso == "2023-06-02T00:00:00"


def test_saved_at_is_kept_in_threads_json(tmp_path: Path) -> None:
    from threads import export

    discussion = threads.load(SOURCE, saved_at="2024-04-02T10:00+01:00")
    document = export.document(export.discussion_header(discussion), discussion.records())
    path = tmp_path / "saved.json"
    path.write_text(export.to_json(document), "utf-8")
    again = threads.load(path)
    assert again.saved_at == "2024-04-02T10:00:00+01:00"
    assert again.records() == discussion.records()


def test_a_saved_at_that_is_no_date_is_an_option_error() -> None:
    with pytest.raises(OptionError, match="saved_at must be a date with year, month and day"):
        threads.load(SOURCE, saved_at="last week")
