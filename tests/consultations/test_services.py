"""Creating a consultation, moving its deadline, and deciding who is in its audience."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from retex.audit.models import AuditEvent
from retex.consultations.enums import (
    AudienceEnforcement,
    ConsultationPhase,
    EpciPopulationBasis,
)
from retex.consultations.models import (
    AudienceRule,
    Consultation,
    DeadlineExtension,
    Subtopic,
    Theme,
)
from retex.consultations.services import (
    ThemeSpec,
    audience_check,
    audience_rule_update,
    consultation_create,
    consultation_extend_deadline,
    consultation_update,
    subtopic_create,
    subtopic_delete,
    subtopic_move,
    subtopic_update,
    theme_create,
    theme_delete,
    theme_move,
    theme_update,
)
from retex.contributions.enums import TestimonyStatus
from retex.territories.enums import TerritoryKind
from retex.territories.models import Territory
from tests.factories import (
    AudienceRuleFactory,
    ConsultationFactory,
    TestimonyFactory,
    UserFactory,
    territory,
)

PARIS = ZoneInfo("Europe/Paris")


def paris(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


# The seeds' schedule.
OPENS = paris(2020, 11, 26, 9)
FIRST_DEADLINE = paris(2021, 1, 20, 23, 59)
EXTENDED_DEADLINE = paris(2021, 3, 20, 23, 59)

SEEDS_THEMES = [
    ThemeSpec(
        title="Organisation du service public territorial",
        subtopics=[
            "Cybersécurité",
            "Continuité du service public",
            "Télétravail",
            "Corps intermédiaires",
        ],
    ),
    ThemeSpec(
        title="Soutien à l'économie locale",
        subtopics=[
            "Circuits courts",
            "Production et distribution locales",
            "Livraison à domicile",
            "Mobilisation des entreprises",
        ],
    ),
    ThemeSpec(
        title="Cohésion sociale",
        subtopics=[
            "Accès aux droits et aides sociales",
            "Inclusion numérique",
            "Associations",
            "Numérique éducatif",
            "Santé publique",
        ],
        accepts_other_subtopics=False,
    ),
]


def create(**overrides) -> Consultation:
    fields = {
        "title": "Gestion de crise avec le numérique",
        "slug": "gestion-de-crise",
        "summary": "Ce que le numérique a permis pendant la crise sanitaire.",
        "organiser_names": "Villes de France et Villes Internet",
        "opens_at": OPENS,
        "closes_at": FIRST_DEADLINE,
        "results_expected_on": date(2021, 6, 30),
        "themes": SEEDS_THEMES,
        "audience_kinds": [TerritoryKind.COMMUNE, TerritoryKind.EPCI],
        "population_min": 10_000,
        "population_max": 100_000,
    }
    return consultation_create(**(fields | overrides))


def digits_of(text: str) -> str:
    """Drop thousands separators, which vary: "10 000 à 100 000" -> "10000 à 100000"."""
    return re.sub(r"(?<=\d)[\s\u202f\xa0,.](?=\d{3}\b)", "", text)


# --- consultation_create ---


@pytest.mark.django_db
def test_create_builds_themes_and_subtopics_in_order():
    consultation = create()

    themes = list(consultation.themes.all())
    assert [theme.title for theme in themes] == [spec.title for spec in SEEDS_THEMES]
    assert [theme.position for theme in themes] == [1, 2, 3]
    for theme, spec in zip(themes, SEEDS_THEMES, strict=True):
        assert [subtopic.title for subtopic in theme.subtopics.all()] == spec.subtopics
        assert [subtopic.position for subtopic in theme.subtopics.all()] == list(
            range(1, len(spec.subtopics) + 1)
        )
        assert theme.accepts_other_subtopics == spec.accepts_other_subtopics


@pytest.mark.django_db
def test_create_records_the_schedule_and_the_audience_rule():
    consultation = create()

    consultation.refresh_from_db()
    assert consultation.opens_at == OPENS
    assert consultation.closes_at == FIRST_DEADLINE
    assert consultation.results_expected_on == date(2021, 6, 30)
    assert consultation.phase(now=paris(2020, 12, 17)) == ConsultationPhase.OPEN
    rule = AudienceRule.objects.get(consultation=consultation)
    assert rule.kinds == ["commune", "epci"]
    assert (rule.population_min, rule.population_max) == (10_000, 100_000)
    assert rule.epci_population_basis == EpciPopulationBasis.MEMBER_COMMUNES
    assert rule.enforcement == AudienceEnforcement.ADVISORY


@pytest.mark.django_db
def test_create_without_themes():
    consultation = create(themes=[])

    assert consultation.themes.count() == 0


@pytest.mark.django_db
def test_create_with_the_default_audience_accepts_every_collectivity():
    fields = {
        "title": "Ouverte à tous",
        "slug": "ouverte-a-tous",
        "summary": "Résumé.",
        "organiser_names": "Villes de France",
        "opens_at": OPENS,
        "closes_at": FIRST_DEADLINE,
    }
    try:
        consultation = consultation_create(**fields)
    except ValidationError as error:
        pytest.fail(
            "consultation_create's default audience_kinds=() is refused by its own"
            " full_clean(): AudienceRule.kinds (retex/consultations/models.py) is a JSONField"
            " without blank=True, while audience_check treats an empty list as 'every kind'."
            f" Error: {error}"
        )

    rule = consultation.audience_rule
    assert rule.kinds == []
    oise = territory("60", kind=TerritoryKind.DEPARTEMENT)
    assert audience_check(rule=rule, territory=oise).in_audience


@pytest.mark.django_db
def test_create_refuses_a_deadline_before_the_opening_and_leaves_nothing_behind():
    with pytest.raises(ValidationError):
        create(closes_at=paris(2020, 11, 1))

    assert not Consultation.objects.filter(slug="gestion-de-crise").exists()


@pytest.mark.django_db
def test_create_refuses_an_inverted_population_range_and_leaves_nothing_behind():
    with pytest.raises(ValidationError):
        create(population_min=100_000, population_max=10_000)

    # Atomic: the consultation saved before the rule failed is rolled back too.
    assert not Consultation.objects.filter(slug="gestion-de-crise").exists()


@pytest.mark.django_db
def test_create_refuses_a_slug_already_taken():
    create()

    with pytest.raises(ValidationError) as error:
        create(title="Une autre")
    assert "slug" in error.value.message_dict


@pytest.mark.django_db
def test_create_refuses_an_unknown_kind_of_collectivity():
    with pytest.raises(ValidationError) as error:
        create(audience_kinds=["commune", "town"])
    assert "kinds" in error.value.message_dict, (
        "consultation_create (retex/consultations/services.py) saves AudienceRule.kinds without"
        " checking them against TerritoryKind: an audience of ['town'] is stored, and then"
        " audience_check refuses every collectivity with 'This consultation is for: .'"
    )


# --- consultation_extend_deadline ---


@pytest.mark.django_db
def test_the_seeds_extension_is_kept_as_history():
    consultation = create()
    organiser = UserFactory()

    extension = consultation_extend_deadline(
        consultation=consultation,
        new_closes_at=EXTENDED_DEADLINE,
        reason="  Pour laisser le temps aux collectivités de témoigner.  ",
        acting_user=organiser,
        decided_at=paris(2021, 1, 18, 10),
    )

    assert extension.previous_closes_at == FIRST_DEADLINE
    assert extension.new_closes_at == EXTENDED_DEADLINE
    assert extension.reason == "Pour laisser le temps aux collectivités de témoigner."
    assert extension.created_by == organiser
    assert extension.created_at == paris(2021, 1, 18, 10)
    consultation.refresh_from_db()
    assert consultation.closes_at == EXTENDED_DEADLINE
    history = list(consultation.deadline_extensions.all())
    assert history == [extension]
    # Between the two deadlines, the consultation is open.
    assert consultation.phase(now=paris(2021, 2, 15)) == ConsultationPhase.OPEN
    assert consultation.phase(now=paris(2021, 3, 21)) == ConsultationPhase.CLOSED


@pytest.mark.django_db
def test_a_closed_consultation_opens_again_when_the_deadline_moves_past_now():
    consultation = create()
    now = paris(2021, 2, 1)
    assert consultation.phase(now=now) == ConsultationPhase.CLOSED

    consultation_extend_deadline(
        consultation=consultation, new_closes_at=EXTENDED_DEADLINE, reason="Prolongation."
    )

    consultation.refresh_from_db()
    assert consultation.phase(now=now) == ConsultationPhase.OPEN
    assert list(Consultation.objects.open(now=now)) == [consultation]


@pytest.mark.django_db
def test_successive_extensions_are_all_kept_in_order():
    consultation = create()

    consultation_extend_deadline(
        consultation=consultation,
        new_closes_at=paris(2021, 2, 20, 23, 59),
        reason="Première prolongation.",
        decided_at=paris(2021, 1, 15),
    )
    consultation_extend_deadline(
        consultation=consultation,
        new_closes_at=EXTENDED_DEADLINE,
        reason="Seconde prolongation.",
        decided_at=paris(2021, 2, 15),
    )

    history = [
        (e.previous_closes_at, e.new_closes_at) for e in consultation.deadline_extensions.all()
    ]
    assert history == [
        (FIRST_DEADLINE, paris(2021, 2, 20, 23, 59)),
        (paris(2021, 2, 20, 23, 59), EXTENDED_DEADLINE),
    ]


@pytest.mark.django_db
def test_an_anonymous_user_is_not_recorded_as_the_author_of_an_extension():
    from django.contrib.auth.models import AnonymousUser

    extension = consultation_extend_deadline(
        consultation=create(),
        new_closes_at=EXTENDED_DEADLINE,
        reason="Prolongation.",
        acting_user=AnonymousUser(),
    )

    assert extension.created_by is None


@pytest.mark.django_db
@pytest.mark.parametrize("new_closes_at", [FIRST_DEADLINE, paris(2021, 1, 10), paris(2020, 11, 1)])
def test_the_deadline_cannot_move_earlier(new_closes_at):
    consultation = create()

    with pytest.raises(ValidationError) as error, translation.override("en"):
        consultation_extend_deadline(
            consultation=consultation, new_closes_at=new_closes_at, reason="Raccourcir."
        )

    assert error.value.message_dict == {
        "new_closes_at": ["The new deadline must be later than the current one."]
    }
    consultation.refresh_from_db()
    assert consultation.closes_at == FIRST_DEADLINE
    assert not DeadlineExtension.objects.filter(consultation=consultation).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("reason", ["", "   ", "\n\t"])
def test_an_extension_needs_a_reason(reason):
    consultation = create()

    with pytest.raises(ValidationError) as error, translation.override("en"):
        consultation_extend_deadline(
            consultation=consultation, new_closes_at=EXTENDED_DEADLINE, reason=reason
        )

    assert list(error.value.message_dict) == ["reason"]
    assert "shown publicly" in error.value.message_dict["reason"][0]
    consultation.refresh_from_db()
    assert consultation.closes_at == FIRST_DEADLINE
    assert not DeadlineExtension.objects.exists()


# --- audience_check ---


def seeds_rule(**fields) -> AudienceRule:
    """The seeds' audience: communes of 10,000–100,000 inhabitants and their EPCIs."""
    return AudienceRuleFactory(
        consultation=ConsultationFactory(
            opens_at=OPENS, closes_at=FIRST_DEADLINE, audience_rule=None
        ),
        **fields,
    )


@pytest.mark.django_db
def test_beauvais_is_in_the_seeds_audience():
    verdict = audience_check(rule=seeds_rule(), territory=territory("60057"))

    assert verdict.in_audience
    assert verdict.accepted
    assert verdict.explanation == ""


@pytest.mark.django_db
def test_chevreuse_is_out_of_the_audience_but_accepted_under_an_advisory_rule():
    rule = seeds_rule(enforcement=AudienceEnforcement.ADVISORY)

    with translation.override("fr"):
        verdict = audience_check(rule=rule, territory=territory("78160"))

    assert not verdict.in_audience
    assert verdict.accepted
    explanation = digits_of(verdict.explanation)
    assert "Chevreuse" in explanation
    assert "10000" in explanation
    assert "100000" in explanation
    assert "5678" in explanation


@pytest.mark.django_db
def test_chevreuse_is_refused_under_a_strict_rule_with_an_explanation():
    rule = seeds_rule(enforcement=AudienceEnforcement.STRICT)

    with translation.override("fr"):
        verdict = audience_check(rule=rule, territory=territory("78160"))

    assert not verdict.in_audience
    assert not verdict.accepted
    explanation = digits_of(verdict.explanation)
    assert "Chevreuse" in explanation
    assert re.search(r"10000\D+100000", explanation), verdict.explanation
    assert "5678" in explanation


@pytest.mark.django_db
def test_the_explanation_is_in_english_when_english_is_active():
    with translation.override("en"):
        verdict = audience_check(rule=seeds_rule(), territory=territory("78160"))

    assert verdict.explanation == (
        "This consultation is for collectivities of 10,000 to 100,000 inhabitants;"
        " Chevreuse has 5,678 inhabitants."
    )


@pytest.mark.django_db
def test_the_beauvaisis_is_in_the_audience_through_its_member_communes():
    beauvaisis = territory("60057").epci
    assert beauvaisis.population > 100_000

    verdict = audience_check(
        rule=seeds_rule(epci_population_basis=EpciPopulationBasis.MEMBER_COMMUNES),
        territory=beauvaisis,
    )

    assert verdict.in_audience
    assert verdict.accepted


@pytest.mark.django_db
def test_the_beauvaisis_is_out_of_the_audience_on_its_own_population():
    beauvaisis = territory("60057").epci

    with translation.override("fr"):
        verdict = audience_check(
            rule=seeds_rule(
                epci_population_basis=EpciPopulationBasis.OWN_POPULATION,
                enforcement=AudienceEnforcement.STRICT,
            ),
            territory=beauvaisis,
        )

    assert not verdict.in_audience
    assert not verdict.accepted
    explanation = digits_of(verdict.explanation)
    assert "Beauvaisis" in explanation
    assert str(beauvaisis.population) in explanation


@pytest.mark.django_db
def test_an_epci_without_any_member_in_range_is_out_of_the_audience():
    haute_vallee = territory("78160").epci
    assert all(
        p < 10_000 for p in haute_vallee.member_communes.values_list("population", flat=True)
    )

    with translation.override("fr"):
        verdict = audience_check(rule=seeds_rule(), territory=haute_vallee)

    assert not verdict.in_audience
    assert verdict.accepted
    assert re.search(r"10000\D+100000", digits_of(verdict.explanation)), verdict.explanation


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("enforcement", "accepted"),
    [(AudienceEnforcement.STRICT, False), (AudienceEnforcement.ADVISORY, True)],
)
def test_a_departement_is_not_a_commune_or_an_epci(enforcement, accepted):
    oise = territory("60", kind=TerritoryKind.DEPARTEMENT)

    with translation.override("en"):
        verdict = audience_check(rule=seeds_rule(enforcement=enforcement), territory=oise)

    assert not verdict.in_audience
    assert verdict.accepted is accepted
    assert verdict.explanation == "This consultation is for: commune, intercommunality."


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "code"),
    [
        (TerritoryKind.COMMUNE, "78160"),  # Chevreuse, 5,678
        (TerritoryKind.COMMUNE, "75056"),  # Paris, over two million
        (TerritoryKind.COMMUNE, "97611"),  # Mamoudzou: no population in the reference
        (TerritoryKind.EPCI, "200067999"),  # CA du Beauvaisis
    ],
)
def test_a_rule_without_range_accepts_anyone_of_an_accepted_kind(kind, code):
    rule = seeds_rule(
        population_min=None,
        population_max=None,
        epci_population_basis=EpciPopulationBasis.OWN_POPULATION,
        enforcement=AudienceEnforcement.STRICT,
    )

    verdict = audience_check(rule=rule, territory=territory(code, kind=kind))

    assert (verdict.in_audience, verdict.accepted, verdict.explanation) == (True, True, "")


@pytest.mark.django_db
def test_a_rule_without_kinds_accepts_every_kind():
    rule = seeds_rule(kinds=[], population_min=None, population_max=None)

    for kind, code in [(TerritoryKind.REGION, "32"), (TerritoryKind.DEPARTEMENT, "60")]:
        assert audience_check(rule=rule, territory=territory(code, kind=kind)).in_audience


@pytest.mark.django_db
def test_an_unknown_population_is_out_of_a_range():
    mamoudzou = territory("97611")
    assert mamoudzou.population is None

    with translation.override("en"):
        verdict = audience_check(rule=seeds_rule(), territory=mamoudzou)

    assert not verdict.in_audience
    assert "Mamoudzou has an unknown population" in verdict.explanation


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("population", "in_audience"),
    [(9_999, False), (10_000, True), (100_000, True), (100_001, False)],
)
def test_range_bounds_are_inclusive(population, in_audience):
    town = Territory(kind=TerritoryKind.COMMUNE, code="99999", name="Ville", population=population)

    assert audience_check(rule=seeds_rule(), territory=town).in_audience is in_audience


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("minimum", "maximum", "population", "words"),
    [
        (10_000, None, 5_000, "at least 10,000 inhabitants"),
        (None, 100_000, 200_000, "at most 100,000 inhabitants"),
    ],
)
def test_half_open_ranges(minimum, maximum, population, words):
    town = Territory(kind=TerritoryKind.COMMUNE, code="99999", name="Ville", population=population)
    rule = seeds_rule(population_min=minimum, population_max=maximum)

    with translation.override("en"):
        verdict = audience_check(rule=rule, territory=town)

    assert not verdict.in_audience
    assert words in verdict.explanation


# --- Editing a consultation: texts, schedule, audience, themes, team ---


def _audit(action: str):
    return AuditEvent.objects.filter(action=action)


@pytest.mark.django_db
def test_the_extension_is_in_the_consultations_log():
    consultation = create()
    organiser = UserFactory()
    consultation_extend_deadline(
        consultation=consultation,
        new_closes_at=EXTENDED_DEADLINE,
        reason="Pour les petites communes.",
        acting_user=organiser,
    )
    event = _audit("consultation.extend_deadline").get()
    assert event.consultation_id == consultation.pk
    assert event.actor_user == organiser
    assert event.details == {
        "previous_closes_at": "2021-01-20T23:59+01:00",
        "new_closes_at": "2021-03-20T23:59+01:00",
        "reason": "Pour les petites communes.",
    }


def _texts(consultation: Consultation, **changes) -> dict:
    values = {
        name: getattr(consultation, name)
        for name in (
            "title",
            "summary",
            "description",
            "organiser_names",
            "contact_email",
            "opens_at",
            "closes_at",
            "results_expected_on",
        )
    }
    return {**values, **changes}


@pytest.mark.django_db
def test_an_update_keeps_the_before_and_after_of_each_changed_field():

    consultation = create()
    organiser = UserFactory()
    consultation_update(
        consultation=consultation,
        acting_user=organiser,
        **_texts(
            consultation,
            title="  Gestion de crise   et numérique ",
            contact_email="contact@villesdefrance.fr",
        ),
        now=paris(2021, 2, 1),
    )
    consultation.refresh_from_db()
    assert consultation.title == "Gestion de crise et numérique"
    event = _audit("consultation.update").get()
    assert event.details == {
        "changes": {
            "title": ["Gestion de crise avec le numérique", "Gestion de crise et numérique"],
            "contact_email": ["", "contact@villesdefrance.fr"],
        }
    }


@pytest.mark.django_db
def test_an_update_that_changes_nothing_records_nothing():

    consultation = create()
    consultation_update(
        consultation=consultation, acting_user=None, **_texts(consultation), now=paris(2021, 2, 1)
    )
    assert not _audit("consultation.update").exists()


@pytest.mark.django_db
def test_once_open_the_deadline_moves_only_through_an_extension():

    consultation = create()
    with pytest.raises(ValidationError) as error, translation.override("en"):
        consultation_update(
            consultation=consultation,
            acting_user=None,
            **_texts(consultation, closes_at=EXTENDED_DEADLINE, opens_at=paris(2020, 12, 1)),
            now=paris(2020, 12, 15),
        )
    assert set(error.value.message_dict) == {"closes_at", "opens_at"}
    assert "extend the deadline" in error.value.message_dict["closes_at"][0]
    consultation.refresh_from_db()
    assert consultation.closes_at == FIRST_DEADLINE


@pytest.mark.django_db
def test_before_opening_the_schedule_may_change_freely_but_stays_in_order():

    consultation = create()
    before_opening = paris(2020, 11, 1)
    consultation_update(
        consultation=consultation,
        acting_user=None,
        **_texts(consultation, opens_at=paris(2020, 12, 1), closes_at=EXTENDED_DEADLINE),
        now=before_opening,
    )
    consultation.refresh_from_db()
    assert (consultation.opens_at, consultation.closes_at) == (
        paris(2020, 12, 1),
        EXTENDED_DEADLINE,
    )
    assert not consultation.deadline_extensions.exists()

    with pytest.raises(ValidationError) as error:
        consultation_update(
            consultation=consultation,
            acting_user=None,
            **_texts(consultation, closes_at=paris(2020, 11, 30)),
            now=before_opening,
        )
    assert list(error.value.message_dict) == ["closes_at"]


@pytest.mark.django_db
def test_the_audience_rule_changes_with_its_history():

    consultation = create()
    audience_rule_update(
        consultation=consultation,
        acting_user=None,
        kinds=[TerritoryKind.COMMUNE],
        population_min=20_000,
        population_max=100_000,
        epci_population_basis=EpciPopulationBasis.MEMBER_COMMUNES,
        enforcement=AudienceEnforcement.STRICT,
    )
    rule = AudienceRule.objects.get(consultation=consultation)
    assert (rule.kinds, rule.population_min, rule.enforcement) == (
        ["commune"],
        20_000,
        AudienceEnforcement.STRICT,
    )
    changes = _audit("consultation.audience_update").get().details["changes"]
    assert changes["kinds"] == [["commune", "epci"], ["commune"]]
    assert changes["population_min"] == [10_000, 20_000]
    assert changes["enforcement"] == ["advisory", "strict"]


@pytest.mark.django_db
def test_a_new_audience_rule_flags_the_testimonies_already_received_again():
    consultation = create()
    beauvais = TestimonyFactory(consultation=consultation, territory=territory("60057"))
    chevreuse = TestimonyFactory(
        consultation=consultation, territory=territory("78160"), in_audience=False
    )

    def change(**bounds) -> int:
        _rule, reflagged = audience_rule_update(
            consultation=consultation,
            acting_user=None,
            kinds=[TerritoryKind.COMMUNE],
            epci_population_basis=EpciPopulationBasis.MEMBER_COMMUNES,
            enforcement=AudienceEnforcement.STRICT,
            **bounds,
        )
        return reflagged

    # Beauvais (about 56,000 inhabitants) falls out; Chevreuse was already out, and stays.
    assert change(population_min=60_000, population_max=None) == 1
    beauvais.refresh_from_db()
    chevreuse.refresh_from_db()
    assert (beauvais.in_audience, chevreuse.in_audience) == (False, False)
    assert beauvais.status == TestimonyStatus.PUBLISHED  # flagged, never refused afterwards
    assert _audit("consultation.audience_update").last().details["testimonies_reflagged"] == 1

    assert change(population_min=None, population_max=None) == 2
    assert set(consultation.testimonies.values_list("in_audience", flat=True)) == {True}


@pytest.mark.django_db
def test_an_inverted_population_range_is_refused():

    with pytest.raises(ValidationError) as error:
        audience_rule_update(
            consultation=create(),
            acting_user=None,
            kinds=[],
            population_min=50_000,
            population_max=10_000,
            epci_population_basis=EpciPopulationBasis.MEMBER_COMMUNES,
            enforcement=AudienceEnforcement.ADVISORY,
        )
    assert list(error.value.message_dict) == ["population_max"]


@pytest.mark.django_db
def test_themes_are_added_at_the_end_moved_and_renumbered():

    consultation = create()
    added = theme_create(consultation=consultation, acting_user=None, title="Santé publique")
    assert added.position == 4
    theme_move(theme=added, acting_user=None, offset=-1)
    theme_move(theme=added, acting_user=None, offset=-1)
    titles = list(consultation.themes.order_by("position").values_list("title", flat=True))
    assert titles == [
        "Organisation du service public territorial",
        "Santé publique",
        "Soutien à l'économie locale",
        "Cohésion sociale",
    ]
    assert list(consultation.themes.order_by("position").values_list("position", flat=True)) == [
        1,
        2,
        3,
        4,
    ]
    assert _audit("theme.move").first().details["changes"] == {"position": [3, 2]}


@pytest.mark.django_db
def test_moving_the_first_theme_up_changes_nothing():

    consultation = create()
    first = consultation.themes.get(position=1)
    theme_move(theme=first, acting_user=None, offset=-1)
    assert consultation.themes.get(position=1) == first
    assert not _audit("theme.move").exists()


@pytest.mark.django_db
def test_two_themes_cannot_share_a_title():

    consultation = create()
    with pytest.raises(ValidationError):
        theme_create(consultation=consultation, acting_user=None, title="cohésion SOCIALE")
    second = consultation.themes.get(position=2)
    with pytest.raises(ValidationError):
        theme_update(
            theme=second,
            acting_user=None,
            title="Cohésion sociale",
            description="",
            accepts_other_subtopics=True,
        )


@pytest.mark.django_db
def test_a_theme_no_testimony_uses_is_removed_with_its_subtopics():
    consultation = create()
    second = consultation.themes.get(position=2)
    theme_delete(theme=second, acting_user=None)
    assert not Theme.objects.filter(pk=second.pk).exists()
    assert not Subtopic.objects.filter(theme_id=second.pk).exists()
    assert list(consultation.themes.values_list("position", flat=True)) == [1, 2]
    event = _audit("theme.delete").get()
    assert event.details["title"] == "Soutien à l'économie locale"
    assert len(event.details["subtopics"]) == 4


@pytest.mark.django_db
def test_a_theme_a_testimony_uses_stays_and_says_why():

    consultation = create()
    theme = consultation.themes.get(position=1)
    TestimonyFactory(consultation=consultation, themes=[theme])
    with pytest.raises(ValidationError) as error:
        theme_delete(theme=theme, acting_user=None)
    assert error.value.messages == [
        "1 témoignage est classé sous ce thème ou ses sous-thèmes : il ne peut pas être"
        " supprimé. Vous pouvez le renommer."
    ]
    assert consultation.themes.filter(pk=theme.pk).exists()


@pytest.mark.django_db
def test_a_subtopic_a_testimony_uses_stays_but_may_be_renamed():

    consultation = create()
    theme = consultation.themes.get(position=1)
    telework = theme.subtopics.get(title="Télétravail")
    testimony = TestimonyFactory(consultation=consultation, themes=[theme])
    testimony.subtopics.set([telework])
    with pytest.raises(ValidationError):
        subtopic_delete(subtopic=telework, acting_user=None)
    subtopic_update(subtopic=telework, acting_user=None, title="Télétravail des agents")
    assert list(testimony.subtopics.values_list("title", flat=True)) == ["Télétravail des agents"]
    assert _audit("subtopic.update").get().details["changes"] == {
        "title": ["Télétravail", "Télétravail des agents"]
    }


@pytest.mark.django_db
def test_subtopics_are_added_moved_and_removed_in_order():

    theme = create().themes.get(position=3)
    added = subtopic_create(theme=theme, acting_user=None, title="Démarches en ligne")
    assert added.position == 6
    subtopic_move(subtopic=added, acting_user=None, offset=-1)
    subtopic_delete(subtopic=theme.subtopics.get(position=1), acting_user=None)
    assert list(theme.subtopics.order_by("position").values_list("title", "position")) == [
        ("Inclusion numérique", 1),
        ("Associations", 2),
        ("Numérique éducatif", 3),
        ("Démarches en ligne", 4),
        ("Santé publique", 5),
    ]
