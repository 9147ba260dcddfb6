"""Text fields refuse the characters XML cannot carry (``statements.models.text``), and the
rows already stored lose theirs: each becomes a space, one character for one, so a
statement's offsets into its article's body stay exact (as the admin's forms do).

Backwards, the validators go and the cleaned text stays as it is.
"""

import functools
import operator
import re

from django.db import migrations, models
from django.db.models import Q

import statements.models.text

# Frozen copies of statements.models.text.UNSAFE_PATTERN, as written today.
UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# The same, as a pattern both engines read (PostgreSQL's text cannot hold NUL or surrogates).
IN_SQL = r"[{first}-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]"

TEXT_FIELDS = {
    "article": ["title", "url", "byline", "body", "curator_note"],
    "meeting": ["title", "city", "description"],
    "official": ["name", "sort_name", "biography"],
    "organization": ["name"],
    "outlet": ["name", "homepage"],
    "role": ["title"],
    "statement": ["attribution", "text", "translation", "place_city", "curator_note"],
    "topic": ["name", "description"],
}


def clean_rows(apps, schema_editor):
    first = r"\x00" if schema_editor.connection.vendor == "sqlite" else r"\x01"
    pattern = IN_SQL.format(first=first)
    for model_name, fields in TEXT_FIELDS.items():
        model = apps.get_model("statements", model_name)
        holding = functools.reduce(operator.or_, (Q(**{f"{f}__regex": pattern}) for f in fields))
        rows = list(model.objects.filter(holding).only(*fields))
        for row in rows:
            for f in fields:
                setattr(row, f, UNSAFE.sub(" ", getattr(row, f)))
        model.objects.bulk_update(rows, fields, batch_size=500)
    official = apps.get_model("statements", "official")
    changed = []
    for row in official.objects.only("other_names").iterator():
        names = row.other_names if isinstance(row.other_names, list) else []
        cleaned = [" ".join(UNSAFE.sub(" ", n).split()) if isinstance(n, str) else n for n in names]
        if cleaned != names:
            row.other_names = [n for n in cleaned if n != ""]
            changed.append(row)
    official.objects.bulk_update(changed, ["other_names"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("statements", "0009_pending_revisions"),
    ]

    operations = [
        migrations.AlterField(
            model_name="article",
            name="body",
            field=models.TextField(
                help_text="The full text as published. Statement offsets count characters of this text.",
                validators=[statements.models.text.XmlText()],
            ),
        ),
        migrations.AlterField(
            model_name="article",
            name="byline",
            field=models.CharField(
                blank=True, max_length=300, validators=[statements.models.text.XmlText()]
            ),
        ),
        migrations.AlterField(
            model_name="article",
            name="curator_note",
            field=models.TextField(
                blank=True,
                help_text="What is known and not known about this source.",
                validators=[statements.models.text.XmlText()],
            ),
        ),
        migrations.AlterField(
            model_name="article",
            name="title",
            field=models.CharField(max_length=500, validators=[statements.models.text.XmlText()]),
        ),
        migrations.AlterField(
            model_name="article",
            name="url",
            field=models.URLField(
                blank=True,
                max_length=1000,
                validators=[statements.models.text.XmlText()],
                verbose_name="URL",
            ),
        ),
        migrations.AlterField(
            model_name="meeting",
            name="city",
            field=models.CharField(
                blank=True, max_length=200, validators=[statements.models.text.XmlText()]
            ),
        ),
        migrations.AlterField(
            model_name="meeting",
            name="description",
            field=models.TextField(blank=True, validators=[statements.models.text.XmlText()]),
        ),
        migrations.AlterField(
            model_name="meeting",
            name="title",
            field=models.CharField(max_length=300, validators=[statements.models.text.XmlText()]),
        ),
        migrations.AlterField(
            model_name="official",
            name="biography",
            field=models.TextField(blank=True, validators=[statements.models.text.XmlText()]),
        ),
        migrations.AlterField(
            model_name="official",
            name="name",
            field=models.CharField(
                help_text="The name as usually written in English.",
                max_length=200,
                validators=[statements.models.text.XmlText()],
            ),
        ),
        migrations.AlterField(
            model_name="official",
            name="other_names",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="Other names and spellings, one per line (e.g. 'Sergey Lavrov'); used to recognise the speaker in an article's text.",
                validators=[statements.models.text.XmlText()],
            ),
        ),
        migrations.AlterField(
            model_name="official",
            name="sort_name",
            field=models.CharField(
                blank=True,
                help_text="For alphabetical lists, e.g. 'Lavrov, Sergei'.",
                max_length=200,
                validators=[statements.models.text.XmlText()],
            ),
        ),
        migrations.AlterField(
            model_name="organization",
            name="name",
            field=models.CharField(max_length=300, validators=[statements.models.text.XmlText()]),
        ),
        migrations.AlterField(
            model_name="outlet",
            name="homepage",
            field=models.URLField(blank=True, validators=[statements.models.text.XmlText()]),
        ),
        migrations.AlterField(
            model_name="outlet",
            name="name",
            field=models.CharField(max_length=200, validators=[statements.models.text.XmlText()]),
        ),
        migrations.AlterField(
            model_name="role",
            name="title",
            field=models.CharField(
                help_text="e.g. 'Minister of Foreign Affairs'.",
                max_length=300,
                validators=[statements.models.text.XmlText()],
            ),
        ),
        migrations.AlterField(
            model_name="statement",
            name="attribution",
            field=models.CharField(
                blank=True,
                help_text="How the source named the speaker, e.g. 'the Russian Foreign Minister'.",
                max_length=300,
                validators=[statements.models.text.XmlText()],
            ),
        ),
        migrations.AlterField(
            model_name="statement",
            name="curator_note",
            field=models.TextField(blank=True, validators=[statements.models.text.XmlText()]),
        ),
        migrations.AlterField(
            model_name="statement",
            name="place_city",
            field=models.CharField(
                blank=True,
                max_length=200,
                validators=[statements.models.text.XmlText()],
                verbose_name="city",
            ),
        ),
        migrations.AlterField(
            model_name="statement",
            name="text",
            field=models.TextField(
                help_text="The words as the source printed them.",
                validators=[statements.models.text.XmlText()],
            ),
        ),
        migrations.AlterField(
            model_name="statement",
            name="translation",
            field=models.TextField(
                blank=True,
                help_text="When the text is not in English.",
                validators=[statements.models.text.XmlText()],
                verbose_name="English translation",
            ),
        ),
        migrations.AlterField(
            model_name="topic",
            name="description",
            field=models.TextField(blank=True, validators=[statements.models.text.XmlText()]),
        ),
        migrations.AlterField(
            model_name="topic",
            name="name",
            field=models.CharField(max_length=200, validators=[statements.models.text.XmlText()]),
        ),
        migrations.RunPython(clean_rows, migrations.RunPython.noop),
    ]
