"""What a curator's browser may send that the admin must answer with a form error, not a 500.

- An autocomplete field given an id that is not one (``speaker=abc``): the form field already
  says "Select a valid choice", but Django's autocomplete widgets then look the submitted
  value up to redisplay it, and ``Official.objects.filter(pk__in=["abc"])`` raises (as does
  a number too large for the column). Our widgets look up only the values the target's
  primary key accepts, and a many-to-many field refuses the others before it asks (on
  SQLite, Django's own check of a list of ids overflows on a number past 2**63).
- A search (the changelist's or the autocomplete endpoint's ``term``) holding a NUL, which
  PostgreSQL refuses in any query; no stored text can hold one, so it is dropped.
- Long texts with characters XML cannot carry: the default form spaces them out
  (``forms.SpacesForControlsMixin``).
"""

from django import forms
from django.contrib.admin import widgets
from django.core.exceptions import ValidationError

from .forms import CleanTextForm


class ValidIdsOnly:
    """An autocomplete widget that redisplays only the submitted values that can be ids."""

    def optgroups(self, name, value, attr=None):
        target = self.field.remote_field.model._meta.pk
        return super().optgroups(name, [v for v in value if is_id(target, v)], attr)


def is_id(field, value):
    """Whether ``value`` can be a value of the primary key ``field`` (no query)."""
    try:
        field.clean(value, None)  # a number, within the column's range
    except ValidationError:
        return False
    return True


class AutocompleteSelect(ValidIdsOnly, widgets.AutocompleteSelect):
    pass


class AutocompleteSelectMultiple(ValidIdsOnly, widgets.AutocompleteSelectMultiple):
    pass


class IdChoiceField(forms.ModelChoiceField):
    """Refuses a value the target's primary key cannot hold, before any query."""

    def to_python(self, value):
        if value not in self.empty_values and not is_id(self.queryset.model._meta.pk, value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class IdsMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Refuses a value the target's primary key cannot hold, before any query."""

    def clean(self, value):
        if isinstance(value, list | tuple) and self.to_field_name is None:
            target = self.queryset.model._meta.pk
            for pk in value:
                if pk not in self.empty_values and not is_id(target, pk):
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": pk},
                    )
        return super().clean(value)


class CuratorInputMixin:
    """For every model admin and inline: the widgets and search above, and the form."""

    form = CleanTextForm

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        kwargs.setdefault("form_class", IdsMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, search_term.replace("\x00", ""))
