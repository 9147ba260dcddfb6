"""Text the archive can publish: no character that XML, and so an Atom feed, cannot carry.

Refused in every text field (``XmlText``, the fields' ``validators``), whichever way the text
comes in (the admin, ``import_archive``, the suggester, which reads article bodies):

- C0 controls other than tab, newline and carriage return (XML 1.0 cannot hold them at all:
  a form feed pasted from a PDF made every feed that included it fail);
- U+FFFE and U+FFFF (not characters) and lone surrogates (no UTF-8 encoding; only a JSON
  ``\\ud800`` escape can make one);
- DEL and the C1 controls (U+007F–U+009F). XML 1.0 could carry them, but it asks documents
  to avoid them (XML 1.1 allows them only as references), HTML counts them as parse errors,
  and no source prints them: they come from text decoded with the wrong encoding
  (Windows-1252's curly quotes read as Latin-1), which a curator should see and fix.

The admin's forms replace each one with a space in long texts pasted from documents (one
character for one, so offsets into an article's body stay exact), and refuse them in short
fields; an import refuses the line.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

# What XML 1.0 cannot carry, and DEL and the C1 controls (see above).
UNSAFE_PATTERN = "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]"
UNSAFE = re.compile(UNSAFE_PATTERN)

NAMES = {
    "\x00": "a NUL character",
    "\x08": "a backspace",
    "\x0b": "a vertical tab",
    "\x0c": "a form feed (a page break)",
    "\x1b": "an escape character",
    "\x7f": "a DEL character",
}


def describe(character):
    """'U+000C (a form feed (a page break))', 'U+0093 (a C1 control)', ..."""
    code = ord(character)
    if character in NAMES:
        name = NAMES[character]
    elif code < 0x20:
        name = "a control character"
    elif 0x80 <= code <= 0x9F:
        name = "a C1 control, often a sign of text decoded with the wrong encoding"
    elif 0xD800 <= code <= 0xDFFF:
        name = "half of a surrogate pair"
    else:
        name = "not a character"
    return f"U+{code:04X} ({name})"


def spaced(value):
    """``value`` with each character XML cannot carry replaced by a space (same length)."""
    return UNSAFE.sub(" ", value)


@deconstructible
class XmlText:
    """Refuses a text (or a list of texts) holding a character XML cannot carry."""

    code = "unsafe_character"

    def __call__(self, value):
        for text in value if isinstance(value, list | tuple) else [value]:
            if not isinstance(text, str):
                continue
            found = UNSAFE.search(text)
            if found:
                raise ValidationError(
                    "This text holds %(character)s at character %(position)s, which cannot "
                    "be published: remove it.",
                    code=self.code,
                    params={"character": describe(found[0]), "position": found.start() + 1},
                )

    def __eq__(self, other):
        return isinstance(other, XmlText)

    def __hash__(self):
        return hash(XmlText)


validate_xml_text = XmlText()
