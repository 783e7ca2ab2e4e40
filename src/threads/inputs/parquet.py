"""The corpus's comment table read back: one page's Parquet part (``comments/part-*.parquet``).

Its rows are the page's comment records with ``page`` first (see threads.corpus.tables), so
they read as a JSON list of the same records would. A file holding several pages is refused
with the pages named: threads reads one page at a time.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path

from threads.errors import InputError
from threads.models import ParsedPage

#: The first bytes of every Parquet file.
MAGIC = b"PAR1"


def is_parquet(start: bytes) -> bool:
    """True when a file's first bytes are Parquet's magic number."""
    return start[:4] == MAGIC


def file_start(path: str | Path) -> bytes:
    """The first bytes of a file (empty when it cannot be read: the reader says why)."""
    try:
        with open(path, "rb") as stream:
            return stream.read(len(MAGIC))
    except OSError:
        return b""


def parse_parquet(
    data: str | Path | bytes, source: str, columns: Mapping[str, str] | None = None
) -> ParsedPage:
    """The comments of one page's Parquet table (a path, or the file's bytes)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from threads.inputs.tabular import records_page

    try:
        table = pq.read_table(io.BytesIO(data) if isinstance(data, bytes) else data)
    except (OSError, pa.ArrowException) as error:
        raise InputError(source, f"cannot be read as Parquet ({error})") from None
    records = table.to_pylist()
    pages = list(dict.fromkeys(str(r.get("page")) for r in records if "page" in r))
    if len(pages) > 1:
        shown = ", ".join(pages[:3]) + (", ..." if len(pages) > 3 else "")
        raise InputError(
            source,
            f"holds the comments of {len(pages)} pages ({shown}); threads reads one page: "
            "give one part file (comments/part-*.parquet)",
        )
    for record in records:
        record.pop("page", None)
    return records_page(records, source, "parquet", columns)
