"""The public records behind the API and the files, read in batches."""

from datetime import timedelta

import pytest
from django.utils import timezone

from retex.api.records import public_records
from retex.contributions.enums import TestimonyStatus
from retex.contributions.models import Testimony
from tests.factories import ConsultationFactory, TestimonyFactory

pytestmark = pytest.mark.django_db


def test_records_come_newest_first_each_once_across_batches_and_ties():
    consultation = ConsultationFactory()
    now = timezone.now()
    moments = [1, 2, 2, 2, 3, 5, 5]  # hours ago; ties cross the batches of two
    testimonies = [
        TestimonyFactory(consultation=consultation, published_at=now - timedelta(hours=hours))
        for hours in moments
    ]
    undated = TestimonyFactory(consultation=consultation)
    Testimony.objects.filter(pk=undated.pk).update(published_at=None)
    TestimonyFactory(consultation=consultation, status=TestimonyStatus.SUBMITTED)

    records = list(
        public_records(
            Testimony.objects.filter(consultation=consultation),
            absolute=lambda path: f"https://retex.example{path}",
            batch_size=2,
        )
    )

    newest_first = sorted(testimonies, key=lambda t: (t.published_at, t.pk), reverse=True)
    assert [record.id for record in records] == [t.pk for t in newest_first] + [undated.pk]
    assert records[0].url == f"https://retex.example/temoignages/{newest_first[0].pk}/"
