"""A moderator works through the demo's queue in a real browser: publishes one testimony,
rejects one with a reason (its author is mailed), corrects one (the author's version is kept
and the difference shown); every page passes axe-core and fits a 375 px phone."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from playwright.sync_api import Page, expect

from retex.consultations.enums import MembershipRole
from retex.contributions.enums import RevisionKind, TestimonyStatus
from retex.contributions.models import Testimony
from retex.demo.services import demo_consultation_create, testimonies_generate
from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import MOBILE, place
from tests.factories import MembershipFactory

pytestmark = pytest.mark.browser
S = TestimonyStatus
PASSWORD = "a-long-test-password"


@pytest.fixture
def demo(transactional_db, live_server, settings):
    """The demo's consultation with four generated testimonies waiting for moderation."""
    settings.RETEX_BASE_URL = live_server.url
    cache.clear()  # the queue's memory of its last comparison of newcomers
    for code, name, population in (
        ("60057", "Beauvais", 56_254),
        ("62041", "Arras", 41_019),
        ("78160", "Chevreuse", 5_678),
        ("59350", "Lille", 236_710),
    ):
        place(code, name, population)
    consultation, _created = demo_consultation_create()
    testimonies_generate(
        consultation=consultation, count=4, seed="browser", statuses=[S.SUBMITTED] * 4
    )
    moderator = MembershipFactory(consultation=consultation, role=MembershipRole.MODERATOR).user
    return consultation, moderator


def sign_in(page: Page, live_server, username: str, next_path: str) -> None:
    page.goto(f"{live_server.url}/gestion/connexion/?next={next_path}")
    page.get_by_label("Nom d’utilisateur").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def waiting_oldest_first(consultation) -> list[Testimony]:
    return list(
        Testimony.objects.filter(consultation=consultation, status=S.SUBMITTED).order_by(
            "submitted_at", "pk"
        )
    )


def test_a_moderator_publishes_rejects_and_corrects(live_server, page, demo):
    consultation, moderator = demo
    first, second, third, _fourth = waiting_oldest_first(consultation)
    queue_path = f"/gestion/{consultation.slug}/moderation/"
    mail.outbox.clear()

    sign_in(page, live_server, moderator.username, queue_path)
    expect(page.get_by_role("heading", level=1)).to_have_text("File de modération")
    expect(page.get_by_role("heading", name="4 témoignages")).to_be_visible()
    assert_accessible(page)

    # The oldest first: open it, publish it as it is.
    page.get_by_role("link", name=first.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(first.title)
    expect(page.get_by_text(first.author_email)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Publier", exact=True).click()
    expect(page.get_by_text("Le témoignage est publié ; son auteur a été prévenu")).to_be_visible()
    first.refresh_from_db()
    assert first.status == S.PUBLISHED
    assert mail.outbox[-1].subject == "Votre témoignage est publié"

    # Next in the queue: reject it with a listed reason and a word for the author.
    page.get_by_role("link", name="Témoignage suivant").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(second.title)
    page.get_by_text("Refuser", exact=True).click()
    page.get_by_label("Votre témoignage fait la promotion d'un produit ou d'un service").check()
    page.get_by_label("Message à l'auteur").fill("Merci de votre compréhension.")
    page.get_by_role("button", name="Refuser et prévenir l'auteur").click()
    expect(page.get_by_text("Le témoignage est refusé")).to_be_visible()
    expect(page.get_by_text("Merci de votre compréhension.")).to_be_visible()  # decisions
    second.refresh_from_db()
    assert second.status == S.REJECTED
    rejection = mail.outbox[-1]
    assert (rejection.to, rejection.subject) == (
        [second.author_email],
        "Votre témoignage ne sera pas publié",
    )
    assert "fait la promotion d'un produit" in rejection.body
    assert "Merci de votre compréhension." in rejection.body

    # Next: take personal data out of its text; the author's version stays.
    page.get_by_role("link", name="Témoignage suivant").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(third.title)
    page.get_by_role("link", name="Corriger le texte (coquilles, données personnelles)").click()
    lessons = page.get_by_label("Enseignements et conseils pour d'autres collectivités")
    lessons.fill("Appeler le service commerce de la mairie.")
    assert_accessible(page)
    page.get_by_role("button", name="Enregistrer la correction").click()
    expect(page.get_by_text("Votre correction est enregistrée")).to_be_visible()
    versions = page.locator("#versions")
    expect(versions.get_by_role("heading", name="Version 2")).to_be_visible()
    expect(versions.locator("ins").first).to_contain_text("Appeler le service commerce")
    expect(versions.locator("del").first).to_be_visible()
    assert_accessible(page)
    third.refresh_from_db()
    assert third.lessons == "Appeler le service commerce de la mairie."
    original, correction = third.revisions.order_by("number")
    assert original.kind == RevisionKind.SUBMISSION and original.content["lessons"] != (
        third.lessons
    )
    assert (correction.kind, correction.editor_user) == (RevisionKind.MODERATOR_EDIT, moderator)


def test_keyboard_shortcuts_move_to_the_action_and_can_be_turned_off(live_server, page, demo):
    consultation, moderator = demo
    first = waiting_oldest_first(consultation)[0]
    sign_in(page, live_server, moderator.username, f"/gestion/{consultation.slug}/moderation/")
    expect(page.get_by_role("heading", level=1)).to_have_text("File de modération")
    page.wait_for_load_state()  # the shortcuts' script runs once the page is parsed

    page.keyboard.press("n")  # the first testimony of the list
    expect(page.get_by_role("heading", level=1)).to_have_text(first.title)
    page.wait_for_load_state()
    page.keyboard.press("p")
    expect(page.get_by_role("button", name="Publier", exact=True)).to_be_focused()
    page.keyboard.press("?")
    expect(page.locator("#shortcuts")).to_have_attribute("open", "")
    # Typing in a field never triggers them.
    page.get_by_text("Demander des modifications à l'auteur").click()
    page.get_by_label("Ce que l'auteur doit modifier").type("n")
    expect(page.get_by_role("heading", level=1)).to_have_text(first.title)

    page.get_by_label("Utiliser ces raccourcis clavier sur cet appareil").uncheck()
    page.locator("body").click(position={"x": 5, "y": 300})
    page.keyboard.press("n")
    expect(page.get_by_role("heading", level=1)).to_have_text(first.title)
    page.reload()
    page.wait_for_load_state()
    page.keyboard.press("n")
    expect(page.get_by_role("heading", level=1)).to_have_text(first.title)
    first.refresh_from_db()
    assert first.status == S.SUBMITTED


@pytest.mark.parametrize("which", ["queue", "review"])
def test_usable_on_a_phone(live_server, new_page, demo, which):
    consultation, moderator = demo
    page = new_page(MOBILE)
    sign_in(page, live_server, moderator.username, f"/gestion/{consultation.slug}/moderation/")
    expect(page.get_by_role("heading", level=1)).to_have_text("File de modération")
    if which == "review":
        page.get_by_role("link", name=re.compile(".")).filter(
            has_text=waiting_oldest_first(consultation)[0].title
        ).click()
        expect(page.get_by_role("button", name="Publier", exact=True)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= MOBILE["width"]
    assert_accessible(page)
