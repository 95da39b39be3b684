"""Writes to the site's information pages."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from retex.audit.services import audit_record
from retex.pages.models import BODY_MAX_LENGTH, TITLE_MAX_LENGTH, SitePage
from retex.pages.rules import can_edit_site_pages


@transaction.atomic
def site_page_update(
    *, page: SitePage, title: str, body: str, editor: AbstractBaseUser
) -> SitePage:
    """Replace a page's title and text; recorded in the audit log with the fields changed."""
    if not can_edit_site_pages(editor):
        raise PermissionDenied(_("Only the organisers may edit the site's pages."))
    title, body = title.strip(), body.strip()
    errors = {}
    if not title:
        errors["title"] = [_("Give the page a title.")]
    elif len(title) > TITLE_MAX_LENGTH:
        errors["title"] = [_("The title is too long.")]
    if not body:
        errors["body"] = [_("The page cannot be empty.")]
    elif len(body) > BODY_MAX_LENGTH:
        errors["body"] = [_("The text is too long.")]
    if errors:
        raise ValidationError(errors)
    page = SitePage.objects.select_for_update().get(pk=page.pk)
    changed = [
        name for name, value in (("title", title), ("body", body)) if getattr(page, name) != value
    ]
    page.title, page.body, page.updated_by = title, body, editor
    page.save()
    audit_record(
        action="site_page.update",
        target=page,
        actor_user=editor,
        details={"slug": page.slug, "changed": changed},
    )
    return page
