"""The dashboard: how a consultation is going, for its whole team (moderators included: the
figures are counts, with no private data; the queue and the moderation delay are theirs)."""

from datetime import timedelta

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, ngettext_lazy

from retex.backoffice.dashboard_charts import bar_chart, line_chart
from retex.backoffice.selectors_dashboard import AudienceMember, KindCoverage, dashboard_figures
from retex.core import tabular
from retex.moderation.access import StaffContext, staff_view
from retex.territories.enums import TerritoryKind

MISSING_PAGE_SIZE = 50
# How the list of collectivities that have not answered may be sorted (?tri=…).
MISSING_ORDERS = {
    "population-desc": lambda member: (-(member.population or 0), member.name),
    "population-asc": lambda member: (member.population or 0, member.name),
    "nom": lambda member: (member.name, member.code),
}


def duration_text(duration: timedelta | None) -> str:
    """A duration in words, two units at most: "3 days and 4 hours", "8 minutes"."""
    if duration is None:
        return ""
    minutes = int(duration.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = []
    if days:
        parts.append(ngettext("%(count)d day", "%(count)d days", days) % {"count": days})
    if hours and len(parts) < 2:
        parts.append(ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours})
    if not days and (minutes or not parts):
        parts.append(
            ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
        )
    if len(parts) == 2:
        return _("%(first)s and %(second)s") % {"first": parts[0], "second": parts[1]}
    return parts[0]


def _number(value: int) -> str:
    return number_format(value, force_grouping=True)


# "87 of the 952 target communes have sent a testimony": the plural follows the audience.
COVERAGE_SENTENCES = {
    TerritoryKind.COMMUNE: ngettext_lazy(
        "%(answered)s of the %(audience)s target commune has sent a testimony",
        "%(answered)s of the %(audience)s target communes have sent a testimony",
        "count",
    ),
    TerritoryKind.EPCI: ngettext_lazy(
        "%(answered)s of the %(audience)s target intercommunality has sent a testimony",
        "%(answered)s of the %(audience)s target intercommunalities have sent a testimony",
        "count",
    ),
    TerritoryKind.DEPARTEMENT: ngettext_lazy(
        "%(answered)s of the %(audience)s target département has sent a testimony",
        "%(answered)s of the %(audience)s target départements have sent a testimony",
        "count",
    ),
    TerritoryKind.REGION: ngettext_lazy(
        "%(answered)s of the %(audience)s target région has sent a testimony",
        "%(answered)s of the %(audience)s target régions have sent a testimony",
        "count",
    ),
}


def coverage_sentence(coverage: KindCoverage) -> str:
    return COVERAGE_SENTENCES[TerritoryKind(coverage.kind)] % {
        "answered": _number(coverage.answered),
        "audience": _number(coverage.audience),
        "count": coverage.audience,
    }


def _sorted_missing(members: list[AudienceMember], order: str) -> list[AudienceMember]:
    if order == "population-desc":
        return members  # the selector's order
    return sorted(members, key=MISSING_ORDERS[order])


@staff_view()
def dashboard(request: HttpRequest, staff: StaffContext) -> HttpResponse:
    figures = dashboard_figures(staff.consultation)
    order = request.GET.get("tri", "population-desc")
    if order not in MISSING_ORDERS:
        order = "population-desc"
    missing = Paginator(_sorted_missing(figures.coverage.missing, order), MISSING_PAGE_SIZE)
    return render(
        request,
        "backoffice/dashboard.html",
        {
            "staff": staff,
            "figures": figures,
            "median_text": duration_text(figures.moderation.median),
            "coverage_rows": [
                {
                    "sentence": coverage_sentence(kind),
                    "percent": round(100 * kind.answered / kind.audience) if kind.audience else 0,
                }
                for kind in figures.coverage.kinds
            ],
            "timeline_chart": line_chart(figures.timeline),
            "theme_chart": bar_chart(figures.themes),
            "region_chart": bar_chart(figures.regions),
            "band_chart": bar_chart(figures.bands),
            "kind_chart": bar_chart(figures.kinds),
            "missing_page": missing.get_page(request.GET.get("page")),
            "missing_order": order,
        },
    )


@staff_view()
def dashboard_missing_csv(request: HttpRequest, staff: StaffContext) -> HttpResponse:
    """The target collectivities that have not answered, biggest first, as CSV (to write to
    them)."""
    figures = dashboard_figures(staff.consultation)
    rows = (
        (member.kind_label, member.code, member.name, member.population, member.departement)
        for member in figures.coverage.missing
    )
    header = ["type", "code", "nom", "population", "departement"]
    return tabular.attachment_response(
        tabular.csv_chunks(rows, header=header, delimiter=";"),
        filename=f"{staff.consultation.slug}-collectivites-sans-temoignage.csv",
        content_type=tabular.CSV_CONTENT_TYPE,
    )
