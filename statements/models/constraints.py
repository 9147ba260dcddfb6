"""Constraints that several models declare alike, each written once."""

from django.db import models
from django.db.models import F, Q


def ends_after_start(*, name, noun):
    """A named CheckConstraint: ``end_date``, when given, is not before ``start_date``."""
    return models.CheckConstraint(
        condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
        name=name,
        violation_error_message=f"A {noun} cannot end before it starts.",
    )


def unique_when_given(field, *, name, violation_error_message):
    """A named UniqueConstraint on ``field`` that leaves blank values out."""
    return models.UniqueConstraint(
        fields=[field],
        condition=~Q(**{field: ""}),
        name=name,
        violation_error_message=violation_error_message,
    )
