"""docs/benchmarks.md is written by several commands; each rewrites only its own section.

A section is the text between ``<!-- section:NAME -->`` and ``<!-- /section:NAME -->``.
Text outside the sections (notes written by hand) is kept. A file with no section markers at
all predates this scheme and is replaced.
"""

from pathlib import Path


def replace_section(path, name, text):
    path = Path(path)
    start, end = f"<!-- section:{name} -->", f"<!-- /section:{name} -->"
    block = f"{start}\n{text.strip()}\n{end}\n"
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if start in old and end in old:
        before, rest = old.split(start, 1)
        after = rest.split(end, 1)[1].lstrip("\n")
        new = f"{before}{block}{after}"
    elif "<!-- section:" not in old:
        new = block
    else:
        new = f"{old.rstrip()}\n\n{block}"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(new, encoding="utf-8")
