"""Parser for saved HTML pages with a wpDiscuz comment section (UnHerd's comment plugin).

Each comment is an element with the id ``wpd-comm-{ID}_{PARENT}`` (``wc-comm-`` in wpDiscuz 5
and older), so parents are exact even where WordPress flattened replies past its depth limit.
Every field is read from the comment's *own* markup, never from the replies nested inside
it. The search is scoped to the thread list so the reply form's avatar and the header are
never read as comments. See ``../shared/wpdiscuz-markup.md`` for the markup.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bs4 import BeautifulSoup, NavigableString, Tag

from threads.errors import InputError
from threads.models import Article, ParsedPage, RawComment

COMMENT_ID = re.compile(r"^(?:wpd|wc)-comm-(\d+)(?:_(\d+))?$")
COMMENT_HREF = re.compile(r"#comment-(\d+)$")
HTML_SPACE = re.compile(r"[ \t\n\r\f]+")
BLOCKS = (
    "p", "div", "blockquote", "li", "ul", "ol", "pre", "h1", "h2", "h3", "h4", "h5", "h6",
    "table", "tr",
)  # fmt: skip
# Sentinels for line and paragraph breaks while HTML whitespace is collapsed.
LINE, PARAGRAPH = "\u2028", "\u2029"


def _classes(*names: str) -> str:
    """A selector matching the wpDiscuz 7 class and its legacy ``wc-`` twin."""
    return ", ".join(f".wpd-{n}, .wc-{n}" for n in names)


class HtmlPageParser:
    """Read the article and the wpDiscuz comments from a saved HTML page."""

    def parse(self, text: str, source: str) -> ParsedPage:
        soup = BeautifulSoup(text, "lxml")
        scope = (
            soup.select_one(".wpd-thread-list, .wc-thread-wrapper")
            or soup.select_one("#wpd-threads, #wpdcom, #wc-comment-header")
            or soup
        )
        elements = scope.find_all(id=COMMENT_ID)
        comments = [self._comment(el, position) for position, el in enumerate(elements, 1)]
        total = _announced_total(soup)
        article = _article(soup)  # last: it detaches the comment section
        if not comments and not article.paragraphs and article.title is None:
            raise InputError(
                source,
                "is HTML but holds no wpDiscuz comments (div id 'wpd-comm-ID_PARENT') "
                "and no article",
            )
        return ParsedPage("html", article, tuple(comments), announced_total=total)

    def _comment(self, element: Tag, position: int) -> RawComment:
        match = COMMENT_ID.match(str(element.get("id")))
        assert match is not None  # selected by this pattern
        comment_id, parent = match.group(1), match.group(2)

        def own(selector: str) -> Tag | None:
            for found in element.select(selector):
                if found.find_parent(id=COMMENT_ID) is element:
                    return found
            return None

        author_tag = own(_classes("comment-author"))
        author = _clean(author_tag.get_text(" ")) if author_tag else ""
        if not author:
            avatar = own(".wpd-avatar img, .wc-comment-left img")
            author = _clean(str(avatar.get("alt", ""))) if avatar else ""
        date = own(_classes("comment-date"))
        reply_link = own(".wpd-reply-to a, .wc-reply-to a")
        parent_ref = None if parent == "0" else parent
        if parent is None and reply_link is not None:  # no id suffix: use the Reply to link
            href = COMMENT_HREF.search(str(reply_link.get("href", "")))
            parent_ref = href.group(1) if href else None
        body = own(_classes("comment-text"))
        truncated = False
        if body is not None:
            for quote in body.select(".wpd-inline-feedback-wrapper"):
                quote.decompose()
            for more in body.select("[id^=wpdiscuz-readmore]"):
                more.decompose()
                truncated = True  # the page holds only the start of this comment
        edited = own(_classes("comment-last-edited"))
        return RawComment(
            id=comment_id,
            position=position,
            text=_body_text(body) if body is not None else "",
            author=author or None,
            posted=_clean(date.get_text(" ")) or None if date else None,
            posted_at=_clean(str(date.get("title", ""))) or None if date else None,
            reply_to=_clean(reply_link.get_text(" ")) if reply_link is not None else None,
            parent_ref=parent_ref,
            edited=_clean(edited.get_text(" ")) or None if edited else None,
            truncated=truncated,
            votes=_votes(own),
        )


def _clean(text: str) -> str:
    return " ".join(text.split())


def _collapse(text: str) -> str:
    """HTML whitespace collapsing: runs of ASCII white space become one space; a
    non-breaking space (&nbsp;) is text and stays, as in the page's text dump."""
    return HTML_SPACE.sub(" ", text).strip(" ")


def _votes(own: Callable[[str], Tag | None]) -> int | None:
    """The vote score from the ``title`` attributes (the visible text may say "1K")."""

    def number(tag: Tag | None) -> int | None:
        if tag is None:
            return None
        # wpDiscuz 7 puts the exact score in the title; the legacy markup only in the text.
        value = str(tag.get("title") or tag.get_text()).strip()
        try:
            return int(value)
        except ValueError:
            return None

    like = own(".wpd-vote-result-like")
    if like is not None:
        likes, dislikes = number(like), number(own(".wpd-vote-result-dislike"))
        if likes is None and dislikes is None:
            return None
        return (likes or 0) + (dislikes or 0)  # dislikes carry their minus sign
    return number(own(_classes("vote-result")))


def _body_text(body: Tag) -> str:
    """The body as the text dump shows it: paragraphs split by a blank line, <br> by \\n."""
    for br in body.find_all("br"):
        br.replace_with(NavigableString(LINE))
    for block in body.find_all(BLOCKS):
        block.insert_before(NavigableString(PARAGRAPH))
        block.insert_after(NavigableString(PARAGRAPH))
    raw = body.get_text()
    paragraphs = []
    for paragraph in raw.split(PARAGRAPH):
        lines = [_collapse(line) for line in paragraph.split(LINE)]
        text = "\n".join(lines).strip("\n ")
        if text.strip():
            paragraphs.append(text)
    return "\n\n".join(paragraphs)


def _announced_total(soup: BeautifulSoup) -> int | None:
    info = soup.select_one(".wpd-thread-info[data-comments-count]")
    value = info.get("data-comments-count") if info else None
    if value is None:
        counter = soup.select_one("span.wpdtc[title]")
        value = counter.get("title") if counter else None
    try:
        return int(str(value).replace(",", "")) if value is not None else None
    except ValueError:
        return None


def _meta(soup: BeautifulSoup, *keys: str) -> str | None:
    for key in keys:
        tag = soup.find("meta", attrs={"property": key}) or soup.find("meta", attrs={"name": key})
        if tag is not None and _clean(str(tag.get("content", ""))):
            return _clean(str(tag.get("content")))
    return None


def _article(soup: BeautifulSoup) -> Article:
    """Title, author, date and paragraphs from article markup and meta tags."""
    comments = soup.select_one("#wpdcom, #comments, .wpd-thread-list, .wc-thread-wrapper")
    if comments is not None:
        comments.extract()  # never read comment text as article text
    container = soup.select_one(
        "article .entry-content, .entry-content, article .post-content, article, main"
    )
    heading = container.find("h1") if container else soup.find("h1")
    title = _meta(soup, "og:title", "twitter:title") or (
        _clean(heading.get_text(" ")) if heading else None
    )
    if title is None and soup.title is not None:
        title = _clean(soup.title.get_text(" ")) or None
    author_tag = soup.select_one("[rel=author], .author-name, .byline .author, .author")
    author = _meta(soup, "author", "article:author") or (
        _clean(author_tag.get_text(" ")) or None if author_tag else None
    )
    time_tag = soup.find("time")
    published = _meta(soup, "article:published_time") or (
        str(time_tag.get("datetime") or _clean(time_tag.get_text(" "))) if time_tag else None
    )
    paragraphs: list[str] = []
    if container is not None:
        for p in container.find_all("p"):
            text = _body_text(p)
            if text:
                paragraphs.append(text)
    return Article(
        title=title or None,
        published=published or None,
        author=author,
        paragraphs=tuple(paragraphs),
    )
