"""Until the back office exists, organisers use the admin: each sees their own consultations'
testimonies only, since those hold authors' private contact details."""

import pytest
from django.contrib.auth.models import Permission

from retex.consultations.enums import MembershipRole
from retex.consultations.models import ConsultationMembership
from tests.factories import ConsultationFactory, TestimonyFactory, UserFactory


@pytest.mark.django_db
def test_an_organiser_sees_only_the_testimonies_of_their_consultations(client):
    mine, other = ConsultationFactory(), ConsultationFactory()
    TestimonyFactory(consultation=mine, title="Témoignage de ma consultation")
    TestimonyFactory(
        consultation=other, title="Témoignage d'ailleurs", author_email="secret@example.org"
    )
    organiser = UserFactory(is_staff=True)
    organiser.user_permissions.add(*Permission.objects.filter(codename__endswith="_testimony"))
    ConsultationMembership.objects.create(
        consultation=mine, user=organiser, role=MembershipRole.ORGANISER
    )
    client.force_login(organiser)

    page = client.get("/admin/contributions/testimony/").content.decode()

    assert "Témoignage de ma consultation" in page
    assert "Témoignage d&#x27;ailleurs" not in page and "Témoignage d'ailleurs" not in page
    hidden = TestimonyFactory._meta.model.objects.get(consultation=other)
    assert client.get(f"/admin/contributions/testimony/{hidden.pk}/change/").status_code == 302
