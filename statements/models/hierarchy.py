"""Trees of records (topics, organisations): a parent may not lead back to its child."""

from django.core.exceptions import ValidationError


def refuse_parent_loops(instance):
    """Raise a ValidationError on ``parent`` if following parents returns to ``instance``."""
    ancestor, seen = instance.parent, set()
    while ancestor is not None and instance.pk is not None:
        if ancestor.pk == instance.pk or ancestor.pk in seen:
            raise ValidationError({"parent": "This parent would make a loop."})
        seen.add(ancestor.pk)
        ancestor = ancestor.parent
