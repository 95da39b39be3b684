"""The autocompletion endpoint used by the testimony form: /territoires/recherche.json."""

import re

import pytest

pytestmark = pytest.mark.django_db

URL = "/territoires/recherche.json"


def results(client, **params) -> list[dict]:
    response = client.get(URL, params)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/json"
    return response.json()["results"]


def test_beauv_gives_beauvais_with_its_departement(client):
    found = results(client, q="beauv", kind=["commune", "epci"])

    beauvais = next(result for result in found if result["kind"] == "commune")
    assert found.index(beauvais) <= 1
    assert beauvais["label"] == "Beauvais (Oise)"
    assert beauvais["name"] == "Beauvais"
    assert beauvais["kind"] == "commune"
    assert beauvais["code"] == "60057"
    assert 54_000 <= beauvais["population"] <= 58_000
    assert beauvais["departement"] == {"code": "60", "name": "Oise"}
    assert isinstance(beauvais["id"], int)
    # Grouped by thousands ("56 254" in French): the separator depends on the language.
    display = beauvais["population_display"]
    assert display != str(beauvais["population"])
    assert re.sub(r"\D", "", display) == str(beauvais["population"])
    assert {result["kind"] for result in found} <= {"commune", "epci"}


def test_an_epci_is_labelled_with_its_main_departement(client):
    found = results(client, q="beauvaisis", kind="epci")

    assert [result["label"] for result in found] == [
        "Communauté d'agglomération du Beauvaisis (Oise)"
    ]
    assert found[0]["kind"] == "epci"
    assert 100_000 < found[0]["population"] < 106_000


def test_a_region_has_no_departement_in_its_label(client):
    found = results(client, q="hauts de france", kind="region")

    assert found[0]["label"] == "Hauts-de-France"
    assert found[0]["departement"] is None


def test_accented_query(client):
    assert results(client, q="Sète", kind="commune")[0]["label"] == "Sète (Hérault)"


def test_ten_results_by_default_and_never_more_than_twenty(client):
    assert len(results(client, q="saint")) == 10
    assert len(results(client, q="saint", limit="5")) == 5
    assert len(results(client, q="saint", limit="20")) == 20
    assert len(results(client, q="saint", limit="1000")) == 20


@pytest.mark.parametrize("limit", ["abc", "", "1.5", "ten"])
def test_a_bad_limit_is_ignored(client, limit):
    assert len(results(client, q="saint", limit=limit)) == 10


@pytest.mark.parametrize("limit", ["-1", "-20"])
def test_a_negative_limit_is_ignored(client, limit):
    response = client.get(URL, {"q": "saint", "limit": limit})

    assert response.status_code == 200, (
        f"limit={limit} gives HTTP {response.status_code}: retex/territories/views.py only"
        " caps the limit from above (min(int(...), MAX_RESULTS)), so a negative value reaches"
        " the queryset slice and Django raises 'Negative indexing is not supported'."
    )
    assert len(response.json()["results"]) <= 10


@pytest.mark.parametrize("params", [{}, {"q": ""}, {"q": "   "}, {"q": "--"}])
def test_no_query_gives_no_results(client, params):
    assert results(client, **params) == []


def test_a_very_long_query_is_handled(client):
    assert results(client, q="saint " * 200) != []


def test_only_get_is_allowed(client):
    assert client.post(URL, {"q": "beauv"}).status_code == 405


def test_results_may_be_cached_by_browsers_and_proxies(client):
    response = client.get(URL, {"q": "beauv"})

    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"public", "max-age=3600"} <= cache_control


def test_the_answer_only_describes_places(client):
    """The endpoint is public and cached: nothing in it may depend on who asks."""
    found = results(client, q="arras", kind=["commune", "epci"])

    allowed = {
        "id",
        "kind",
        "kind_label",
        "code",
        "name",
        "label",
        "population",
        "population_display",
        "departement",
    }
    assert all(set(result) == allowed for result in found)
