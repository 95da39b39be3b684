"""The site's information pages: accessibility statement, legal notice, and their editing."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from retex.consultations.models import Consultation
from retex.core.forms import describe_fields
from retex.pages import selectors
from retex.pages.forms import SitePageForm
from retex.pages.models import LEGAL_NOTICE_SLUG, SitePage
from retex.pages.rules import can_edit_site_pages
from retex.pages.services import site_page_update

# When the accessibility statement was last checked against what the test suite does: change
# it with the statement's text (RGAA: at most three years old, and after any overhaul).
STATEMENT_DATE = date(2026, 11, 26)


def accessibility(request: HttpRequest) -> HttpResponse:
    # Where to report a problem: the organisers of each call that gives a contact address.
    contacts = (
        Consultation.objects.exclude(contact_email="")
        .order_by("-opens_at", "pk")
        .only("title", "slug", "organiser_names", "contact_email")
    )
    return render(
        request,
        "pages/accessibility.html",
        {
            "contacts": list(contacts),
            "statement_date": STATEMENT_DATE,
            "site_address": request.build_absolute_uri("/"),
        },
    )


def _page_or_404(slug: str) -> SitePage:
    try:
        return selectors.site_page(slug=slug)
    except SitePage.DoesNotExist as error:
        raise Http404 from error


def legal_notice(request: HttpRequest) -> HttpResponse:
    page = _page_or_404(LEGAL_NOTICE_SLUG)
    return render(
        request,
        "pages/site_page.html",
        {
            "page": page,
            "body": selectors.site_page_html(body=page.body),
            "can_edit": can_edit_site_pages(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    """Edit a page's Markdown, with a preview before saving; nothing typed is lost."""
    if not can_edit_site_pages(request.user):
        raise PermissionDenied
    page = _page_or_404(slug)
    preview = None
    if request.method == "POST":
        form = SitePageForm(request.POST)
        if form.is_valid():
            if request.POST.get("action") == "preview":
                preview = selectors.site_page_html(body=form.cleaned_data["body"])
            else:
                try:
                    site_page_update(
                        page=page,
                        title=form.cleaned_data["title"],
                        body=form.cleaned_data["body"],
                        editor=request.user,
                    )
                except ValidationError as error:
                    for field, errors in error.message_dict.items():
                        for message in errors:
                            form.add_error(field if field in form.fields else None, message)
                else:
                    messages.success(request, _("The page is saved and published."))
                    return redirect("pages:edit", slug=page.slug)
    else:
        form = SitePageForm(initial={"title": page.title, "body": page.body})
    describe_fields(form)
    return render(
        request,
        "pages/edit.html",
        {"page": page, "form": form, "preview": preview, "public_url": _public_url(page)},
    )


def _public_url(page: SitePage) -> str | None:
    if page.slug == LEGAL_NOTICE_SLUG:
        return reverse("pages:legal")
    return None
