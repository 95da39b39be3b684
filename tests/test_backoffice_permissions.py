"""Who may open each back office address: the permission matrix of the whole back office.

Every URL of the back office namespaces is found in the URL resolver, and each must have an
expectation below (a test fails for a page nobody declared). Each is then requested by:

- a signed-out visitor: sent to the sign-in page;
- an outsider, organiser of *another* consultation: 404, and nothing of this consultation in
  the answer; and with their own consultation's address but this one's objects (a testimony,
  a theme, a team member…): 404 too;
- a moderator of the consultation: allowed, or 403 on an organiser's page;
- an organiser of the consultation: allowed.

Pages that change something are also posted to (empty forms): a refused POST changes nothing.

Adding a back office page: add its name to EXPECTATIONS with its access, the methods it answers,
and, if its address takes an argument other than those of ARGUMENTS, how to fill it.
"""

import enum
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from retex.audit.models import AuditEvent
from retex.consultations.enums import MembershipRole
from retex.consultations.models import Consultation, ConsultationMembership, Subtopic, Theme
from retex.contributions.enums import TestimonyStatus
from retex.contributions.models import Revision, Testimony
from retex.moderation.models import ModerationDecision
from tests.factories import (
    ConsultationFactory,
    MembershipFactory,
    SubtopicFactory,
    TestimonyFactory,
    ThemeFactory,
    UserFactory,
)

NAMESPACES = {"moderation", "backoffice", "accounts", "pages"}


class Access(enum.Enum):
    PUBLIC = "anyone"
    SIGNED_IN = "any signed-in account (one's own pages, the list of one's consultations)"
    SITE_EDITOR = "superusers and organisers of any consultation (the site's own pages)"
    MODERATE = "the consultation's moderators and organisers"
    ORGANISE = "the consultation's organisers"


@dataclass(frozen=True)
class Expect:
    access: Access
    # What the address answers; a POST-only action is tried with POST only.
    methods: tuple[str, ...] = ("GET",)
    # Arguments of the address that ARGUMENTS does not know: name -> value from the world.
    arguments: dict[str, Callable[["World"], object]] = field(default_factory=dict)


GET, POST, BOTH = ("GET",), ("POST",), ("GET", "POST")
A = Access

EXPECTATIONS: dict[str, Expect] = {
    # Signing in and one's own account.
    "accounts:login": Expect(A.PUBLIC, BOTH),
    "accounts:login_code": Expect(A.PUBLIC, GET),
    "accounts:logout": Expect(A.PUBLIC, POST),
    "accounts:password_reset": Expect(A.PUBLIC, BOTH),
    "accounts:password_reset_sent": Expect(A.PUBLIC, GET),
    "accounts:password_set": Expect(
        A.PUBLIC, GET, {"uidb64": lambda world: "MQ", "token": lambda world: "set-password"}
    ),
    "accounts:security": Expect(A.SIGNED_IN, GET),
    "accounts:totp_start": Expect(A.SIGNED_IN, POST),
    "accounts:totp_setup": Expect(A.SIGNED_IN, GET),
    "accounts:totp_disable": Expect(A.SIGNED_IN, POST),
    "accounts:recovery_codes_renew": Expect(A.SIGNED_IN, POST),
    "accounts:password_change": Expect(A.SIGNED_IN, GET),
    # Moderation.
    "moderation:home": Expect(A.SIGNED_IN, GET),
    "moderation:queue": Expect(A.MODERATE, GET),
    "moderation:bulk_publish": Expect(A.MODERATE, POST),
    "moderation:review": Expect(A.MODERATE, GET),
    "moderation:publish": Expect(A.MODERATE, POST),
    "moderation:reject": Expect(A.MODERATE, POST),
    "moderation:request_changes": Expect(A.MODERATE, POST),
    "moderation:edit": Expect(A.MODERATE, BOTH),
    "moderation:unpublish": Expect(A.MODERATE, POST),
    "moderation:mark_duplicate": Expect(A.MODERATE, POST),
    "moderation:accept_edit": Expect(A.MODERATE, POST),
    # Running the consultation.
    "backoffice:dashboard": Expect(A.MODERATE, GET),
    "backoffice:dashboard_missing": Expect(A.MODERATE, GET),
    "backoffice:settings": Expect(A.ORGANISE, BOTH),
    "backoffice:settings_audience": Expect(A.ORGANISE, BOTH),
    "backoffice:settings_themes": Expect(A.ORGANISE, BOTH),
    "backoffice:settings_theme": Expect(A.ORGANISE, BOTH),
    "backoffice:settings_theme_move": Expect(A.ORGANISE, POST),
    "backoffice:settings_theme_delete": Expect(A.ORGANISE, BOTH),
    "backoffice:settings_subtopic_add": Expect(A.ORGANISE, POST),
    "backoffice:settings_subtopic_rename": Expect(A.ORGANISE, POST),
    "backoffice:settings_subtopic_move": Expect(A.ORGANISE, POST),
    "backoffice:settings_subtopic_delete": Expect(A.ORGANISE, BOTH),
    "backoffice:settings_deadline": Expect(A.ORGANISE, BOTH),
    "backoffice:team": Expect(A.ORGANISE, BOTH),
    "backoffice:team_role": Expect(A.ORGANISE, POST),
    "backoffice:team_remove": Expect(A.ORGANISE, BOTH),
    "backoffice:audit": Expect(A.ORGANISE, GET),
    "backoffice:audit_export": Expect(A.ORGANISE, GET),
    "backoffice:import": Expect(A.ORGANISE, BOTH),
    "backoffice:import_confirm": Expect(A.ORGANISE, POST),
    "backoffice:import_help": Expect(A.ORGANISE, GET),
    "backoffice:import_template": Expect(A.ORGANISE, GET, {"extension": lambda world: "csv"}),
    "backoffice:export": Expect(A.ORGANISE, GET),
    "backoffice:export_file": Expect(A.ORGANISE, GET, {"extension": lambda world: "csv"}),
    # The site's own pages.
    "pages:accessibility": Expect(A.PUBLIC, GET),
    "pages:legal": Expect(A.PUBLIC, GET),
    "pages:edit": Expect(A.SITE_EDITOR, BOTH, {"slug": lambda world: "mentions-legales"}),
}

# Private data of the world's consultation: never in an answer to someone outside its team.
AUTHOR_NAME = "Dominique Confidentiel"
AUTHOR_EMAIL = "dominique.confidentiel@example.org"
SECRET_TITLE = "Titre d'un témoignage en attente"


@dataclass
class World:
    consultation: Consultation
    other: Consultation
    testimony: Testimony
    theme: Theme
    subtopic: Subtopic
    membership: ConsultationMembership
    users: dict[str, object]


# How to fill the usual arguments of a back office address, for the world's consultation.
ARGUMENTS: dict[str, Callable[[World], object]] = {
    "slug": lambda world: world.consultation.slug,
    "pk": lambda world: world.testimony.pk,
    "theme_id": lambda world: world.theme.pk,
    "subtopic_id": lambda world: world.subtopic.pk,
    "membership_id": lambda world: world.membership.pk,
}


def back_office_urls() -> dict[str, URLPattern]:
    """Every named URL of the back office namespaces, "namespace:name" -> pattern."""
    found: dict[str, URLPattern] = {}

    def walk(patterns, namespace: str | None) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, entry.namespace or namespace)
            elif namespace in NAMESPACES and entry.name:
                found[f"{namespace}:{entry.name}"] = entry

    walk(get_resolver().url_patterns, None)
    return found


URLS = back_office_urls()


def test_every_back_office_address_has_an_expectation():
    missing = sorted(set(URLS) - set(EXPECTATIONS))
    assert not missing, f"Declare who may open these back office pages: {missing}"
    gone = sorted(set(EXPECTATIONS) - set(URLS))
    assert not gone, f"These pages no longer exist: remove them from EXPECTATIONS: {gone}"


def test_every_argument_of_an_address_can_be_filled():
    for name, pattern in URLS.items():
        known = set(ARGUMENTS) | set(EXPECTATIONS.get(name, Expect(A.PUBLIC)).arguments)
        missing = set(pattern.pattern.converters) - known
        assert not missing, f"{name}: say how to fill {sorted(missing)} in Expect.arguments"


@pytest.fixture
def world(db) -> World:
    consultation = ConsultationFactory(title="Consultation de l'équipe")
    other = ConsultationFactory(title="Une autre consultation")
    theme = ThemeFactory(consultation=consultation, title="Thème de l'équipe")
    subtopic = SubtopicFactory(theme=theme, title="Sous-thème de l'équipe")
    testimony = TestimonyFactory(
        consultation=consultation,
        status=TestimonyStatus.SUBMITTED,
        title=SECRET_TITLE,
        author_name=AUTHOR_NAME,
        author_email=AUTHOR_EMAIL,
        themes=[theme],
    )
    moderator = MembershipFactory(consultation=consultation, role=MembershipRole.MODERATOR)
    organiser = MembershipFactory(consultation=consultation, role=MembershipRole.ORGANISER)
    outsider = MembershipFactory(consultation=other, role=MembershipRole.ORGANISER)
    return World(
        consultation=consultation,
        other=other,
        testimony=testimony,
        theme=theme,
        subtopic=subtopic,
        membership=moderator,
        users={
            "anonymous": None,
            "outsider": outsider.user,
            "moderator": moderator.user,
            "organiser": organiser.user,
        },
    )


def address(world: World, name: str, *, slug_of: Consultation | None = None) -> str:
    expect = EXPECTATIONS[name]
    fillers = {**ARGUMENTS, **expect.arguments}
    if slug_of is not None and "slug" not in expect.arguments:
        fillers["slug"] = lambda _world: slug_of.slug
    kwargs = {key: fillers[key](world) for key in URLS[name].pattern.converters}
    return reverse(name, kwargs=kwargs)


def state(world: World) -> tuple:
    """Everything a refused request must leave as it was."""
    return (
        list(
            Testimony.objects.order_by("pk").values_list("pk", "status", "title", "withheld_fields")
        ),
        list(Theme.objects.order_by("pk").values_list("pk", "title", "position")),
        list(Subtopic.objects.order_by("pk").values_list("pk", "title", "position")),
        list(ConsultationMembership.objects.order_by("pk").values_list("pk", "role")),
        list(Consultation.objects.order_by("pk").values_list("pk", "title", "closes_at")),
        Revision.objects.count(),
        ModerationDecision.objects.count(),
        AuditEvent.objects.exclude(action__startswith="account.").count(),
    )


def request(client, method: str, url: str):
    return client.get(url) if method == "GET" else client.post(url, {})


def no_private_data(response) -> None:
    text = response.content.decode(errors="replace")
    for private in (AUTHOR_NAME, AUTHOR_EMAIL, SECRET_TITLE, "Consultation de l&#x27;équipe"):
        assert private not in text


def allowed(response) -> bool:
    if response.status_code in (401, 403, 404) or response.status_code >= 500:
        return False
    location = response.headers.get("Location", "")
    return not location.startswith(reverse("accounts:login"))


CASES = [
    (name, role, method)
    for name in sorted(EXPECTATIONS)
    if name in URLS
    for role in ("anonymous", "outsider", "moderator", "organiser")
    for method in EXPECTATIONS[name].methods
]


@pytest.mark.parametrize(("name", "role", "method"), CASES)
def test_permission_matrix(client, world, name, role, method):
    expect = EXPECTATIONS[name]
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    url = address(world, name)
    before = state(world)

    response = request(client, method, url)

    access = expect.access
    if access == A.PUBLIC:
        assert response.status_code < 500 and response.status_code != 404, response.status_code
        return
    if role == "anonymous":
        assert response.status_code == 302, response.status_code
        assert response["Location"].startswith(reverse("accounts:login"))
        assert state(world) == before
        return
    refused = {
        A.SIGNED_IN: set(),
        A.SITE_EDITOR: {"moderator"},
        A.MODERATE: {"outsider"},
        A.ORGANISE: {"outsider", "moderator"},
    }[access]
    if role not in refused:
        assert allowed(response), (response.status_code, response.headers.get("Location"))
        if role == "outsider":  # their own pages: still nothing of the other consultation
            no_private_data(response)
        return
    if role == "outsider" and access in (A.MODERATE, A.ORGANISE):
        assert response.status_code == 404, response.status_code
        no_private_data(response)
    else:
        assert response.status_code == 403, response.status_code
        assert AUTHOR_EMAIL not in response.content.decode(errors="replace")
    assert state(world) == before


# Addresses that name an object of the consultation besides its slug.
OBJECT_URLS = sorted(
    name
    for name, pattern in URLS.items()
    if EXPECTATIONS.get(name, Expect(A.PUBLIC)).access in (A.MODERATE, A.ORGANISE)
    and set(pattern.pattern.converters) & (set(ARGUMENTS) - {"slug"})
)


@pytest.mark.parametrize("name", OBJECT_URLS)
def test_an_outsider_cannot_reach_an_object_through_their_own_consultation(client, world, name):
    """/gestion/<their slug>/temoignages/<a testimony of another consultation>/: 404."""
    client.force_login(world.users["outsider"])
    url = address(world, name, slug_of=world.other)
    before = state(world)

    for method in EXPECTATIONS[name].methods:
        response = request(client, method, url)
        assert response.status_code == 404, (method, response.status_code)
        no_private_data(response)
    assert state(world) == before


def test_a_superuser_may_open_every_consultation(client, world):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    for name in ("moderation:queue", "moderation:review", "backoffice:settings"):
        assert client.get(address(world, name)).status_code == 200
