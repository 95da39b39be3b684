"""Organisers edit their consultation: texts and schedule, audience, themes and sub-topics, and
extend the deadline with a reason the public page shows."""

import html
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from retex.audit.models import AuditEvent
from retex.consultations.enums import MembershipRole
from retex.consultations.models import AudienceRule, Subtopic, Theme
from tests.factories import (
    ConsultationFactory,
    MembershipFactory,
    SubtopicFactory,
    TestimonyFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def consultation():
    return ConsultationFactory(
        title="Gestion de crise et numérique",
        opens_at=timezone.now() - timedelta(days=10),
        closes_at=datetime(2100, 1, 20, 23, 59, tzinfo=PARIS),
    )


@pytest.fixture
def organiser(client, consultation):
    user = MembershipFactory(consultation=consultation, role=MembershipRole.ORGANISER).user
    client.force_login(user)
    return user


def url(name: str, consultation, *args) -> str:
    return reverse(f"backoffice:{name}", args=[consultation.slug, *args])


def texts_form(consultation, **changes) -> dict:
    local = timezone.localtime
    data = {
        "title": consultation.title,
        "summary": consultation.summary,
        "description": consultation.description,
        "organiser_names": consultation.organiser_names,
        "contact_email": consultation.contact_email,
        "opens_at": local(consultation.opens_at).strftime("%Y-%m-%dT%H:%M"),
        "closes_at": local(consultation.closes_at).strftime("%Y-%m-%dT%H:%M"),
        "results_expected_on": "",
    }
    return {**data, **changes}


# --- Texts and schedule ------------------------------------------------------------------------


def test_the_texts_are_saved_and_the_public_page_shows_them(client, organiser, consultation):
    response = client.post(
        url("settings", consultation),
        texts_form(
            consultation, title="Numérique et crise sanitaire", results_expected_on="2100-06-30"
        ),
        follow=True,
    )
    assert "La consultation a été enregistrée." in text(response)
    public = client.get(consultation.get_absolute_url()).text
    assert "Numérique et crise sanitaire" in public
    event = AuditEvent.objects.get(action="consultation.update")
    assert event.details["changes"]["title"] == [
        "Gestion de crise et numérique",
        "Numérique et crise sanitaire",
    ]
    assert set(event.details["changes"]) == {"title", "results_expected_on"}


def test_an_open_consultation_shows_its_dates_without_letting_them_move(
    client, organiser, consultation
):
    page = text(client.get(url("settings", consultation)))
    assert 'name="closes_at"' in page and "disabled" in page
    assert "la date limite ne change plus que par un report" in page
    response = client.post(
        url("settings", consultation), texts_form(consultation, closes_at="2101-01-01T12:00")
    )
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.closes_at == datetime(2100, 1, 20, 23, 59, tzinfo=PARIS)


def test_an_upcoming_consultation_may_change_its_dates(client, organiser, consultation):
    consultation.opens_at = datetime(2099, 1, 1, 9, tzinfo=PARIS)
    consultation.save()
    client.post(
        url("settings", consultation),
        texts_form(consultation, opens_at="2099-02-01T09:00", closes_at="2099-05-31T23:59"),
    )
    consultation.refresh_from_db()
    assert consultation.opens_at == datetime(2099, 2, 1, 9, tzinfo=PARIS)
    assert consultation.closes_at == datetime(2099, 5, 31, 23, 59, tzinfo=PARIS)
    assert not consultation.deadline_extensions.exists()


def test_a_missing_title_is_said_and_nothing_typed_is_lost(client, organiser, consultation):
    response = client.post(
        url("settings", consultation), texts_form(consultation, title="", summary="Nouveau résumé")
    )
    page = text(response)
    assert response.status_code == 200
    assert "Erreur :" in page and "Le formulaire contient 1 erreur" in page
    assert "Nouveau résumé" in page
    assert not AuditEvent.objects.filter(action="consultation.update").exists()


def test_the_description_is_previewed_without_being_saved(client, organiser, consultation):
    response = client.post(
        url("settings", consultation),
        texts_form(consultation, description="Un texte **important**.", preview="1"),
    )
    page = text(response)
    assert "Aperçu (pas encore enregistré)" in page
    assert "<strong>important</strong>" in page
    consultation.refresh_from_db()
    assert consultation.description != "Un texte **important**."


# --- Audience ----------------------------------------------------------------------------------


def test_the_audience_is_changed(client, organiser, consultation):
    response = client.post(
        url("settings_audience", consultation),
        {
            "kinds": ["commune"],
            "population_min": "5000",
            "population_max": "",
            "epci_population_basis": "members",
            "enforcement": "strict",
        },
        follow=True,
    )
    assert "Le public visé a été enregistré." in text(response)
    assert "reclassé" not in text(response)  # no testimony received yet
    rule = AudienceRule.objects.get(consultation=consultation)
    assert (rule.kinds, rule.population_min, rule.population_max, rule.enforcement) == (
        ["commune"],
        5000,
        None,
        "strict",
    )


def test_the_organiser_is_told_how_many_testimonies_changed_flag(client, organiser, consultation):
    TestimonyFactory.create_batch(2, consultation=consultation)  # Beauvais, 56,000 inhabitants
    response = client.post(
        url("settings_audience", consultation),
        {
            "kinds": ["commune"],
            "population_min": "60000",
            "population_max": "",
            "epci_population_basis": "members",
            "enforcement": "advisory",
        },
        follow=True,
    )
    assert (
        "Le public visé a été enregistré. 2 témoignages déjà reçus ont été reclassés selon"
        " cette règle (dans ou hors du public visé)."
    ) in text(response)
    assert not consultation.testimonies.filter(in_audience=True).exists()


def test_an_inverted_range_is_refused_on_its_field(client, organiser, consultation):
    response = client.post(
        url("settings_audience", consultation),
        {
            "population_min": "50000",
            "population_max": "1000",
            "epci_population_basis": "members",
            "enforcement": "advisory",
        },
    )
    assert "La population maximale est inférieure à la minimale." in text(response)


# --- Themes and sub-topics ---------------------------------------------------------------------


@pytest.fixture
def themes(consultation):
    first = ThemeFactory(consultation=consultation, position=1, title="Service public")
    second = ThemeFactory(consultation=consultation, position=2, title="Économie locale")
    SubtopicFactory(theme=first, position=1, title="Télétravail")
    SubtopicFactory(theme=first, position=2, title="Cybersécurité")
    return first, second


def test_the_themes_page_lists_them_in_order_with_their_use(
    client, organiser, consultation, themes
):
    TestimonyFactory(consultation=consultation, themes=[themes[0]])
    page = text(client.get(url("settings_themes", consultation)))
    assert page.index("Service public") < page.index("Économie locale")
    assert "1 témoignage" in page
    assert "Télétravail" in page


def test_a_theme_is_added_then_renamed(client, organiser, consultation, themes):
    response = client.post(
        url("settings_themes", consultation),
        {"title": "Cohésion sociale", "description": "", "accepts_other_subtopics": "on"},
    )
    added = Theme.objects.get(title="Cohésion sociale")
    assert response["Location"] == url("settings_theme", consultation, added.pk)
    assert added.position == 3
    client.post(
        url("settings_theme", consultation, added.pk),
        {"title": "Cohésion sociale et santé", "description": "Accès aux droits."},
    )
    added.refresh_from_db()
    assert (added.title, added.description, added.accepts_other_subtopics) == (
        "Cohésion sociale et santé",
        "Accès aux droits.",
        False,
    )


def test_a_theme_moves_up(client, organiser, consultation, themes):
    client.post(url("settings_theme_move", consultation, themes[1].pk), {"direction": "up"})
    assert list(consultation.themes.values_list("title", flat=True)) == [
        "Économie locale",
        "Service public",
    ]


def test_a_used_theme_cannot_be_removed_and_the_page_says_why(
    client, organiser, consultation, themes
):
    TestimonyFactory(consultation=consultation, themes=[themes[0]])
    page = text(client.get(url("settings_theme_delete", consultation, themes[0].pk)))
    assert "Des témoignages sont classés sous ce thème" in page
    assert "Vous pouvez plutôt le renommer" in page
    response = client.post(url("settings_theme_delete", consultation, themes[0].pk))
    assert "1 témoignage est classé sous ce thème ou ses sous-thèmes" in text(response)
    assert Theme.objects.filter(pk=themes[0].pk).exists()


def test_an_unused_theme_is_removed_after_confirmation(client, organiser, consultation, themes):
    page = text(client.get(url("settings_theme_delete", consultation, themes[1].pk)))
    assert "Supprimer le thème «\xa0Économie locale\xa0» ?" in page
    response = client.post(url("settings_theme_delete", consultation, themes[1].pk), follow=True)
    assert "Le thème «\xa0Économie locale\xa0» a été supprimé." in text(response)
    assert not Theme.objects.filter(pk=themes[1].pk).exists()


def test_subtopics_are_added_renamed_moved_and_removed(client, organiser, consultation, themes):
    theme = themes[0]
    client.post(url("settings_subtopic_add", consultation, theme.pk), {"new-title": "Continuité"})
    continuity = Subtopic.objects.get(title="Continuité")
    prefix = f"subtopic-{continuity.pk}"
    client.post(
        url("settings_subtopic_rename", consultation, continuity.pk),
        {f"{prefix}-title": "Continuité du service public"},
    )
    client.post(url("settings_subtopic_move", consultation, continuity.pk), {"direction": "up"})
    telework = Subtopic.objects.get(title="Télétravail")
    client.post(url("settings_subtopic_delete", consultation, telework.pk))
    assert list(theme.subtopics.order_by("position").values_list("title", flat=True)) == [
        "Continuité du service public",
        "Cybersécurité",
    ]


def test_a_blank_rename_is_refused_beside_its_subtopic(client, organiser, consultation, themes):
    telework = Subtopic.objects.get(title="Télétravail")
    response = client.post(
        url("settings_subtopic_rename", consultation, telework.pk),
        {f"subtopic-{telework.pk}-title": ""},
    )
    page = text(response)
    assert "Ce champ est obligatoire." in page
    assert f'id="id_subtopic-{telework.pk}-title_error"' in page
    telework.refresh_from_db()
    assert telework.title == "Télétravail"


def test_a_subtopic_used_by_a_testimony_stays(client, organiser, consultation, themes):
    telework = Subtopic.objects.get(title="Télétravail")
    testimony = TestimonyFactory(consultation=consultation, themes=[themes[0]])
    testimony.subtopics.set([telework])
    response = client.post(url("settings_subtopic_delete", consultation, telework.pk))
    assert "1 témoignage est classé sous ce sous-thème : il ne peut pas être supprimé." in text(
        response
    )
    assert Subtopic.objects.filter(pk=telework.pk).exists()


def test_themes_of_another_consultation_are_out_of_reach(client, organiser, consultation):
    other_theme = ThemeFactory(title="Ailleurs")
    assert client.get(url("settings_theme", consultation, other_theme.pk)).status_code == 404
    response = client.post(url("settings_theme_delete", consultation, other_theme.pk))
    assert response.status_code == 404
    assert Theme.objects.filter(pk=other_theme.pk).exists()


# --- The deadline ------------------------------------------------------------------------------


def test_extending_the_deadline_shows_the_new_date_and_the_reason_publicly(
    client, organiser, consultation
):
    response = client.post(
        url("settings_deadline", consultation),
        {
            "new_closes_at": "2100-03-20T23:59",
            "reason": "Pour laisser le temps aux petites communes.",
        },
        follow=True,
    )
    page = text(response)
    assert "La date limite a été reportée." in page
    assert "20\xa0mars\xa02100" in page  # in the history table
    consultation.refresh_from_db()
    assert consultation.closes_at == datetime(2100, 3, 20, 23, 59, tzinfo=PARIS)
    public = text(client.get(consultation.get_absolute_url()))
    assert "Pour laisser le temps aux petites communes." in public
    assert "20\xa0janvier\xa02100" in public and "20\xa0mars\xa02100" in public
    assert AuditEvent.objects.get(action="consultation.extend_deadline").actor_user == organiser


def test_an_extension_needs_a_reason_and_a_later_date(client, organiser, consultation):
    response = client.post(
        url("settings_deadline", consultation),
        {"new_closes_at": "2100-01-10T12:00", "reason": ""},
    )
    page = text(response)
    assert "Ce champ est obligatoire." in page
    response = client.post(
        url("settings_deadline", consultation),
        {"new_closes_at": "2100-01-10T12:00", "reason": "Raccourcir."},
    )
    assert "La nouvelle date limite doit être postérieure à l'actuelle." in text(response)
    consultation.refresh_from_db()
    assert not consultation.deadline_extensions.exists()


def test_settings_team_and_log_are_in_the_navigation_of_organisers_only(
    client, organiser, consultation
):
    """Who may open these pages is tested in tests/test_backoffice_permissions.py."""
    queue = reverse("moderation:queue", args=[consultation.slug])
    pages = [url(name, consultation) for name in ("settings", "team", "audit")]
    page = client.get(queue).text
    assert all(address in page for address in pages)
    client.force_login(MembershipFactory(consultation=consultation).user)
    page = client.get(queue).text
    assert not any(address in page for address in pages)
