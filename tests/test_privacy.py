"""No private data in any public output: pages, open-data files, API.

A consultation gets testimonies in every state. A unique marker is planted in every private
field: authors' names and e-mail addresses, link keys, moderators' reasons and accounts, the
audit log, the versions of a text, the text of testimonies that are not published, the fields
a moderator withheld, and what an anonymous testimony hides (its collectivity, département,
population, position). Then everything the public can read is fetched: the site, crawled from
/ and /en/ by following its links (so the pages added later are checked too); the open-data
files; the API, followed from its index through every page; and searches and filters aimed at
the hidden data. No marker may appear anywhere. Markers planted in published fields must
appear: they prove the crawl reached what it checks.
"""

import html
import io
import re
import uuid
import zipfile
from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import parse_qsl, urldefrag, urlencode, urljoin, urlsplit

import pytest
from django.core.cache import cache
from django.utils import translation

from retex.audit.services import audit_record
from retex.consultations.services import consultation_extend_deadline
from retex.contributions.enums import RevisionKind, TestimonyStatus, WithholdableField
from retex.contributions.models import Revision, Testimony
from retex.explore.search import search_index_update
from retex.moderation.services import (
    testimony_mark_duplicate,
    testimony_publish,
    testimony_reject,
    testimony_request_changes,
    testimony_unpublish,
)
from retex.territories.enums import TerritoryKind
from retex.territories.models import Territory
from tests.factories import (
    AttachmentFactory,
    ConsultationFactory,
    MembershipFactory,
    SubtopicFactory,
    TestimonyFactory,
    ThemeFactory,
    ToolFactory,
    UserFactory,
    territory,
)

pytestmark = pytest.mark.django_db

PRIVATE = "privmark"  # in every private marker
HIDDEN = "anonmark"  # in what an anonymous testimony hides (public in the territories reference)
PUBLIC = "pubmark"  # in published fields: must be found

# Never crawled: staff pages, the author's signed links, files (static, uploads), the demo
# outbox (off in production), the language switch.
EXCLUDED_PREFIXES = (
    "/gestion/",
    "/admin/",
    "/static/",
    "/media/",
    "/temoignages/confirmer/",
    "/temoignages/modifier/",
    "/boite-mail/",
    "/i18n/",
)
# The public reference of French collectivities lists every commune, the anonymous one's too.
TERRITORY_REFERENCE = ("/api/v1/territories/", "/territoires/")
AUTHOR_LINK_PATHS = ("/temoignages/confirmer/", "/temoignages/modifier/")
MAX_FETCHES = 5000
# A page of filters links to many combinations of them: a sample of each address is enough.
MAX_VARIANTS_PER_PATH = 30


def marker(prefix: str, label: str) -> str:
    return f"{prefix}{label}{uuid.uuid4().hex[:10]}"


@dataclass
class Planted:
    private: list[str] = field(default_factory=list)
    hidden: list[str] = field(default_factory=list)
    public: dict[str, str] = field(default_factory=dict)  # testimony label -> title marker
    probes: list[str] = field(default_factory=list)  # addresses aimed at the hidden data
    testimony_ids: list[int] = field(default_factory=list)

    def secret(self, label: str) -> str:
        value = marker(PRIVATE, label)
        self.private.append(value)
        return value

    def anonymous_secret(self, label: str) -> str:
        value = marker(HIDDEN, label)
        self.hidden.append(value)
        return value


def private_text(planted: Planted, label: str) -> dict:
    """Every free-text field of a testimony, each with its own marker."""
    return {
        "title": planted.secret(f"{label}title"),
        "initiative": planted.secret(f"{label}initiative"),
        "difficulties": planted.secret(f"{label}difficulties"),
        "lessons": planted.secret(f"{label}lessons"),
        "partners": planted.secret(f"{label}partners"),
        "cost_and_team": planted.secret(f"{label}cost"),
    }


def author(planted: Planted, label: str) -> dict:
    key = planted.secret(f"{label}key")[:32]
    return {
        "author_name": planted.secret(f"{label}author"),
        "author_email": f"{planted.secret(f'{label}email')}@example.org",
        "link_key": key,
    }


@pytest.fixture
def planted(settings) -> Planted:
    settings.RETEX_OUTBOX_PAGE = False  # as in production: e-mails are sent, not shown
    settings.RETEX_API_RATE = "100000/minute"  # the crawl is one client
    settings.RETEX_EXPORTS_PER_IP_PER_HOUR = 100000
    cache.clear()
    planted = Planted()

    moderator = UserFactory(
        username=planted.secret("username"),
        first_name=planted.secret("firstname"),
        last_name=planted.secret("lastname"),
        email=f"{planted.secret('moderatoremail')}@example.org",
    )
    consultation = ConsultationFactory(slug="vie-privee", title="Vie privée des témoins")
    MembershipFactory(consultation=consultation, user=moderator)
    consultation_extend_deadline(
        consultation=consultation,
        new_closes_at=consultation.closes_at + timedelta(days=30),
        reason="Un report public.",
        acting_user=moderator,
    )
    theme = ThemeFactory(consultation=consultation, title="Organisation")
    subtopic = SubtopicFactory(theme=theme, title="Télétravail")

    # What an anonymous testimony hides: its commune, département and intercommunality are
    # planted too (with a real région, which is shown).
    hauts_de_france = territory("32", TerritoryKind.REGION)

    def hidden_place(kind: str, label: str, **fields) -> Territory:
        code = fields.pop("code", None) or f"an{uuid.uuid4().hex[:7]}"
        if code.startswith("an"):
            planted.hidden.append(code)
        name = planted.anonymous_secret(label)
        return Territory.objects.create(
            kind=kind, code=code, name=name, search_name=name, region=hauts_de_france, **fields
        )

    # A free département code (the filter only takes well-formed codes): not searched as text,
    # three digits are everywhere; the filter probes below check it.
    free_code = next(
        str(number)
        for number in range(989, 900, -1)
        if not Territory.objects.filter(kind=TerritoryKind.DEPARTEMENT, code=str(number)).exists()
    )
    departement = hidden_place(TerritoryKind.DEPARTEMENT, "departement", code=free_code)
    epci = hidden_place(TerritoryKind.EPCI, "epci", departement=departement, population=31_415)
    hidden_commune = hidden_place(
        TerritoryKind.COMMUNE,
        "commune",
        departement=departement,
        epci=epci,
        population=31_415,
        latitude=49.123457,
        longitude=2.987653,
    )
    planted.hidden += ["31415", "31 415", "31\u00a0415", "31\u202f415", "31,415"]
    planted.hidden += ["49.123457", "2.987653", "49.1235", "2.9877"]

    def submitted(label: str, **fields) -> Testimony:
        testimony = TestimonyFactory(
            consultation=consultation,
            status=TestimonyStatus.SUBMITTED,
            themes=[theme],
            **{**author(planted, label), **fields},
        )
        Revision.objects.create(
            testimony=testimony,
            number=1,
            kind=RevisionKind.SUBMISSION,
            content={"title": planted.secret(f"{label}revision")},
            editor_name=planted.secret(f"{label}editor"),
        )
        planted.testimony_ids.append(testimony.pk)
        return testimony

    def public_title(label: str) -> str:
        planted.public[label] = marker(PUBLIC, label)
        return planted.public[label]

    # Published, named: private author, an earlier decision's reason, an edit waiting.
    named = submitted(
        "named", title=public_title("named"), initiative=f"{PUBLIC} Une initiative publiée."
    )
    named.subtopics.set([subtopic])
    named.tools.set([ToolFactory(name="Nextcloud")])
    testimony_publish(testimony=named, moderator=moderator)
    waiting = Revision.objects.create(
        testimony=named,
        number=2,
        kind=RevisionKind.AUTHOR_EDIT,
        content={"title": planted.secret("pendingtitle"), "lessons": planted.secret("pending")},
        editor_name=planted.secret("pendingeditor"),
    )
    Testimony.objects.filter(pk=named.pk).update(pending_revision=waiting)
    waiting_file = AttachmentFactory(
        testimony=named, awaiting_moderation=True, original_name=planted.secret("waitingfile")
    )
    planted.private.append(waiting_file.file.name.rsplit("/", 1)[-1].split(".")[0])

    # Published anonymously, as the author asked, and anonymised later with consent.
    submitted(
        "anonymous",
        title=public_title("anonymous"),
        territory=hidden_commune,
        anonymous=True,
    )
    testimony_publish(
        testimony=Testimony.objects.get(pk=planted.testimony_ids[-1]), moderator=moderator
    )
    later = submitted("anonymised", title=public_title("anonymised"), territory=hidden_commune)
    testimony_publish(
        testimony=later,
        moderator=moderator,
        anonymous=True,
        anonymous_consent=planted.secret("consent"),
    )

    # Published with every withholdable field kept private.
    withheld = submitted(
        "withheld",
        title=public_title("withheld"),
        difficulties=planted.secret("withhelddifficulties"),
        lessons=planted.secret("withheldlessons"),
        partners=planted.secret("withheldpartners"),
        cost_and_team=planted.secret("withheldcost"),
        started_on=date(1903, 7, 19),
        ended_on=date(1903, 8, 2),
        links=[f"https://{planted.secret('withheldlink')}.example/"],
        territory=territory("62041"),
    )
    planted.private += ["1903-07-19", "juillet 1903", "july 1903", "1903-08-02", "août 1903"]
    private_tool = ToolFactory(name=planted.secret("withheldtool"))
    planted.private.append(private_tool.slug)
    withheld.tools.set([private_tool])
    withheld_file = AttachmentFactory(
        testimony=withheld, original_name=planted.secret("withheldfile")
    )
    planted.private.append(withheld_file.file.name.rsplit("/", 1)[-1].split(".")[0])
    testimony_publish(
        testimony=withheld, moderator=moderator, withheld_fields=WithholdableField.values
    )

    # Every state that is not published, with all its text private.
    submitted("waiting", **private_text(planted, "waiting"))
    asked = submitted("changes", **private_text(planted, "changes"))
    testimony_request_changes(
        testimony=asked, moderator=moderator, reason=planted.secret("changesreason")
    )
    refused = submitted("rejected", **private_text(planted, "rejected"))
    refused.tools.set([ToolFactory(name=planted.secret("rejectedtool"))])
    testimony_reject(testimony=refused, moderator=moderator, reason=planted.secret("rejectreason"))
    copy = submitted("duplicate", **private_text(planted, "duplicate"))
    testimony_mark_duplicate(testimony=copy, moderator=moderator, duplicate_of=named)
    removed = submitted("unpublished", **private_text(planted, "unpublished"))
    testimony_publish(testimony=removed, moderator=moderator)
    testimony_unpublish(
        testimony=removed, moderator=moderator, reason=planted.secret("unpublishreason")
    )
    for status in (
        TestimonyStatus.PENDING_VERIFICATION,
        TestimonyStatus.EXPIRED,
        TestimonyStatus.WITHDRAWN,
    ):
        testimony = submitted(status, **private_text(planted, status.replace("_", "")))
        Testimony.objects.filter(pk=testimony.pk).update(status=status)

    audit_record(
        action="privacy.test",
        target=named,
        actor_label=planted.secret("auditactor"),
        consultation_id=consultation.pk,
        details={"note": planted.secret("auditnote")},
    )
    search_index_update(testimony_ids=planted.testimony_ids)

    # Addresses aimed at the hidden data: searches for private words, filters on what an
    # anonymous testimony hides, the pages of testimonies that are not published.
    list_paths = (
        f"/consultations/{consultation.slug}/temoignages/",
        f"/api/v1/consultations/{consultation.slug}/testimonies/",
        f"/donnees/{consultation.slug}/temoignages.csv",
        f"/donnees/{consultation.slug}/temoignages.json",
    )
    searched = [value for value in planted.private if value.startswith(PRIVATE)]
    searched += [hidden_commune.name, departement.name, epci.name]
    for path in list_paths:
        planted.probes += [f"{path}?{urlencode({'q': word})}" for word in searched]
        planted.probes += [
            f"{path}?departement={departement.code}",
            f"{path}?territory={hidden_commune.pk}",
            f"{path}?tool={private_tool.slug}",
            f"{path}?page_size=1",
        ]
    for pk in planted.testimony_ids:
        planted.probes += [f"/temoignages/{pk}/", f"/en/temoignages/{pk}/"]
        planted.probes += [f"/api/v1/testimonies/{pk}/"]
    return planted


# --- Fetching everything public ----------------------------------------------------------------


@dataclass
class Fetched:
    url: str
    status: int
    kind: str  # html, json, csv, xlsx, other
    text: str


def _kind(content_type: str) -> str:
    if "html" in content_type:
        return "html"
    if "json" in content_type:
        return "json"
    if "csv" in content_type:
        return "csv"
    if "spreadsheetml" in content_type:
        return "xlsx"
    return "other"


def _xlsx_text(content: bytes) -> str:
    """Every XML part of the workbook: what any spreadsheet reads."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return "\n".join(
            archive.read(name).decode() for name in archive.namelist() if name.endswith(".xml")
        )


def fetch(client, url: str) -> Fetched:
    response = client.get(url)
    # The test client closes the response (a file's too) once its content is read.
    body = b"".join(response.streaming_content) if response.streaming else response.content
    kind = _kind(response.get("Content-Type", ""))
    text = _xlsx_text(body) if kind == "xlsx" else body.decode("utf-8", errors="replace")
    headers = "\n".join(f"{name}: {value}" for name, value in response.items())
    return Fetched(url=url, status=response.status_code, kind=kind, text=f"{headers}\n{text}")


_ATTRIBUTE = re.compile(r"""(?:href|src|action)\s*=\s*["']([^"']+)["']""")
_ABSOLUTE = re.compile(r"https?://testserver(/[^\s\"'<>|,\\()]*)")


def links(fetched: Fetched) -> list[str]:
    found = [html.unescape(link) for link in _ATTRIBUTE.findall(fetched.text)]
    found += _ABSOLUTE.findall(fetched.text)
    location = re.search(r"^Location: (\S+)", fetched.text, re.MULTILINE)
    if location:
        found.append(location.group(1))
    return found


def _excluded(path: str) -> bool:
    path = path.removeprefix("/en")
    return path.startswith(EXCLUDED_PREFIXES)


def crawl(client, starts: list[str]) -> list[Fetched]:
    """Fetch the start addresses and every same-site address they lead to (GET only)."""
    queue = deque(starts)
    seen: set[str] = set()
    variants: Counter[str] = Counter()
    fetched = []
    while queue:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        assert len(fetched) < MAX_FETCHES, "the crawl does not end: raise MAX_FETCHES?"
        page = fetch(client, url)
        fetched.append(page)
        if page.kind not in ("html", "json", "csv"):
            continue
        for link in links(page):
            absolute, _fragment = urldefrag(urljoin(f"http://testserver{url}", link))
            parts = urlsplit(absolute)
            if parts.scheme not in ("http", "https") or parts.netloc != "testserver":
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target in seen or _excluded(parts.path):
                continue
            if parts.query:
                if variants[parts.path] >= MAX_VARIANTS_PER_PATH:
                    continue
                variants[parts.path] += 1
            queue.append(target)
    return fetched


def everything_public(client, planted: Planted) -> list[Fetched]:
    starts = ["/", "/en/", "/api/v1/", "/donnees-ouvertes/", "/en/donnees-ouvertes/"]
    with translation.override("fr"):
        return crawl(client, starts + planted.probes)


def names_a_place(url: str) -> bool:
    """Pages that may name the hidden collectivity because the request named it: the public
    reference of territories, and lists filtered on a territory or a département (they show
    the filter's name; the second test checks that the anonymous testimony is not listed)."""
    parts = urlsplit(url)
    asked = {name for name, _value in parse_qsl(parts.query)}
    return parts.path.startswith(TERRITORY_REFERENCE) or bool(asked & {"territory", "departement"})


def without_own_query(page: Fetched) -> str:
    """The text without the words the request itself asked for: a search box shows what was
    searched, a next page link repeats it. That is no leak; what else comes back may be."""
    text = page.text
    for _name, value in parse_qsl(urlsplit(page.url).query):
        if len(value) > 3:
            text = text.replace(value, "")
    return text


# --- The test ------------------------------------------------------------------------------------


def test_no_private_data_in_any_page_file_or_api_answer(client, planted):
    outputs = everything_public(client, planted)

    failures = [f"{page.url}: HTTP {page.status}" for page in outputs if page.status >= 500]
    for page in outputs:
        lowered = without_own_query(page).lower()
        if PRIVATE in lowered:
            found = sorted({m for m in planted.private if m.lower() in lowered} or {PRIVATE})
            failures.append(f"{page.url}: {found}")
        for value in planted.private:
            if not value.startswith(PRIVATE) and value.lower() in lowered:
                failures.append(f"{page.url}: {value!r}")
        if any(path in page.text for path in AUTHOR_LINK_PATHS):
            failures.append(f"{page.url}: an author's link")
        if not names_a_place(page.url):
            hidden = [value for value in planted.hidden if value.lower() in lowered]
            if hidden:
                failures.append(f"{page.url}: what an anonymous testimony hides: {hidden}")
    assert not failures, "\n".join(failures)

    # The crawl reached the published testimonies in every kind of output.
    for label, title in planted.public.items():
        kinds = {page.kind for page in outputs if title in page.text and page.status == 200}
        assert kinds >= {"html", "json", "csv", "xlsx"}, (label, kinds)
        pages = {page.url for page in outputs if title in page.text and page.kind == "html"}
        assert any(re.fullmatch(r"/temoignages/\d+/", url) for url in pages), (label, pages)
        assert any(re.fullmatch(r"/en/temoignages/\d+/", url) for url in pages), (label, pages)
    urls = {page.url for page in outputs}
    assert "/donnees/vie-privee/temoignages.xlsx" in urls
    assert "/api/v1/schema/" in urls
    assert any(url.startswith("/api/v1/consultations/vie-privee/testimonies/?") for url in urls)
    assert len(outputs) > 100


def test_filters_and_searches_do_not_reveal_what_is_hidden(client, planted):
    """A testimony must not answer a search for its withheld text, nor an anonymous one a
    search for its collectivity or a filter on what it hides: its presence alone would tell."""
    hidden_by = [planted.public[label] for label in ("anonymous", "anonymised", "withheld")]
    with translation.override("fr"):
        answers = [fetch(client, url) for url in planted.probes if "?q=" in url or "?t" in url]
        answers += [fetch(client, url) for url in planted.probes if "?departement=" in url]
    assert len(answers) > 100
    leaks = [
        f"{page.url}: {[title for title in hidden_by if title in page.text]}"
        for page in answers
        if any(title in page.text for title in hidden_by)
    ]
    assert not leaks, "\n".join(leaks)
