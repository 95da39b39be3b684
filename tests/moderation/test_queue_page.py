"""The moderation queue, as a moderator uses it: what waits, filters, search, bulk publication."""

from datetime import timedelta
from html import unescape as html_unescape

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks import default_task_backend

from retex.contributions.enums import RevisionKind, TestimonyStatus
from retex.contributions.models import Revision
from retex.explore.search import search_index_update
from retex.moderation.duplicates import SCAN_BATCH, duplicates_refresh, duplicates_refresh_all
from tests.factories import (
    ConsultationFactory,
    MembershipFactory,
    TestimonyFactory,
    ThemeFactory,
    territory,
)

pytestmark = pytest.mark.django_db


def unescape(html: str) -> str:
    """The page's text as read: entities decoded, non-breaking spaces as spaces."""
    return html_unescape(html).replace("\xa0", " ")


S = TestimonyStatus
NOW = timezone.now()


@pytest.fixture
def consultation():
    return ConsultationFactory(title="Gestion de crise et numérique")


@pytest.fixture
def moderator_client(client, consultation):
    client.force_login(MembershipFactory(consultation=consultation).user)
    return client


def waiting(consultation, title, days_ago, **fields):
    return TestimonyFactory(
        consultation=consultation,
        status=fields.pop("status", S.SUBMITTED),
        title=title,
        submitted_at=NOW - timedelta(days=days_ago),
        **fields,
    )


def queue(client, consultation, **params) -> str:
    response = client.get(reverse("moderation:queue", args=[consultation.slug]), params)
    assert response.status_code == 200
    return unescape(response.text)


def titles_in_order(page: str, *titles: str) -> bool:
    positions = [page.index(title) for title in titles]
    return positions == sorted(positions)


def test_new_testimonies_and_waiting_edits_come_the_oldest_first(moderator_client, consultation):
    waiting(consultation, "Reçu hier", 1)
    waiting(consultation, "Reçu il y a une semaine", 7)
    edited = waiting(consultation, "Publié, modifié il y a trois jours", 30, status=S.PUBLISHED)
    revision = Revision.objects.create(
        testimony=edited, number=2, kind=RevisionKind.AUTHOR_EDIT, content={}, editor_name="A"
    )
    Revision.objects.filter(pk=revision.pk).update(created_at=NOW - timedelta(days=3))
    edited.pending_revision = revision
    edited.save()
    waiting(consultation, "Déjà publié", 40, status=S.PUBLISHED)
    waiting(consultation, "Renvoyé à l'auteur", 2, status=S.CHANGES_REQUESTED)

    page = queue(moderator_client, consultation)

    assert "3 témoignages" in page
    assert titles_in_order(
        page, "Reçu il y a une semaine", "Publié, modifié il y a trois jours", "Reçu hier"
    )
    assert "modification à examiner" in page
    assert "Déjà publié" not in page and "Renvoyé à l'auteur" not in page


def test_each_state_has_its_list(moderator_client, consultation):
    waiting(consultation, "Reçu hier", 1)
    waiting(consultation, "Renvoyé à l'auteur", 2, status=S.CHANGES_REQUESTED)
    waiting(consultation, "Refus du", 3, status=S.REJECTED)

    page = queue(moderator_client, consultation, state="changes_requested")

    assert "Renvoyé à l'auteur" in page
    assert "Reçu hier" not in page and "Refus du" not in page
    # An unknown state falls back to what waits.
    assert "Reçu hier" in queue(moderator_client, consultation, state="nimportequoi")


def test_filters_by_theme_and_out_of_audience(moderator_client, consultation):
    economy = ThemeFactory(consultation=consultation, title="Économie locale")
    waiting(consultation, "Le marché en ligne", 3, themes=[economy])
    waiting(consultation, "Hors public", 2, in_audience=False)
    waiting(consultation, "Les écoles", 1)

    by_theme = queue(moderator_client, consultation, theme=economy.pk)
    assert "Le marché en ligne" in by_theme and "Les écoles" not in by_theme
    flagged = queue(moderator_client, consultation, out_of_audience="1")
    assert "Hors public" in flagged and "Les écoles" not in flagged
    assert "hors public visé" in flagged


def test_the_search_ignores_accents_and_capitals(moderator_client, consultation):
    waiting(consultation, "Télétravail des agents", 3)
    waiting(consultation, "Les écoles", 2, initiative="Des tablettes pour les ÉLÈVES.")
    waiting(consultation, "À Arras", 1, territory=territory("62041"))

    assert "Télétravail des agents" in queue(moderator_client, consultation, q="teletravail")
    found = queue(moderator_client, consultation, q="eleves tablettes")
    assert "Les écoles" in found and "Télétravail" not in found
    by_place = queue(moderator_client, consultation, q="arras")
    assert "À Arras" in by_place and "Les écoles" not in by_place
    assert "Aucun témoignage ne correspond" in queue(moderator_client, consultation, q="zzz")


def test_published_testimonies_are_searched_with_the_public_index(moderator_client, consultation):
    market = waiting(consultation, "Le marché", 3, status=S.PUBLISHED, initiative="Commandes")
    schools = waiting(consultation, "Les écoles", 2, status=S.PUBLISHED, initiative="Tablettes")
    search_index_update(testimony_ids=[market.pk, schools.pk])

    page = queue(moderator_client, consultation, state="published", q="commande")

    assert "Le marché" in page and "Les écoles" not in page
    assert "comme sur le site public" in page


def test_possible_duplicates_are_flagged_and_filtered(moderator_client, consultation):
    text = "Une place de marché numérique pour toutes les boutiques du centre-ville."
    first = waiting(consultation, "La place de marché", 3, initiative=text)
    waiting(consultation, "Notre place de marché", 2, initiative=text + " Bis.")
    waiting(consultation, "Les écoles", 1, territory=territory("62041"), initiative=text)

    page = queue(moderator_client, consultation)  # compares the newcomers
    assert page.count("doublon possible") == 2

    only = queue(moderator_client, consultation, duplicate="1")
    assert "La place de marché" in only and "Notre place de marché" in only
    assert "Les écoles" not in only
    assert duplicates_refresh(consultation=consultation) == 0
    assert first.pk


@override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}})
def test_a_large_catch_up_goes_to_the_worker_and_the_page_says_so(moderator_client, consultation):
    text = "Une place de marché numérique pour toutes les boutiques du centre-ville."
    for day in range(SCAN_BATCH + 5):  # an import: more than the page compares itself
        waiting(consultation, f"Importé {day:02d}", 10 + day, initiative=f"{text} {day}")

    page = queue(moderator_client, consultation)
    assert (
        f"{SCAN_BATCH + 5} témoignages n'ont pas encore été comparés aux autres de leur"
        " collectivité : c'est en cours"
    ) in page
    assert "doublon possible" not in page  # the page did not compare them itself
    cache.delete(f"retex:moderation:duplicates-refreshed:{consultation.pk}")
    queue(moderator_client, consultation)  # looked again: not handed over twice
    handed = default_task_backend.results
    assert [result.task.func for result in handed] == [duplicates_refresh_all.func]

    # The worker compares them all; the queue then shows the pairs and says nothing more.
    assert duplicates_refresh_all.call(consultation_id=consultation.pk) == SCAN_BATCH + 5
    cache.delete(f"retex:moderation:duplicates-refreshed:{consultation.pk}")
    page = queue(moderator_client, consultation)
    assert "pas encore été comparés" not in page
    assert page.count("doublon possible") == SCAN_BATCH + 5


def test_pages_of_fifty(moderator_client, consultation):
    for day in range(55):
        waiting(consultation, f"Témoignage {day:02d}", 100 - day)

    first = queue(moderator_client, consultation)
    second = queue(moderator_client, consultation, page=2)

    assert "Témoignage 00" in first and "Témoignage 50" not in first
    assert "Témoignage 54" in second and "Témoignage 00" not in second
    assert 'rel="next"' in first


def test_bulk_publishing_says_what_was_done_for_each(
    moderator_client, consultation, django_capture_on_commit_callbacks
):
    first = waiting(consultation, "Premier", 3)
    second = waiting(consultation, "Deuxième", 2)
    decided = waiting(consultation, "Déjà refusé", 1, status=S.REJECTED)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = moderator_client.post(
            reverse("moderation:bulk_publish", args=[consultation.slug]),
            {"selected": [first.pk, second.pk, decided.pk]},
            follow=True,
        )

    page = unescape(response.text)
    assert "2 témoignages publiés : « Premier », « Deuxième »." in page
    assert f"Le n° {decided.pk} « Déjà refusé » n'a pas été publié" in page
    assert "Seul un témoignage en attente de modération ou dépublié peut être publié" in page
    for testimony, status in ((first, S.PUBLISHED), (second, S.PUBLISHED), (decided, S.REJECTED)):
        testimony.refresh_from_db()
        assert testimony.status == status
    assert len(mail.outbox) == 2


def test_bulk_publishing_nothing_ticked_is_explained(moderator_client, consultation):
    response = moderator_client.post(
        reverse("moderation:bulk_publish", args=[consultation.slug]) + "?state=submitted",
        {},
        follow=True,
    )
    assert "Cochez d'abord les témoignages à publier." in unescape(response.text)
    assert response.redirect_chain[-1][0].endswith("?state=submitted")


def test_the_staff_home_counts_what_waits_in_each_consultation(moderator_client, consultation):
    waiting(consultation, "Nouveau", 2)
    waiting(consultation, "Nouveau aussi", 1)
    edited = waiting(consultation, "Publié puis modifié", 9, status=S.PUBLISHED)
    edited.pending_revision = Revision.objects.create(
        testimony=edited, number=2, kind=RevisionKind.AUTHOR_EDIT, content={}, editor_name="A"
    )
    edited.save()
    waiting(consultation, "Publié", 9, status=S.PUBLISHED)
    waiting(ConsultationFactory(), "Ailleurs", 1)

    page = unescape(moderator_client.get(reverse("moderation:home")).text)

    row = page[page.index("Gestion de crise et numérique") :]
    assert '<td class="numeric">3</td>' in row[: row.index("</tr>")]
