"""Organisers run their team: add people by e-mail (new ones choose their password through a
link), change roles, remove members, never the last organiser."""

import html
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from retex.audit.models import AuditEvent
from retex.consultations.enums import MembershipRole
from retex.consultations.models import ConsultationMembership
from tests.factories import ConsultationFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def consultation():
    return ConsultationFactory(title="Gestion de crise et numérique")


@pytest.fixture
def organiser(client, consultation):
    membership = MembershipFactory(
        consultation=consultation,
        role=MembershipRole.ORGANISER,
        user__first_name="Alix",
        user__last_name="Martin",
    )
    client.force_login(membership.user)
    return membership


def team_url(consultation, name="team", *args):
    return reverse(f"backoffice:{name}", args=[consultation.slug, *args])


def add(client, consultation, email, role="moderator"):
    return client.post(team_url(consultation), {"email": email, "role": role}, follow=True)


def test_the_team_page_lists_members_and_roles(client, organiser, consultation):
    MembershipFactory(consultation=consultation, user__email="bao@ville-arras.fr")
    page = text(client.get(team_url(consultation)))
    assert "2 membres" in page
    assert "Alix Martin" in page and "bao@ville-arras.fr" in page
    assert "Seul organisateur : nommez-en un autre avant de changer ce rôle." in page


def test_someone_new_gets_an_account_and_a_link_to_choose_a_password(
    client, organiser, consultation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = add(client, consultation, " Camille.Durand@Ville-Beauvais.fr ")
    assert "camille.durand@ville-beauvais.fr rejoint l'équipe comme modérateur." in text(response)
    user = get_user_model().objects.get(email="camille.durand@ville-beauvais.fr")
    assert not user.has_usable_password()
    assert ConsultationMembership.objects.get(user=user).role == MembershipRole.MODERATOR

    (message,) = mail.outbox
    assert message.to == ["camille.durand@ville-beauvais.fr"]
    assert (
        message.subject
        == "Vous êtes invité dans l'équipe de «\xa0Gestion de crise et numérique\xa0»"
    )
    assert "Alix Martin vous invite dans l'équipe" in message.body
    link = re.search(r"http://\S+", message.body).group(0)

    client.logout()
    form_page = client.get(link, follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "un jardin sous la pluie", "new_password2": "un jardin sous la pluie"},
    )
    signed_in = client.post(
        reverse("accounts:login"),
        {"username": "camille.durand@ville-beauvais.fr", "password": "un jardin sous la pluie"},
        follow=True,
    )
    assert "Gestion de crise et numérique" in text(signed_in)

    event = AuditEvent.objects.get(action="membership.add")
    assert event.details == {
        "email": "camille.durand@ville-beauvais.fr",
        "role": "moderator",
        "new_account": True,
    }
    assert event.actor_user == organiser.user


def test_someone_with_an_account_is_told_by_e_mail(
    client, organiser, consultation, django_capture_on_commit_callbacks
):
    existing = UserFactory(email="bao@ville-arras.fr")
    with django_capture_on_commit_callbacks(execute=True):
        add(client, consultation, "BAO@ville-arras.fr", role="organiser")
    assert ConsultationMembership.objects.get(user=existing).role == MembershipRole.ORGANISER
    (message,) = mail.outbox
    assert message.subject == "Vous rejoignez l'équipe de «\xa0Gestion de crise et numérique\xa0»"
    assert "/gestion/connexion/" in message.body
    assert get_user_model().objects.filter(email__iexact="bao@ville-arras.fr").count() == 1


def test_a_member_is_not_added_twice(client, organiser, consultation):
    MembershipFactory(consultation=consultation, user__email="bao@ville-arras.fr")
    response = add(client, consultation, "bao@ville-arras.fr")
    assert "bao@ville-arras.fr fait déjà partie de l'équipe (modérateur)." in text(response)
    assert 'value="bao@ville-arras.fr"' in text(response)


def test_a_wrong_address_is_refused_in_french(client, organiser, consultation):
    response = add(client, consultation, "pas-une-adresse")
    assert "Saisissez une adresse e-mail valide." in text(response)


def test_a_role_is_changed(client, organiser, consultation):
    member = MembershipFactory(consultation=consultation, user__email="bao@ville-arras.fr")
    response = client.post(
        team_url(consultation, "team_role", member.pk),
        {f"member-{member.pk}-role": "organiser"},
        follow=True,
    )
    assert "bao@ville-arras.fr est maintenant organisateur." in text(response)
    member.refresh_from_db()
    assert member.role == MembershipRole.ORGANISER
    event = AuditEvent.objects.get(action="membership.change_role")
    assert event.details["changes"] == {"role": ["moderator", "organiser"]}


def test_the_last_organiser_stays_an_organiser(client, organiser, consultation):
    response = client.post(
        team_url(consultation, "team_role", organiser.pk),
        {f"member-{organiser.pk}-role": "moderator"},
        follow=True,
    )
    assert "La consultation doit garder au moins un organisateur" in text(response)
    organiser.refresh_from_db()
    assert organiser.role == MembershipRole.ORGANISER


def test_the_last_organiser_cannot_be_removed(client, organiser, consultation):
    response = client.post(team_url(consultation, "team_remove", organiser.pk))
    assert "La consultation doit garder au moins un organisateur" in text(response)
    assert ConsultationMembership.objects.filter(pk=organiser.pk).exists()


def test_a_member_is_removed_after_confirmation(client, organiser, consultation):
    member = MembershipFactory(consultation=consultation, user__email="bao@ville-arras.fr")
    page = text(client.get(team_url(consultation, "team_remove", member.pk)))
    assert "Retirer bao@ville-arras.fr de l'équipe ?" in page
    response = client.post(team_url(consultation, "team_remove", member.pk), follow=True)
    assert "bao@ville-arras.fr ne fait plus partie de l'équipe." in text(response)
    assert not ConsultationMembership.objects.filter(pk=member.pk).exists()
    assert get_user_model().objects.filter(pk=member.user_id).exists()
    assert AuditEvent.objects.get(action="membership.remove").details == {
        "email": "bao@ville-arras.fr",
        "role": "moderator",
    }


def test_an_organiser_who_steps_down_lands_where_they_still_may_go(client, organiser, consultation):
    MembershipFactory(consultation=consultation, role=MembershipRole.ORGANISER)
    response = client.post(
        team_url(consultation, "team_role", organiser.pk),
        {f"member-{organiser.pk}-role": "moderator"},
    )
    assert response["Location"] == reverse("moderation:queue", args=[consultation.slug])
    assert client.get(team_url(consultation)).status_code == 403


def test_members_of_another_consultation_are_out_of_reach(client, organiser, consultation):
    elsewhere = MembershipFactory()
    response = client.post(team_url(consultation, "team_remove", elsewhere.pk))
    assert response.status_code == 404
    assert ConsultationMembership.objects.filter(pk=elsewhere.pk).exists()
