"""The author's journey through the pages, with the Django test client: write, confirm, edit,
withdraw, and never lose what was typed."""

import re
import time
from datetime import date
from unittest import mock

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from retex.contributions.attachments import MAX_ATTACHMENT_BYTES
from retex.contributions.enums import LinkPurpose, RevisionKind, TestimonyStatus
from retex.contributions.models import Attachment, Testimony
from retex.contributions.services import testimony_link_token
from tests.contributions.journey import (
    PDF_BYTES,
    TYPED,
    form_url,
    jpeg_bytes,
    links_in,
    page_text,
    path_of,
    posted,
    source,
    submit,
    textarea,
    upload,
)
from tests.factories import territory

pytestmark = pytest.mark.django_db


# --- The whole journey -----------------------------------------------------------------------


def test_a_new_testimony_is_saved_confirmed_edited_and_withdrawn(
    client, consultation, django_capture_on_commit_callbacks
):
    empty_form = client.get(form_url(consultation))
    assert empty_form.status_code == 200
    assert 'name="upload_batch"' in empty_form.text
    assert 'name="csrfmiddlewaretoken"' in empty_form.text

    response = submit(client, consultation, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response.url == reverse("contributions:sent", kwargs={"slug": consultation.slug})
    check_mail = page_text(client.get(response.url))
    assert "Vérifiez votre messagerie" in check_mail
    assert "camille.martin@beauvais.example" in check_mail
    assert "valable 7 jours" in check_mail
    assert "Rien n'est publié avant que les organisateurs aient lu votre témoignage." in (
        check_mail
    )

    testimony = Testimony.objects.get()
    assert testimony.status == TestimonyStatus.PENDING_VERIFICATION
    assert testimony.territory == territory("60057")
    assert (testimony.author_name, testimony.author_role, testimony.author_email) == (
        "Camille Martin",
        "agent",
        "camille.martin@beauvais.example",
    )
    assert testimony.title == TYPED["title"]
    assert testimony.initiative == TYPED["initiative"]
    assert testimony.difficulties == TYPED["difficulties"]
    assert testimony.lessons == TYPED["lessons"]
    assert testimony.partners == TYPED["partners"]
    assert testimony.cost_and_team == TYPED["cost_and_team"]
    assert (testimony.started_on, testimony.ended_on) == (date(2020, 3, 23), date(2020, 5, 11))
    assert testimony.links == ["https://www.beauvais.fr/marche", "https://www.oise.fr/"]
    assert sorted(tool.name for tool in testimony.tools.all()) == [
        "Facebook",
        "Plateforme de click and collect",
    ]
    assert [subtopic.title for subtopic in testimony.subtopics.all()] == ["Circuits courts"]
    # The sub-topic brings its theme; the theme ticked alone is "another topic" in it.
    assert sorted(theme.title for theme in testimony.themes.all()) == [
        "Cohésion sociale",
        "Soutien à l'économie locale",
    ]
    assert testimony.anonymous is True
    assert testimony.in_audience is True
    assert testimony.publication_consent_at is not None

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["camille.martin@beauvais.example"]
    confirm_url = path_of(links_in(mail.outbox[0])[0])
    assert confirm_url.startswith("/temoignages/confirmer/")

    # Opening the link (as a mail scanner would) only shows a button.
    confirm_page = client.get(confirm_url)
    assert confirm_page.status_code == 200
    assert "Confirmer mon adresse" in page_text(confirm_page)
    testimony.refresh_from_db()
    assert testimony.status == TestimonyStatus.PENDING_VERIFICATION

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(confirm_url, follow=True)
    assert "Votre témoignage est transmis aux organisateurs" in page_text(confirmed)
    testimony.refresh_from_db()
    assert testimony.status == TestimonyStatus.SUBMITTED
    assert len(mail.outbox) == 2
    edit_url = path_of(links_in(mail.outbox[1])[0])
    assert edit_url.startswith("/temoignages/modifier/")

    edit_page = client.get(edit_url)
    assert edit_page.status_code == 200
    assert "en attente de modération" in page_text(edit_page)
    assert f'value="{TYPED["title"]}"' in source(edit_page)
    assert TYPED["initiative"] in source(edit_page)

    edited = client.post(
        edit_url,
        posted(
            consultation,
            title="Le marché des Halles en ligne, deux ans après",
            editor_name="Dominique Petit",
            author_name=None,
            territory=None,
        ),
    )
    assert edited.status_code == 302
    saved_page = client.get(edited.url)
    assert "Vos modifications sont enregistrées." in page_text(saved_page)
    testimony.refresh_from_db()
    assert testimony.title == "Le marché des Halles en ligne, deux ans après"
    revision = testimony.revisions.order_by("-number").first()
    assert (revision.kind, revision.editor_name) == (RevisionKind.AUTHOR_EDIT, "Dominique Petit")

    withdraw_url = reverse("contributions:withdraw", kwargs={"token": edit_url.split("/")[-2]})
    asked = client.post(withdraw_url)
    assert "Retirer votre témoignage ?" in page_text(asked)
    testimony.refresh_from_db()
    assert testimony.status == TestimonyStatus.SUBMITTED  # the first click only asks

    withdrawn = client.post(withdraw_url, {"confirmed": "yes"}, follow=True)
    assert "Votre témoignage a été retiré." in page_text(withdrawn)
    testimony.refresh_from_db()
    assert testimony.status == TestimonyStatus.WITHDRAWN


def test_editing_a_published_testimony_waits_for_moderation(
    client, consultation, django_capture_on_commit_callbacks
):
    submit(client, consultation, django_capture_on_commit_callbacks)
    testimony = Testimony.objects.get()
    Testimony.objects.filter(pk=testimony.pk).update(status=TestimonyStatus.PUBLISHED)
    token = testimony_link_token(testimony=testimony, purpose=LinkPurpose.EDIT)
    edit_url = reverse("contributions:edit", kwargs={"token": token})

    page = page_text(client.get(edit_url))
    assert "vos modifications seront relues avant de remplacer la version publiée" in page
    assert "Retirer mon témoignage" not in page  # a published testimony: ask the organisers

    response = client.post(
        edit_url,
        posted(consultation, title="Nouveau titre proposé", editor_name="Dominique Petit"),
    )
    assert response.status_code == 302
    testimony.refresh_from_db()
    assert testimony.title == TYPED["title"]  # the published text stays
    assert testimony.pending_revision.content["title"] == "Nouveau titre proposé"
    again = client.get(edit_url)
    assert 'value="Nouveau titre proposé"' in source(again)
    assert "attend la relecture" in page_text(again)


# --- Links -------------------------------------------------------------------------------------


def test_a_forged_link_is_refused_with_a_way_to_get_a_new_one(client):
    response = client.get(reverse("contributions:confirm", kwargs={"token": "abc:def:ghi"}))

    assert response.status_code == 400
    text = page_text(response)
    assert "Ce lien n'est pas valide" in text
    assert "Envoyez-moi mon lien" in text
    assert f'action="{reverse("contributions:resend")}"' in response.text


def test_an_expired_link_is_refused_and_says_so(
    client, consultation, django_capture_on_commit_callbacks
):
    submit(client, consultation, django_capture_on_commit_callbacks)
    testimony = Testimony.objects.get()
    eight_days_ago = time.time() - 8 * 24 * 3600
    with mock.patch("django.core.signing.time.time", return_value=eight_days_ago):
        token = testimony_link_token(testimony=testimony, purpose=LinkPurpose.CONFIRM)

    response = client.get(reverse("contributions:confirm", kwargs={"token": token}))

    assert response.status_code == 410
    assert "Ce lien a expiré" in page_text(response)
    testimony.refresh_from_db()
    assert testimony.status == TestimonyStatus.PENDING_VERIFICATION


def test_an_edit_link_cannot_confirm_and_a_confirm_link_cannot_edit(
    client, consultation, django_capture_on_commit_callbacks
):
    submit(client, consultation, django_capture_on_commit_callbacks)
    testimony = Testimony.objects.get()
    confirm_token = testimony_link_token(testimony=testimony, purpose=LinkPurpose.CONFIRM)
    edit_token = testimony_link_token(testimony=testimony, purpose=LinkPurpose.EDIT)

    assert client.get(reverse("contributions:edit", args=[confirm_token])).status_code == 400
    assert client.post(reverse("contributions:confirm", args=[edit_token])).status_code == 400
    testimony.refresh_from_db()
    assert testimony.status == TestimonyStatus.PENDING_VERIFICATION


def test_links_are_sent_again_with_the_same_answer_for_any_address(
    client, consultation, django_capture_on_commit_callbacks
):
    submit(client, consultation, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    url = reverse("contributions:resend")

    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(url, {"email": "Camille.Martin@beauvais.example"}, follow=True)
    with django_capture_on_commit_callbacks(execute=True):
        unknown = client.post(url, {"email": "personne@ailleurs.example"}, follow=True)

    neutral = "Si des témoignages en cours sont liés à cette adresse"
    assert neutral in page_text(known)
    assert neutral in page_text(unknown)
    assert len(mail.outbox) == 1
    assert links_in(mail.outbox[0])[0].startswith("http")


# --- Nothing typed is ever lost -------------------------------------------------------------------


def test_a_validation_error_shows_every_typed_value_again_with_a_summary(client, consultation):
    data = posted(consultation, title="", author_email="camille-at-beauvais")

    response = client.post(form_url(consultation), data)

    assert response.status_code == 200
    assert Testimony.objects.count() == 0
    page = source(response)
    summary = re.search(r'<div class="error-summary".*?</div>', page, re.S).group(0)
    assert 'role="alert"' in summary
    assert 'href="#id_title"' in summary
    assert 'href="#id_author_email"' in summary
    assert "Donnez un titre à votre témoignage." in summary
    title_input = re.search(r"<input[^>]*name=\"title\"[^>]*>", page).group(0)
    assert 'aria-invalid="true"' in title_input
    assert "id_title_error" in title_input
    assert page_text(response).startswith("Erreur : Témoigner") or "<title>Erreur" in page
    for name in ("author_name", "author_email", "tools", "partners", "cost_and_team"):
        assert f'value="{data[name]}"' in page, name
    for name in ("initiative", "difficulties", "lessons", "links"):
        assert textarea(page, name) == data[name], name
    assert 'value="2020-03-23"' in page
    assert re.search(r'value="agent"[^>]*checked', page)
    for value in data["subtopics"] + data["themes"]:
        assert re.search(rf'value="{value}" id="[^"]+" checked', page)
    assert re.search(r'name="anonymous"[^>]*checked', page)
    assert re.search(r'name="publication_consent"[^>]*checked', page)
    assert f'name="territory" value="{data["territory"]}"' in page
    assert f'name="upload_batch" value="{data["upload_batch"]}"' in page


def test_an_expired_session_shows_the_form_filled_with_a_fresh_token(consultation):
    browser = Client(enforce_csrf_checks=True)
    data = posted(consultation)

    response = browser.post(form_url(consultation), data)

    assert response.status_code == 403
    assert Testimony.objects.count() == 0
    text = page_text(response)
    assert "Votre session a expiré : vérifiez puis envoyez à nouveau. Rien n'a été perdu." in text
    page = source(response)
    assert re.search(r'name="csrfmiddlewaretoken" value="[^"]{20,}"', page)
    assert f'value="{data["title"]}"' in page
    assert textarea(page, "initiative") == data["initiative"]
    assert "error-summary" not in page  # nothing was judged: only the session expired

    # The page's fresh token lets the same form go through.
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    again = browser.post(form_url(consultation), {**data, "csrfmiddlewaretoken": token})
    assert again.status_code == 302
    assert Testimony.objects.count() == 1


def test_an_expired_session_on_the_edit_page_keeps_the_changes(
    client, consultation, django_capture_on_commit_callbacks
):
    submit(client, consultation, django_capture_on_commit_callbacks)
    testimony = Testimony.objects.get()
    token = testimony_link_token(testimony=testimony, purpose=LinkPurpose.EDIT)
    browser = Client(enforce_csrf_checks=True)
    changes = posted(consultation, title="Un titre retravaillé", editor_name="Dominique Petit")

    response = browser.post(reverse("contributions:edit", kwargs={"token": token}), changes)

    assert response.status_code == 403
    page = source(response)
    assert 'value="Un titre retravaillé"' in page
    assert 'value="Dominique Petit"' in page
    assert "Votre session a expiré" in page_text(response)
    testimony.refresh_from_db()
    assert testimony.title == TYPED["title"]


def test_a_session_expired_elsewhere_keeps_django_s_page(consultation):
    browser = Client(enforce_csrf_checks=True)

    response = browser.post(reverse("contributions:resend"), {"email": "a@b.example"})

    assert response.status_code == 403
    assert "Votre session a expiré" not in response.text


def test_files_are_checked_one_by_one_and_the_good_ones_kept(client, consultation):
    data = posted(consultation, title="")
    data["attachments"] = [
        upload("marche.jpg", jpeg_bytes(), "image/jpeg"),
        upload("affiche.jpg", PDF_BYTES, "image/jpeg"),
        upload("programme.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200, "application/pdf"),
        upload("enorme.pdf", b"%PDF-1.4\n" + b"0" * MAX_ATTACHMENT_BYTES, "application/pdf"),
    ]

    response = client.post(form_url(consultation), data)

    text = page_text(response)
    assert "« affiche.jpg » est un document PDF, pas une image JPEG" in text
    assert "« programme.pdf » ne peut pas être joint" in text
    assert "« enorme.pdf » est trop lourd" in text
    assert 'href="#id_attachments"' in source(response)
    # The good file is kept and listed, the rest of the form too.
    staged = Attachment.objects.get(upload_batch=data["upload_batch"])
    assert staged.original_name == "marche.jpg"
    assert "marche.jpg" in text
    assert f'name="remove_staged" value="{staged.pk}"' in response.text
    assert textarea(source(response), "initiative") == data["initiative"]

    # Sent again (nothing to upload again), the file goes with the testimony.
    again = client.post(
        form_url(consultation), posted(consultation, upload_batch=data["upload_batch"])
    )
    assert again.status_code == 302
    assert [a.original_name for a in Testimony.objects.get().attachments.all()] == ["marche.jpg"]


def test_a_staged_file_can_be_removed_before_sending(client, consultation):
    data = posted(consultation, title="")
    data["attachments"] = [upload("marche.jpg", jpeg_bytes(), "image/jpeg")]
    client.post(form_url(consultation), data)
    staged = Attachment.objects.get(upload_batch=data["upload_batch"])

    response = client.post(
        form_url(consultation),
        posted(consultation, upload_batch=data["upload_batch"], remove_staged=[str(staged.pk)]),
    )

    assert response.status_code == 302
    assert not Testimony.objects.get().attachments.exists()
    assert not Attachment.objects.filter(pk=staged.pk).exists()


def test_files_can_be_removed_and_added_through_the_edit_link(
    client, consultation, django_capture_on_commit_callbacks
):
    data = posted(consultation)
    data["attachments"] = [upload("marche.jpg", jpeg_bytes(), "image/jpeg")]
    submit(client, consultation, django_capture_on_commit_callbacks, **data)
    testimony = Testimony.objects.get()
    photo = testimony.attachments.get()
    token = testimony_link_token(testimony=testimony, purpose=LinkPurpose.EDIT)
    edit_url = reverse("contributions:edit", kwargs={"token": token})
    page = client.get(edit_url).text
    assert f'name="remove_attached" value="{photo.pk}"' in page

    edit = posted(consultation, editor_name="Dominique Petit", remove_attached=[str(photo.pk)])
    edit["attachments"] = [upload("plan.pdf", PDF_BYTES, "application/pdf")]
    assert client.post(edit_url, edit).status_code == 302

    assert [a.original_name for a in testimony.attachments.all()] == ["plan.pdf"]
    assert not Attachment.objects.filter(pk=photo.pk).exists()


def test_files_added_to_a_published_testimony_wait_for_moderation(
    client, consultation, django_capture_on_commit_callbacks
):
    data = posted(consultation)
    data["attachments"] = [upload("marche.jpg", jpeg_bytes(), "image/jpeg")]
    submit(client, consultation, django_capture_on_commit_callbacks, **data)
    testimony = Testimony.objects.get()
    Testimony.objects.filter(pk=testimony.pk).update(status=TestimonyStatus.PUBLISHED)
    photo = testimony.attachments.get()
    token = testimony_link_token(testimony=testimony, purpose=LinkPurpose.EDIT)
    edit_url = reverse("contributions:edit", kwargs={"token": token})

    edit = posted(consultation, editor_name="Dominique Petit", remove_attached=[str(photo.pk)])
    edit["attachments"] = [upload("plan.pdf", PDF_BYTES, "application/pdf")]
    assert client.post(edit_url, edit).status_code == 302

    # The published photo stays until a moderator accepts the new version.
    assert testimony.attachments.filter(pk=photo.pk).exists()
    page = client.get(edit_url)
    text = page_text(page)
    assert "plan.pdf" in text
    assert "visible quand les organisateurs auront accepté vos modifications" in text
    assert re.search(rf'name="remove_attached" value="{photo.pk}"[^>]*checked', page.text)


# --- Private data ------------------------------------------------------------------------------


def test_private_fields_never_appear_on_public_pages(
    client, consultation, django_capture_on_commit_callbacks
):
    submit(client, consultation, django_capture_on_commit_callbacks, anonymous=None)
    testimony = Testimony.objects.get()
    Testimony.objects.filter(pk=testimony.pk).update(status=TestimonyStatus.PUBLISHED)

    for url in ("/", consultation.get_absolute_url(), form_url(consultation)):
        page = source(client.get(url))
        assert "Camille Martin" not in page, url
        assert "camille.martin@beauvais.example" not in page, url
