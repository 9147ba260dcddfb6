"""Dates that are only partly known: a date plus how much of it is known."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.dateformat import format as format_date


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


def precision_field(verbose_name="precision"):
    return models.CharField(
        verbose_name,
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text="How much of the date is known. A month or year date is stored as its first day.",
    )


def precision_check(field, *, name):
    """A named CheckConstraint that keeps a precision field within its choices."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__in": DatePrecision.values}), name=name
    )


def truncate_date(value, precision):
    """The first day of the month or year when only that much is known."""
    if value is None:
        return None
    if precision == DatePrecision.YEAR:
        return value.replace(month=1, day=1)
    if precision == DatePrecision.MONTH:
        return value.replace(day=1)
    return value


def format_partial_date(value, precision):
    """'30 September 2015', 'September 2015' or '2015', by what is known."""
    if value is None:
        return "date unknown"
    if precision == DatePrecision.YEAR:
        return str(value.year)
    if precision == DatePrecision.MONTH:
        return format_date(value, "F Y")
    return format_date(value, "j F Y")


def iso_partial_date(value, precision):
    """ISO 8601 reduced precision: '2015-09-30', '2015-09' or '2015'."""
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{value.year:04d}"
    if precision == DatePrecision.MONTH:
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


def parse_partial_date(text):
    """Parse '2015-09-30', '2015-09' or '2015' into (date, precision)."""
    text = (text or "").strip()
    parts = text.split("-")
    try:
        if len(parts) == 1 and len(parts[0]) == 4:
            return datetime.date(int(parts[0]), 1, 1), DatePrecision.YEAR
        if len(parts) == 2:
            return datetime.date(int(parts[0]), int(parts[1]), 1), DatePrecision.MONTH
        if len(parts) == 3:
            return datetime.date.fromisoformat(text), DatePrecision.DAY
    except ValueError:
        pass
    raise ValidationError(
        "%(value)s is not a date: write YYYY-MM-DD, YYYY-MM or YYYY.",
        code="invalid_partial_date",
        params={"value": text or "(empty)"},
    )


validate_language_tag = RegexValidator(
    r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$",
    "Enter a BCP 47 language tag such as 'en', 'ru' or 'zh-Hant'.",
    code="invalid_language",
)

RTL_LANGUAGES = frozenset({"ar", "arc", "dv", "fa", "he", "iw", "ku", "ps", "sd", "ug", "ur", "yi"})


def text_direction(language):
    """'rtl' for right-to-left scripts (Arabic, Hebrew, ...), else 'ltr'."""
    primary = (language or "").split("-")[0].lower()
    return "rtl" if primary in RTL_LANGUAGES else "ltr"
