"""The rules a testimony's author meets on the way: schedule, audience, the search without
JavaScript, anti-abuse limits, form checks, and the demo's outbox page."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from retex.consultations.enums import AudienceEnforcement
from retex.contributions.enums import LinkPurpose, TestimonyStatus
from retex.contributions.models import Testimony
from retex.contributions.services import testimony_link_token
from retex.core.models import OutboxMessage
from tests.contributions.journey import (
    form_url,
    page_text,
    posted,
    source,
    textarea,
)
from tests.factories import ConsultationFactory, ThemeFactory, territory

pytestmark = pytest.mark.django_db


def plain(text: str) -> str:
    """French numbers are grouped with no-break spaces: compare them as plain spaces."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


# --- Schedule ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("opens_in_days", "closes_in_days", "explanation"),
    [
        (-40, -10, "Cette consultation est close depuis le"),
        (10, 40, "Cette consultation ouvre le"),
    ],
)
def test_a_consultation_not_open_explains_why_instead_of_the_form(
    client, opens_in_days, closes_in_days, explanation
):
    consultation = ConsultationFactory(
        opens_at=timezone.now() + timedelta(days=opens_in_days),
        closes_at=timezone.now() + timedelta(days=closes_in_days),
    )

    response = client.get(form_url(consultation))

    assert response.status_code == 200
    assert explanation in page_text(response)
    assert "testimony-form" not in response.text


def test_a_testimony_sent_after_closing_is_shown_back_to_be_copied(client, consultation):
    data = posted(consultation)
    consultation.closes_at = timezone.now() - timedelta(minutes=1)
    consultation.opens_at = timezone.now() - timedelta(days=30)
    consultation.save()

    response = client.post(form_url(consultation), data)

    assert response.status_code == 200
    assert Testimony.objects.count() == 0
    text = page_text(response)
    assert "Cette consultation est close depuis le" in text
    assert "vous pouvez le copier" in text
    assert textarea(source(response), "initiative") == data["initiative"]
    assert "Envoyer mon témoignage" not in text


def test_the_edit_link_of_a_closed_consultation_shows_the_testimony_read_only(
    client, consultation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(form_url(consultation), posted(consultation))
    testimony = Testimony.objects.get()
    consultation.closes_at = timezone.now() - timedelta(minutes=1)
    consultation.save()
    token = testimony_link_token(testimony=testimony, purpose=LinkPurpose.EDIT)

    response = client.get(reverse("contributions:edit", kwargs={"token": token}))

    text = page_text(response)
    assert "La consultation est close : les témoignages ne peuvent plus être modifiés." in text
    assert testimony.initiative.splitlines()[0] in text
    assert "<textarea" not in response.text


# --- Audience ----------------------------------------------------------------------------------


def test_a_strict_audience_refuses_a_small_town_with_the_reason(client):
    consultation = ConsultationFactory(audience_rule__enforcement=AudienceEnforcement.STRICT)
    ThemeFactory(consultation=consultation)
    chevreuse = territory("78160")
    data = posted_for(consultation, chevreuse)

    response = client.post(form_url(consultation), data)

    assert Testimony.objects.count() == 0
    text = plain(page_text(response))
    assert "Cette consultation n'accepte pas les témoignages de Chevreuse." in text
    assert (
        "Cette consultation s'adresse aux collectivités de 10 000 à 100 000 habitants ;"
        " Chevreuse compte 5 678 habitants." in text
    )
    assert textarea(source(response), "initiative") == data["initiative"]


def test_an_advisory_audience_accepts_a_small_town_and_flags_it(
    client, django_capture_on_commit_callbacks
):
    consultation = ConsultationFactory(audience_rule__enforcement=AudienceEnforcement.ADVISORY)
    ThemeFactory(consultation=consultation)
    chevreuse = territory("78160")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(form_url(consultation), posted_for(consultation, chevreuse))

    assert response.status_code == 302
    testimony = Testimony.objects.get()
    assert testimony.territory == chevreuse
    assert testimony.in_audience is False


def posted_for(consultation, place) -> dict:
    theme = consultation.themes.get()
    return posted(
        consultation,
        territory=str(place.pk),
        territory_query=place.name,
        themes=[str(theme.pk)],
        subtopics=[],
    )


def test_the_audience_answer_is_given_as_soon_as_a_place_is_chosen(client):
    strict = ConsultationFactory(audience_rule__enforcement=AudienceEnforcement.STRICT)
    advisory = ConsultationFactory()

    def answer(consultation, code):
        url = reverse("contributions:audience", kwargs={"slug": consultation.slug})
        return client.get(url, {"territory": territory(code).pk}).json()

    beauvais = answer(strict, "60057")
    assert (beauvais["accepted"], beauvais["in_audience"], beauvais["tone"]) == (True, True, "ok")
    refused = answer(strict, "78160")
    assert (refused["accepted"], refused["tone"]) == (False, "refused")
    assert "Chevreuse compte" in refused["explanation"]
    flagged = answer(advisory, "78160")
    assert (flagged["accepted"], flagged["in_audience"], flagged["tone"]) == (
        True,
        False,
        "warning",
    )
    assert flagged["message"].startswith("Hors du public visé : votre témoignage sera")
    url = reverse("contributions:audience", kwargs={"slug": strict.slug})
    assert client.get(url, {"territory": "nope"}).status_code == 404


# --- Choosing a place without JavaScript ----------------------------------------------------------


def test_without_javascript_a_search_lists_places_as_radio_buttons_and_keeps_the_rest(
    client, consultation
):
    data = posted(consultation, territory="", territory_query="Beauv", _submit=None)
    data["_search_territory"] = "1"

    response = client.post(form_url(consultation), data)

    assert response.status_code == 200
    page = source(response)
    beauvais = territory("60057")
    assert re.search(rf'<input type="radio" name="territory" value="{beauvais.pk}"', page)
    text = plain(page_text(response))
    assert "Beauvais (Oise) Commune · 56 254 habitants" in text
    assert "error-summary" not in page  # a search is not a submission
    assert f'value="{data["title"]}"' in page
    assert textarea(page, "lessons") == data["lessons"]

    # A result picked, the page names the place in full and says what the audience rule says.
    picked = posted(consultation, territory=str(beauvais.pk), territory_query="Beauv", title="")
    chosen = client.post(form_url(consultation), picked)
    assert 'value="Beauvais (Oise)"' in source(chosen)
    assert "Beauvais fait partie du public visé par cette consultation." in page_text(chosen)


def test_without_javascript_a_strict_audience_greys_out_the_places_it_refuses(client):
    consultation = ConsultationFactory(audience_rule__enforcement=AudienceEnforcement.STRICT)
    ThemeFactory(consultation=consultation)
    data = posted_for(consultation, territory("78160"))
    data.update(territory="", territory_query="Chevreuse", _search_territory="1")

    response = client.post(form_url(consultation), data)

    chevreuse = territory("78160")
    radio = re.search(
        rf'<input type="radio" name="territory" value="{chevreuse.pk}"[^>]*>', response.text
    )
    assert "disabled" in radio.group(0)
    assert "Cette consultation n'accepte pas les témoignages de Chevreuse." in page_text(response)


def test_a_missing_place_is_an_error_linked_to_the_search_box(client, consultation):
    response = client.post(form_url(consultation), posted(consultation, territory=""))

    page = source(response)
    assert 'href="#id_territory_query"' in page
    assert "Choisissez votre collectivité dans la liste des résultats." in page_text(response)
    box = re.search(r'<input[^>]*name="territory_query"[^>]*>', page).group(0)
    assert 'aria-invalid="true"' in box
    assert "id_territory_error" in box


# --- Anti-abuse ------------------------------------------------------------------------------


def test_a_robot_filling_the_hidden_field_is_answered_but_nothing_is_saved(
    client, consultation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            form_url(consultation), posted(consultation, homepage="http://spam.example")
        )

    assert response.status_code == 302
    assert "Vérifiez votre messagerie" in page_text(client.get(response.url))
    assert Testimony.objects.count() == 0
    assert mail.outbox == []


def test_the_hidden_field_is_out_of_sight_and_out_of_reach(client, consultation):
    page = client.get(form_url(consultation)).text

    block = re.search(r'<div class="hp" aria-hidden="true">.*?</div>', page, re.S).group(0)
    field = re.search(r"<input[^>]*name=\"homepage\"[^>]*>", block).group(0)
    assert 'tabindex="-1"' in field
    assert 'autocomplete="off"' in field


def test_too_many_testimonies_from_one_connection_are_held_with_the_text_kept(
    client, consultation, settings
):
    settings.RETEX_SUBMISSIONS_PER_IP_PER_HOUR = 1
    assert client.post(form_url(consultation), posted(consultation)).status_code == 302
    data = posted(consultation, author_email="autre@beauvais.example")

    response = client.post(form_url(consultation), data)

    assert response.status_code == 429
    assert "depuis votre connexion au cours de la dernière heure" in page_text(response)
    assert textarea(source(response), "initiative") == data["initiative"]
    assert Testimony.objects.count() == 1


def test_too_many_testimonies_from_one_address_are_held_with_the_text_kept(
    client, consultation, settings
):
    settings.RETEX_SUBMISSIONS_PER_EMAIL_PER_DAY = 1
    first = client.post(form_url(consultation), posted(consultation), REMOTE_ADDR="10.0.0.1")
    assert first.status_code == 302

    response = client.post(form_url(consultation), posted(consultation), REMOTE_ADDR="10.0.0.2")

    assert response.status_code == 429
    assert "avec cette adresse e-mail aujourd'hui" in page_text(response)
    assert Testimony.objects.count() == 1


def test_asking_for_links_too_often_from_one_connection_is_refused(client):
    url = reverse("contributions:resend")
    for _ in range(10):
        assert client.post(url, {"email": "a@b.example"}).status_code == 302

    response = client.post(url, {"email": "a@b.example"})

    assert response.status_code == 429
    assert "réessayez dans une heure" in page_text(response)


# --- What the form itself checks ------------------------------------------------------------


def test_links_must_be_web_addresses_and_five_at_most(client, consultation):
    not_web = client.post(
        form_url(consultation),
        posted(consultation, links="https://ok.example\njavascript:alert(1)"),
    )
    assert "« javascript:alert(1) » n'est pas une adresse web" in page_text(not_web)

    six = "\n".join(f"https://site{number}.example" for number in range(6))
    too_many = client.post(form_url(consultation), posted(consultation, links=six))
    assert "Donnez 5 liens au plus." in page_text(too_many)
    assert Testimony.objects.count() == 0


def test_a_theme_or_sub_topic_is_required(client, consultation):
    response = client.post(form_url(consultation), posted(consultation, themes=[], subtopics=[]))

    assert "Cochez au moins un sous-thème ou un thème." in page_text(response)
    first_box = re.search(r'href="#(id_subtopic_\d+)"', response.text).group(1)
    assert f'id="{first_box}"' in response.text


def test_an_end_before_the_start_is_refused_next_to_the_end_date(client, consultation):
    response = client.post(
        form_url(consultation), posted(consultation, started_on="2020-05-11", ended_on="2020-03-23")
    )

    assert 'href="#id_ended_on"' in response.text
    assert "La date de fin est antérieure à la date de début." in page_text(response)


def test_line_breaks_count_once_as_the_browser_counted_them(
    client, consultation, django_capture_on_commit_callbacks
):
    # 6,000 characters in the box, of which 100 line breaks, sent as CRLF by browsers.
    text = ("x" * 59 + "\n") * 100
    assert len(text) == 6000

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            form_url(consultation), posted(consultation, initiative=text.replace("\n", "\r\n"))
        )

    assert response.status_code == 302
    assert Testimony.objects.get().initiative == text.rstrip("\n")


def test_the_form_counts_characters_and_says_the_limit_without_javascript(client, consultation):
    page = client.get(form_url(consultation)).text

    initiative = re.search(r"<textarea[^>]*name=\"initiative\"[^>]*>", page).group(0)
    assert 'maxlength="6000"' in initiative
    assert "id_initiative_counter" in initiative
    assert "6\u00a0000 caractères maximum" in page or "6 000 caractères maximum" in page


# --- The demo's outbox -------------------------------------------------------------------------


def test_the_outbox_lists_kept_e_mails_with_clickable_links_and_nothing_else(client, settings):
    settings.RETEX_OUTBOX_PAGE = True
    OutboxMessage.objects.create(
        to="camille@beauvais.example",
        subject="Confirmez votre témoignage",
        body="Ouvrez https://retex.example/temoignages/confirmer/abc/.\n<script>alert(1)</script>",
    )
    OutboxMessage.objects.create(to="b@example.org", subject="Le plus récent", body="Bonjour")

    response = client.get(reverse("core:outbox"))

    assert response.status_code == 200
    page = response.text
    assert page.index("Le plus récent") < page.index("Confirmez votre témoignage")
    assert (
        '<a href="https://retex.example/temoignages/confirmer/abc/">'
        "https://retex.example/temoignages/confirmer/abc/</a>." in page
    )
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "n'existe que dans la démonstration et en développement" in page_text(response)
    assert 'href="/boite-mail/"' in client.get("/").text


def test_the_outbox_does_not_exist_where_the_setting_is_off(client, settings):
    settings.RETEX_OUTBOX_PAGE = False

    assert client.get("/boite-mail/").status_code == 404
    assert "/boite-mail/" not in client.get("/").text


def test_a_published_testimony_cannot_be_withdrawn_through_the_link(
    client, consultation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(form_url(consultation), posted(consultation))
    testimony = Testimony.objects.get()
    Testimony.objects.filter(pk=testimony.pk).update(status=TestimonyStatus.PUBLISHED)
    token = testimony_link_token(testimony=testimony, purpose=LinkPurpose.EDIT)

    response = client.post(
        reverse("contributions:withdraw", kwargs={"token": token}), {"confirmed": "yes"}
    )

    assert response.status_code == 400
    assert "Un témoignage publié ne peut pas être retiré ici" in page_text(response)
    testimony.refresh_from_db()
    assert testimony.status == TestimonyStatus.PUBLISHED
