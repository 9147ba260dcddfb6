"""Reading an archive file: each line parsed into a record of known fields, or a problem.

Nothing here asks the database: a line is decoded, parsed as JSON, given a type, and its
fields checked for their JSON shape and normalised (dates in canonical form, lists of slugs
sorted), in a second thread that works a chunk ahead of the import (``parsed_lines``).
"""

import contextlib
import datetime
import functools
import json
import queue
import re
import threading
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from statements.models.dates import iso_partial_date, parse_partial_date

from .records import RECORD_TYPES, TYPES

# The fields that say which object a record is about; a line must always give them.
KEY_FIELDS = {
    "role": {"official", "title", "organization", "start_date"},
    "statement": {"article", "speaker", "text"},
    **{
        kind: {"slug"}
        for kind in ("organization", "outlet", "official", "topic", "article", "meeting")
    },
}
PARSE_CHUNK = 500  # lines the reading thread parses ahead at a time
JSON_TYPE_NAMES = {
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "true or false",
    list: "a list",
    dict: "an object",
    type(None): "null",
}
# Every field a record of each type may have, "type" first.
RECORD_FIELDS = {name: ["type", *spec.field_names] for name, spec in RECORD_TYPES.items()}
_ALLOWED_FIELDS = {name: frozenset(fields) for name, fields in RECORD_FIELDS.items()}


@dataclass
class Item:
    """One record line, from its reading to its writing."""

    line: int
    given: dict
    key: object = None
    record: dict = None
    existing: object = None
    existing_record: dict = None
    values: dict = None
    errors: list = field(default_factory=list)


def open_lines(path_or_file):
    """``(binary file, whether to close it)`` for a path or an open binary file."""
    if hasattr(path_or_file, "read"):
        path_or_file.seek(0)
        return path_or_file, False
    return open(path_or_file, "rb", buffering=1 << 20), True


def parsed_lines(handle):
    """``(last line number, [parsed line])`` chunks of the file, parsed in a second thread.

    The thread works a chunk ahead, so that reading and parsing overlap the waits on the
    database. Memory holds at most a few chunks. See ``parse_line`` for each parsed line.
    """
    chunks = queue.Queue(maxsize=4)
    stop = threading.Event()

    def read():
        try:
            chunk, number = [], 0
            for number, raw in enumerate(handle, start=1):
                if stop.is_set():
                    return
                parsed = parse_line(number, raw)
                if parsed is not None:
                    chunk.append(parsed)
                if len(chunk) >= PARSE_CHUNK:
                    chunks.put((False, number, chunk))
                    chunk = []
            chunks.put((True, number, chunk))
        except BaseException as error:  # handed to the importing thread, raised there
            chunks.put((None, error, None))

    reader = threading.Thread(target=read, name="import-reader", daemon=True)
    reader.start()
    try:
        while True:
            last, number, chunk = chunks.get()
            if last is None:
                raise number
            yield number, chunk
            if last:
                return
    finally:
        stop.set()
        while reader.is_alive():  # let it notice, should it be waiting to put a chunk
            with contextlib.suppress(queue.Empty):
                chunks.get(timeout=0.1)
        reader.join()


def parse_line(number, raw):
    """``(number, "problem", message)``, ``(number, "header", data)``,
    ``(number, "record", (type, item))`` or None for a blank line. Needs no database."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return (
            number,
            "problem",
            f"not UTF-8 text ({error.reason} at byte {error.start}): save the file as UTF-8",
        )
    if number == 1:
        text = text.removeprefix("\ufeff")
    if not text.strip():
        return None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        return (
            number,
            "problem",
            f"not valid JSON ({error.msg} at column {error.colno}): "
            "each line must be one complete JSON object",
        )
    if _SURROGATE_ESCAPE.search(text) and _holds_a_lone_surrogate(data):
        return (
            number,
            "problem",
            "a string holds half of a surrogate pair (a \\ud800-\\udfff escape without its "
            "other half), which no text can store: write the character itself",
        )
    if not isinstance(data, dict):
        return (
            number,
            "problem",
            f"expected a JSON object, found {_json_type(data)}: each line "
            'is one object such as {"type": "official", "slug": ...}',
        )
    kind = data.get("type")
    if kind == "archive":
        return (number, "header", data)
    if kind not in RECORD_TYPES:
        found = 'no "type"' if kind is None else f"the type {json.dumps(kind)}"
        return (
            number,
            "problem",
            f'the record has {found}: give "type" as one of {", ".join(TYPES)}',
        )
    item = Item(number, data)
    _check_shape(kind, item)
    return (number, "record", (kind, item))


# JSON's only way to a lone surrogate (strict UTF-8 decoding refuses one written as is).
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _holds_a_lone_surrogate(value):
    if isinstance(value, str):
        return _SURROGATE.search(value) is not None
    if isinstance(value, dict):
        value = [*value.keys(), *value.values()]
    return isinstance(value, list) and any(map(_holds_a_lone_surrogate, value))


def _check_shape(kind, item):
    """JSON types, required fields, unknown fields, dates; normalises ``item.given``."""
    spec = RECORD_TYPES[kind]
    given = {}
    unknown = sorted(set(item.given) - _ALLOWED_FIELDS[spec.name])
    if unknown:
        item.errors.append(
            f"unknown field{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))}"
            f": the fields of {_a(kind)} are {', '.join(spec.field_names)}"
        )
    for f in spec.fields:
        if f.name not in item.given:
            # Other required fields may be left out when the record already exists.
            if f.required and f.name in KEY_FIELDS[kind]:
                item.errors.append(f"{f.name!r} is required: add it")
            continue
        value = item.given[f.name]
        if f.kind == "text" and type(value) is str:
            given[f.name] = value  # the common case, as _normalise would give it
            continue
        try:
            given[f.name] = _normalise(f, value)
        except ValueError as error:
            item.errors.append(f"{f.name!r} {error}")
    item.given = given


def _json_type(value):
    return JSON_TYPE_NAMES.get(type(value), type(value).__name__)


def _a(kind):
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"


def _key_word(kind):
    return "key" if kind == "statement" else "slug"


def _normalise(f, value):
    """One field's JSON value, checked and in canonical form; ValueError says what to do."""
    if f.kind == "statement_key" and value is None:
        return None  # worked out from the record
    if f.kind in ("text", "key", "statement_key"):
        if not isinstance(value, str):
            raise ValueError(f"must be a string, not {_json_type(value)}")
        if f.kind in ("key", "statement_key") and not value.strip():
            raise ValueError("must not be empty")
        return value
    if f.kind == "offset":
        if value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ValueError("must be a whole number of characters from 0, or null")
        return value
    if f.kind == "names":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError('must be a list of strings, such as ["Mira Vondel"]')
        return value
    if f.kind == "ref":
        if value is None and not f.required:
            return None
        if not isinstance(value, str) or not value:
            raise ValueError(
                f"must name {_a(f.target)} by its {_key_word(f.target)}, not {_json_type(value)}"
            )
        return value
    if f.kind == "refs":
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise ValueError(f"must be a list of {_key_word(f.target)}s of {f.target}s")
        return sorted(set(value))
    if f.kind == "partial_date":
        if value is None and not f.required:
            return None
        if not isinstance(value, str):
            raise ValueError(
                f"must be a date written YYYY-MM-DD, YYYY-MM or YYYY, not {_json_type(value)}"
            )
        try:
            day, precision = parsed_partial_date(value)
        except ValidationError:
            raise ValueError(
                f"is not a date: write YYYY-MM-DD, YYYY-MM or YYYY, not {value!r}"
            ) from None
        return iso_partial_date(day, precision)
    if f.kind == "date":
        if value is None:
            return None
        try:
            return datetime.date.fromisoformat(value).isoformat()
        except (TypeError, ValueError):
            raise ValueError(f"must be a date written YYYY-MM-DD, not {value!r}") from None
    raise AssertionError(f.kind)


@functools.lru_cache(maxsize=20_000)
def parsed_partial_date(value):
    """``parse_partial_date``, remembered: an archive repeats its dates many times."""
    return parse_partial_date(value)
