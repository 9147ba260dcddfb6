"""The admin's forms: the statement form and the field for a list of names."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.text import Truncator

from statements.models import Statement
from statements.models.people import clean_name_list
from statements.models.statements import same_words
from statements.models.text import spaced
from statements.revisions import TRACKED_FIELDS, changes_since, likely_duplicates


class NameListField(forms.CharField):
    """A list of names edited as text, one name per line."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(value)
        return value

    def to_python(self, value):
        if isinstance(value, list | tuple):
            return clean_name_list(value)
        return clean_name_list((value or "").splitlines())


class SpacesForControlsMixin:
    """In long texts (pasted from PDFs and word processors: form feeds, vertical tabs), each
    character XML cannot carry becomes a space, one for one, so offsets into an article's
    body stay exact. Short fields keep them, and the model's validator refuses them there:
    a control in a name or a title is a mistake to see, not to hide."""

    def clean(self):
        cleaned_data = super().clean()
        long_texts = {
            f.name for f in self._meta.model._meta.fields if isinstance(f, models.TextField)
        }
        for name in long_texts & cleaned_data.keys():
            if isinstance(cleaned_data[name], str):
                cleaned_data[name] = spaced(cleaned_data[name])
        return cleaned_data


class CleanTextForm(SpacesForControlsMixin, forms.ModelForm):
    """The admin's default form."""


class ArticleAdminForm(CleanTextForm):
    """An article's form: for a curator, a new body must still print every published
    statement's words at its live offsets. Otherwise the article page and the API would point
    those offsets at other words under the same speaker before any editor saw the change
    (a curator's change to the statements themselves waits for an editor; the body must too).
    ``can_publish`` is set on the form class by ``ArticleAdmin.get_form``."""

    can_publish = False

    def clean_body(self):
        body = self.cleaned_data["body"]
        if self.can_publish or self.instance.pk is None or "body" not in self.changed_data:
            return body
        moved = [
            statement
            for statement in self.instance.statements.published().only(
                "text", "start_offset", "end_offset"
            )
            if statement.start_offset is not None
            and not same_words(body[statement.start_offset : statement.end_offset], statement.text)
        ]
        if moved:
            raise ValidationError(
                f"This change moves the words of {len(moved)} published statement(s) at their "
                "offsets in the article. Only an editor can make it: ask one, or change only "
                "what no published statement quotes."
            )
        return body


class StatementAdminForm(SpacesForControlsMixin, forms.ModelForm):
    """The statement form of the admin and its inlines: no lost edits, no silent duplicates."""

    edited_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    save_anyway = forms.BooleanField(
        required=False,
        label="Not a duplicate",
        help_text="Tick to save a statement that matches another by the same speaker.",
    )

    class Meta:
        model = Statement
        fields = TRACKED_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["edited_version"].initial = self.instance.version

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk is not None:
            self._refuse_a_stale_version(cleaned_data.get("edited_version"))
        if not cleaned_data.get("save_anyway") and (
            self.instance.pk is None or {"text", "speaker"} & set(self.changed_data)
        ):
            self._warn_of_duplicates(cleaned_data)
        return cleaned_data

    def _refuse_a_stale_version(self, submitted):
        current = Statement.objects.filter(pk=self.instance.pk)
        if transaction.get_connection().in_atomic_block:
            current = current.select_for_update()
        current = current.first()
        if current is None or submitted == current.version:
            return
        if submitted is None:
            raise ValidationError(
                "This form did not say which version of the statement it edits, so saving it "
                "could overwrite newer work. Reload the page and enter your changes again.",
                code="edit_conflict",
            )
        changes = changes_since(current, submitted)
        # The reader's edits stay in the form; saving again now is a choice made knowingly.
        self.data = self.data.copy()
        self.data[self.add_prefix("edited_version")] = current.version
        last = current.revisions.select_related("changed_by").first()
        who = f" by {last.changed_by}" if last and last.changed_by else ""
        lines = [
            f"Someone else saved this statement{who} while you were editing it (now version "
            f"{current.version}, you started from version {submitted}). Nothing was saved."
        ]
        if changes is None:
            lines.append("Its earlier versions were not recorded, so the changes cannot be listed.")
        else:
            lines += [f"{field}: “{old}” → “{new}”" for field, old, new in changes]
        lines.append(
            "Your edits are still in the form: check them against these changes and save "
            "again to keep yours, or reload the page to start from the current version."
        )
        raise ValidationError(lines, code="edit_conflict")

    def _warn_of_duplicates(self, cleaned_data):
        duplicates = likely_duplicates(
            speaker=cleaned_data.get("speaker"),
            text=cleaned_data.get("text"),
            exclude_pk=self.instance.pk,
        )
        if duplicates:
            listed = "; ".join(
                f"#{d.pk} ({d.get_status_display().lower()}): “{Truncator(d.text).words(12)}”"
                for d in duplicates[:5]
            )
            self.add_error(
                "save_anyway",
                ValidationError(
                    f"This looks like a duplicate of {listed}, by the same speaker. If it is "
                    "not, tick “Not a duplicate” and save again.",
                    code="likely_duplicate",
                ),
            )
