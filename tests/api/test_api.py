"""The read-only JSON API (/api/v1/), as an application calling it sees it."""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.validation import validate_schema

from retex.api.checks import api_rate_check
from retex.consultations.services import consultation_extend_deadline
from retex.contributions.enums import TestimonyStatus, WithholdableField
from retex.explore.search import search_index_update
from tests.factories import (
    AttachmentFactory,
    ConsultationFactory,
    SubtopicFactory,
    TestimonyFactory,
    ThemeFactory,
    ToolFactory,
    UserFactory,
    territory,
)

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
# Every key of a testimony in the API: a new one must be added here on purpose.
TESTIMONY_KEYS = {
    "id",
    "url",
    "consultation",
    "title",
    "published_at",
    "anonymous",
    "territory",
    "themes",
    "subtopics",
    "initiative",
    "difficulties",
    "lessons",
    "tools",
    "partners",
    "cost_and_team",
    "started_on",
    "ended_on",
    "links",
    "attachments",
}


WITHHELD_KEYS = (
    "difficulties",
    "lessons",
    "tools",
    "partners",
    "cost_and_team",
    "started_on",
    "ended_on",
    "links",
    "attachments",
)


def get(client, url, **params):
    response = client.get(url, params)
    assert response["Content-Type"] == "application/json", response.content[:200]
    return response


def testimonies_url(consultation) -> str:
    return reverse("api:testimonies", args=[consultation.slug])


def walk(client, url, **params) -> list[dict]:
    """Every result of a paginated list, following `next`."""
    results = []
    response = get(client, url, **params)
    while True:
        body = response.json()
        results.extend(body["results"])
        if not body["next"]:
            return results
        response = get(client, body["next"])


def web_list_ids(client, consultation, params: dict) -> list[int]:
    """The testimonies the web list shows for these parameters (one page is enough here)."""
    response = client.get(reverse("explore:testimonies", args=[consultation.slug]), params)
    assert response.status_code == 200
    return [
        int(pk)
        for pk in dict.fromkeys(
            re.findall(r'href="/temoignages/(\d+)/"', response.content.decode())
        )
    ]


def test_the_index_points_to_the_lists_the_openapi_document_and_the_documentation(client):
    body = get(client, "/api/v1/").json()
    assert body["consultations"] == "http://testserver/api/v1/consultations/"
    assert body["territories"] == "http://testserver/api/v1/territories/"
    assert body["openapi"] == "http://testserver/api/v1/schema/"
    assert body["documentation"] == "http://testserver/donnees-ouvertes/api/"
    assert body["licence"].startswith("https://www.etalab.gouv.fr/")


def test_consultations_come_with_their_published_count_and_addresses(client):
    older = ConsultationFactory(
        slug="inondations", opens_at=timezone.now() - timedelta(days=400), closes_at=timezone.now()
    )
    newer = ConsultationFactory(slug="canicules")
    TestimonyFactory.create_batch(2, consultation=newer)
    TestimonyFactory(consultation=newer, status=TestimonyStatus.SUBMITTED)

    results = get(client, reverse("api:consultations")).json()["results"]

    assert [c["slug"] for c in results] == ["canicules", "inondations"]
    assert [c["published_count"] for c in results] == [2, 0]
    assert results[0]["phase"] == "open"
    assert results[1]["phase"] == "closed"
    assert results[0]["url"] == "http://testserver/consultations/canicules/"
    assert results[0]["testimonies_url"] == (
        "http://testserver/api/v1/consultations/canicules/testimonies/"
    )
    assert results[0]["open_data_url"] == "http://testserver/consultations/canicules/donnees/"
    assert older.slug in results[1]["api_url"]


def test_a_consultation_gives_its_themes_schedule_history_and_audience(client):
    consultation = ConsultationFactory(
        slug="covid",
        opens_at=datetime(2020, 11, 26, 9, 0, tzinfo=PARIS),
        closes_at=datetime(2021, 1, 20, 23, 59, tzinfo=PARIS),
    )
    consultation_extend_deadline(
        consultation=consultation,
        new_closes_at=datetime(2021, 3, 20, 23, 59, tzinfo=PARIS),
        reason="Le confinement a retardé les collectivités.",
    )
    economy = ThemeFactory(consultation=consultation, title="Économie locale", position=2)
    public_service = ThemeFactory(consultation=consultation, title="Service public", position=1)
    SubtopicFactory(theme=economy, title="Circuits courts")
    TestimonyFactory(consultation=consultation, themes=[economy])
    TestimonyFactory(consultation=consultation, themes=[economy], territory=territory("62041"))

    body = get(client, reverse("api:consultation", args=["covid"])).json()

    assert body["closes_at"] == "2021-03-20T23:59:00+01:00"
    assert body["deadline_extensions"] == [
        {
            "previous_closes_at": "2021-01-20T23:59:00+01:00",
            "new_closes_at": "2021-03-20T23:59:00+01:00",
            "reason": "Le confinement a retardé les collectivités.",
            "created_at": body["deadline_extensions"][0]["created_at"],
        }
    ]
    assert [theme["title"] for theme in body["themes"]] == ["Service public", "Économie locale"]
    assert body["themes"][1]["subtopics"] == [
        {"id": economy.subtopics.get().pk, "title": "Circuits courts"}
    ]
    assert [theme["published_count"] for theme in body["themes"]] == [0, 2]
    assert body["themes"][0]["id"] == public_service.pk
    assert body["published_count"] == 2
    assert body["territories_count"] == 2
    assert body["audience"]["kinds"] == ["commune", "epci"]
    assert body["audience"]["population_min"] == 10_000
    assert "contact_email" not in body


def test_the_themes_of_a_consultation_in_order_with_their_counts(client):
    consultation = ConsultationFactory()
    second = ThemeFactory(consultation=consultation, position=2, title="Cohésion sociale")
    first = ThemeFactory(consultation=consultation, position=1, title="Organisation")
    TestimonyFactory(consultation=consultation, themes=[second])

    body = get(client, reverse("api:themes", args=[consultation.slug])).json()

    assert [(t["id"], t["title"], t["published_count"]) for t in body] == [
        (first.pk, "Organisation", 0),
        (second.pk, "Cohésion sociale", 1),
    ]


def test_an_unknown_consultation_is_a_404_in_json(client):
    for name in ("api:consultation", "api:themes", "api:testimonies"):
        response = get(client, reverse(name, args=["nulle-part"]))
        assert response.status_code == 404
        assert response.json() == {"detail": "Il n'y a pas d'appel à témoignages à cette adresse."}


def test_only_published_testimonies_newest_first(client):
    consultation = ConsultationFactory()
    now = timezone.now()
    old = TestimonyFactory(consultation=consultation, published_at=now - timedelta(days=3))
    new = TestimonyFactory(consultation=consultation, published_at=now - timedelta(days=1))
    for status in (
        TestimonyStatus.SUBMITTED,
        TestimonyStatus.PENDING_VERIFICATION,
        TestimonyStatus.REJECTED,
        TestimonyStatus.UNPUBLISHED,
        TestimonyStatus.CHANGES_REQUESTED,
    ):
        TestimonyFactory(consultation=consultation, status=status)
    TestimonyFactory()  # another consultation

    body = get(client, testimonies_url(consultation)).json()

    assert [t["id"] for t in body["results"]] == [new.pk, old.pk]
    assert (body["count"], body["count_exact"]) == (2, True)


def test_a_testimony_is_its_public_record_and_nothing_else(client):
    consultation = ConsultationFactory(slug="canicules")
    theme = ThemeFactory(consultation=consultation, title="Économie locale")
    subtopic = SubtopicFactory(theme=theme, title="Circuits courts")
    testimony = TestimonyFactory(
        consultation=consultation,
        title="Le marché en ligne",
        themes=[theme],
        partners="La chambre de commerce",
        cost_and_team="Deux agents",
        started_on=date(2020, 3, 23),
        ended_on=date(2020, 6, 1),
        links=["https://beauvais.fr/marche", "javascript:alert(1)"],
        author_name="Camille Martin",
        author_email="camille@beauvais.fr",
    )
    testimony.subtopics.set([subtopic])
    testimony.tools.set([ToolFactory(name="Framaforms")])
    AttachmentFactory(testimony=testimony)
    AttachmentFactory(testimony=testimony, awaiting_moderation=True)

    body = get(client, testimonies_url(consultation)).json()
    (record,) = body["results"]

    assert set(record) == TESTIMONY_KEYS
    assert record["id"] == testimony.pk
    assert record["url"] == f"http://testserver/temoignages/{testimony.pk}/"
    assert record["consultation"] == "canicules"
    assert record["territory"] == {
        "kind": "commune",
        "population_band": "50k-100k",
        "region": {"code": "32", "name": "Hauts-de-France"},
        "id": territory("60057").pk,
        "code": "60057",
        "name": "Beauvais",
        "population": territory("60057").population,
        "departement": {"code": "60", "name": "Oise"},
    }
    assert record["themes"] == [{"id": theme.pk, "title": "Économie locale"}]
    assert record["subtopics"] == [{"id": subtopic.pk, "title": "Circuits courts"}]
    assert record["tools"] == ["Framaforms"]
    assert (record["started_on"], record["ended_on"]) == ("2020-03-23", "2020-06-01")
    assert record["links"] == ["https://beauvais.fr/marche"]
    assert len(record["attachments"]) == 1  # the one awaiting moderation is not public
    assert record["attachments"][0]["url"].startswith("http://testserver/")
    assert record["attachments"][0]["kind"] == "pdf"
    text = str(record)
    assert "Camille" not in text and "camille@" not in text
    assert get(client, reverse("api:testimony", args=[testimony.pk])).json() == record


def test_an_anonymous_testimony_names_no_collectivity(client):
    consultation = ConsultationFactory()
    TestimonyFactory(consultation=consultation, anonymous=True, territory=territory("62041"))

    body = get(client, testimonies_url(consultation)).json()

    assert body["results"][0]["anonymous"] is True
    assert body["results"][0]["territory"] == {
        "kind": "commune",
        "population_band": "20k-50k",
        "region": {"code": "32", "name": "Hauts-de-France"},
        "id": None,
        "code": None,
        "name": None,
        "population": None,
        "departement": None,
    }
    assert "Arras" not in body["results"][0]["url"]
    assert "62041" not in str(body)


def test_withheld_fields_come_out_empty_as_if_never_filled_in(client):
    consultation = ConsultationFactory()
    testimony = TestimonyFactory(
        consultation=consultation,
        difficulties="Le prestataire a fait défaut.",
        lessons="Ne jamais signer sans pénalités.",
        partners="Société Dupont",
        cost_and_team="12 000 euros",
        started_on=date(2020, 3, 1),
        links=["https://dupont.example/contrat"],
        withheld_fields=list(WithholdableField.values),
    )
    testimony.tools.set([ToolFactory(name="Logiciel maison")])
    AttachmentFactory(testimony=testimony)

    record = get(client, reverse("api:testimony", args=[testimony.pk])).json()

    assert record["initiative"] == testimony.initiative
    assert {key: record[key] for key in WITHHELD_KEYS} == {
        "difficulties": "",
        "lessons": "",
        "tools": [],
        "partners": "",
        "cost_and_team": "",
        "started_on": None,
        "ended_on": None,
        "links": [],
        "attachments": [],
    }
    for secret in ("prestataire", "pénalités", "Dupont", "12 000", "2020-03-01", "maison"):
        assert secret not in str(record)


def filter_cases():
    return [
        {"theme": "economy"},
        {"region": "32", "kind": "commune"},
        {"band": "50k-100k"},
        {"band": "lt10k"},
        {"departement": "62"},
        {"tool": "framaforms"},
        {"q": "commandes"},
        {"q": "commandes", "region": "11"},
        {"q": "de la"},
    ]


@pytest.mark.parametrize("params", filter_cases(), ids=lambda params: str(params))
def test_filters_and_search_give_what_the_web_list_shows(client, params):
    consultation = ConsultationFactory()
    economy = ThemeFactory(consultation=consultation, title="Économie")
    cohesion = ThemeFactory(consultation=consultation, title="Cohésion")
    now = timezone.now()
    created = [
        TestimonyFactory(
            consultation=consultation,
            territory=territory(code),
            themes=[theme],
            anonymous=anonymous,
            initiative=initiative,
            published_at=now - timedelta(hours=hours),
        )
        for hours, (code, theme, anonymous, initiative) in enumerate(
            [
                ("60057", economy, False, "Les commandes en ligne du marché."),
                ("62041", economy, False, "Une commande groupée de tablettes."),
                ("62041", cohesion, True, "Des commandes de masques pour les aînés."),
                ("78160", economy, False, "Commander ses courses au drive de la ville."),
                ("78160", cohesion, False, "Un numéro vert pour les aînés."),
            ]
        )
    ]
    tool = ToolFactory(name="Framaforms")
    created[0].tools.set([tool])
    created[3].tools.set([tool])
    search_index_update(testimony_ids=[t.pk for t in created])
    query = {key: (economy.pk if value == "economy" else value) for key, value in params.items()}

    api_ids = [t["id"] for t in walk(client, testimonies_url(consultation), **query)]

    expected = web_list_ids(client, consultation, query)
    if "q" not in query:
        assert api_ids == expected
    else:  # the web ranks a search by relevance; the API stays newest first
        assert sorted(api_ids) == sorted(expected)
    if query.get("q") != "de la":
        assert api_ids, "each case finds something: it would prove nothing otherwise"


def test_a_search_counts_as_the_web_does(client):
    consultation = ConsultationFactory()
    found = TestimonyFactory(consultation=consultation, initiative="Le télétravail des agents.")
    TestimonyFactory(consultation=consultation, initiative="Un marché de plein vent.")
    search_index_update(testimony_ids=list(consultation.testimonies.values_list("pk", flat=True)))

    body = get(client, testimonies_url(consultation), q="teletravail").json()

    assert [t["id"] for t in body["results"]] == [found.pk]
    assert (body["count"], body["count_exact"]) == (1, True)


def test_the_cursor_walks_every_testimony_once_while_others_are_published(client):
    consultation = ConsultationFactory()
    now = timezone.now()
    testimonies = [
        TestimonyFactory(consultation=consultation, published_at=now - timedelta(minutes=i))
        for i in range(7)
    ]
    # Two published at the same instant: the id breaks the tie.
    twin = TestimonyFactory(consultation=consultation, published_at=testimonies[3].published_at)

    first = get(client, testimonies_url(consultation), page_size=3).json()
    TestimonyFactory(consultation=consultation, published_at=now + timedelta(minutes=1))
    seen = [t["id"] for t in first["results"]]
    response = get(client, first["next"])
    while True:
        body = response.json()
        seen.extend(t["id"] for t in body["results"])
        assert body["count"] in (8, 9)
        if not body["next"]:
            break
        response = get(client, body["next"])

    newest_first = sorted([*testimonies, twin], key=lambda t: (t.published_at, t.pk), reverse=True)
    assert seen == [t.pk for t in newest_first]
    previous = get(client, body["previous"]).json()
    assert [t["id"] for t in previous["results"]] == seen[-5:-2]


def test_a_page_holds_at_most_100_testimonies(client):
    consultation = ConsultationFactory()
    TestimonyFactory.create_batch(3, consultation=consultation)
    body = get(client, testimonies_url(consultation), page_size=1000).json()
    assert len(body["results"]) == 3
    assert get(client, testimonies_url(consultation), page_size=1).json()["next"]


def test_an_unpublished_testimony_is_a_404_even_for_a_signed_in_moderator(client):
    testimony = TestimonyFactory(status=TestimonyStatus.SUBMITTED)
    url = reverse("api:testimony", args=[testimony.pk])
    assert get(client, url).status_code == 404
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert get(client, url).status_code == 404
    body = get(client, testimonies_url(testimony.consultation)).json()
    assert body["results"] == []


def test_territories_by_name_code_kind_and_departement(client):
    found = get(client, reverse("api:territories"), q="beauv", kind="commune").json()
    assert found["results"][0]["name"] == "Beauvais"
    assert found["results"][0]["departement"] == {"code": "60", "name": "Oise"}
    assert found["results"][0]["population_band"] == "50k-100k"
    assert found["next"] is None
    assert len(get(client, reverse("api:territories"), q="saint", limit=50).json()["results"]) == 20

    by_code = get(client, reverse("api:territories"), code="62041", kind="commune").json()
    assert [t["name"] for t in by_code["results"]] == ["Arras"]

    regions = walk(client, reverse("api:territories"), kind="region", page_size=100)
    assert len(regions) == 18
    assert {r["code"] for r in regions} >= {"11", "32", "84"}

    oise = walk(client, reverse("api:territories"), departement="60", kind="epci", page_size=100)
    assert oise and all(t["departement"]["code"] == "60" for t in oise)

    arras = territory("62041")
    one = get(client, reverse("api:territory", args=[arras.pk])).json()
    assert (one["kind"], one["code"], one["name"]) == ("commune", "62041", "Arras")
    assert one["epci_id"] == arras.epci_id


def test_any_origin_may_read_the_api_without_cookies(client):
    response = client.get("/api/v1/consultations/", headers={"origin": "https://carto.example"})
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    assert response["Access-Control-Expose-Headers"] == "Retry-After"


def test_cors_allows_reading_only(client):
    preflight = client.options(
        "/api/v1/consultations/",
        headers={"origin": "https://carto.example", "access-control-request-method": "POST"},
    )
    allowed = {m.strip() for m in preflight["Access-Control-Allow-Methods"].split(",")}
    assert allowed == {"GET", "HEAD", "OPTIONS"}
    for method in (client.post, client.put, client.patch, client.delete):
        response = method("/api/v1/consultations/", headers={"origin": "https://carto.example"})
        assert response.status_code == 405


def test_cors_is_for_the_api_only(client):
    response = client.get("/", headers={"origin": "https://carto.example"})
    assert "Access-Control-Allow-Origin" not in response


def test_too_many_requests_get_a_429_in_french_saying_when_to_come_back(client, settings):
    settings.RETEX_API_RATE = "3/minute"
    for _ in range(3):
        assert client.get("/api/v1/consultations/").status_code == 200

    refused = client.get("/api/v1/consultations/")

    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert re.fullmatch(
        r"Trop de requêtes : l'API répond à 3 requêtes par minute depuis une même adresse\."
        r" Réessayez dans \d+ secondes?\.",
        refused.json()["detail"],
    ), refused.json()["detail"]
    # Counted per address: another client is still served.
    assert client.get("/api/v1/consultations/", REMOTE_ADDR="192.0.2.7").status_code == 200
    # A forged X-Forwarded-For does not get around it.
    forged = client.get("/api/v1/consultations/", HTTP_X_FORWARDED_FOR="198.51.100.9")
    assert forged.status_code == 429


def test_the_openapi_document_describes_every_endpoint(client):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    document = response.json()

    validate_schema(document)  # against the OpenAPI 3.0 JSON Schema; raises when invalid
    assert document["info"]["title"] == "API Retex"
    assert set(document["paths"]) == {
        "/api/v1/",
        "/api/v1/consultations/",
        "/api/v1/consultations/{slug}/",
        "/api/v1/consultations/{slug}/themes/",
        "/api/v1/consultations/{slug}/testimonies/",
        "/api/v1/testimonies/{id}/",
        "/api/v1/territories/",
        "/api/v1/territories/{id}/",
    }
    for path in document["paths"].values():
        assert set(path) <= {"get", "parameters"}, "read-only"
    testimonies = document["paths"]["/api/v1/consultations/{slug}/testimonies/"]["get"]
    parameters = {parameter["name"] for parameter in testimonies["parameters"]}
    assert parameters >= {"q", "theme", "subtopic", "region", "departement", "kind", "band"}
    assert parameters >= {"tool", "territory", "cursor", "page_size"}
    testimony = document["components"]["schemas"]["Testimony"]
    assert set(testimony["properties"]) == TESTIMONY_KEYS
    # In French, as the rest of the site outside /en/.
    assert testimonies["description"].startswith("Les témoignages publiés de l'appel, avec les")


def test_a_malformed_rate_is_reported_when_retex_starts(settings):
    settings.RETEX_API_RATE = "5000/hour"
    assert api_rate_check(None) == []
    settings.RETEX_API_RATE = "beaucoup"
    assert [error.id for error in api_rate_check(None)] == ["retex_api.E001"]
