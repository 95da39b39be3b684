"""What the journey tests share: a consultation like the seeds', what a person types, and ways
to read a page as that person does."""

import html
import io
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from retex.contributions.attachments import new_upload_batch
from tests.factories import ConsultationFactory, SubtopicFactory, ThemeFactory, territory

TYPED = {
    "author_name": "Camille Martin",
    "author_role": "agent",
    "author_email": "camille.martin@beauvais.example",
    "title": "Le marché des Halles en commande en ligne",
    "initiative": "Commandes en ligne chez les producteurs,\nretrait le samedi place des Halles.",
    "difficulties": "Former quarante producteurs en une semaine.",
    "lessons": "Associer les commerçants dès le premier jour.",
    "tools": "Plateforme de click and collect, Facebook",
    "partners": "Chambre d'agriculture de l'Oise",
    "cost_and_team": "3 agents pendant deux semaines",
    "started_on": "2020-03-23",
    "ended_on": "2020-05-11",
    "links": "https://www.beauvais.fr/marche\nhttps://www.oise.fr/",
}


def consultation_with_themes():
    consultation = ConsultationFactory(
        slug="gestion-de-crise",
        title="Gestion de crise avec le numérique",
        contact_email="retex@villes.example",
    )
    economy = ThemeFactory(consultation=consultation, title="Soutien à l'économie locale")
    SubtopicFactory(theme=economy, title="Circuits courts")
    SubtopicFactory(theme=economy, title="Livraison à domicile")
    cohesion = ThemeFactory(consultation=consultation, title="Cohésion sociale")
    SubtopicFactory(theme=cohesion, title="Inclusion numérique")
    return consultation


def form_url(consultation) -> str:
    return reverse("contributions:create", kwargs={"slug": consultation.slug})


def posted(consultation, **overrides) -> dict:
    """Everything a person fills in, as the browser sends it."""
    economy = consultation.themes.filter(title="Soutien à l'économie locale").first()
    cohesion = consultation.themes.filter(title="Cohésion sociale").first()
    data = {
        **TYPED,
        "territory": str(territory("60057").pk),
        "territory_query": "Beauvais (Oise)",
        "subtopics": [str(economy.subtopics.get(title="Circuits courts").pk)] if economy else [],
        "themes": [str(cohesion.pk)] if cohesion else [],
        "anonymous": "on",
        "publication_consent": "on",
        "upload_batch": new_upload_batch(),
        "_submit": "1",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def page_text(response) -> str:
    """The page as a person reads it: tags dropped, entities decoded, spaces collapsed."""
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def source(response) -> str:
    return html.unescape(response.content.decode())


def textarea(page: str, name: str) -> str:
    """What a text area shows (browsers drop the line break that follows the opening tag)."""
    match = re.search(rf'<textarea[^>]*name="{name}"[^>]*>\n?(.*?)</textarea>', page, re.S)
    return match.group(1).replace("\r\n", "\n") if match else ""


def links_in(message) -> list[str]:
    return re.findall(r"https?://\S+", message.body)


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def jpeg_bytes(size=(64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, format="JPEG")
    return buffer.getvalue()


PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def upload(name: str, content: bytes, content_type: str):
    return SimpleUploadedFile(name, content, content_type=content_type)


def submit(client, consultation, callbacks, **overrides):
    with callbacks(execute=True):
        return client.post(form_url(consultation), posted(consultation, **overrides))
