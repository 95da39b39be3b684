import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone, translation

from retex.audit.models import AuditEvent
from retex.consultations.enums import MembershipRole
from retex.consultations.models import ConsultationMembership
from retex.contributions.enums import LinkPurpose, RevisionKind, TestimonyStatus
from retex.contributions.models import Attachment, Testimony
from retex.contributions.services import (
    TestimonyContent,
    testimony_confirm,
    testimony_edit,
    testimony_from_link,
    testimony_submit,
)
from retex.explore.search import search_testimonies
from retex.moderation.duplicates import (
    duplicates_refresh,
    duplicates_unscanned,
    possibly_duplicated,
)
from retex.moderation.models import DecisionKind, ModerationDecision
from retex.moderation.services import (
    testimonies_publish_many,
    testimony_accept_edit,
    testimony_mark_duplicate,
    testimony_moderator_edit,
    testimony_publish,
    testimony_reject,
    testimony_request_changes,
    testimony_unpublish,
)
from tests.factories import (
    ConsultationFactory,
    SubtopicFactory,
    TestimonyFactory,
    ThemeFactory,
    UserFactory,
    territory,
)

S = TestimonyStatus


@pytest.fixture(autouse=True)
def english_messages():
    """Messages are matched in English, the language they are written in."""
    with translation.override("en"):
        yield


@pytest.fixture
def consultation():
    consultation = ConsultationFactory(contact_email="retex@villes.example")
    economy = ThemeFactory(consultation=consultation, title="Soutien à l'économie locale")
    SubtopicFactory(theme=economy, title="Circuits courts")
    ThemeFactory(consultation=consultation, title="Cohésion sociale")
    return consultation


def member(consultation, role=MembershipRole.MODERATOR):
    user = UserFactory()
    ConsultationMembership.objects.create(consultation=consultation, user=user, role=role)
    return user


@pytest.fixture
def moderator(consultation):
    return member(consultation)


def content_for(consultation, **overrides) -> TestimonyContent:
    economy = consultation.themes.get(title="Soutien à l'économie locale")
    values = {
        "title": "Le marché en click and collect",
        "initiative": "Commandes en ligne, retrait le samedi sur la place des Halles.",
        "themes": [],
        "subtopics": [economy.subtopics.get()],
        "lessons": "Associer les commerçants dès le départ.",
        "tools": ["Click & collect"],
    }
    return TestimonyContent(**{**values, **overrides})


def submitted(consultation, **overrides) -> Testimony:
    """A testimony as its author sends it and confirms it: waiting for moderation."""
    testimony = testimony_submit(
        consultation=consultation,
        territory=territory("60057"),
        content=content_for(consultation, **overrides),
        author_name="Camille Martin",
        author_role="agent",
        author_email="camille.martin@example.org",
        publication_consent=True,
    )
    return testimony_confirm(testimony=testimony)


def found(text: str) -> list[Testimony]:
    return list(search_testimonies(queryset=Testimony.objects.all(), text=text))


REASON = "Merci de retirer le nom de l'agent cité dans le deuxième paragraphe."

# Each decision that moves a testimony, the state it leads to, and the states it starts from.
MOVES = {
    "publish": (testimony_publish, S.PUBLISHED, {S.SUBMITTED, S.UNPUBLISHED}),
    "reject": (testimony_reject, S.REJECTED, {S.SUBMITTED}),
    "request_changes": (testimony_request_changes, S.CHANGES_REQUESTED, {S.SUBMITTED}),
    "unpublish": (testimony_unpublish, S.UNPUBLISHED, {S.PUBLISHED}),
    "mark_duplicate": (testimony_mark_duplicate, S.DUPLICATE, {S.SUBMITTED}),
}


def decide(name, testimony, moderator):
    service = MOVES[name][0]
    extra = {}
    if name in {"reject", "request_changes", "unpublish"}:
        extra["reason"] = REASON
    if name == "mark_duplicate":
        extra["duplicate_of"] = TestimonyFactory(consultation=testimony.consultation)
    return service(testimony=testimony, moderator=moderator, **extra)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MOVES))
@pytest.mark.parametrize("status", list(S))
def test_each_decision_applies_from_the_allowed_states_only(consultation, moderator, name, status):
    _service, target, sources = MOVES[name]
    testimony = TestimonyFactory(consultation=consultation, status=status)

    if status in sources:
        decide(name, testimony, moderator)
        testimony.refresh_from_db()
        assert testimony.status == target
        assert ModerationDecision.objects.get(testimony=testimony).kind == name
    else:
        with pytest.raises(ValidationError) as refused:
            decide(name, testimony, moderator)
        assert f"This one is “{status.label}”" in refused.value.messages[0]
        testimony.refresh_from_db()
        assert testimony.status == status
        assert not ModerationDecision.objects.filter(testimony=testimony).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MOVES))
def test_a_moderator_of_another_consultation_is_refused(consultation, name):
    outsider = member(ConsultationFactory(), MembershipRole.ORGANISER)
    status = S.PUBLISHED if name == "unpublish" else S.SUBMITTED
    testimony = TestimonyFactory(consultation=consultation, status=status)

    with pytest.raises(PermissionDenied):
        decide(name, testimony, outsider)
    testimony.refresh_from_db()
    assert testimony.status == status


@pytest.mark.django_db
@pytest.mark.parametrize("role", [MembershipRole.ORGANISER, MembershipRole.MODERATOR])
def test_organisers_and_moderators_of_the_consultation_decide(consultation, role):
    user = member(consultation, role)
    testimony = TestimonyFactory(consultation=consultation, status=S.SUBMITTED)

    testimony_publish(testimony=testimony, moderator=user)

    decision = ModerationDecision.objects.get(testimony=testimony)
    assert decision.moderator == user
    event = AuditEvent.objects.get(action="testimony.publish")
    assert event.actor_user == user
    assert event.target_id == str(testimony.pk)


@pytest.mark.django_db
def test_publishing_mails_the_public_address_and_makes_it_searchable(
    consultation, moderator, django_capture_on_commit_callbacks, settings
):
    settings.RETEX_BASE_URL = "https://retex.example/"
    testimony = submitted(consultation)
    mail.outbox.clear()
    assert found("halles") == []

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        testimony_publish(testimony=testimony, moderator=moderator)
        assert mail.outbox == []  # nothing leaves before the commit
    assert callbacks

    testimony.refresh_from_db()
    assert testimony.status == S.PUBLISHED
    assert testimony.published_at is not None
    assert found("halles") == [testimony]
    (message,) = mail.outbox
    assert message.to == ["camille.martin@example.org"]
    assert message.subject == "Your testimony is published"
    # The link is in the e-mail's language, like the text (the French one has no prefix).
    path = reverse("explore:testimony", kwargs={"pk": testimony.pk})
    assert path == f"/en/temoignages/{testimony.pk}/"
    assert f"\nhttps://retex.example{path}\n" in message.body
    assert "Le marché en click and collect" in message.body


@pytest.mark.django_db
def test_unpublishing_takes_it_out_of_search_and_publishing_again_keeps_the_first_date(
    consultation, moderator, django_capture_on_commit_callbacks
):
    testimony = submitted(consultation)
    testimony_publish(testimony=testimony, moderator=moderator)
    testimony.refresh_from_db()
    first_published_at = testimony.published_at

    with django_capture_on_commit_callbacks(execute=True):
        testimony_unpublish(testimony=testimony, moderator=moderator, reason="Doublon signalé.")
    assert found("halles") == []
    assert "Doublon signalé." in mail.outbox[-1].body

    testimony_publish(testimony=testimony, moderator=moderator)
    testimony.refresh_from_db()
    assert found("halles") == [testimony]
    assert testimony.published_at == first_published_at


@pytest.mark.django_db
def test_a_rejection_needs_a_reason_and_mails_it(
    consultation, moderator, django_capture_on_commit_callbacks
):
    testimony = submitted(consultation)
    mail.outbox.clear()

    with pytest.raises(ValidationError) as refused:
        testimony_reject(testimony=testimony, moderator=moderator, reason="  ")
    assert refused.value.message_dict == {"reason": ["Write the message for the author."]}

    with django_capture_on_commit_callbacks(execute=True):
        testimony_reject(testimony=testimony, moderator=moderator, reason=REASON)

    testimony.refresh_from_db()
    assert testimony.status == S.REJECTED
    assert ModerationDecision.objects.get(testimony=testimony).reason == REASON
    (message,) = mail.outbox
    assert message.subject == "Your testimony will not be published"
    assert REASON in message.body
    assert "retex@villes.example" in message.body
    assert found("halles") == []


@pytest.mark.django_db
def test_a_request_for_changes_mails_the_reason_and_a_working_edit_link(
    consultation, moderator, django_capture_on_commit_callbacks
):
    testimony = submitted(consultation)
    mail.outbox.clear()

    with pytest.raises(ValidationError):
        testimony_request_changes(testimony=testimony, moderator=moderator, reason="")
    with django_capture_on_commit_callbacks(execute=True):
        testimony_request_changes(testimony=testimony, moderator=moderator, reason=REASON)

    testimony.refresh_from_db()
    assert testimony.status == S.CHANGES_REQUESTED
    (message,) = mail.outbox
    assert REASON in message.body
    link = next(line for line in message.body.splitlines() if "/temoignages/modifier/" in line)
    token = link.rstrip("/").rsplit("/", 1)[-1]
    assert testimony_from_link(token=token, purpose=LinkPurpose.EDIT) == testimony


@pytest.mark.django_db
def test_the_email_is_in_french_for_a_french_speaking_author(
    consultation, moderator, django_capture_on_commit_callbacks
):
    testimony = submitted(consultation)
    mail.outbox.clear()

    with translation.override("fr"), django_capture_on_commit_callbacks(execute=True):
        testimony_request_changes(testimony=testimony, moderator=moderator, reason=REASON)

    (message,) = mail.outbox
    assert message.subject == "Votre témoignage : modifications demandées"
    assert message.body.startswith("Bonjour Camille Martin,")


@pytest.mark.django_db
def test_a_duplicate_must_repeat_a_testimony_of_the_same_consultation(
    consultation, moderator, django_capture_on_commit_callbacks
):
    testimony = TestimonyFactory(consultation=consultation, status=S.SUBMITTED)
    elsewhere = TestimonyFactory()

    with pytest.raises(ValidationError) as refused:
        testimony_mark_duplicate(testimony=testimony, moderator=moderator, duplicate_of=elsewhere)
    assert "same consultation" in refused.value.messages[0]
    with pytest.raises(ValidationError):
        testimony_mark_duplicate(testimony=testimony, moderator=moderator, duplicate_of=testimony)

    original = TestimonyFactory(consultation=consultation)
    with django_capture_on_commit_callbacks(execute=True):
        testimony_mark_duplicate(testimony=testimony, moderator=moderator, duplicate_of=original)

    testimony.refresh_from_db()
    assert testimony.status == S.DUPLICATE
    decision = ModerationDecision.objects.get(testimony=testimony)
    assert (decision.kind, decision.duplicate_of) == (DecisionKind.MARK_DUPLICATE, original)
    (message,) = mail.outbox
    assert message.to == [testimony.author_email]
    assert "repeats a testimony already sent" in message.body


def attachment(testimony, name, *, awaiting_moderation=False):
    item = Attachment(
        testimony=testimony,
        upload_batch="batch",
        kind="pdf",
        original_name=name,
        content_type="application/pdf",
        size=4,
        awaiting_moderation=awaiting_moderation,
    )
    item.file.save(name, ContentFile(b"%PDF"), save=False)
    item.save()
    return item


@pytest.mark.django_db
def test_accepting_an_edit_publishes_the_new_text_and_keeps_every_version(
    consultation, moderator, django_capture_on_commit_callbacks
):
    testimony = submitted(consultation)
    testimony_publish(testimony=testimony, moderator=moderator)
    old_file = attachment(testimony, "ancien.pdf")
    new_file = attachment(testimony, "nouveau.pdf", awaiting_moderation=True)
    cohesion = consultation.themes.get(title="Cohésion sociale")
    testimony_edit(
        testimony=testimony,
        content=content_for(
            consultation,
            title="Le marché en ligne, bilan",
            initiative="Livraison à domicile par les bénévoles du quartier.",
            themes=[cohesion],
            subtopics=[],
            tools=["Tableur partagé"],
        ),
        editor_name="Dominique, service commerce",
        removed_attachment_ids=[old_file.pk],
    )
    assert found("bénévoles") == []  # the edit waits for moderation
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        testimony_accept_edit(testimony=testimony, moderator=moderator)

    testimony.refresh_from_db()
    assert testimony.title == "Le marché en ligne, bilan"
    assert testimony.pending_revision is None
    assert list(testimony.themes.all()) == [cohesion]
    assert list(testimony.subtopics.all()) == []
    assert [tool.name for tool in testimony.tools.all()] == ["Tableur partagé"]
    assert list(testimony.attachments.all()) == [new_file]
    new_file.refresh_from_db()
    assert not new_file.awaiting_moderation
    assert found("bénévoles") == [testimony]
    assert found("halles") == []
    assert [r.kind for r in testimony.revisions.all()] == [
        RevisionKind.SUBMISSION,
        RevisionKind.AUTHOR_EDIT,
    ]
    assert testimony.revisions.get(number=1).content["title"] == "Le marché en click and collect"
    assert ModerationDecision.objects.get(kind=DecisionKind.ACCEPT_EDIT).testimony == testimony
    assert f"/temoignages/{testimony.pk}/" in mail.outbox[0].body


@pytest.mark.django_db
def test_there_is_no_edit_to_accept_without_a_pending_one(consultation, moderator):
    testimony = TestimonyFactory(consultation=consultation)

    with pytest.raises(ValidationError) as refused:
        testimony_accept_edit(testimony=testimony, moderator=moderator)
    assert refused.value.messages == ["This testimony has no edit waiting for moderation."]
    with pytest.raises(PermissionDenied):
        testimony_accept_edit(testimony=testimony, moderator=UserFactory())


@pytest.mark.django_db
def test_a_moderator_edit_applies_at_once_and_keeps_the_authors_version(consultation, moderator):
    testimony = submitted(consultation, lessons="Appeler Mme Durand au 06 12 34 56 78.")

    testimony_moderator_edit(
        testimony=testimony,
        moderator=moderator,
        content=content_for(consultation, lessons="Appeler le service commerce."),
    )

    testimony.refresh_from_db()
    assert testimony.status == S.SUBMITTED
    assert testimony.lessons == "Appeler le service commerce."
    first, second = testimony.revisions.all()
    assert (first.kind, first.content["lessons"]) == (
        RevisionKind.SUBMISSION,
        "Appeler Mme Durand au 06 12 34 56 78.",
    )
    assert (second.kind, second.editor_user) == (RevisionKind.MODERATOR_EDIT, moderator)
    assert AuditEvent.objects.get(action="testimony.moderator_edit").actor_user == moderator


@pytest.mark.django_db
def test_a_moderator_edit_of_a_published_testimony_reaches_the_search(consultation, moderator):
    testimony = submitted(consultation)
    testimony_publish(testimony=testimony, moderator=moderator)

    testimony_moderator_edit(
        testimony=testimony,
        moderator=moderator,
        content=content_for(consultation, initiative="Retrait le samedi au marché couvert."),
    )

    assert found("couvert") == [testimony]
    assert found("halles") == []


@pytest.mark.django_db
def test_a_moderator_edit_is_refused_to_outsiders_and_on_closed_testimonies(
    consultation, moderator
):
    testimony = submitted(consultation)
    with pytest.raises(PermissionDenied):
        testimony_moderator_edit(
            testimony=testimony,
            moderator=member(ConsultationFactory()),
            content=content_for(consultation, title="Autre titre"),
        )
    Testimony.objects.filter(pk=testimony.pk).update(status=S.WITHDRAWN, updated_at=timezone.now())

    with pytest.raises(ValidationError):
        testimony_moderator_edit(
            testimony=testimony,
            moderator=moderator,
            content=content_for(consultation, title="Autre titre"),
        )
    testimony.refresh_from_db()
    assert testimony.title == "Le marché en click and collect"
    assert testimony.revisions.count() == 1


# --- Publishing: what goes public, and the record of what was approved ----------------------


@pytest.mark.django_db
def test_publishing_records_the_version_the_private_fields_and_the_consent(
    consultation, moderator, django_capture_on_commit_callbacks
):
    testimony = submitted(consultation)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        testimony_publish(
            testimony=testimony,
            moderator=moderator,
            withheld_fields=["partners", "difficulties", "difficulties"],
        )

    testimony.refresh_from_db()
    assert testimony.withheld_fields == ["difficulties", "partners"]
    assert not testimony.anonymous
    decision = ModerationDecision.objects.get(testimony=testimony)
    assert decision.details["revision"] == 1
    assert decision.details["withheld_fields"] == ["difficulties", "partners"]
    assert decision.details["anonymous"] is False
    assert (
        decision.details["publication_consent_at"] == testimony.publication_consent_at.isoformat()
    )
    assert AuditEvent.objects.get(action="testimony.publish").details["withheld_fields"] == [
        "difficulties",
        "partners",
    ]
    (message,) = mail.outbox
    assert "These parts stay private" in message.body
    assert "- Difficulties met\n- Partners" in message.body


@pytest.mark.django_db
def test_an_unknown_private_field_is_refused(consultation, moderator):
    testimony = submitted(consultation)
    with pytest.raises(ValidationError) as refused:
        testimony_publish(testimony=testimony, moderator=moderator, withheld_fields=["title"])
    assert "withheld_fields" in refused.value.message_dict
    testimony.refresh_from_db()
    assert testimony.status == S.SUBMITTED


@pytest.mark.django_db
def test_the_authors_request_for_anonymity_cannot_be_undone(consultation, moderator):
    testimony = submitted(consultation, anonymous=True)

    with pytest.raises(ValidationError) as refused:
        testimony_publish(testimony=testimony, moderator=moderator, anonymous=False)
    assert refused.value.message_dict["anonymous"] == [
        "The author asked not to name their collectivity: it stays anonymous."
    ]

    testimony_publish(testimony=testimony, moderator=moderator)
    testimony.refresh_from_db()
    assert testimony.anonymous
    assert ModerationDecision.objects.get(testimony=testimony).details["anonymous"] is True


@pytest.mark.django_db
def test_anonymising_without_the_authors_request_needs_their_consent_written(
    consultation, moderator
):
    testimony = submitted(consultation)

    with pytest.raises(ValidationError) as refused:
        testimony_publish(testimony=testimony, moderator=moderator, anonymous=True)
    assert "anonymous_consent" in refused.value.message_dict
    testimony.refresh_from_db()
    assert (testimony.status, testimony.anonymous) == (S.SUBMITTED, False)

    testimony_publish(
        testimony=testimony,
        moderator=moderator,
        anonymous=True,
        anonymous_consent="E-mail de l'auteur du 3 mars",
    )
    testimony.refresh_from_db()
    assert testimony.anonymous
    decision = ModerationDecision.objects.get(testimony=testimony)
    assert decision.details["anonymous_consent"] == "E-mail de l'auteur du 3 mars"
    # Its collectivity's name no longer finds it.
    assert found("Beauvais") == []
    assert found("halles") == [testimony]


@pytest.mark.django_db
def test_publishing_again_without_choices_keeps_the_earlier_ones(consultation, moderator):
    testimony = submitted(consultation)
    testimony_publish(testimony=testimony, moderator=moderator, withheld_fields=["links"])
    testimony_unpublish(testimony=testimony, moderator=moderator)

    testimony_publish(testimony=testimony, moderator=moderator)

    testimony.refresh_from_db()
    assert testimony.withheld_fields == ["links"]


# --- Publishing several at once -------------------------------------------------------------


@pytest.mark.django_db
def test_bulk_publishing_publishes_each_it_can_and_says_why_not_for_the_others(
    consultation, moderator, django_capture_on_commit_callbacks
):
    ready = [TestimonyFactory(consultation=consultation, status=S.SUBMITTED) for _ in range(2)]
    decided = TestimonyFactory(consultation=consultation, status=S.REJECTED, title="Refusé")
    elsewhere = TestimonyFactory(status=S.SUBMITTED)  # another consultation
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        outcomes = testimonies_publish_many(
            consultation=consultation,
            testimony_ids=[ready[0].pk, decided.pk, elsewhere.pk, ready[1].pk],
            moderator=moderator,
        )

    assert [(o.testimony_id, o.published) for o in outcomes] == [
        (ready[0].pk, True),
        (decided.pk, False),
        (elsewhere.pk, False),
        (ready[1].pk, True),
    ]
    assert "This one is “rejected”" in outcomes[1].message
    assert outcomes[2].message == "No testimony of this consultation has this number."
    for testimony, status in ((ready[0], S.PUBLISHED), (decided, S.REJECTED)):
        testimony.refresh_from_db()
        assert testimony.status == status
    elsewhere.refresh_from_db()
    assert elsewhere.status == S.SUBMITTED
    assert len(mail.outbox) == 2
    with pytest.raises(PermissionDenied):
        testimonies_publish_many(
            consultation=consultation, testimony_ids=[ready[0].pk], moderator=UserFactory()
        )


# --- An author's edit made before a moderator's correction --------------------------------------


@pytest.mark.django_db
def test_accepting_an_edit_older_than_a_correction_needs_a_confirmation(
    consultation, moderator, django_capture_on_commit_callbacks
):
    testimony = submitted(consultation, lessons="Appeler Mme Durand au 06 12 34 56 78.")
    testimony_publish(testimony=testimony, moderator=moderator)
    testimony_edit(
        testimony=testimony,
        content=content_for(
            consultation,
            title="Le marché en ligne, bilan",
            lessons="Appeler Mme Durand au 06 12 34 56 78.",
        ),
        editor_name="Camille Martin",
    )
    testimony_moderator_edit(  # revision 3: the phone number taken out of the published text
        testimony=testimony,
        moderator=moderator,
        content=content_for(consultation, lessons="Appeler le service commerce."),
    )

    with pytest.raises(ValidationError) as refused:
        testimony_accept_edit(testimony=testimony, moderator=moderator)
    assert "version 3" in refused.value.message_dict["undo_corrections"][0]
    testimony.refresh_from_db()
    assert testimony.lessons == "Appeler le service commerce."
    assert testimony.pending_revision is not None

    testimony_accept_edit(testimony=testimony, moderator=moderator, undo_corrections=True)

    testimony.refresh_from_db()
    assert testimony.title == "Le marché en ligne, bilan"
    assert testimony.pending_revision is None
    # The text in force is the last version, recorded as the moderator's doing.
    last = testimony.revisions.order_by("-number").first()
    assert (last.number, last.kind, last.editor_user) == (4, RevisionKind.MODERATOR_EDIT, moderator)
    assert last.content["title"] == "Le marché en ligne, bilan"
    decision = ModerationDecision.objects.get(kind=DecisionKind.ACCEPT_EDIT)
    assert decision.details == {"revision": 2, "undone_corrections": [3], "version": 4}


@pytest.mark.django_db
def test_an_edit_written_after_the_last_correction_is_accepted_at_once(consultation, moderator):
    testimony = submitted(consultation)
    testimony_publish(testimony=testimony, moderator=moderator)
    testimony_moderator_edit(
        testimony=testimony, moderator=moderator, content=content_for(consultation, title="Typo")
    )
    testimony_edit(
        testimony=testimony,
        content=content_for(consultation, title="Typo corrigée par l'auteur"),
        editor_name="Camille Martin",
    )

    testimony_accept_edit(testimony=testimony, moderator=moderator)

    testimony.refresh_from_db()
    assert testimony.title == "Typo corrigée par l'auteur"


@pytest.mark.django_db
def test_correcting_a_testimony_has_its_collectivity_s_waiting_ones_compared_again(
    consultation, moderator
):
    waiting = submitted(consultation)
    published = submitted(consultation, title="Le marché en click and collect, suite")
    Testimony.objects.filter(pk=published.pk).update(status=S.PUBLISHED)
    duplicates_refresh(consultation=consultation)
    assert waiting in Testimony.objects.filter(possibly_duplicated())

    testimony_moderator_edit(
        testimony=Testimony.objects.get(pk=published.pk),
        moderator=moderator,
        content=content_for(
            consultation,
            title="Des tablettes pour les écoliers",
            initiative="Des tablettes prêtées aux familles pour suivre les cours à distance.",
        ),
    )

    assert duplicates_unscanned(consultation=consultation) == 1  # the one waiting
    duplicates_refresh(consultation=consultation)
    assert waiting not in Testimony.objects.filter(possibly_duplicated())
