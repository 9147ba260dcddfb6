"""Links last: when a curator renames a slug, the old URL keeps working."""

from django.contrib.contenttypes.models import ContentType
from django.db import models


class FormerSlug(models.Model):
    """A slug an object used to have; its old URL redirects (301) to the current one."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    slug = models.SlugField(max_length=200)
    retired_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-retired_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "slug"], name="former_slug_unique_per_model"
            )
        ]

    def __str__(self):
        return f"{self.content_type.model} {self.slug} → #{self.object_id}"

    @classmethod
    def find_current(cls, model, slug):
        """The object that once had ``slug``, or None."""
        former = (
            cls.objects.filter(content_type=ContentType.objects.get_for_model(model), slug=slug)
            .only("object_id")
            .first()
        )
        if former is None:
            return None
        return model._default_manager.filter(pk=former.object_id).first()


class KeepsFormerSlugs(models.Model):
    """Abstract base for models with public slug URLs: remembers each retired slug."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        previous = None
        if self.pk is not None:
            previous = (
                type(self)
                ._default_manager.filter(pk=self.pk)
                .values_list("slug", flat=True)
                .first()
            )
        super().save(*args, **kwargs)
        if previous and previous != self.slug:
            content_type = ContentType.objects.get_for_model(type(self))
            # The new slug may itself have been retired once: it is current again.
            FormerSlug.objects.filter(content_type=content_type, slug=self.slug).delete()
            FormerSlug.objects.update_or_create(
                content_type=content_type, slug=previous, defaults={"object_id": self.pk}
            )
