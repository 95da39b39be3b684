"""What the back office permission matrix (tests/test_backoffice_permissions.py) leaves out for
the dashboard, import and export: every file format, the navigation, the import confirmation."""

import pytest
from django.urls import reverse

from retex.consultations.enums import MembershipRole
from tests.backoffice.downloads import close_download
from tests.factories import ConsultationFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

# The matrix tries each address with one extension; here, every one.
DOWNLOADS = [
    ("import_template", "csv"),
    ("import_template", "xlsx"),
    ("export_file", "csv"),
    ("export_file", "xlsx"),
    ("export_file", "json"),
]


@pytest.fixture(autouse=True)
def import_dir(settings, tmp_path):
    settings.RETEX_IMPORT_DIR = tmp_path / "imports"


@pytest.fixture
def world():
    consultation = ConsultationFactory()
    return {
        "consultation": consultation,
        "organiser": MembershipFactory(
            consultation=consultation, role=MembershipRole.ORGANISER
        ).user,
        "moderator": MembershipFactory(consultation=consultation).user,
        "superuser": UserFactory(is_superuser=True, is_staff=True),
    }


def address(world, name, *args) -> str:
    return reverse(f"backoffice:{name}", args=[world["consultation"].slug, *args])


def status_of(client, url) -> int:
    response = client.get(url)
    close_download(response)
    return response.status_code


@pytest.mark.parametrize("role", ["organiser", "superuser"])
@pytest.mark.parametrize(("name", "extension"), DOWNLOADS)
def test_organisers_download_every_format(client, world, name, extension, role):
    client.force_login(world[role])
    assert status_of(client, address(world, name, extension)) == 200


@pytest.mark.parametrize(("name", "extension"), DOWNLOADS)
def test_moderators_download_none(client, world, name, extension):
    client.force_login(world["moderator"])
    assert status_of(client, address(world, name, extension)) == 403


def test_an_unknown_format_is_not_found(client, world):
    client.force_login(world["organiser"])
    assert status_of(client, address(world, "export_file", "pdf")) == 404
    assert status_of(client, address(world, "import_template", "ods")) == 404


def test_the_import_confirmation_without_a_kept_file_goes_back_to_the_import(client, world):
    client.force_login(world["organiser"])
    url = address(world, "import_confirm")
    assert client.get(url).status_code == 405
    response = client.post(url, {"token": "x" * 32, "status": "submitted", "consent": "on"})
    assert response.status_code == 302
    assert response["Location"] == address(world, "import")


def test_the_navigation_shows_import_and_export_to_organisers_only(client, world):
    queue = reverse("moderation:queue", args=[world["consultation"].slug])
    client.force_login(world["organiser"])
    page = client.get(queue).text
    for name in ("dashboard", "import", "export"):
        assert address(world, name) in page
    client.force_login(world["moderator"])
    page = client.get(queue).text
    assert address(world, "dashboard") in page
    for name in ("import", "export"):
        assert address(world, name) not in page
