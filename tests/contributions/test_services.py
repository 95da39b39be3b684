"""The author's side of a testimony's life, through the services."""

from datetime import timedelta

import pytest
from django.core import mail, signing
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from retex.audit.models import AuditEvent
from retex.consultations.enums import AudienceEnforcement
from retex.contributions.enums import LinkPurpose, RevisionKind, TestimonyStatus
from retex.contributions.models import Testimony
from retex.contributions.services import (
    LINK_SALT,
    LinkRefused,
    TestimonyContent,
    testimonies_expire_unconfirmed,
    testimony_confirm,
    testimony_edit,
    testimony_from_link,
    testimony_link_token,
    testimony_links_resend,
    testimony_links_revoke,
    testimony_submit,
    testimony_withdraw,
)
from tests.factories import ConsultationFactory, SubtopicFactory, ThemeFactory, territory


@pytest.fixture(autouse=True)
def english_messages():
    """Messages are matched in English, the language they are written in."""
    with translation.override("en"):
        yield


@pytest.fixture
def consultation():
    consultation = ConsultationFactory()
    economy = ThemeFactory(consultation=consultation, title="Soutien à l'économie locale")
    SubtopicFactory(theme=economy, title="Circuits courts")
    ThemeFactory(consultation=consultation, title="Cohésion sociale")
    return consultation


def content_for(consultation, **overrides) -> TestimonyContent:
    economy = consultation.themes.get(title="Soutien à l'économie locale")
    values = {
        "title": "Le marché en click and collect",
        "initiative": "Commandes en ligne, retrait le samedi sur la place des Halles.",
        "themes": [],
        "subtopics": [economy.subtopics.get()],
        "difficulties": "Former les producteurs en une semaine.",
        "lessons": "Associer les commerçants dès le départ.",
        "tools": ["Click & collect", "click & collect", " Réseaux   sociaux "],
        "links": ["https://www.beauvais.fr/"],
    }
    return TestimonyContent(**{**values, **overrides})


def submit(consultation, code="60057", **overrides):
    values = {
        "consultation": consultation,
        "territory": territory(code),
        "content": overrides.pop("content", None) or content_for(consultation),
        "author_name": "Camille Martin",
        "author_role": "agent",
        "author_email": "Camille.Martin@Example.org ",
        "publication_consent": True,
    }
    return testimony_submit(**{**values, **overrides})


@pytest.mark.django_db
def test_a_submission_waits_for_the_address_to_be_confirmed(
    consultation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        testimony = submit(consultation)

    testimony.refresh_from_db()
    assert testimony.status == TestimonyStatus.PENDING_VERIFICATION
    assert testimony.author_email == "camille.martin@example.org"
    # A sub-topic brings its theme; tools are de-duplicated and tidied.
    assert [t.title for t in testimony.themes.all()] == ["Soutien à l'économie locale"]
    assert sorted(t.name for t in testimony.tools.all()) == ["Click & collect", "Réseaux sociaux"]
    assert testimony.in_audience
    assert testimony.revisions.get().kind == RevisionKind.SUBMISSION
    assert AuditEvent.objects.filter(
        action="testimony.submit", target_id=str(testimony.pk)
    ).exists()
    [message] = mail.outbox
    assert message.to == ["camille.martin@example.org"]
    assert "/temoignages/confirmer/" in message.body


@pytest.mark.django_db
def test_no_email_leaves_for_a_submission_that_fails(
    consultation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        submit(consultation, content=content_for(consultation, subtopics=[], themes=[]))

    assert not Testimony.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_closed_consultation_refuses_testimonies():
    consultation = ConsultationFactory(
        opens_at=timezone.now() - timedelta(days=30), closes_at=timezone.now() - timedelta(days=1)
    )
    ThemeFactory(consultation=consultation)

    with pytest.raises(ValidationError, match="no longer takes testimonies"):
        submit(consultation, content=content_for_any(consultation))


def content_for_any(consultation):
    return TestimonyContent(title="T", initiative="I", themes=list(consultation.themes.all()))


@pytest.mark.django_db
def test_an_advisory_audience_flags_chevreuse_and_a_strict_one_refuses_it(consultation):
    testimony = submit(consultation, code="78160")
    assert testimony.in_audience is False

    consultation.audience_rule.enforcement = AudienceEnforcement.STRICT
    consultation.audience_rule.save()
    with pytest.raises(ValidationError) as error:
        submit(consultation, code="78160", author_email="autre@example.org")
    assert "Chevreuse" in str(error.value.message_dict["territory"])


@pytest.mark.django_db
def test_confirming_twice_is_harmless_and_sends_the_edit_link(
    consultation, django_capture_on_commit_callbacks
):
    testimony = submit(consultation)
    with django_capture_on_commit_callbacks(execute=True):
        testimony_confirm(testimony=testimony)
        testimony_confirm(testimony=testimony)

    testimony.refresh_from_db()
    assert testimony.status == TestimonyStatus.SUBMITTED
    assert testimony.submitted_at is not None
    assert len(mail.outbox) == 1
    assert "/temoignages/modifier/" in mail.outbox[0].body


@pytest.mark.django_db
def test_links_are_refused_when_forged_expired_revoked_or_for_another_purpose(consultation):
    testimony = submit(consultation)
    token = testimony_link_token(testimony=testimony, purpose=LinkPurpose.CONFIRM)
    assert testimony_from_link(token=token, purpose=LinkPurpose.CONFIRM) == testimony

    with pytest.raises(LinkRefused):
        testimony_from_link(token=token[:-2] + "xx", purpose=LinkPurpose.CONFIRM)
    with pytest.raises(LinkRefused):
        testimony_from_link(token=token, purpose=LinkPurpose.EDIT)

    old = signing.TimestampSigner(salt=LINK_SALT)
    old.timestamp = lambda: signing.b62_encode(int(timezone.now().timestamp()) - 8 * 86400)
    expired = old.sign_object({"t": testimony.pk, "k": testimony.link_key, "p": "confirm"})
    with pytest.raises(LinkRefused) as error:
        testimony_from_link(token=expired, purpose=LinkPurpose.CONFIRM)
    assert error.value.expired

    testimony_links_revoke(testimony=testimony)
    with pytest.raises(LinkRefused):
        testimony_from_link(token=token, purpose=LinkPurpose.CONFIRM)


@pytest.mark.django_db
def test_an_edit_before_publication_applies_and_records_who_made_it(consultation):
    testimony = submit(consultation)
    testimony_confirm(testimony=testimony)

    testimony_edit(
        testimony=testimony,
        content=content_for(consultation, title="Le marché en ligne, bilan"),
        editor_name="Dominique, service commerce",
    )

    testimony.refresh_from_db()
    assert testimony.title == "Le marché en ligne, bilan"
    latest = testimony.revisions.order_by("-number").first()
    assert (latest.number, latest.kind, latest.editor_name) == (
        2,
        RevisionKind.AUTHOR_EDIT,
        "Dominique, service commerce",
    )
    assert latest.content["title"] == "Le marché en ligne, bilan"
    assert testimony.revisions.get(number=1).content["title"] == "Le marché en click and collect"


@pytest.mark.django_db
def test_an_edit_of_a_published_testimony_waits_and_the_published_text_stays(consultation):
    testimony = submit(consultation)
    Testimony.objects.filter(pk=testimony.pk).update(status=TestimonyStatus.PUBLISHED)

    testimony_edit(
        testimony=testimony,
        content=content_for(consultation, title="Nouveau titre"),
        editor_name="",
    )

    testimony.refresh_from_db()
    assert testimony.title == "Le marché en click and collect"
    assert testimony.status == TestimonyStatus.PUBLISHED
    assert testimony.pending_revision.content["title"] == "Nouveau titre"
    assert testimony.pending_revision.editor_name == "Camille Martin"


@pytest.mark.django_db
def test_a_testimony_asked_for_changes_goes_back_to_moderation_when_edited(consultation):
    testimony = submit(consultation)
    Testimony.objects.filter(pk=testimony.pk).update(status=TestimonyStatus.CHANGES_REQUESTED)

    testimony_edit(testimony=testimony, content=content_for(consultation), editor_name="C. M.")

    testimony.refresh_from_db()
    assert testimony.status == TestimonyStatus.SUBMITTED


@pytest.mark.django_db
def test_editing_is_refused_once_the_consultation_is_closed(consultation):
    testimony = submit(consultation)
    consultation.closes_at = timezone.now() - timedelta(minutes=1)
    consultation.opens_at = timezone.now() - timedelta(days=20)
    consultation.save()

    with pytest.raises(ValidationError, match="closed"):
        testimony_edit(testimony=testimony, content=content_for(consultation), editor_name="")


@pytest.mark.django_db
def test_withdrawal_is_allowed_before_publication_only(consultation):
    testimony = submit(consultation)
    testimony_withdraw(testimony=testimony, editor_name="Camille")
    testimony.refresh_from_db()
    assert testimony.status == TestimonyStatus.WITHDRAWN

    published = submit(consultation, author_email="x@example.org")
    Testimony.objects.filter(pk=published.pk).update(status=TestimonyStatus.PUBLISHED)
    with pytest.raises(ValidationError, match="organisers"):
        testimony_withdraw(testimony=published)


@pytest.mark.django_db
def test_unconfirmed_testimonies_expire_with_their_link(consultation):
    testimony = submit(consultation)
    Testimony.objects.filter(pk=testimony.pk).update(created_at=timezone.now() - timedelta(days=8))
    fresh = submit(consultation, author_email="fresh@example.org")

    assert testimonies_expire_unconfirmed() == 1

    testimony.refresh_from_db()
    fresh.refresh_from_db()
    assert (testimony.status, fresh.status) == (
        TestimonyStatus.EXPIRED,
        TestimonyStatus.PENDING_VERIFICATION,
    )
    with pytest.raises(ValidationError, match="expired"):
        testimony_confirm(testimony=testimony)


@pytest.mark.django_db
def test_lost_links_are_sent_again_to_the_same_address_only(
    consultation, django_capture_on_commit_callbacks
):
    submit(consultation)
    with django_capture_on_commit_callbacks(execute=True):
        assert testimony_links_resend(email=" CAMILLE.martin@example.org") == 1
        assert testimony_links_resend(email="someone-else@example.org") == 0

    assert [message.to for message in mail.outbox] == [["camille.martin@example.org"]]
