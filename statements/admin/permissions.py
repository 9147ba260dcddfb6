"""Who may publish: the one permission that separates editors from curators in the admin."""

PUBLISH_PERMISSION = "statements.publish_statement"


def can_publish(user):
    """Editors and superusers: they publish, unpublish, approve held changes and import."""
    return user.has_perm(PUBLISH_PERMISSION)
