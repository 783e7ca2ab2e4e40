"""Parser for UnHerd pages saved as plain text (what a browser's "select all, copy" gives).

The page is the article, then the comment section. A comment block is::

    Author Name            <- the display name, twice (avatar alt text, then the name)
    Author Name
    10 months ago          <- relative date
    Reply to  Parent Name  <- only on replies; the name may be missing
                           <- blank line
    Body, one or more lines and blank-line paragraphs,
    up to the next block.

    Last edited 2 years ago by Author Name   <- optional; the next block may follow directly

Commenters with no display name have no name lines: their block starts at the date. Blocks
only start at the top of the comment section, after a blank line, or after a ``Last edited``
line, and need the blank line after their header, so a body line that merely looks like a
name, a date or ``Reply to`` stays body text. Comment-widget chrome before the first comment
(``Subscribe``, ``N Comments``, ``Most Voted``...) is skipped; its count is kept.

Header lines are matched after their white space is normalised: any run of Unicode white
space (no-break space U+00A0, figure space U+2007, narrow no-break space U+202F, ideographic
space U+3000, tabs, doubled spaces...) counts as one space, so ``Reply\u00a0to  Ann`` and
``3\tdays ago`` are header lines. A display name may be of any length (WordPress allows 250
characters; nothing here limits it). Body lines are kept exactly as written.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from threads.models import Article, ParsedPage, RawComment

_UNITS = r"(?:second|minute|hour|day|week|month|year)s?"
# Header patterns take any white space between words: they match a line as written (stripped)
# as well as its normalised form.
DATE_LINE = re.compile(rf"(?:right\s+now|just\s+now|(?:\d+|an?)\s+{_UNITS}\s+ago)", re.I)
REPLY_LINE = re.compile(r"Reply\s+to(?:\s+(?P<name>.*))?", re.S)
EDITED_LINE = re.compile(r"Last\s+edited\s+(?P<when>.+?)\s+by\s+(?P<who>.*)", re.S)
ROLE_LABELS = frozenset({"Author", "Admin", "Administrator", "Editor", "Moderator", "Staff"})
CHROME_LINES = frozenset(
    {
        "subscribe",
        "notify of",
        "guest",
        "most voted",
        "newest oldest",
        "newest",
        "oldest",
        "inline feedbacks",
        "view all comments",
        "login",
        "join the discussion",
    }
)
COMMENT_COUNT = re.compile(r"(?P<n>\d[\d,]*)\s+Comments?", re.I)
ARTICLE_DATE = re.compile(
    r"(?P<date>(?:January|February|March|April|May|June|July|August|September|October"
    r"|November|December)\s+\d{1,2},\s+\d{4})(?:\s+(?P<reading>\d+\s+mins?))?"
)
BIO = re.compile(r"(?P<name>(?:[A-Z][\w.'\u2019-]*\s){1,4}?)(?:is|was)\s+(?:an?|the)\s")
# An announced count with more digits than this is no count (and int() would refuse it).
MAX_COUNT_DIGITS = 18
# A cut-off page usually stops mid-sentence: a last body ending in none of these is
# taken as truncated when the file also lacks its final newline.
SENTENCE_END = frozenset(".!?\u2026\"'\u201d\u2019)]*")


@dataclass(frozen=True)
class _Header:
    author: str | None
    posted: str | None
    reply_to: str | None
    body_start: int
    complete: bool  # False when the page ends inside the header


def _strip(line: str) -> str:
    """A line as header matching sees it: every run of Unicode white space is one space."""
    return " ".join(line.split())


def _is_name(line: str) -> bool:
    return (
        bool(line)
        and not DATE_LINE.fullmatch(line)
        and not REPLY_LINE.fullmatch(line)
        and not EDITED_LINE.fullmatch(line)
    )


class TextDumpParser:
    """Parse the text of an UnHerd page (article and comments, or comments only)."""

    def parse(self, text: str) -> ParsedPage:
        lines = text.split("\n")
        self._written = [line.strip() for line in lines]  # what fields keep
        self._lines = [_strip(line) for line in lines]  # what header matching sees
        start, chrome_start, total = self._find_comment_section()
        article = parse_article_lines(lines[: chrome_start if chrome_start is not None else start])
        comments = self._parse_comments(lines, start, ends_cleanly=text.endswith("\n"))
        return ParsedPage(
            "text", article, tuple(comments), announced_total=total, parents_by_name=True
        )

    # -- locating the comment section -------------------------------------------------

    def _find_comment_section(self) -> tuple[int, int | None, int | None]:
        """(first comment line, first chrome line or None, announced total or None)."""
        stripped = self._lines
        for i in range(len(stripped)):
            if i and stripped[i - 1]:
                continue
            if self._header_at(i) is not None:
                return i, None, None
            if self._chrome_run(i) >= 2:
                j, total = i, None
                while (
                    j < len(stripped)
                    and (not stripped[j] or self._is_chrome(stripped[j]))
                    and self._header_at(j) is None
                ):
                    match = COMMENT_COUNT.fullmatch(stripped[j])
                    digits = match["n"].replace(",", "") if match else ""
                    if digits and len(digits) <= MAX_COUNT_DIGITS:
                        total = int(digits)
                    j += 1
                return j, i, total
        return len(stripped), None, None

    def _is_chrome(self, line: str) -> bool:
        return line.casefold() in CHROME_LINES or COMMENT_COUNT.fullmatch(line) is not None

    def _chrome_run(self, i: int) -> int:
        run = 0
        for line in self._lines[i : i + 12]:
            if not line:
                continue
            if not self._is_chrome(line):
                break
            run += 1
        return run

    # -- comment blocks -------------------------------------------------------------------

    def _header_at(self, i: int) -> _Header | None:
        s = self._lines
        n = len(s)

        def at(j: int) -> str | None:
            return s[j] if j < n else None

        first = at(i)
        if not first:
            return None
        written = self._written
        if DATE_LINE.fullmatch(first):
            author, posted, j = None, written[i], i + 1
        elif not _is_name(first):
            return None
        elif at(i + 1) == first and at(i + 2) is not None and DATE_LINE.fullmatch(s[i + 2]):
            author, posted, j = written[i], written[i + 2], i + 3
        elif (
            at(i + 1) in ROLE_LABELS
            and at(i + 2) == first
            and at(i + 3) is not None
            and DATE_LINE.fullmatch(s[i + 3])
        ):
            author, posted, j = written[i], written[i + 3], i + 4
        elif at(i + 1) == first and i + 2 >= n:
            return _Header(written[i], None, None, n, complete=False)  # cut off after the names
        else:
            return None
        reply_to = None
        if j < n:
            match = REPLY_LINE.fullmatch(written[j]) if REPLY_LINE.fullmatch(s[j]) else None
            if match:
                reply_to = (match["name"] or "").strip()
                j += 1
        if j >= n:
            return _Header(author, posted, reply_to, n, complete=False)
        if s[j]:
            return None  # a real header is always followed by a blank line
        return _Header(author, posted, reply_to, j + 1, complete=True)

    def _edited_at(self, i: int) -> str | None:
        """The ``Last edited`` note at line i, if that line is one (and not body text)."""
        s = self._lines
        if not EDITED_LINE.fullmatch(s[i]) or (i and s[i - 1]):
            return None
        n = len(s)
        follows_block = (
            i + 1 >= n
            or self._header_at(i + 1) is not None
            or (not s[i + 1] and (i + 2 >= n or self._header_at(i + 2) is not None))
        )
        return self._written[i] if follows_block else None

    def _parse_comments(self, lines: list[str], start: int, ends_cleanly: bool) -> list[RawComment]:
        blocks: list[tuple[_Header, list[str], str | None]] = []
        body: list[str] = []
        edited: str | None = None
        header: _Header | None = None
        block_start = True
        i, n = start, len(lines)
        while i < n:
            found = self._header_at(i) if block_start else None
            if found is not None:
                if header is not None:
                    blocks.append((header, body, edited))
                header, body, edited = found, [], None
                block_start = True
                i = found.body_start
                continue
            note = self._edited_at(i) if header is not None else None
            if note is not None:
                edited = note
                block_start = True
                i += 1
                continue
            body.append(lines[i])
            block_start = not self._lines[i]
            i += 1
        if header is not None:
            blocks.append((header, body, edited))

        comments = []
        for position, (head, body_lines, note) in enumerate(blocks, start=1):
            text = "\n".join(body_lines).strip()
            is_last = position == len(blocks)
            truncated = not head.complete or (
                is_last and note is None and not ends_cleanly and not _looks_finished(text)
            )
            comments.append(
                RawComment(
                    id=str(position),
                    position=position,
                    text=text,
                    author=head.author,
                    posted=head.posted,
                    reply_to=head.reply_to,
                    edited=note,
                    truncated=truncated,
                )
            )
        return comments


def _looks_finished(text: str) -> bool:
    if not text:
        return False
    last = text[-1]
    return last in SENTENCE_END or unicodedata.category(last) in {"So", "Sk"}


def _paragraphs(lines: list[str]) -> list[str]:
    paragraphs, current = [], []
    for line in lines:
        if line.strip():
            current.append(line.strip())
        elif current:
            paragraphs.append("\n".join(current))
            current = []
    if current:
        paragraphs.append("\n".join(current))
    return paragraphs


def parse_article_lines(lines: list[str]) -> Article:
    """Title, caption, date line, body paragraphs and an author bio, when present."""
    paragraphs = _paragraphs(lines)
    if not paragraphs:
        return Article()
    title = " ".join(paragraphs[0].split("\n"))
    rest = paragraphs[1:]
    caption_parts: list[str] = []
    published = None
    for index, paragraph in enumerate(rest):
        match = ARTICLE_DATE.fullmatch(" ".join(paragraph.split()))
        if match:
            published = match["date"]
            caption_parts, rest = rest[:index], rest[index + 1 :]
            break
    author = bio = None
    if rest:
        match = BIO.match(rest[-1])
        if match and len(rest) > 1:
            bio, author = rest[-1], match["name"].strip()
            rest = rest[:-1]
    return Article(
        title=title,
        published=published,
        author=author,
        paragraphs=tuple(rest),
        caption="\n\n".join(caption_parts) or None,
        bio=bio,
    )
