"""The review page of a testimony: what a moderator reads, and each decision taken from it."""

import re
from datetime import timedelta
from html import unescape as html_unescape

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from retex.contributions.enums import RevisionKind, TestimonyStatus
from retex.contributions.services import TestimonyContent, testimony_edit, testimony_submit
from retex.moderation.models import DecisionKind, ModerationDecision
from retex.moderation.services import testimony_moderator_edit, testimony_publish
from tests.factories import (
    ConsultationFactory,
    MembershipFactory,
    SubtopicFactory,
    TestimonyFactory,
    ThemeFactory,
    territory,
)

pytestmark = pytest.mark.django_db


def unescape(html: str) -> str:
    """The page's text as read: entities decoded, non-breaking spaces as spaces."""
    return html_unescape(html).replace("\xa0", " ")


S = TestimonyStatus


@pytest.fixture
def consultation():
    consultation = ConsultationFactory(title="Gestion de crise et numérique")
    economy = ThemeFactory(consultation=consultation, title="Soutien à l'économie locale")
    SubtopicFactory(theme=economy, title="Circuits courts")
    return consultation


@pytest.fixture
def moderator(consultation):
    return MembershipFactory(consultation=consultation).user


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


def submitted(consultation, **content) -> "TestimonyFactory":
    """A testimony sent through the form and confirmed: revision 1, waiting for moderation."""
    theme = consultation.themes.get()
    testimony = testimony_submit(
        consultation=consultation,
        territory=territory("60057"),
        content=TestimonyContent(
            **{
                "title": "Le marché en click and collect",
                "initiative": "Commandes en ligne, retrait le samedi place des Halles.",
                "themes": [],
                "subtopics": [theme.subtopics.get()],
                "lessons": "Appeler Mme Durand au 06 12 34 56 78.",
                **content,
            }
        ),
        author_name="Camille Martin",
        author_role="agent",
        author_email="camille.martin@example.org",
        publication_consent=True,
    )
    testimony.status = S.SUBMITTED
    testimony.submitted_at = timezone.now()
    testimony.save()
    mail.outbox.clear()
    return testimony


def url(name, testimony, query=""):
    path = reverse(f"moderation:{name}", args=[testimony.consultation.slug, testimony.pk])
    return f"{path}?{query}" if query else path


def page_of(client, testimony, query="") -> str:
    response = client.get(url("review", testimony, query))
    assert response.status_code == 200
    return unescape(response.text)


def test_the_page_shows_everything_including_what_stays_private(moderator_client, consultation):
    testimony = submitted(consultation)
    testimony.in_audience = False
    testimony.save()

    page = page_of(moderator_client, testimony)

    for shown in (
        "Le marché en click and collect",
        "Beauvais",
        "Commandes en ligne, retrait le samedi place des Halles.",
        "Camille Martin",
        "camille.martin@example.org",
        "Agent de la collectivité",
        "Circuits courts",
        "Hors du public visé.",
        "Version 1",
        "Le texte tel qu'envoyé la première fois.",
        "Aucune décision pour l'instant.",
    ):
        assert shown in page, shown


def test_a_testimony_of_another_consultation_is_not_found_here(moderator_client, consultation):
    other = TestimonyFactory(status=S.SUBMITTED, author_name="Dominique Secret")
    response = moderator_client.get(
        reverse("moderation:review", args=[consultation.slug, other.pk])
    )
    assert response.status_code == 404
    assert "Dominique Secret" not in response.text


def test_publishing_with_fields_kept_private(
    moderator_client, consultation, django_capture_on_commit_callbacks
):
    testimony = submitted(consultation)

    with django_capture_on_commit_callbacks(execute=True):
        response = moderator_client.post(
            url("publish", testimony, "state=submitted"),
            {"withheld_fields": ["lessons"]},
            follow=True,
        )

    assert response.redirect_chain[-1][0] == url("review", testimony, "state=submitted")
    page = unescape(response.text)
    assert "Le témoignage est publié ; son auteur a été prévenu par e-mail." in page
    assert "Version 1 approuvée." in page
    assert "Gardé privé : enseignements et conseils." in page
    testimony.refresh_from_db()
    assert (testimony.status, testimony.withheld_fields) == (S.PUBLISHED, ["lessons"])
    (message,) = mail.outbox
    assert message.subject == "Votre témoignage est publié"
    assert "- Enseignements et conseils" in message.body


def test_anonymising_asks_how_the_author_agreed_and_keeps_the_choices(
    moderator_client, consultation
):
    testimony = submitted(consultation)

    response = moderator_client.post(
        url("publish", testimony), {"anonymous": "on", "withheld_fields": ["partners"]}
    )

    assert response.status_code == 200
    page = unescape(response.text)
    assert "La décision n'a pas été enregistrée" in page
    assert "Indiquez quand et comment l'auteur a demandé" in page
    assert re.search(r'name="anonymous" id="publish-anonymous"[^>]* checked', page)
    assert re.search(r'value="partners" id="publish-withheld_fields_3"[^>]* checked', page)
    testimony.refresh_from_db()
    assert testimony.status == S.SUBMITTED

    moderator_client.post(
        url("publish", testimony),
        {"anonymous": "on", "anonymous_consent": "Courriel de l'auteur du 3 mars"},
    )
    testimony.refresh_from_db()
    assert testimony.anonymous and testimony.status == S.PUBLISHED


def test_when_the_author_asked_for_anonymity_the_page_says_so_and_keeps_it(
    moderator_client, consultation
):
    testimony = submitted(consultation, anonymous=True)

    page = page_of(moderator_client, testimony)
    assert "L'auteur demande que la collectivité ne soit pas nommée." in page
    assert "Publié sans nommer la collectivité, comme l'auteur l'a demandé." in page

    moderator_client.post(url("publish", testimony), {})  # a disabled box is never sent
    testimony.refresh_from_db()
    assert testimony.anonymous and testimony.status == S.PUBLISHED


def test_rejecting_with_a_listed_reason_mails_it_in_plain_french(
    moderator_client, consultation, django_capture_on_commit_callbacks
):
    testimony = submitted(consultation)

    with django_capture_on_commit_callbacks(execute=True):
        response = moderator_client.post(
            url("reject", testimony),
            {"reason": "personal_data", "message": "Merci de retirer le numéro de téléphone."},
            follow=True,
        )

    assert "le motif a été envoyé à son auteur par e-mail" in unescape(response.text)
    testimony.refresh_from_db()
    assert testimony.status == S.REJECTED
    decision = ModerationDecision.objects.get(testimony=testimony)
    assert decision.reason == (
        "Votre témoignage nomme ou décrit des personnes d'une manière qui ne peut pas être "
        "publiée.\n\nMerci de retirer le numéro de téléphone."
    )
    (message,) = mail.outbox
    assert message.subject == "Votre témoignage ne sera pas publié"
    assert "nomme ou décrit des personnes" in message.body


def test_another_reason_must_be_written_and_nothing_typed_is_lost(moderator_client, consultation):
    testimony = submitted(consultation)

    response = moderator_client.post(url("reject", testimony), {"reason": "other"})
    page = unescape(response.text)
    assert "Rédigez le motif destiné à l'auteur." in page
    assert '<details class="review-action" id="reject" open>' in page
    assert re.search(r'value="other" id="reject-reason_6"[^>]* checked', page)

    response = moderator_client.post(url("reject", testimony), {"message": "Hors sujet."})
    assert "Choisissez un motif" in unescape(response.text)
    assert "Hors sujet." in unescape(response.text)
    testimony.refresh_from_db()
    assert testimony.status == S.SUBMITTED
    assert mail.outbox == []


def test_asking_for_changes_sends_the_message(
    moderator_client, consultation, django_capture_on_commit_callbacks
):
    testimony = submitted(consultation)

    response = moderator_client.post(url("request_changes", testimony), {"message": "  "})
    assert "Écrivez ce que l'auteur doit modifier." in unescape(response.text)

    with django_capture_on_commit_callbacks(execute=True):
        moderator_client.post(
            url("request_changes", testimony), {"message": "Précisez les dates, svp."}
        )
    testimony.refresh_from_db()
    assert testimony.status == S.CHANGES_REQUESTED
    assert "Précisez les dates, svp." in mail.outbox[0].body


def test_a_correction_is_a_new_version_with_a_readable_difference(
    moderator_client, consultation, moderator
):
    testimony = submitted(consultation)
    edit_page = moderator_client.get(url("edit", testimony))
    assert edit_page.status_code == 200
    assert "Appeler Mme Durand au 06 12 34 56 78." in unescape(edit_page.text)

    form = {
        "title": "Le marché en click and collect",
        "subtopics": [consultation.themes.get().subtopics.get().pk],
        "initiative": "Commandes en ligne, retrait le samedi place des Halles.",
        "lessons": "Appeler le service commerce.",
    }
    response = moderator_client.post(url("edit", testimony), form, follow=True)

    page = unescape(response.text)
    assert "Votre correction est enregistrée comme une nouvelle version" in page
    assert "Version 2" in page and "Modifié par un modérateur" in page
    assert (
        '<del><span class="visually-hidden">[supprimé : </span>Mme Durand au 06 12 34 56 78.'
        in page
    )
    assert "le service commerce.</ins>" in page
    first, second = testimony.revisions.all()
    assert first.content["lessons"] == "Appeler Mme Durand au 06 12 34 56 78."
    assert (second.kind, second.editor_user) == (RevisionKind.MODERATOR_EDIT, moderator)


def test_a_wrong_correction_is_shown_again_with_what_was_typed(moderator_client, consultation):
    testimony = submitted(consultation)

    response = moderator_client.post(
        url("edit", testimony), {"title": "", "initiative": "Texte corrigé à garder"}
    )

    page = unescape(response.text)
    assert response.status_code == 200
    assert "Donnez un titre à votre témoignage." in page
    assert "Texte corrigé à garder" in page
    assert testimony.revisions.count() == 1


def test_marking_a_duplicate_by_suggestion_or_number(moderator_client, consultation):
    original = submitted(consultation)
    copy = submitted(consultation, title="Le marché en click and collect (bis)")

    page = page_of(moderator_client, copy)
    assert "Doublon possible" in page
    assert f"N° {original.pk} « Le marché en click and collect »" in page

    response = moderator_client.post(url("mark_duplicate", copy), {"number": 999999})
    assert "Aucun témoignage de cette consultation ne porte le numéro 999999." in unescape(
        response.text
    )
    elsewhere = TestimonyFactory()
    response = moderator_client.post(url("mark_duplicate", copy), {"number": elsewhere.pk})
    assert "ne porte le numéro" in unescape(response.text)

    response = moderator_client.post(
        url("mark_duplicate", copy), {"original": original.pk}, follow=True
    )
    assert "écarté comme doublon" in unescape(response.text)
    copy.refresh_from_db()
    assert copy.status == S.DUPLICATE
    decision = ModerationDecision.objects.get(testimony=copy)
    assert (decision.kind, decision.duplicate_of) == (DecisionKind.MARK_DUPLICATE, original)


def test_unpublishing(moderator_client, consultation, moderator):
    testimony = submitted(consultation)
    testimony_publish(testimony=testimony, moderator=moderator)

    moderator_client.post(url("unpublish", testimony), {"message": "Signalé par un élu."})

    testimony.refresh_from_db()
    assert testimony.status == S.UNPUBLISHED
    assert "Signalé par un élu." in page_of(moderator_client, testimony)


def test_an_edit_older_than_a_correction_is_compared_then_confirmed(
    moderator_client, consultation, moderator
):
    testimony = submitted(consultation)
    testimony_publish(testimony=testimony, moderator=moderator)
    theme = consultation.themes.get()
    testimony_edit(
        testimony=testimony,
        content=TestimonyContent(
            title="Le marché en ligne, un an après",
            initiative="Commandes en ligne, retrait le samedi place des Halles.",
            themes=[],
            subtopics=[theme.subtopics.get()],
            lessons="Appeler Mme Durand au 06 12 34 56 78.",
        ),
        editor_name="Camille Martin",
    )
    testimony_moderator_edit(
        testimony=testimony,
        moderator=moderator,
        content=TestimonyContent(
            title="Le marché en click and collect",
            initiative="Commandes en ligne, retrait le samedi place des Halles.",
            themes=[],
            subtopics=[theme.subtopics.get()],
            lessons="Appeler le service commerce.",
        ),
    )

    page = page_of(moderator_client, testimony)
    assert "Une modification de l'auteur attend votre examen." in page
    assert "Un modérateur a corrigé le texte publié après l'écriture de cette modification" in page
    # Version 3 is compared with version 1, the text then in force, not with the waiting edit.
    assert "Comparée à la version 1, le texte en vigueur" in page

    response = moderator_client.post(url("accept_edit", testimony), {})
    assert "Comparez les deux versions, puis confirmez." in unescape(response.text)
    testimony.refresh_from_db()
    assert testimony.pending_revision is not None

    moderator_client.post(url("accept_edit", testimony), {"undo_corrections": "on"})
    testimony.refresh_from_db()
    assert testimony.title == "Le marché en ligne, un an après"
    assert testimony.pending_revision is None


def test_next_and_previous_follow_the_queue_as_filtered(moderator_client, consultation):
    now = timezone.now()
    older, middle, newer = (
        TestimonyFactory(
            consultation=consultation,
            status=S.SUBMITTED,
            title=f"Témoignage {n}",
            submitted_at=now - timedelta(days=10 - n),
        )
        for n in range(3)
    )
    TestimonyFactory(consultation=consultation, status=S.PUBLISHED, title="Publié entre")

    page = page_of(moderator_client, middle, "state=submitted")

    assert f'href="{url("review", older, "state=submitted")}" rel="prev"' in page
    assert f'href="{url("review", newer, "state=submitted")}" rel="next"' in page
    assert 'data-shortcut="n"' in page and 'data-shortcut="p"' in page


def test_a_decision_the_state_does_not_allow_is_explained(moderator_client, consultation):
    testimony = TestimonyFactory(consultation=consultation, status=S.WITHDRAWN)

    page = page_of(moderator_client, testimony)
    assert "Aucune décision ne peut être prise" in page
    response = moderator_client.post(url("publish", testimony), {})
    assert "Seul un témoignage en attente de modération ou dépublié peut être publié" in (
        unescape(response.text)
    )
    assert moderator_client.get(url("publish", testimony)).status_code == 405
