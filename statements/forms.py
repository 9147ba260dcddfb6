"""Form pieces shared by the admin and the public pages."""

from django import forms

from .models.people import clean_name_list


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
