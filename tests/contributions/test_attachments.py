"""Files an agent joins to a testimony: what is accepted, what is refused and why, and what
is stored (clean images without metadata, PDFs as sent)."""

import io
import zlib
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from PIL import Image, ImageCms

from retex.contributions.attachments import (
    MAX_ATTACHMENT_BYTES,
    AttachmentRefused,
    attachment_discard,
    attachment_stage,
    attachments_purge_stale,
    attachments_staged,
    new_upload_batch,
)
from retex.contributions.enums import AttachmentKind
from retex.contributions.models import Attachment
from tests.factories import TestimonyFactory

pytestmark = pytest.mark.django_db

EXIF_ORIENTATION = 0x0112
EXIF_MAKE = 0x010F
GPS_IFD = 0x8825
RED = (220, 30, 30)
BLUE = (30, 30, 220)


# --- Building files ------------------------------------------------------------------------------


def image_bytes(image: Image.Image, image_format: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=image_format, **options)
    return buffer.getvalue()


def photo(size=(64, 48), color=RED, **options) -> bytes:
    return image_bytes(Image.new("RGB", size, color), "JPEG", **options)


def pdf(catalog_extra: bytes = b"", extra_objects: list[bytes] = ()) -> bytes:
    """A small well-formed PDF: one empty page, plus whatever a test adds."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        *extra_objects,
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def stream(dictionary: bytes, data: bytes) -> bytes:
    return b"<< %s /Length %d >>\nstream\n%s\nendstream" % (dictionary, len(data), data)


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def stage(name: str, content: bytes, batch: str | None = None) -> Attachment:
    return attachment_stage(
        upload_batch=batch or new_upload_batch(), uploaded_file=upload(name, content)
    )


def refusal(name: str, content: bytes) -> str:
    with pytest.raises(AttachmentRefused) as caught:
        stage(name, content)
    assert Attachment.objects.count() == 0
    return caught.value.message


def stored(field) -> bytes:
    with default_storage.open(field.name) as handle:
        return handle.read()


def stored_image(field) -> Image.Image:
    image = Image.open(io.BytesIO(stored(field)))
    image.load()
    return image


def close_to(pixel, color) -> bool:
    return all(abs(a - b) < 40 for a, b in zip(pixel[:3], color, strict=True))


# --- Images ------------------------------------------------------------------------------------


def test_photo_location_and_camera_details_are_not_kept():
    exif = Image.Exif()
    exif[EXIF_MAKE] = "TelephoneDeService"
    gps = exif.get_ifd(GPS_IFD)
    gps.update({1: "N", 2: (49.0, 25.0, 48.0), 3: "E", 4: (2.0, 4.0, 52.0)})
    original = photo(
        exif=exif,
        comment=b"Agent Dupont, mairie",
        xmp=b"<x:xmpmeta>Beauvais</x:xmpmeta>",
        icc_profile=ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes(),
    )
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)  # the test means it

    attachment = stage("crue.jpg", original)

    assert attachment.kind == AttachmentKind.IMAGE
    assert attachment.content_type == "image/jpeg"
    content = stored(attachment.file)
    assert content != original
    assert attachment.size == len(content)
    image = stored_image(attachment.file)
    assert image.format == "JPEG"
    assert len(image.getexif()) == 0
    assert not image.getexif().get_ifd(GPS_IFD)
    assert {"exif", "xmp", "comment", "icc_profile"}.isdisjoint(image.info)
    for trace in (b"Exif", b"TelephoneDeService", b"Dupont", b"xmpmeta", b"Beauvais"):
        assert trace not in content
        assert trace not in stored(attachment.thumbnail)


def test_photo_taken_sideways_is_stored_upright():
    # Stored 300 × 600, red above blue; orientation 6 says: turn it a quarter clockwise.
    sideways = Image.new("RGB", (300, 600), BLUE)
    sideways.paste(RED, (0, 0, 300, 300))
    exif = Image.Exif()
    exif[EXIF_ORIENTATION] = 6

    attachment = stage("façade.JPG", image_bytes(sideways, "JPEG", exif=exif))

    image = stored_image(attachment.file)
    assert image.size == (600, 300) == (attachment.width, attachment.height)
    assert close_to(image.getpixel((450, 150)), RED)  # the top went to the right
    assert close_to(image.getpixel((150, 150)), BLUE)
    assert stored_image(attachment.thumbnail).size == (480, 240)


def test_large_photo_is_reduced_to_4000_pixels():
    attachment = stage("panorama.jpeg", photo(size=(8000, 1000)))

    assert (attachment.width, attachment.height) == (4000, 500)
    assert stored_image(attachment.file).size == (4000, 500)


def test_transparent_png_keeps_its_transparency_and_gets_a_thumbnail():
    logo = Image.new("RGBA", (1200, 800), (0, 0, 0, 0))
    logo.paste((*BLUE, 255), (600, 0, 1200, 800))

    attachment = stage("logo.png", image_bytes(logo, "PNG"))

    assert attachment.content_type == "image/png"
    image = stored_image(attachment.file)
    assert (image.format, image.mode, image.size) == ("PNG", "RGBA", (1200, 800))
    assert image.getpixel((100, 100))[3] == 0
    assert image.getpixel((1100, 100)) == (*BLUE, 255)
    thumbnail = stored_image(attachment.thumbnail)
    assert (thumbnail.format, thumbnail.size, thumbnail.mode) == ("WEBP", (480, 320), "RGBA")
    assert thumbnail.getpixel((10, 10))[3] == 0


def test_palette_png_with_a_transparent_colour_stays_transparent():
    diagram = Image.new("P", (40, 20), 0)
    diagram.putpalette([255, 255, 255, *BLUE])
    diagram.paste(1, (20, 0, 40, 20))

    attachment = stage("schema.png", image_bytes(diagram, "PNG", transparency=0))

    image = stored_image(attachment.file)
    assert image.getpixel((5, 5))[3] == 0
    assert image.getpixel((30, 5)) == (*BLUE, 255)


def test_webp_is_accepted_with_a_thumbnail():
    attachment = stage("affiche.webp", image_bytes(Image.new("RGB", (900, 600), RED), "WEBP"))

    assert (attachment.kind, attachment.content_type) == (AttachmentKind.IMAGE, "image/webp")
    assert stored_image(attachment.file).format == "WEBP"
    assert (attachment.width, attachment.height) == (900, 600)
    assert stored_image(attachment.thumbnail).size == (480, 320)


def test_cmyk_photo_is_stored_in_colours_browsers_show():
    attachment = stage("plaquette.jpg", image_bytes(Image.new("CMYK", (40, 40)), "JPEG"))

    assert stored_image(attachment.file).mode == "RGB"


@pytest.mark.parametrize(
    "content",
    [photo(size=(400, 300))[:600], b"\xff\xd8\xff\xe0" + bytes(range(256)) * 8],
    ids=["truncated", "garbage"],
)
def test_damaged_jpeg_is_refused(content):
    message = refusal("photo.jpg", content)

    assert "« photo.jpg »" in message
    assert "JPEG" in message


def test_image_declaring_gigantic_dimensions_is_refused():
    # 400 megapixels of white: a few kilobytes on disk, 400 MB once decoded.
    bomb = image_bytes(Image.new("1", (20000, 20000), 1), "PNG")
    assert len(bomb) < 100_000

    assert "« blanc.png »" in refusal("blanc.png", bomb)


def test_image_over_50_megapixels_is_refused():
    large = image_bytes(Image.new("1", (8000, 7000), 1), "PNG")  # 56 megapixels

    message = refusal("plan.png", large)

    assert "« plan.png »" in message
    assert "50" in message


# --- PDF ---------------------------------------------------------------------------------------


def test_pdf_is_stored_as_sent():
    document = pdf()

    attachment = stage("Compte rendu.PDF", document)

    assert (attachment.kind, attachment.content_type) == (AttachmentKind.PDF, "application/pdf")
    assert stored(attachment.file) == document
    assert attachment.size == len(document)
    assert not attachment.thumbnail
    assert attachment.width is None


def test_scanned_pdf_whose_image_data_happens_to_hold_js_is_accepted():
    scan = stream(b"/Type /XObject /Subtype /Image /Filter /DCTDecode", b"\x00\x17/JS]\x80")

    assert stage("scan.pdf", pdf(extra_objects=[scan])).kind == AttachmentKind.PDF


@pytest.mark.parametrize(
    "catalog_extra",
    [
        b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>",
        b"/OpenAction << /S /Launch /F (cmd.exe) >>",
        b"/OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >>",
        b"/Names << /JS 4 0 R >>",
    ],
    ids=["javascript", "launch", "escaped-names", "js-name-tree"],
)
def test_pdf_with_scripts_or_launch_actions_is_refused(catalog_extra):
    message = refusal("tract.pdf", pdf(catalog_extra))

    assert "« tract.pdf »" in message


def test_pdf_hiding_a_script_in_a_compressed_object_stream_is_refused():
    hidden = zlib.compress(b"5 0 << /S /JavaScript /JS (app.alert(1)) >>")
    assert b"JavaScript" not in hidden
    object_stream = stream(b"/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode", hidden)

    message = refusal("note.pdf", pdf(b"/OpenAction 5 0 R", [object_stream]))

    assert "« note.pdf »" in message


def test_truncated_pdf_is_refused():
    document = pdf(extra_objects=[stream(b"", b"x" * 5000)])

    message = refusal("rapport.pdf", document[: len(document) // 2])

    assert "« rapport.pdf »" in message


# --- Types and names ---------------------------------------------------------------------------


def test_pdf_renamed_jpg_is_refused_saying_what_it_is():
    message = refusal("rapport.jpg", pdf())

    assert "« rapport.jpg »" in message
    assert "PDF" in message
    assert ".pdf" in message


def test_an_image_under_another_image_extension_is_stored_as_what_it_really_is():
    attachment = stage("carte.jpg", image_bytes(Image.new("RGB", (8, 8)), "PNG"))

    assert attachment.content_type == "image/png"
    assert attachment.file.name.endswith(".png")
    assert attachment.original_name == "carte.jpg"


def test_file_without_extension_is_refused_saying_what_it_is():
    message = refusal("scan", pdf())

    assert "« scan »" in message
    assert ".pdf" in message


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("notice.pdf", b"MZ\x90\x00\x03" + bytes(500)),
        ("notice.pdf", b"\x7fELF\x02\x01\x01" + bytes(500)),
        ("page.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
        ("archive.jpg", b"PK\x03\x04" + bytes(500)),
        ("animation.png", image_bytes(Image.new("RGB", (8, 8)), "GIF")),
    ],
    ids=["windows-executable", "linux-executable", "html", "zip", "gif"],
)
def test_other_kinds_of_file_are_refused_naming_the_accepted_types(name, content):
    message = refusal(name, content)

    assert f"« {name} »" in message
    for accepted in ("JPEG", "PNG", "WebP", "PDF"):
        assert accepted in message


def test_iphone_photo_refusal_says_to_export_as_jpeg():
    heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(200)

    message = refusal("IMG_0042.HEIC", heic)

    assert "« IMG_0042.HEIC »" in message
    assert "JPEG" in message


def test_office_document_refusal_says_to_save_as_pdf():
    message = refusal("bilan.docx", b"PK\x03\x04" + bytes(500))

    assert "« bilan.docx »" in message
    assert "PDF" in message


def test_name_is_kept_for_display_only():
    attachment = stage("C:\\Users\\agent\\Bureau\\Crue 2021\x00.pdf", pdf())

    assert attachment.original_name == "Crue 2021.pdf"
    assert attachment.file.name.startswith("attachments/")
    assert attachment.file.name.endswith(".pdf")
    assert "Crue" not in attachment.file.name


def test_long_name_is_shortened_keeping_its_extension():
    attachment = stage("compte-rendu " * 30 + ".pdf", pdf())

    assert len(attachment.original_name) <= 200
    assert attachment.original_name.startswith("compte-rendu compte-rendu")
    assert attachment.original_name.endswith(".pdf")


# --- Sizes -------------------------------------------------------------------------------------


class Unreadable:
    """Stands for an upload's data: any access fails the test."""

    def __getattr__(self, name):
        raise AssertionError(f"the file was accessed ({name}) although it is too large")


def test_file_over_10_mb_is_refused_before_being_read():
    too_large = upload("video.pdf", b"%PDF-" + bytes(MAX_ATTACHMENT_BYTES - 4))
    assert too_large.size == MAX_ATTACHMENT_BYTES + 1
    too_large.file = Unreadable()

    with pytest.raises(AttachmentRefused) as caught:
        attachment_stage(upload_batch=new_upload_batch(), uploaded_file=too_large)

    assert "« video.pdf »" in caught.value.message
    assert "10" in caught.value.message


def test_file_larger_than_its_announced_size_is_refused():
    liar = upload("video.pdf", b"%PDF-" + bytes(MAX_ATTACHMENT_BYTES))
    liar.size = 1000

    with pytest.raises(AttachmentRefused):
        attachment_stage(upload_batch=new_upload_batch(), uploaded_file=liar)


def test_file_of_exactly_10_mb_is_accepted():
    document = pdf()
    padding = MAX_ATTACHMENT_BYTES - len(document)
    # Padding in a comment line before the end keeps "%%EOF" within the last bytes.
    document = document.replace(b"trailer", b"%" + b"x" * (padding - 2) + b"\ntrailer")
    assert len(document) == MAX_ATTACHMENT_BYTES

    assert stage("gros.pdf", document).size == MAX_ATTACHMENT_BYTES


def test_empty_file_is_refused():
    assert "« vide.pdf »" in refusal("vide.pdf", b"")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_refusals_name_the_file_in_either_language(language):
    with translation.override(language):
        message = refusal("rapport final.jpg", pdf())

    assert isinstance(message, str)
    assert "« rapport final.jpg »" in message


# --- Upload batches ----------------------------------------------------------------------------


def test_a_batch_holds_at_most_five_files():
    batch = new_upload_batch()
    for number in range(5):
        stage(f"photo-{number}.jpg", photo(), batch)

    with pytest.raises(AttachmentRefused) as caught:
        stage("photo-5.jpg", photo(), batch)

    assert "« photo-5.jpg »" in caught.value.message
    assert "5" in caught.value.message
    assert attachments_staged(upload_batch=batch).count() == 5


def test_forged_batch_is_rejected():
    with pytest.raises(ValueError):
        stage("photo.jpg", photo(), "../../etc")


def test_staged_files_are_the_unattached_files_of_the_batch_in_upload_order():
    batch = new_upload_batch()
    first = stage("premier.pdf", pdf(), batch)
    second = stage("second.jpg", photo(), batch)
    attached = stage("joint.pdf", pdf(), batch)
    Attachment.objects.filter(pk=attached.pk).update(testimony=TestimonyFactory())
    stage("autre.pdf", pdf())  # another form's batch

    assert list(attachments_staged(upload_batch=batch)) == [first, second]


def test_discarded_attachment_leaves_no_file_behind(django_capture_on_commit_callbacks):
    attachment = stage("photo.jpg", photo())
    names = [attachment.file.name, attachment.thumbnail.name]
    assert all(default_storage.exists(name) for name in names)

    with django_capture_on_commit_callbacks(execute=True):
        attachment_discard(attachment=attachment)

    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert not any(default_storage.exists(name) for name in names)


def test_purge_removes_only_old_files_never_attached(django_capture_on_commit_callbacks):
    forgotten = stage("oublié.jpg", photo())
    recent = stage("en-cours.jpg", photo())
    attached = stage("joint.pdf", pdf())
    Attachment.objects.filter(pk=attached.pk).update(testimony=TestimonyFactory())
    two_days_ago = timezone.now() - timedelta(days=2)
    Attachment.objects.filter(pk__in=[forgotten.pk, attached.pk]).update(created_at=two_days_ago)

    with django_capture_on_commit_callbacks(execute=True):
        count = attachments_purge_stale(older_than=timedelta(days=1))

    assert count == 1
    assert set(Attachment.objects.values_list("pk", flat=True)) == {recent.pk, attached.pk}
    assert not default_storage.exists(forgotten.file.name)
    assert not default_storage.exists(forgotten.thumbnail.name)
    assert default_storage.exists(recent.file.name)
    assert default_storage.exists(attached.file.name)
