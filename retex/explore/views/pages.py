"""The home page and a consultation's page."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from retex.consultations.models import Consultation
from retex.core.text import render_markdown
from retex.explore import selectors


def home(request: HttpRequest) -> HttpResponse:
    consultations = list(selectors.consultations_for_home())
    counts = selectors.published_counts_by_consultation([c.pk for c in consultations])
    for consultation in consultations:
        consultation.published_count = counts.get(consultation.pk, 0)
    return render(request, "explore/home.html", {"consultations": consultations})


def consultation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        consultation = selectors.consultation_for_page(slug=slug)
    except Consultation.DoesNotExist as error:
        raise Http404 from error
    counters = selectors.consultation_counters(consultation=consultation)
    themes = list(consultation.themes.all())
    for theme in themes:
        theme.published_count = counters.by_theme.get(theme.pk, 0)
    return render(
        request,
        "explore/consultation_detail.html",
        {
            "consultation": consultation,
            "phase": consultation.phase(),
            "description_html": render_markdown(consultation.description),
            "themes": themes,
            "counters": counters,
            "extensions": list(consultation.deadline_extensions.all()),
            "audience": getattr(consultation, "audience_rule", None),
        },
    )
