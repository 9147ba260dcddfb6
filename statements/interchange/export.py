"""Write the whole archive as JSON Lines, streamed and in a deterministic order."""

import json
from itertools import groupby

from statements.bulk import byte_order, snapshot

from .records import HEADER, RECORD_OF, TYPES, queryset_for, statement_records

ORDERING = {
    "organization": [byte_order("slug")],
    "outlet": [byte_order("slug")],
    "official": [byte_order("slug")],
    "role": [
        byte_order("official__slug"),
        "start_date",
        byte_order("title"),
        byte_order("organization__slug"),
        "pk",
    ],
    "topic": [byte_order("slug")],
    "article": [byte_order("slug")],
    "meeting": [byte_order("slug")],
}


def dump_line(record):
    """One record as one line: UTF-8 as is, control characters escaped, no spaces."""
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"


def export_archive(out, *, chunk_size=2000, progress=None):
    """Write every record to the text stream ``out``; return ``{type: count}``.

    Rows are read with ``iterator(chunk_size=...)`` so memory stays flat however large the
    archive; ``progress(count)`` hears how many statements are written after each chunk.
    One transaction that reads a snapshot (``bulk.snapshot()``) makes the file consistent
    even while curators keep working.
    """
    counts = dict.fromkeys(TYPES, 0)
    with snapshot():
        out.write(dump_line(HEADER))
        for type_name in TYPES[:-1]:
            queryset = queryset_for(type_name).order_by(*ORDERING[type_name])
            for obj in queryset.iterator(chunk_size=chunk_size):
                out.write(dump_line(RECORD_OF[type_name](obj)))
                counts[type_name] += 1
        for records in _statement_chunks(chunk_size):
            for record in records:
                out.write(dump_line(record))
            counts["statement"] += len(records)
            if progress:
                progress(counts["statement"])
    return counts


def _statement_chunks(chunk_size):
    """Statements article by article (articles in slug order), in reading order within each.

    Whole articles are gathered into chunks of about ``chunk_size`` statements so that the
    keys (which number exact duplicates within an article) take one query per chunk.
    """
    queryset = queryset_for("statement").order_by(byte_order("article__slug"), "pk")
    pending = []
    for _, group in groupby(queryset.iterator(chunk_size=chunk_size), key=lambda s: s.article_id):
        pending.extend(group)
        if len(pending) >= chunk_size:
            yield _in_reading_order(pending)
            pending = []
    if pending:
        yield _in_reading_order(pending)


def _in_reading_order(statements):
    records = [record for _, record in statement_records(statements)]
    # Articles keep their slug order (a stable sort); within one, the order a reader meets them.
    records.sort(
        key=lambda r: (
            r["article"].encode(),
            r["start_offset"] is None,
            r["start_offset"] or 0,
            r["end_offset"] or 0,
            r["speaker"].encode(),
            r["key"].encode(),
        )
    )
    return records
