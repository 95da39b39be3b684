"""Reads for the consultation settings pages: themes with how many testimonies use them."""

from django.db.models import Count

from retex.consultations.models import Consultation, Theme
from retex.contributions.models import Testimony


def themes_with_usage(*, consultation: Consultation) -> list[Theme]:
    """The themes in order, each with its sub-topics; `testimony_count` on themes and
    sub-topics counts the testimonies classified under them, whatever their state."""
    themes = list(consultation.themes.prefetch_related("subtopics").order_by("position", "pk"))
    by_theme = dict(
        Testimony.themes.through.objects.filter(theme__consultation=consultation)
        .values("theme_id")
        .annotate(count=Count("testimony_id", distinct=True))
        .values_list("theme_id", "count")
    )
    by_subtopic = dict(
        Testimony.subtopics.through.objects.filter(subtopic__theme__consultation=consultation)
        .values("subtopic_id")
        .annotate(count=Count("testimony_id", distinct=True))
        .values_list("subtopic_id", "count")
    )
    for theme in themes:
        theme.testimony_count = by_theme.get(theme.pk, 0)
        theme.subtopic_list = list(theme.subtopics.all())
        for subtopic in theme.subtopic_list:
            subtopic.testimony_count = by_subtopic.get(subtopic.pk, 0)
        theme.removable = not theme.testimony_count and not any(
            subtopic.testimony_count for subtopic in theme.subtopic_list
        )
    return themes
