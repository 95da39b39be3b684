"""Files joined to testimonies: checked, cleaned and stored before the testimony exists.

A testimony form may fail validation and be shown again, so each file is checked and stored
as soon as it is uploaded, in an *upload batch* (a random string the form carries). The
services attach the batch's files when the testimony is saved (`services._attach_uploads`).

Nothing here trusts a file's name or the browser's content type: the type comes from the
bytes. Images are decoded and re-encoded from their pixels alone, so no metadata (EXIF, GPS,
XMP, comments) reaches the storage; PDFs are kept as sent, once checked for active content.
"""

import bisect
import io
import logging
import re
import secrets
import unicodedata
import zlib
from dataclasses import dataclass
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageCms, ImageOps

from retex.contributions.enums import AttachmentKind
from retex.contributions.models import Attachment

logger = logging.getLogger(__name__)

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# Phones take 12 to 50 megapixels; beyond that decoding costs too much memory for a server.
MAX_IMAGE_PIXELS = 50_000_000
MAX_IMAGE_SIDE = 4000
# 480 px wide for cards; the height is capped so that a long screenshot stays small.
THUMBNAIL_BOX = (480, 960)
MAX_NAME_LENGTH = 200
# Decompressed PDF object streams scanned for active content, at most (a zip bomb stops here).
MAX_PDF_INFLATED_BYTES = 32 * 1024 * 1024

_UPLOAD_BATCH = re.compile(r"[A-Za-z0-9_-]{16,64}")


MAX_ATTACHMENTS = 5  # per testimony, and per upload batch


class AttachmentRefused(Exception):
    """A file that cannot be attached; `message` tells the user why and what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class _FileType:
    kind: AttachmentKind
    label: Promise  # with its article, to fit in a sentence: "a PDF document"
    content_type: str
    extension: str  # of the stored file
    accepted_extensions: frozenset[str]
    pillow_format: str = ""  # images only
    image_modes: tuple[str, ...] = ()  # modes the format stores, the first without alpha


JPEG = _FileType(
    kind=AttachmentKind.IMAGE,
    label=gettext_lazy("a JPEG image"),
    content_type="image/jpeg",
    extension="jpg",
    accepted_extensions=frozenset({"jpg", "jpeg"}),
    pillow_format="JPEG",
    image_modes=("RGB", "L"),
)
PNG = _FileType(
    kind=AttachmentKind.IMAGE,
    label=gettext_lazy("a PNG image"),
    content_type="image/png",
    extension="png",
    accepted_extensions=frozenset({"png"}),
    pillow_format="PNG",
    image_modes=("RGB", "L", "RGBA"),
)
WEBP = _FileType(
    kind=AttachmentKind.IMAGE,
    label=gettext_lazy("a WebP image"),
    content_type="image/webp",
    extension="webp",
    accepted_extensions=frozenset({"webp"}),
    pillow_format="WEBP",
    image_modes=("RGB", "RGBA"),
)
PDF = _FileType(
    kind=AttachmentKind.PDF,
    label=gettext_lazy("a PDF document"),
    content_type="application/pdf",
    extension="pdf",
    accepted_extensions=frozenset({"pdf"}),
)
_BY_EXTENSION = {ext: kind for kind in (JPEG, PNG, WEBP, PDF) for ext in kind.accepted_extensions}
_OFFICE_EXTENSIONS = frozenset(
    {"doc", "docx", "odt", "rtf", "xls", "xlsx", "ods", "ppt", "pptx", "odp"}
)
_HEIF_BRANDS = frozenset({b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1"})


@dataclass(frozen=True)
class _Cleaned:
    content: bytes
    width: int | None = None
    height: int | None = None
    thumbnail: bytes | None = None


# --- Public interface -------------------------------------------------------------------------


def new_upload_batch() -> str:
    return secrets.token_urlsafe(24)


def upload_batch_is_valid(value: str) -> bool:
    """Whether a batch sent back by a form looks like one of ours (it becomes part of a path)."""
    return bool(_UPLOAD_BATCH.fullmatch(value or ""))


def attachment_stage(*, upload_batch: str, uploaded_file: UploadedFile) -> Attachment:
    """Check an uploaded file, store a clean copy and record it in the batch.

    Raises AttachmentRefused with a message for the user; ValueError for a forged batch.
    """
    if not upload_batch_is_valid(upload_batch):
        raise ValueError("upload_batch must come from new_upload_batch().")
    name = _display_name(uploaded_file.name or "")
    # The size counted by the upload handler: a file too large is never read.
    if uploaded_file.size is not None and uploaded_file.size > MAX_ATTACHMENT_BYTES:
        raise _too_large(name)
    if uploaded_file.size == 0:
        raise _empty(name)
    # Five files at most can be attached: a batch never holds more (nor fills the disk).
    if attachments_staged(upload_batch=upload_batch).count() >= MAX_ATTACHMENTS:
        raise AttachmentRefused(
            _("At most %(count)d files per testimony: remove one before adding « %(name)s ».")
            % {"count": MAX_ATTACHMENTS, "name": name}
        )

    uploaded_file.seek(0)
    data = uploaded_file.read(MAX_ATTACHMENT_BYTES + 1)  # never trust .size alone
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise _too_large(name)
    if not data:
        raise _empty(name)

    file_type = _detect_type(data)
    if file_type is None:
        raise _unsupported(name, data)
    extension = _extension(name)
    declared = _BY_EXTENSION.get(extension)
    # An image saved under another image's extension (a WebP named .jpg, as browsers often
    # do) is harmless: it is re-encoded and stored under its real type. Anything else that
    # lies about its type is refused.
    same_family = (
        declared is not None
        and declared.kind == AttachmentKind.IMAGE
        and file_type.kind == AttachmentKind.IMAGE
    )
    if extension not in file_type.accepted_extensions and not same_family:
        raise _misnamed(name, extension, file_type)

    if file_type is PDF:
        _check_pdf(name, data)
        cleaned = _Cleaned(content=data)
    else:
        cleaned = _clean_image(name, data, file_type)
    return _store(upload_batch=upload_batch, name=name, file_type=file_type, cleaned=cleaned)


def attachments_staged(*, upload_batch: str) -> QuerySet[Attachment]:
    """The batch's files not attached to a testimony yet, in upload order."""
    return Attachment.objects.filter(upload_batch=upload_batch, testimony__isnull=True).order_by(
        "created_at", "pk"
    )


@transaction.atomic
def attachment_discard(*, attachment: Attachment) -> None:
    """Delete an attachment and its stored files.

    The files go once the deletion is committed: a rolled-back transaction keeps them.
    """
    storage = attachment.file.storage
    names = [stored.name for stored in (attachment.file, attachment.thumbnail) if stored]
    attachment.delete()
    transaction.on_commit(lambda: _delete_files(storage, names))


def attachments_purge_stale(*, older_than: timedelta) -> int:
    """Discard files uploaded with a form that was never sent; returns how many."""
    limit = timezone.now() - older_than
    stale = Attachment.objects.filter(testimony__isnull=True, created_at__lt=limit).order_by("pk")
    count = 0
    for attachment in stale.iterator():
        attachment_discard(attachment=attachment)
        count += 1
    return count


# --- Names and types --------------------------------------------------------------------------


def _display_name(raw: str) -> str:
    """The name as the user knows it, safe to show and store: no path, no control characters."""
    # Some browsers send a whole Windows path; macOS sends decomposed accents.
    name = unicodedata.normalize("NFC", raw.replace("\\", "/").rsplit("/", 1)[-1])
    name = "".join(char for char in name if unicodedata.category(char)[0] != "C")
    name = " ".join(name.split())
    if len(name) > MAX_NAME_LENGTH:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) <= 10:  # keep the type visible at the end
            name = f"{stem[: MAX_NAME_LENGTH - len(extension) - 2]}….{extension}"
        else:
            name = name[: MAX_NAME_LENGTH - 1] + "…"
    return name or _("unnamed file")


def _extension(name: str) -> str:
    _stem, dot, extension = name.rpartition(".")
    return extension.lower() if dot else ""


def _detect_type(data: bytes) -> _FileType | None:
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    if data.startswith(b"%PDF-"):
        return PDF
    return None


# --- Refusals ---------------------------------------------------------------------------------


def _too_large(name: str) -> AttachmentRefused:
    return AttachmentRefused(
        _(
            "« %(name)s » is too large: files may weigh at most %(limit)s. Reduce it "
            "(smaller photo, compressed PDF) and try again."
        )
        % {"name": name, "limit": filesizeformat(MAX_ATTACHMENT_BYTES)}
    )


def _empty(name: str) -> AttachmentRefused:
    return AttachmentRefused(
        _("« %(name)s » is empty. Check the file on your computer and choose it again.")
        % {"name": name}
    )


def _unsupported(name: str, data: bytes) -> AttachmentRefused:
    # iPhones save photos as HEIC by default: say how to get a JPEG instead.
    if data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS:
        message = _(
            "« %(name)s » is a HEIC photo, which cannot be attached: export it as JPEG "
            "(on an iPhone: Settings, Camera, Formats, Most Compatible) and try again."
        )
    elif _extension(name) in _OFFICE_EXTENSIONS:
        message = _(
            "« %(name)s » is an office document, which cannot be attached: save it as PDF "
            "and attach the PDF."
        )
    else:
        message = _(
            "« %(name)s » cannot be attached: only images (JPEG, PNG or WebP) and PDF "
            "documents are accepted."
        )
    return AttachmentRefused(message % {"name": name})


def _misnamed(name: str, extension: str, file_type: _FileType) -> AttachmentRefused:
    claimed = _BY_EXTENSION.get(extension)
    if claimed is None:
        message = _(
            "« %(name)s » is %(real)s, but its name does not end in .%(extension)s: "
            "rename it and try again."
        )
    else:
        message = _("« %(name)s » is %(real)s, not %(claimed)s: rename it .%(extension)s.")
    return AttachmentRefused(
        message
        % {
            "name": name,
            "real": str(file_type.label),
            "claimed": str(claimed.label) if claimed else "",
            "extension": file_type.extension,
        }
    )


def _too_many_pixels(name: str) -> AttachmentRefused:
    return AttachmentRefused(
        _(
            "« %(name)s » has too many pixels to be processed: reduce it to at most "
            "%(megapixels)d megapixels (for example 8000 × 6000) and try again."
        )
        % {"name": name, "megapixels": MAX_IMAGE_PIXELS // 1_000_000}
    )


def _damaged(name: str, file_type: _FileType) -> AttachmentRefused:
    return AttachmentRefused(
        _(
            "« %(name)s » is damaged or incomplete: it cannot be read as %(real)s. Open it on "
            "your computer, save it again, and try again."
        )
        % {"name": name, "real": str(file_type.label)}
    )


# --- PDF --------------------------------------------------------------------------------------

# A PDF name: a slash, then anything up to white space or a delimiter (PDF 32000, 7.3.5).
_PDF_NAME = re.compile(rb"/([^\x00\t\n\x0c\r ()<>\[\]{}/%]*)")
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_PDF_STREAM_START = re.compile(rb">>\s*stream\r?\n")
_PDF_ACTIVE = frozenset({b"JavaScript", b"JS", b"Launch"})
# Unlike "JS", these long names cannot appear by chance inside compressed binary data.
_PDF_ACTIVE_ANYWHERE = frozenset({b"JavaScript", b"Launch"})


def _check_pdf(name: str, data: bytes) -> None:
    if b"%%EOF" not in data[-2048:]:
        raise AttachmentRefused(
            _(
                "« %(name)s » is an incomplete PDF document (a download or a copy that stopped "
                "early?): get the whole file again and retry."
            )
            % {"name": name}
        )
    if _pdf_is_active(name, data):
        raise AttachmentRefused(
            _(
                "« %(name)s » contains scripts or commands that start programs. A testimony "
                "needs none: save it again as a plain PDF (for example with “Print to PDF”) "
                "and attach that one."
            )
            % {"name": name}
        )


def _pdf_is_active(name: str, data: bytes) -> bool:
    """Whether the PDF holds JavaScript or Launch actions, in plain or compressed objects.

    A byte scan, not a parser: it looks at every name outside stream data, then inside the
    compressed object streams where PDF 1.5+ files keep most of their dictionaries.
    """
    streams = _pdf_streams(data)
    starts = [start for start, _end in streams]
    for match in _PDF_NAME.finditer(data):
        token = _pdf_name(match.group(1))
        if token in _PDF_ACTIVE_ANYWHERE:
            return True
        if token in _PDF_ACTIVE:
            index = bisect.bisect_right(starts, match.start()) - 1
            if index < 0 or match.start() >= streams[index][1]:  # not inside stream data
                return True

    budget = MAX_PDF_INFLATED_BYTES
    for start, end in streams:
        header = data[max(0, start - 1024) : start]
        header = header[header.rfind(b"obj") + 1 :]  # this object's dictionary only
        if b"ObjStm" not in _pdf_name(header) or b"FlateDecode" not in _pdf_name(header):
            continue
        inflater = zlib.decompressobj()
        try:
            objects = inflater.decompress(data[start:end], budget)
        except zlib.error:
            continue  # damaged or encrypted: readers cannot use it either
        if inflater.unconsumed_tail:
            raise AttachmentRefused(
                _("« %(name)s » is too complex to be checked: save it again as a simpler PDF.")
                % {"name": name}
            )
        budget -= len(objects)
        if any(_pdf_name(m.group(1)) in _PDF_ACTIVE for m in _PDF_NAME.finditer(objects)):
            return True
    return False


def _pdf_name(raw: bytes) -> bytes:
    # "/J#61vaScript" is "/JavaScript" to a reader: compare decoded names.
    if b"#" not in raw:
        return raw
    return _PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), raw)


def _pdf_streams(data: bytes) -> list[tuple[int, int]]:
    """(start, end) of the data of each stream, in order."""
    spans = []
    position = 0
    while match := _PDF_STREAM_START.search(data, position):
        start = match.end()
        end = data.find(b"endstream", start)
        if end == -1:
            end = len(data)
        spans.append((start, end))
        position = end
    return spans


# --- Images -----------------------------------------------------------------------------------

_SAVE_OPTIONS: dict[str, dict] = {
    "JPEG": {"quality": 85, "optimize": True},
    "PNG": {},
    "WEBP": {"quality": 85},
}


def _clean_image(name: str, data: bytes, file_type: _FileType) -> _Cleaned:
    """Decode, straighten, shrink and re-encode from the pixels alone (no metadata)."""
    formats = [file_type.pillow_format]
    try:
        # Opening reads the header only: refuse huge images before decoding them.
        with Image.open(io.BytesIO(data), formats=formats) as probe:
            width, height = probe.size
            if width * height > MAX_IMAGE_PIXELS:
                raise _too_many_pixels(name)
            probe.verify()  # checksums and structure; the image must be opened again after
        with Image.open(io.BytesIO(data), formats=formats) as decoded:
            if decoded.format == "JPEG" and max(decoded.size) > MAX_IMAGE_SIDE:
                # Decode large photos at 1/2, 1/4 or 1/8 scale: less memory, same result.
                decoded.draft(None, _fit(decoded.size, MAX_IMAGE_SIDE))
            decoded.load()
            image = _upright(decoded)
            image = _to_srgb(image, decoded.info.get("icc_profile"))
            image = _with_modes(image, file_type.image_modes)
            image.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE), Image.Resampling.LANCZOS)
            # A new image holding only the pixels: EXIF, GPS, XMP, ICC and comments stay behind.
            clean = Image.frombytes(image.mode, image.size, image.tobytes())
        content = _encode(clean, file_type.pillow_format)
        thumbnail = clean.copy()
        thumbnail.thumbnail(THUMBNAIL_BOX, Image.Resampling.LANCZOS)
        thumbnail = _with_modes(thumbnail, WEBP.image_modes)
        thumbnail_content = _encode(thumbnail, "WEBP", quality=80)
    except AttachmentRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _too_many_pixels(name) from error
    except Exception as error:  # any decoder failure means the file is not a usable image
        raise _damaged(name, file_type) from error
    return _Cleaned(
        content=content, width=clean.width, height=clean.height, thumbnail=thumbnail_content
    )


def _fit(size: tuple[int, int], side: int) -> tuple[int, int]:
    scale = side / max(size)
    return max(1, int(size[0] * scale)), max(1, int(size[1] * scale))


def _upright(image: Image.Image) -> Image.Image:
    # Phones store photos sideways with an orientation tag; the tag is about to be dropped.
    try:
        return ImageOps.exif_transpose(image) or image
    except Exception:  # unreadable EXIF: keep the photo as stored rather than refuse it
        logger.info("EXIF orientation unreadable; image kept as stored", exc_info=True)
        return image


def _to_srgb(image: Image.Image, icc_profile: bytes | None) -> Image.Image:
    # The profile is dropped with the metadata: convert its colours first (wide-gamut photos).
    if not icc_profile or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        output_mode = "RGBA" if image.mode == "RGBA" else "RGB"
        # A profile per call: LittleCMS profiles are not meant to be shared between threads.
        srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
        return ImageCms.profileToProfile(image, source, srgb, outputMode=output_mode) or image
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image  # a broken profile: plain conversion is good enough


def _with_modes(image: Image.Image, modes: tuple[str, ...]) -> Image.Image:
    """The image in a mode the format stores, keeping transparency where it can."""
    has_alpha = image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or ("transparency" in image.info)
    if has_alpha:
        rgba = image.convert("RGBA")
        if "RGBA" in modes:
            return rgba
        # JPEG has no transparency: flatten on white, as the image would look on a page.
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    if image.mode in modes:
        return image
    if image.mode == "1" and "L" in modes:
        return image.convert("L")
    return image.convert(modes[0])


def _encode(image: Image.Image, pillow_format: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=pillow_format, **{**_SAVE_OPTIONS[pillow_format], **options})
    return buffer.getvalue()


# --- Storage ----------------------------------------------------------------------------------


def _store(*, upload_batch: str, name: str, file_type: _FileType, cleaned: _Cleaned) -> Attachment:
    attachment = Attachment(
        upload_batch=upload_batch,
        kind=file_type.kind,
        original_name=name,
        content_type=file_type.content_type,
        size=len(cleaned.content),
        width=cleaned.width,
        height=cleaned.height,
    )
    # Stored names are random (models.attachment_path): only the extension is passed on.
    attachment.file.save(f"file.{file_type.extension}", ContentFile(cleaned.content), save=False)
    try:
        if cleaned.thumbnail is not None:
            attachment.thumbnail.save("thumbnail.webp", ContentFile(cleaned.thumbnail), save=False)
        attachment.save()
    except Exception:
        names = [stored.name for stored in (attachment.file, attachment.thumbnail) if stored]
        _delete_files(attachment.file.storage, names)
        raise
    return attachment


def _delete_files(storage: Storage, names: list[str]) -> None:
    for name in names:
        try:
            storage.delete(name)
        except OSError:  # the row is gone already: a leftover file must not fail the request
            logger.warning("Could not delete stored attachment file %s", name, exc_info=True)
