import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from statements.suggestions import SpeakerDirectory, suggest_statements


def read_article_file(path):
    """The file's text, exactly as stored (no newline translation), or a CommandError that
    names the file and says what to do."""
    path = Path(path)
    if not path.exists():
        raise CommandError(f"{path}: no such file. Give the path of a plain-text article.")
    if not path.is_file():
        raise CommandError(f"{path}: not a file. Give the path of a plain-text article.")
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise CommandError(
            f"{path}: not UTF-8 text (byte 0x{data[error.start]:02x} at position {error.start}). "
            "Save the article as UTF-8 plain text and run the command again."
        ) from None
    if not text.strip():
        raise CommandError(
            f"{path}: the file is empty. It needs the article's title on its first line, "
            "then the article's text."
        )
    return text


class Command(BaseCommand):
    help = (
        "List the statements an article attributes to people: direct quotes and reported "
        "speech, with their speakers matched against the archive's officials. PATH is a "
        "UTF-8 plain-text file whose first line is the title. Offsets count characters of "
        "the file's text, title line included."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the article: a UTF-8 text file, first line the title")
        parser.add_argument(
            "--json", action="store_true", help="print one JSON object per line (JSON Lines)"
        )

    def handle(self, *args, path, json=False, **options):
        text = read_article_file(path)
        try:
            directory = SpeakerDirectory.from_database()
        except DatabaseError as error:
            raise CommandError(
                f"Cannot read the archive's officials ({error}). Run 'python manage.py "
                "migrate' (and 'load_seeds') first."
            ) from None
        suggestions = suggest_statements(text, directory=directory, has_title=True)
        if json:
            self.write_json(suggestions)
        else:
            self.write_text(path, suggestions)

    def write_json(self, suggestions):
        for suggestion in suggestions:
            self.stdout.write(json_line(suggestion.as_dict()))

    def write_text(self, path, suggestions):
        self.stdout.write(f"{len(suggestions)} statement(s) suggested from {path}\n")
        for number, s in enumerate(suggestions, start=1):
            if s.speaker_unclear:
                speaker = "speaker unclear"
            elif s.official:
                speaker = f"{s.speaker} [{s.official}]"
            else:
                speaker = f"{s.speaker} [not in the archive]"
            cue = f", {s.cue}" if s.cue else ""
            self.stdout.write(f"{number}. {s.kind} — {speaker}{cue} — characters {s.start}–{s.end}")
            self.stdout.write(f"   {s.text}\n")
        unmatched = sorted({s.speaker for s in suggestions if s.speaker and not s.official})
        if unmatched:
            self.stdout.write(
                "Speakers not matched to an official in the archive: " + "; ".join(unmatched)
            )


def json_line(record):
    return json.dumps(record, ensure_ascii=False)
