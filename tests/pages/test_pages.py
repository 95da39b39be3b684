"""The site's information pages: accessibility statement, legal notice, and who edits it."""

import html
import re

import pytest
from django.urls import reverse

from retex.audit.models import AuditEvent
from retex.consultations.enums import MembershipRole
from retex.pages.models import LEGAL_NOTICE_SLUG, SitePage
from tests.factories import ConsultationFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

EDIT_URL = reverse("pages:edit", args=[LEGAL_NOTICE_SLUG])


def text_of(response) -> str:
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(text))


def organiser():
    return MembershipFactory(consultation=ConsultationFactory(), role=MembershipRole.ORGANISER).user


def test_every_page_links_to_the_accessibility_statement_and_the_legal_notice(client):
    content = client.get(reverse("explore:home")).content.decode()
    assert f'href="{reverse("pages:accessibility")}">Accessibilité : non conforme</a>' in content
    assert f'href="{reverse("pages:legal")}">Mentions légales et données personnelles</a>' in (
        content
    )


def test_accessibility_statement_says_where_it_stands_and_whom_to_write_to(client):
    ConsultationFactory(
        title="Gestion de crise",
        organiser_names="Villes de France",
        contact_email="retex@villes.example",
    )
    ConsultationFactory(title="Sans contact", contact_email="")
    response = client.get("/accessibilite/")
    page = text_of(response)
    assert "est non conforme avec le RGAA, version 4.1.2" in page
    assert "aucun audit n'a encore été réalisé" in page
    assert "axe-core" in page
    assert "375 pixels" in page
    assert "lecteurs d'écran" in page  # what has not been checked is said
    assert "Gestion de crise : Villes de France, retex@villes.example" in page
    assert "Sans contact" not in page
    assert "Défenseur des droits" in page
    assert 'href="mailto:retex@villes.example"' in response.content.decode()
    english = text_of(client.get("/en/accessibilite/"))
    assert "is not compliant with the RGAA" in english


def test_legal_notice_default_text_describes_the_personal_data_kept(client):
    page = text_of(client.get("/mentions-legales/"))
    assert "Mentions légales et données personnelles" in page
    assert "À compléter par les organisateurs" in page
    for said in ("nom", "fonction", "adresse électronique", "jamais publiées", "7 jours"):
        assert said in page
    assert "365 jours" in page
    assert "CNIL" in page


def test_an_organiser_previews_then_saves_the_legal_notice(client):
    user = organiser()
    client.force_login(user)
    form = client.get(EDIT_URL)
    assert form.status_code == 200
    assert "Mentions légales et données personnelles" in text_of(form)

    preview = client.post(
        EDIT_URL,
        {
            "title": "Mentions légales",
            "body": "## Éditeur\n\nLa **ville** de Beauvais.",
            "action": "preview",
        },
    )
    assert "<h2>Éditeur</h2>" in preview.content.decode()
    assert "<strong>ville</strong>" in preview.content.decode()
    assert "La **ville** de Beauvais." in html.unescape(preview.content.decode())  # kept typed
    assert SitePage.objects.get(slug=LEGAL_NOTICE_SLUG).title != "Mentions légales"

    saved = client.post(
        EDIT_URL,
        {
            "title": "Mentions légales",
            "body": "## Éditeur\n\nLa **ville** de Beauvais.",
            "action": "save",
        },
        follow=True,
    )
    assert "La page est enregistrée et publiée." in text_of(saved)
    page = SitePage.objects.get(slug=LEGAL_NOTICE_SLUG)
    assert (page.title, page.updated_by) == ("Mentions légales", user)
    event = AuditEvent.objects.get(action="site_page.update")
    assert event.actor_user == user
    assert event.target_id == str(page.pk)
    assert event.details == {"slug": LEGAL_NOTICE_SLUG, "changed": ["title", "body"]}
    public = client.get("/mentions-legales/").content.decode()
    assert "<h2>Éditeur</h2>" in public
    assert f'href="{EDIT_URL}"' in public  # an organiser sees the way to edit it


def between(content: str, start: str, end: str) -> str:
    return content.split(start, 1)[1].split(end, 1)[0]


def test_markdown_is_sanitised_on_the_page_and_in_the_preview(client):
    client.force_login(organiser())
    body = (
        '<script>alert("x")</script>\n\n[lien](javascript:alert(1))\n\n'
        '<img src=x onerror="alert(1)">\n\n[CNIL](https://www.cnil.fr)'
    )
    preview = client.post(EDIT_URL, {"title": "Mentions", "body": body, "action": "preview"})
    client.post(EDIT_URL, {"title": "Mentions", "body": body, "action": "save"})
    public = client.get("/mentions-legales/").content.decode()
    for rendered in (
        between(preview.content.decode(), 'class="page-preview__body', "</section>"),
        between(public, "<article", "</article>"),
    ):
        assert "<script" not in rendered
        assert "javascript:" not in rendered
        assert "<img" not in rendered
        assert "onerror" not in rendered
        assert '<a href="https://www.cnil.fr" rel="noopener noreferrer">CNIL</a>' in rendered


def test_an_empty_text_is_refused_and_nothing_typed_is_lost(client):
    client.force_login(organiser())
    response = client.post(EDIT_URL, {"title": "Titre gardé", "body": "   ", "action": "save"})
    assert response.status_code == 200
    assert "La page n'a pas été enregistrée" in text_of(response)
    assert 'value="Titre gardé"' in response.content.decode()
    assert not AuditEvent.objects.filter(action="site_page.update").exists()


@pytest.mark.parametrize("who", ["moderator", "outsider", "inactive organiser"])
def test_only_organisers_and_superusers_edit(client, who):
    if who == "moderator":
        user = MembershipFactory(role=MembershipRole.MODERATOR).user
    elif who == "outsider":
        user = UserFactory()
    else:
        user = organiser()
        user.is_active = False
        user.save()
    before = SitePage.objects.get(slug=LEGAL_NOTICE_SLUG)
    client.force_login(user)
    assert client.get(EDIT_URL).status_code in (302, 403)
    response = client.post(EDIT_URL, {"title": "Piraté", "body": "Piraté", "action": "save"})
    assert response.status_code in (302, 403)
    after = SitePage.objects.get(slug=LEGAL_NOTICE_SLUG)
    assert (after.title, after.body) == (before.title, before.body)
    assert not AuditEvent.objects.filter(action="site_page.update").exists()
    assert f'href="{EDIT_URL}"' not in client.get("/mentions-legales/").content.decode()


def test_a_superuser_edits_and_a_visitor_is_sent_to_sign_in(client):
    response = client.get(EDIT_URL)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    client.force_login(UserFactory(is_superuser=True))
    assert client.get(EDIT_URL).status_code == 200


def test_unknown_page_is_404_for_an_organiser(client):
    client.force_login(organiser())
    assert client.get(reverse("pages:edit", args=["inconnue"])).status_code == 404
