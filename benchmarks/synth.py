"""Synthetic UnHerd comment pages for benchmarks and scale tests.

``python benchmarks/synth.py N OUT [--seed S] [--deep] [--pool P]`` writes the corpus article
(corpus/unherd-how-to-escape-north-korea.txt up to its first comment) followed by N comments
in the UnHerd plain-text format (see ``threads.inputs.textdump``):

* about 60% of the comments are replies; thread sizes are heavy-tailed (most top-level
  comments get no reply, a few get hundreds), chains run several levels deep, and the page
  lists them depth first like the real page does;
* authors come from a pool of a few thousand realistic names with a long-tailed popularity,
  repeat within threads (people answer back: A, B, A, B...), and about 3% of comments are
  anonymous (no name lines: the block starts at the date). Nobody replies to an anonymous
  comment, since ``Reply to`` would have no name to resolve;
* a ``Reply to  NAME`` line names the parent's author. The parser resolves it to the deepest
  comment by NAME on the current path, so a parent is only chosen when no deeper comment on
  the path has the same author: the parser then finds exactly the intended parent;
* bodies are 1 to 8 sentences mixing the article's vocabulary with off-topic themes
  (politics, grammar, Canada, media...), drifting further off-topic with depth; about 4% of
  comments end with a ``Last edited N days ago by NAME`` line.

``--deep`` writes a single reply chain N deep instead (every comment answers the previous
one). ``--pool P`` sets the number of distinct author names (default 3000; ``--pool 2`` gives
the two-person argument, the worst case for name resolution).

The output depends only on N, the seed and the options (``random.Random(seed)``); it has no
timestamps. ``write_page`` is the importable entry point.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import re
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from itertools import accumulate
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS_ARTICLE = REPO / "corpus" / "unherd-how-to-escape-north-korea.txt"
#: The line that starts the comment section of the corpus page.
FIRST_COMMENTER = "Jim Veenbaas"

#: Share of comments that start a new thread (the rest are replies).
TOP_LEVEL_SHARE = 0.40
ANONYMOUS_SHARE = 0.03
EDITED_SHARE = 0.04
#: Sentence counts 1..8 and how often each occurs.
SENTENCE_WEIGHTS = (26, 22, 17, 12, 9, 6, 5, 3)
DEFAULT_POOL = 3000
#: Share of content words drawn from a Zipf-distributed tail of rare made-up words, and the
#: tail's size: ~5,000 distinct words at 1,000 comments, ~40,000 at 100,000.
TAIL_SHARE = 0.2
TAIL_WORDS = 60_000

FIRST_NAMES = """
James John Robert Michael William David Richard Joseph Thomas Charles Christopher Daniel
Matthew Anthony Mark Donald Steven Paul Andrew Joshua Kenneth Kevin Brian George Timothy Ronald
Edward Jason Jeffrey Ryan Jacob Gary Nicholas Eric Jonathan Stephen Larry Justin Scott Brandon
Benjamin Samuel Gregory Alexander Frank Patrick Raymond Jack Dennis Jerry Tyler Aaron Jose Adam
Nathan Henry Douglas Zachary Peter Kyle Ethan Walter Noah Jeremy Christian Keith Roger Terry
Gerald Harold Sean Austin Carl Arthur Lawrence Dylan Jesse Jordan Bryan Billy Joe Bruce Gabriel
Logan Albert Willie Alan Juan Wayne Elijah Randy Roy Vincent Ralph Eugene Russell Bobby Mason
Philip Louis Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Lisa Nancy
Betty Margaret Sandra Ashley Kimberly Emily Donna Michelle Carol Amanda Dorothy Melissa Deborah
Stephanie Rebecca Sharon Laura Cynthia Kathleen Amy Angela Shirley Anna Brenda Pamela Emma
Nicole Helen Samantha Katherine Christine Debra Rachel Carolyn Janet Catherine Maria Heather
Diane Ruth Julie Olivia Joyce Virginia Victoria Kelly Lauren Christina Joan Evelyn Judith Megan
Andrea Cheryl Hannah Jacqueline Martha Gloria Teresa Ann Sara Madison Frances Kathryn Janice
Jean Abigail Alice Judy Sophia Grace Denise Amber Doris Marilyn Danielle Beverly Isabella Theresa
Diana Natalie Brittany Charlotte Marie Kayla Alexis Lori Nigel Clive Graham Ian Colin Malcolm
Rupert Hugh Giles Crispin Alastair Fergus Hamish Callum Declan Ciaran Siobhan Niamh Aoife
Bret Julian Benedict Allison Tony Jim Mrs Dr Fraser Hilary Lesley Gillian Rosalind Imogen
""".split()

SURNAMES = """
Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez
Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris
Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill
Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Gomez Phillips
Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart Morris Morales Murphy Cook Rogers
Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard Ramos Kim Cox Ward Richardson
Watson Brooks Chavez Wood James Bennett Gray Mendoza Ruiz Hughes Price Alvarez Castillo Sanders
Patel Myers Long Ross Foster Jimenez Powell Jenkins Perry Russell Sullivan Bell Coleman Butler
Henderson Barnes Fisher Vasquez Simmons Romero Jordan Patterson Alexander Hamilton Graham Reynolds
Griffin Wallace West Cole Hayes Bryant Herrera Gibson Ellis Tran Medina Aguilar Stevens Murray
Ford Castro Marshall Owens Harrison Fernandez McDonald Woods Washington Kennedy Wells Vargas
Henry Chen Freeman Webb Tucker Guzman Burns Crawford Olson Simpson Porter Hunter Gordon Mendez
Silva Shaw Snyder Mason Dixon Munoz Hunt Hicks Holmes Palmer Wagner Black Robertson Boyd Rose
Stone Salazar Fox Warren Mills Meyer Rice Schmidt Garza Daniels Ferguson Nichols Stephens Soto
Weaver Ryan Gardner Payne Grant Dunn Kelley Spencer Hawkins Arnold Pierce Veenbaas Farrows
Stanhope Goodhand Larson Waterson Barrows Layman Birkett Clegg Curlin Walsh Ashworth Pennington
Fairweather Blackwood Hargreaves Featherstone Whitfield Ainsworth Thornton Bramley Cartwright
""".split()

HANDLES = """
AC Harper|Mrs R|J Bryant|Saul D|The Dude|Right-Wing Hippie|Anon Y Mouse|Prashant Kotak|
Dr Mike|Old Salt|Northern Monkey|Captain Obvious|Cheshire Cat|Ex-Pat in Ontario|Grumpy Git|
Lindsay S|Steve Jolly|Rasmus Fogh|TJ Geary|Fafa Fafa|Dumb Yank|Samuel Ross|Hugh Bryant
""".replace("\n", "").split("|")

FUNCTION_WORDS = """
the the the a a a of of to to to and and and is is in in that that it it for not they we was
be have this are on with as but so just what all about their there our you would them than
who more very really even only still much no how why when can could should any those these
""".split()

#: Off-topic themes a thread wanders into; replies mostly keep their parent's theme.
THEMES = {
    "politics": """government parliament minister election vote voters labour tory conservative
        liberal democrats left right wing policy trudeau biden trump starmer sunak party campaign
        ideology socialism capitalism communism regime freedom rights elite establishment""",
    "grammar": """word spelling grammar english american british dictionary stanch staunch
        usage language meaning verb noun pedant correct incorrect oxford vocabulary sentence
        phrase idiom punctuation accent dialect roots version educated""",
    "canada": """canada canadian ontario alberta toronto vancouver ottawa trudeau maple hockey
        province federal constitution charter prairie winter quebec immigration housing
        carbon tax trucker convoy healthcare""",
    "media": """media bbc guardian journalist journalism press coverage documentary film
        netflix twitter newspaper headline bias propaganda narrative reporter editor
        broadcaster outlet story clickbait unherd columnist podcast""",
    "religion": """god church faith christian prayer pastor heaven sin salvation mission
        gospel belief atheist bible scripture worship congregation spiritual moral sermon
        evangelical catholic protestant""",
    "economy": """economy money inflation prices taxes budget debt market trade tariffs wages
        jobs investment growth recession bank interest rates energy costs billion
        manufacturing exports supply""",
    "covid": """covid lockdown vaccine mandate pandemic masks virus restrictions nhs hospital
        doctors science experts modelling zero policy passport booster quarantine
        inquiry""",
    "woke": """woke culture war identity gender activists universities students diversity
        equity inclusion cancel campus protest slavery history statue racism
        privilege grievance""",
}

SENTIMENT_WORDS = """
good great wonderful brave heroic grateful lucky love hope admire excellent superb proud
bad terrible awful horrible evil sad tragic cruel disgusting hate wrong stupid pathetic
shameful appalling dreadful wicked useless corrupt
""".split()

STOP = set(FUNCTION_WORDS) | {
    "he",
    "she",
    "his",
    "her",
    "him",
    "had",
    "has",
    "were",
    "been",
    "from",
    "by",
    "or",
    "an",
    "at",
    "its",
    "my",
    "me",
    "i",
    "one",
    "two",
    "who",
    "which",
    "said",
    "told",
    "then",
    "also",
    "after",
    "into",
    "out",
    "up",
    "over",
    "such",
    "being",
    "where",
    "while",
    "both",
    "each",
}


@dataclass(frozen=True)
class SynthPage:
    """What ``write_page`` generated, for checking a parse against it."""

    n: int
    #: 0-based index of each comment's parent, or None for a top-level comment.
    parents: tuple[int | None, ...]
    #: Each comment's author, or None for an anonymous one.
    authors: tuple[str | None, ...]
    depths: tuple[int, ...]
    #: Each comment's text as the parser should return it.
    texts: tuple[str, ...]
    edited: int
    path: Path
    bytes: int

    def parent_ids(self) -> list[str | None]:
        """Parents as the parser's ids (page positions, counted from 1)."""
        return [None if p is None else str(p + 1) for p in self.parents]


def article_lines(corpus: Path = CORPUS_ARTICLE) -> list[str]:
    """The corpus page up to (not including) the first comment's header."""
    lines = corpus.read_text(encoding="utf-8").split("\n")
    return lines[: lines.index(FIRST_COMMENTER)]


def _sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?”])\s+(?=[“A-Z0-9])", " ".join(text.split()))
    return [
        p for p in parts if 25 <= len(p) <= 300 and p.count("“") == p.count("”") and p[-1] in ".!?"
    ]


def _author_pool(rng: random.Random, size: int) -> list[str]:
    names: list[str] = []
    seen: set[str] = set()

    def add(name: str) -> None:
        key = " ".join(name.casefold().split())
        if key not in seen:
            seen.add(key)
            names.append(name)

    for handle in HANDLES:
        if len(names) < size // 20:
            add(handle.strip())
    initials = "ABCDEFGHJKLMNPRSTW"
    attempts = 0
    while len(names) < size and attempts < size * 50:
        attempts += 1
        first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
        roll = rng.random()
        if roll < 0.08:
            add(f"{first} {rng.choice(initials)}")
        elif roll < 0.16:
            add(f"{first} {rng.choice(initials)} {last}")
        else:
            add(f"{first} {last}")
    while len(names) < size:  # tiny vocabularies for huge pools: number the rest
        add(f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)} {len(names)}")
    rng.shuffle(names)
    return names


@cache
def _tail() -> tuple[tuple[str, ...], tuple[float, ...]]:
    """The long tail every page draws from, and its cumulative weights: the same for every
    page (seeded with 0), so made once per process (it is most of a small page's cost)."""
    tail = _tail_words(random.Random(0), TAIL_WORDS)
    return tuple(tail), tuple(accumulate(1.0 / (i + 20) ** 1.05 for i in range(len(tail))))


def _tail_words(rng: random.Random, count: int) -> list[str]:
    """Pronounceable made-up words (deterministic), none of them an English stop word."""
    onsets = (
        "b bl br c ch cl cr d dr f fl fr g gl gr h j k l m n p pl pr qu r s sh sk sl sm sn sp st"
        " t th tr v w wh z"
    ).split()
    vowels = "a e i o u ai ea ee oa ou y".split()
    codas = ["", "", "", "n", "r", "l", "s", "t", "ck", "nd", "ng", "st", "rt", "sh", "m"]
    words: list[str] = []
    seen: set[str] = set()
    while len(words) < count:
        word = "".join(
            rng.choice(onsets) + rng.choice(vowels) + rng.choice(codas)
            for _ in range(rng.choice((1, 2, 2, 2, 3, 3)))
        )
        if len(word) >= 4 and word not in seen and word not in STOP:
            seen.add(word)
            words.append(word)
    return words


class _Writer:
    def __init__(self, rng: random.Random, pool: int) -> None:
        self.rng = rng
        article = article_lines()
        self.article = article
        article_text = "\n".join(article)
        words = re.findall(r"[A-Za-z][a-z’'-]{3,}", article_text)
        self.article_vocab = sorted({w.lower() for w in words} - STOP)
        self.article_sentences = _sentences(article_text)
        self.theme_names = sorted(THEMES)
        self.theme_vocab = {t: THEMES[t].split() for t in self.theme_names}
        self.authors = _author_pool(rng, pool)
        # Long-tailed popularity: a few regulars write a lot, most names a handful of times.
        self.author_cum = list(accumulate(1.0 / (i + 8) ** 0.9 for i in range(len(self.authors))))
        # Content words by (theme, depth bucket): on-topic share falls with depth.
        self.content: dict[tuple[str, int], tuple[list[str], list[float]]] = {}
        for theme in self.theme_names:
            for bucket in range(8):
                on = max(0.05, 0.75 * 0.7**bucket)
                pop = self.article_vocab + self.theme_vocab[theme] + SENTIMENT_WORDS
                wa = on / len(self.article_vocab)
                wt = (1 - on) * 0.85 / len(self.theme_vocab[theme])
                ws = (1 - on) * 0.15 / len(SENTIMENT_WORDS)
                weights = (
                    [wa] * len(self.article_vocab)
                    + [wt] * len(self.theme_vocab[theme])
                    + [ws] * len(SENTIMENT_WORDS)
                )
                self.content[theme, bucket] = (pop, list(accumulate(weights)))
        self.tail, self.tail_cum = _tail()
        self.dates = ["10 months ago", "9 months ago", "1 year ago", "2 years ago", "3 months ago"]

    def author(self) -> str:
        return self.rng.choices(self.authors, cum_weights=self.author_cum)[0]

    def sentence(self, theme: str, depth: int) -> str:
        rng = self.rng
        if depth == 0 and rng.random() < 0.08:
            return rng.choice(self.article_sentences)
        pop, cum = self.content[theme, min(depth, 7)]
        n_content = rng.randint(3, 10)
        # The long tail: rare words, names, typos (Heaps' law: vocabulary keeps growing).
        n_tail = int(n_content * TAIL_SHARE + rng.random())
        content = rng.choices(pop, cum_weights=cum, k=n_content - n_tail)
        if n_tail:
            content += rng.choices(self.tail, cum_weights=self.tail_cum, k=n_tail)
            last = len(content) - 1
            j = rng.randrange(len(content))
            content[j], content[last] = content[last], content[j]
        function = rng.choices(FUNCTION_WORDS, k=n_content)
        tokens: list[str] = []
        roll = rng.random()
        odd = roll < 0.5
        for i, word in enumerate(content):
            if (i % 2 == 0) != odd or i == 0:
                tokens.append(function[i])
            tokens.append(word)
        first = tokens[0]
        tokens[0] = first[:1].upper() + first[1:]
        roll = (roll * 2) % 1.0
        end = "." if roll < 0.8 else "?" if roll < 0.9 else "!" if roll < 0.97 else "..."
        return " ".join(tokens) + end

    def body(self, theme: str, depth: int) -> list[str]:
        rng = self.rng
        count = rng.choices(range(1, 9), weights=SENTENCE_WEIGHTS)[0]
        sentences = [self.sentence(theme, depth) for _ in range(count)]
        if count <= 3 or rng.random() < 0.5:
            return [" ".join(sentences)]
        # Paragraphs: blank-line separated, sometimes single newlines (as pasted text has).
        lines: list[str] = []
        cut = rng.randint(1, count - 1)
        sep = "" if rng.random() < 0.8 else None
        lines.append(" ".join(sentences[:cut]))
        if sep is not None:
            lines.append(sep)
        lines.append(" ".join(sentences[cut:]))
        return lines


def _thread_sizes(rng: random.Random, n: int, deep: bool) -> list[int]:
    """Comments per thread (top-level comment included), summing to n."""
    if deep:
        return [n] if n else []
    sizes: list[int] = []
    total = 0
    while total < n:
        if rng.random() < 0.55:
            size = 1
        else:
            size = 1 + min(int(rng.paretovariate(1.35)), 600)
        size = min(size, n - total)
        sizes.append(size)
        total += size
    return sizes


def generate(
    n: int, seed: int = 0, deep: bool = False, pool: int = DEFAULT_POOL
) -> Iterator[str | SynthPage]:
    """Yield the page's text chunks; the last item is the ``SynthPage`` metadata (no path)."""
    rng = random.Random(seed)
    w = _Writer(rng, max(2, pool))
    parents: list[int | None] = []
    authors: list[str | None] = []
    depths: list[int] = []
    texts: list[str] = []
    edited = 0
    yield "\n".join(w.article) + "\n"
    index = 0
    for size in _thread_sizes(rng, n, deep):
        theme = rng.choice(w.theme_names)
        date = rng.choice(w.dates)
        # The current path: (comment index, author key or None, theme) top-level first.
        path: list[tuple[int, str | None, str]] = []
        thread_authors: list[str] = []
        for k in range(size):
            if k == 0:
                parent_pos = None
            elif deep:
                parent_pos = len(path) - 1
            else:
                # Usually answer the latest comment; sometimes someone further up.
                j = len(path) - 1
                go_up = min(0.8, 0.2 + 0.04 * len(path))
                while j > 0 and rng.random() < go_up:
                    j -= 1
                parent_pos = None
                while j >= 0:
                    who = path[j][1]
                    # Named, and the deepest comment by that name on the path: the parser
                    # resolves "Reply to  NAME" to exactly this one.
                    if who is not None and all(p[1] != who for p in path[j + 1 :]):
                        parent_pos = j
                        break
                    j -= 1
            if parent_pos is None:
                del path[:]
                depth = 0
                parent = None
                parent_author = None
                comment_theme = theme
            else:
                del path[parent_pos + 1 :]
                parent, parent_author, parent_theme = path[parent_pos]
                depth = parent_pos + 1
                comment_theme = parent_theme if rng.random() < 0.8 else rng.choice(w.theme_names)
            # Who writes it: answering back, a thread regular, or anyone.
            author: str | None
            roll = rng.random()
            if not deep and roll < ANONYMOUS_SHARE:
                author = None
            elif parent_pos is not None and parent_pos >= 1 and roll < 0.33:
                author = path[parent_pos - 1][1]
            elif thread_authors and roll < 0.45:
                author = rng.choice(thread_authors)
            else:
                author = w.author()
            tries = 0
            while author is None and deep or (author is not None and author == parent_author):
                author = w.author() if tries < 20 else f"{w.author()} Jr"
                tries += 1
            if author is not None:
                thread_authors.append(author)
            path.append((index, author, comment_theme))
            parents.append(parent)
            authors.append(author)
            depths.append(depth)

            out = []
            if author is not None:
                out += [author, author]
            out.append(date)
            if parent_author is not None:
                out.append(f"Reply to  {parent_author}")
            out.append("")
            body = w.body(comment_theme, depth)
            texts.append("\n".join(body))
            out += body
            out.append("")
            if author is not None and rng.random() < EDITED_SHARE:
                edited += 1
                days = rng.randint(1, 300)
                out.append(f"Last edited {days} days ago by {author}")
            yield "\n".join(out) + "\n"
            index += 1
    yield SynthPage(
        n, tuple(parents), tuple(authors), tuple(depths), tuple(texts), edited, Path(), 0
    )


def write_page(
    n: int, path: str | Path, seed: int = 0, deep: bool = False, pool: int = DEFAULT_POOL
) -> SynthPage:
    """Write a synthetic page of ``n`` comments to ``path``; return what was generated."""
    path = Path(path)
    chunks = list(generate(n, seed, deep, pool))
    meta = chunks.pop()
    assert isinstance(meta, SynthPage)
    text = "".join(c for c in chunks if isinstance(c, str))
    data = text.encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return dataclasses.replace(meta, path=path, bytes=len(data))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of comments")
    parser.add_argument("out", help="file to write")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--deep", action="store_true", help="one reply chain N deep")
    parser.add_argument(
        "--pool", type=int, default=DEFAULT_POOL, help="distinct author names (default 3000)"
    )
    args = parser.parse_args(argv)
    if args.n < 0:
        parser.error("N must be >= 0")
    start = time.perf_counter()
    page = write_page(args.n, args.out, args.seed, args.deep, args.pool)
    replies = sum(p is not None for p in page.parents)
    print(
        f"{page.path}: {page.n} comments, {replies} replies "
        f"({100 * replies / max(1, page.n):.0f}%), max depth {max(page.depths, default=0)}, "
        f"{sum(a is None for a in page.authors)} anonymous, {page.edited} edited, "
        f"{page.bytes / 1e6:.1f} MB in {time.perf_counter() - start:.2f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
