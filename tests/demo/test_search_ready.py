import pytest

from retex.contributions.models import Testimony
from retex.demo.services import demo_setup
from retex.explore.search import search_testimonies


@pytest.mark.django_db
def test_the_demo_testimonies_can_be_searched_at_once():
    report = demo_setup()

    published = Testimony.objects.published().filter(consultation=report.consultation)
    found = list(
        search_testimonies(queryset=published, text="halles").values_list("title", flat=True)
    )
    assert found, "the Beauvais market testimony should be found by the word « halles »"
    beauvais = published.filter(territory__code="60057").values_list("title", flat=True)
    assert set(found) & set(beauvais)
