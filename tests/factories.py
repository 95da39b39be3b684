"""Factories for test data. Territories come from the real reference (see conftest)."""

from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from retex.consultations.enums import AudienceEnforcement, EpciPopulationBasis, MembershipRole
from retex.consultations.models import (
    AudienceRule,
    Consultation,
    ConsultationMembership,
    Subtopic,
    Theme,
)
from retex.contributions.enums import AuthorRole, TestimonyStatus
from retex.contributions.models import Testimony
from retex.explore.search import search_index_update
from retex.territories.enums import TerritoryKind
from retex.territories.models import Territory


def territory(code: str, kind: str = TerritoryKind.COMMUNE) -> Territory:
    return Territory.objects.get(kind=kind, code=code)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("a-long-test-password")


class MembershipFactory(factory.django.DjangoModelFactory):
    """A member of a consultation's team: `MembershipFactory(consultation=c).user`."""

    class Meta:
        model = ConsultationMembership

    consultation = factory.SubFactory("tests.factories.ConsultationFactory")
    user = factory.SubFactory(UserFactory)
    role = MembershipRole.MODERATOR


class ConsultationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consultation
        # The related audience rule needs no second save of the consultation (and factory_boy
        # warns, an error under our pytest settings, unless told so).
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Consultation {n}")
    slug = factory.Sequence(lambda n: f"consultation-{n}")
    summary = "Partager ce que le numérique a permis pendant la crise."
    description = "Une consultation **ouverte** aux villes moyennes."
    organiser_names = "Villes de France et Villes Internet"
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=10))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=20))
    results_expected_on = factory.LazyFunction(lambda: (timezone.now() + timedelta(days=60)).date())
    audience_rule = factory.RelatedFactory(
        "tests.factories.AudienceRuleFactory", factory_related_name="consultation"
    )


class AudienceRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AudienceRule

    consultation = factory.SubFactory(ConsultationFactory, audience_rule=None)
    kinds = factory.LazyFunction(lambda: [TerritoryKind.COMMUNE, TerritoryKind.EPCI])
    population_min = 10_000
    population_max = 100_000
    epci_population_basis = EpciPopulationBasis.MEMBER_COMMUNES
    enforcement = AudienceEnforcement.ADVISORY


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    consultation = factory.SubFactory(ConsultationFactory)
    position = factory.Sequence(lambda n: n)
    title = factory.Sequence(lambda n: f"Thème {n}")


class SubtopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subtopic

    theme = factory.SubFactory(ThemeFactory)
    position = factory.Sequence(lambda n: n)
    title = factory.Sequence(lambda n: f"Sous-thème {n}")


class TestimonyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Testimony
        skip_postgeneration_save = True  # themes.set() needs no second save.

    consultation = factory.SubFactory(ConsultationFactory)
    territory = factory.LazyFunction(lambda: territory("60057"))
    status = TestimonyStatus.PUBLISHED
    title = factory.Sequence(lambda n: f"Initiative numérique {n}")
    initiative = "Un service de commande en ligne pour les producteurs du marché."
    difficulties = "Peu de temps pour former les commerçants."
    lessons = "Commencer petit et associer les commerçants dès le début."
    author_name = "Camille Martin"
    author_role = AuthorRole.AGENT
    author_email = factory.Sequence(lambda n: f"agent{n}@example.org")
    submitted_at = factory.LazyFunction(timezone.now)
    published_at = factory.LazyAttribute(
        lambda testimony: timezone.now() if testimony.status == TestimonyStatus.PUBLISHED else None
    )

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)

    @factory.post_generation
    def indexed(self, create, extracted, **kwargs):
        """As the publishing service leaves it: a published testimony is in the search index
        and the list of its consultation (after its themes; `indexed=False` leaves it out).
        Links set afterwards (tools, sub-topics) need `search_index_update` again."""
        if create and extracted is not False:
            search_index_update(testimony_ids=[self.pk])


class ToolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "contributions.Tool"
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Outil {n}")
    slug = factory.LazyAttribute(lambda tool: tool.name.lower().replace(" ", "-"))


class AttachmentFactory(factory.django.DjangoModelFactory):
    """A small PDF joined to a testimony (the tests' storage keeps it in memory)."""

    class Meta:
        model = "contributions.Attachment"

    testimony = factory.SubFactory(TestimonyFactory)
    upload_batch = factory.Sequence(lambda n: f"batch{n:08d}")
    kind = "pdf"
    file = factory.django.FileField(filename="document.pdf", data=b"%PDF-1.4\n%%EOF\n")
    original_name = "document.pdf"
    content_type = "application/pdf"
    size = 15
