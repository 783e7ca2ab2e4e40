"""Parser for saved HTML pages with a wpDiscuz comment section (UnHerd's comment plugin).

Each comment is an element with the id ``wpd-comm-{ID}_{PARENT}`` (``wc-comm-`` in wpDiscuz 5
and older), so parents are exact even where WordPress flattened replies past its depth limit.
Every field is read from the comment's *own* markup (its ``.wpd-comment-wrap``), never from
the replies nested inside it. The search is scoped to the thread list so the reply form's
avatar and the header are never read as comments. See ``../shared/wpdiscuz-markup.md``.
"""

from __future__ import annotations

import dataclasses
import re
import warnings
from collections.abc import Iterable

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, XMLParsedAsHTMLWarning
from bs4.element import CData, NavigableString, Tag

from threads.errors import InputError
from threads.models import Article, ParsedPage, RawComment

COMMENT_ID = re.compile(r"^(?:wpd|wc)-comm-(\d+)(?:_(\d+))?$")
COMMENT_HREF = re.compile(r"#comment-(\d+)$")
READ_MORE = re.compile(r"^wpdiscuz-readmore")
HTML_SPACE = re.compile(r"[ \t\n\r\f]+")
BLOCKS = (
    "p", "div", "blockquote", "li", "ul", "ol", "pre", "h1", "h2", "h3", "h4", "h5", "h6",
    "table", "tr", "figure", "figcaption",
)  # fmt: skip
# A paragraph break while a body is read (a marker object: no character can be mistaken
# for it). Strings of these exact types are text (not comments, scripts or styles).
_PARAGRAPH = object()
_TEXT_TYPES = (NavigableString, CData)

# Where the comments live: the thread list first, then wider wpDiscuz containers.
THREAD_SCOPES = (".wpd-thread-list", ".wc-thread-wrapper", "#wpd-threads", "#wpdcom")
# Removed before the article is read, so comment text never becomes article text.
COMMENT_SECTIONS = (
    "#wpdcom", "#wpd-threads", ".wpd-thread-list", ".wc-thread-wrapper", "#comments",
)  # fmt: skip
# The article body, most specific first (the first that exists wins).
ARTICLE_BODIES = (
    "article .entry-content", ".entry-content", "article .post-content", ".post-content",
    "article", "main", "[role=main]",
)  # fmt: skip
CAPTIONS = ("figcaption", ".wp-caption-text")
BIOS = (".author-bio", ".author-description", ".about-author")
BYLINES = ("[rel=author]", ".author-name", ".byline a", ".byline", ".author")
# Inside the body but not body text: read separately (captions, bio) or not at all.
NOT_BODY = (
    *CAPTIONS, *BIOS, "figure", "aside", "nav", "header", "footer", "form", "script", "style",
)  # fmt: skip


class HtmlPageParser:
    """Read the article and the wpDiscuz comments from a saved HTML page."""

    def parse(self, text: str, source: str) -> ParsedPage:
        with warnings.catch_warnings():
            # An XHTML prolog or a page that looks like a file name: still read as HTML,
            # which is what the page is; bs4's advice is no concern of the user's.
            warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
            warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
            soup = BeautifulSoup(text, "lxml")
        elements = _comment_elements(soup)
        comments = [_comment(el, position) for position, el in enumerate(elements, 1)]
        total = _announced_total(soup)
        article = _article(soup)  # last: it removes the comment section from the tree
        if not comments and not article.paragraphs:
            raise InputError(
                source,
                "is HTML but holds no wpDiscuz comments (div id 'wpd-comm-ID_PARENT') "
                "and no article",
            )
        return ParsedPage("html", article, tuple(comments), announced_total=total)


def _comment_elements(soup: BeautifulSoup) -> list[Tag]:
    """The comments of the thread lists that hold any (a theme may print an empty list
    first), else of a wider wpDiscuz container, else of the whole page; page order."""
    for selector in THREAD_SCOPES:
        scopes = soup.select(selector)
        found: dict[int, Tag] = {}
        for scope in scopes:
            for element in scope.find_all(id=COMMENT_ID):
                found.setdefault(id(element), element)  # scopes may nest
        if found:
            elements = list(found.values())
            if len(scopes) > 1:
                order = {id(el): i for i, el in enumerate(soup.find_all(id=COMMENT_ID))}
                elements.sort(key=lambda el: order[id(el)])
            return elements
    return list(soup.find_all(id=COMMENT_ID))


class _OwnMarkup:
    """One comment's own markup, indexed by class, never including the replies inside it.

    wpDiscuz 7 puts a comment's own fields in its direct child ``.wpd-comment-wrap`` and the
    replies after it; the legacy markup has no wrap, so there the comment's child elements
    are read, skipping replies (also where a theme wraps them in a list). One pass per
    comment over its own markup keeps a page of n comments O(n).
    """

    def __init__(self, element: Tag) -> None:
        wrap = element.find(class_="wpd-comment-wrap", recursive=False)
        stack = [wrap] if isinstance(wrap, Tag) else _child_tags(element)[::-1]
        self.by_class: dict[str, Tag] = {}
        while stack:
            tag = stack.pop()
            if COMMENT_ID.match(str(tag.get("id", ""))):
                continue  # a reply, with its own fields
            for name in tag.get_attribute_list("class"):
                self.by_class.setdefault(name, tag)
            stack.extend(_child_tags(tag)[::-1])

    def first(self, *names: str) -> Tag | None:
        """The first element with the class ``wpd-NAME`` (or its legacy twin ``wc-NAME``)."""
        for name in names:
            for prefix in ("wpd-", "wc-"):
                if (found := self.by_class.get(prefix + name)) is not None:
                    return found
        return None

    def inner(self, name: str, tag_name: str) -> Tag | None:
        """The first ``tag_name`` element inside the ``wpd-NAME`` element."""
        outer = self.first(name)
        found = outer.find(tag_name) if outer is not None else None
        return found if isinstance(found, Tag) else None

    def text(self, name: str) -> str | None:
        """The element's text, whitespace collapsed; None when absent."""
        found = self.first(name)
        return None if found is None else _clean(found.get_text(" "))


def _child_tags(tag: Tag) -> list[Tag]:
    return [child for child in tag.contents if isinstance(child, Tag)]


def _comment(element: Tag, position: int) -> RawComment:
    match = COMMENT_ID.match(str(element.get("id")))
    assert match is not None  # selected by this pattern
    comment_id, parent = match.group(1), match.group(2)
    own = _OwnMarkup(element)
    date = own.first("comment-date")
    reply_link = own.inner("reply-to", "a")
    body = own.first("comment-text")
    text, truncated = _read_body(body) if body is not None else ("", False)
    return RawComment(
        id=comment_id,
        position=position,
        text=text,
        author=_author(own),
        posted=_clean(date.get_text(" ")) or None if date is not None else None,
        posted_at=_clean(str(date.get("title", ""))) or None if date is not None else None,
        reply_to=_clean(reply_link.get_text(" ")) if reply_link is not None else None,
        parent_ref=_parent_ref(parent, reply_link),
        edited=own.text("comment-last-edited") or None,
        truncated=truncated,
        votes=_votes(own),
    )


def _author(own: _OwnMarkup) -> str | None:
    """The display name; the avatar's ``alt`` holds the same name when the author div is
    missing. An empty or blank name (wpDiscuz prints one for some users) is None."""
    author = own.text("comment-author")
    if not author:
        avatar = own.inner("avatar", "img") or own.inner("comment-left", "img")
        author = _clean(str(avatar.get("alt", ""))) if avatar is not None else None
    return author or None


def _parent_ref(parent: str | None, reply_link: Tag | None) -> str | None:
    """The parent id from the element id (``_0`` is top-level); an id without the suffix
    falls back to the ``Reply to`` link, whose href names the true parent."""
    if parent is not None:
        return None if parent == "0" else parent
    if reply_link is None:
        return None
    href = COMMENT_HREF.search(str(reply_link.get("href", "")))
    return href.group(1) if href else None


def _clean(text: str) -> str:
    return " ".join(text.split())


def _collapse(text: str) -> str:
    """HTML whitespace collapsing: runs of ASCII white space become one space; a
    non-breaking space (&nbsp;) is text and stays, as in the page's text dump."""
    return HTML_SPACE.sub(" ", text).strip(" ")


def _whole(value: object) -> int | None:
    try:
        return int(str(value).strip().replace(",", ""))
    except ValueError:
        return None


def _votes(own: _OwnMarkup) -> int | None:
    """The vote score from the ``title`` attributes (the visible text may say "1K")."""

    def number(tag: Tag | None) -> int | None:
        # wpDiscuz 7 puts the exact score in the title; the legacy markup only in the text.
        return None if tag is None else _whole(tag.get("title") or tag.get_text())

    like = own.first("vote-result-like")
    if like is not None:
        likes, dislikes = number(like), number(own.first("vote-result-dislike"))
        if likes is None and dislikes is None:
            return None
        return (likes or 0) + (dislikes or 0)  # dislikes carry their minus sign
    return number(own.first("vote-result"))


def _body_text(body: Tag) -> str:
    """The body as the text dump shows it: paragraphs split by a blank line, <br> by \\n."""
    return _read_body(body)[0]


def _is_chrome(tag: Tag) -> bool:
    """wpDiscuz's own markup (classes ``wpd-...``, ``wc-...``: footer, header, the quoted
    article passage...) or a comment element. Commenters cannot set classes, so inside a
    body this is markup that an unclosed tag pulled in, never the commenter's text."""
    if COMMENT_ID.match(str(tag.get("id", ""))):
        return True
    return any(name.startswith(("wpd-", "wc-")) for name in tag.get_attribute_list("class") if name)


def _read_body(body: Tag) -> tuple[str, bool]:
    """(text, cut by "Read more"), in one iterative pass that changes nothing in the tree.

    Markup that an unclosed ``<table>``, ``<div>``, ``<ul>`` or ``<blockquote>`` pulled into
    the body (the next comments, this comment's footer) is skipped, so each comment's text
    stays its own. Breaks are kept as markers, not characters, so every character of the
    text (U+2028 and U+2029 too) comes out as written. Near-linear at any nesting depth.
    """
    paragraphs: list[list[list[str]]] = [[[]]]  # paragraphs of lines of strings
    cut = False
    stack: list[object] = list(reversed(body.contents))
    while stack:
        node = stack.pop()
        if node is _PARAGRAPH:
            if paragraphs[-1] != [[]]:
                paragraphs.append([[]])
        elif isinstance(node, Tag):
            if READ_MORE.match(str(node.get("id", ""))):
                cut = True
            elif node.name == "br":
                paragraphs[-1].append([])
            elif not _is_chrome(node):
                block = node.name in BLOCKS
                if block:
                    stack.append(_PARAGRAPH)
                stack.extend(reversed(node.contents))
                if block:
                    stack.append(_PARAGRAPH)
        elif type(node) in _TEXT_TYPES:
            paragraphs[-1][-1].append(str(node))
    texts = []
    for paragraph in paragraphs:
        lines = [_collapse("".join(line)) for line in paragraph]
        text = "\n".join(lines).strip("\n ")
        if text.strip():
            texts.append(text)
    return "\n\n".join(texts), cut


def _announced_total(soup: BeautifulSoup) -> int | None:
    """The header's comment count: all approved comments, not only those on the page."""
    info = soup.find(lambda tag: tag.has_attr("data-comments-count"))
    if isinstance(info, Tag):
        return _whole(info.get("data-comments-count"))
    counter = soup.find("span", class_="wpdtc", title=True)
    return _whole(counter.get("title")) if isinstance(counter, Tag) else None


def _metas(soup: BeautifulSoup) -> dict[str, str]:
    """``<meta property|name=KEY content=...>`` by lower-case key (first one wins)."""
    found: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        key = str(tag.get("property") or tag.get("name") or "").strip().lower()
        content = _clean(str(tag.get("content", "")))
        if key and content:
            found.setdefault(key, content)
    return found


def _first_text(tags: Iterable[Tag | None]) -> str | None:
    for tag in tags:
        if tag is not None and _clean(tag.get_text(" ")):
            return _clean(tag.get_text(" "))
    return None


def _select_first(scope: Tag, selectors: Iterable[str]) -> Tag | None:
    """The first selector that matches wins (a selector group would go by document order)."""
    return next((found for s in selectors if (found := scope.select_one(s)) is not None), None)


def _article(soup: BeautifulSoup) -> Article:
    """Title, author, date, caption, bio and paragraphs from article markup and meta tags.

    The visible markup is preferred (it is what the text dump shows); meta tags fill gaps.
    """
    for selector in COMMENT_SECTIONS:  # the widest first: later searches are then short
        while (section := soup.select_one(selector)) is not None:
            section.extract()  # never read comment text as article text
    meta = _metas(soup)
    found = soup.find("article")
    region = found if isinstance(found, Tag) else None
    scope = region or soup
    title = _first_text([region.find("h1")]) if region is not None else None
    title = title or meta.get("og:title") or meta.get("twitter:title")
    bio_tag = _select_first(scope, BIOS) or _select_first(soup, BIOS)
    bio = " ".join(_body_text(bio_tag).split("\n\n")) if bio_tag is not None else None
    header = Article(
        title=title or _first_text([soup.find("h1"), soup.title]),
        published=_published(scope, meta),
        author=_author_name(scope, meta),
        caption=_first_text([_select_first(scope, CAPTIONS)]),
        bio=bio or None,
    )
    body = _select_first(soup, ARTICLE_BODIES)
    if body is None:
        return header
    for part in body.select(", ".join(NOT_BODY)):
        part.decompose()  # read above (caption, bio) or not article text (nav, form, ...)
    paragraphs = tuple(text for p in body.find_all("p") if (text := _body_text(p)))
    return dataclasses.replace(header, paragraphs=paragraphs)


def _published(scope: Tag, meta: dict[str, str]) -> str | None:
    if "article:published_time" in meta:
        return meta["article:published_time"]
    time_tag = scope.find("time")
    if not isinstance(time_tag, Tag):
        return None
    return str(time_tag.get("datetime") or "").strip() or _clean(time_tag.get_text(" ")) or None


def _author_name(scope: Tag, meta: dict[str, str]) -> str | None:
    if "author" in meta:
        return meta["author"]
    byline = _first_text([_select_first(scope, BYLINES)])
    if byline:
        return re.sub(r"^by\s+", "", byline, flags=re.I) or None
    profile = meta.get("article:author")  # often a profile URL, which is no name
    return profile if profile and not profile.startswith(("http:", "https:")) else None
