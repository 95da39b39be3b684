from django.utils.safestring import SafeString, mark_safe

from retex.core.text import render_markdown
from retex.pages.models import SitePage


def site_page(*, slug: str) -> SitePage:
    """The page with that address; DoesNotExist otherwise."""
    return SitePage.objects.get(slug=slug)


def site_page_html(*, body: str) -> SafeString:
    """A page's Markdown as HTML, sanitised (organisers write it, everyone reads it)."""
    return mark_safe(render_markdown(body))  # noqa: S308 - sanitised by nh3 in render_markdown
