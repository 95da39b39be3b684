"""Importing testimonies from a file, for organisers: check (dry run), then import."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from retex.backoffice import services_import
from retex.backoffice.forms_import import ImportConfirmForm, ImportUploadForm
from retex.backoffice.services_import import (
    COLUMNS,
    ImportFileError,
    ImportRefused,
    ImportReport,
    import_check,
    table_read,
)
from retex.consultations.models import Subtopic, Theme
from retex.contributions.enums import TestimonyStatus
from retex.core import tabular
from retex.moderation.access import StaffContext, staff_view

# Rows shown as a preview when the whole file is right.
PREVIEW_ROWS = 20


def _report_page(
    request: HttpRequest,
    staff: StaffContext,
    report: ImportReport,
    confirm_form: ImportConfirmForm,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "backoffice/import_report.html",
        {
            "staff": staff,
            "report": report,
            "confirm_form": confirm_form.describe(),
            "upload_form": ImportUploadForm().describe(),
            "preview": report.rows[:PREVIEW_ROWS],
        },
        status=status,
    )


@staff_view(organise=True)
def import_start(request: HttpRequest, staff: StaffContext) -> HttpResponse:
    """Send a file: every row is checked and reported, nothing is written yet."""
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read(services_import.MAX_FILE_BYTES + 1)
        try:
            table = table_read(data, upload.name)
        except ImportFileError as error:
            form.add_error("file", error.message)
        else:
            token = services_import.upload_keep(
                consultation=staff.consultation, user=request.user, name=upload.name, data=data
            )
            report = import_check(
                consultation=staff.consultation, table=table, file_name=upload.name
            )
            return _report_page(request, staff, report, ImportConfirmForm(initial={"token": token}))
    return render(
        request,
        "backoffice/import.html",
        {"staff": staff, "form": form.describe(), "columns": COLUMNS},
        status=400 if form.errors else 200,
    )


@staff_view(organise=True)
@require_POST
def import_confirm(request: HttpRequest, staff: StaffContext) -> HttpResponse:
    """Import the checked file: all its testimonies in one transaction, or none."""
    form = ImportConfirmForm(request.POST)
    upload = services_import.upload_get(
        consultation=staff.consultation, user=request.user, token=request.POST.get("token", "")
    )
    if upload is None:
        messages.error(
            request,
            _(
                "The checked file is no longer kept (after %(hours)d hours, or once imported): "
                "send it again."
            )
            % {"hours": services_import.UPLOAD_HOURS},
        )
        return redirect("backoffice:import", staff.consultation.slug)
    if not form.is_valid():
        report = import_check(
            consultation=staff.consultation,
            table=table_read(upload.data, upload.name),
            file_name=upload.name,
        )
        return _report_page(request, staff, report, form, status=400)
    publish = form.cleaned_data["status"] == TestimonyStatus.PUBLISHED
    try:
        result = services_import.testimonies_import(
            consultation=staff.consultation,
            organiser=request.user,
            upload=upload,
            publish=publish,
            notify_authors=form.cleaned_data["notify_authors"],
        )
    except ImportRefused as refused:
        # The data changed since the check (a theme renamed…): the new report says what.
        return _report_page(request, staff, refused.report, form, status=400)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("backoffice:import", staff.consultation.slug)
    if publish:
        text = ngettext(
            "%(count)d testimony imported and published.",
            "%(count)d testimonies imported and published.",
            result.created,
        )
        target = reverse("backoffice:dashboard", args=[staff.consultation.slug])
    else:
        text = ngettext(
            "%(count)d testimony imported: it waits for moderation.",
            "%(count)d testimonies imported: they wait for moderation.",
            result.created,
        )
        target = reverse("moderation:queue", args=[staff.consultation.slug])
    messages.success(request, text % {"count": result.created})
    return redirect(target)


def _topics(staff: StaffContext) -> list[Theme]:
    themes = list(Theme.objects.filter(consultation=staff.consultation).order_by("position", "pk"))
    subtopics: dict[int, list[Subtopic]] = {}
    for subtopic in Subtopic.objects.filter(theme__in=themes).order_by("position", "pk"):
        subtopics.setdefault(subtopic.theme_id, []).append(subtopic)
    for theme in themes:
        theme.subtopic_list = subtopics.get(theme.pk, [])
    return themes


@staff_view(organise=True)
def import_help(request: HttpRequest, staff: StaffContext) -> HttpResponse:
    """Every column of the file: required or not, its format, an example; the themes."""
    return render(
        request,
        "backoffice/import_help.html",
        {
            "staff": staff,
            "columns": COLUMNS,
            "themes": _topics(staff),
            "max_rows": services_import.MAX_ROWS,
            "upload_hours": services_import.UPLOAD_HOURS,
        },
    )


@staff_view(organise=True)
def import_template(request: HttpRequest, staff: StaffContext, extension: str) -> HttpResponse:
    """The file to fill in: its first line names every column (no example row: it would be
    imported with the rest). The XLSX version describes the columns and lists the themes."""
    header = [column.name for column in COLUMNS]
    name = f"modele-import-{staff.consultation.slug}.{extension}"
    if extension == "csv":
        return tabular.attachment_response(
            tabular.csv_chunks([], header=header, delimiter=";"),
            filename=name,
            content_type=tabular.CSV_CONTENT_TYPE,
        )
    if extension != "xlsx":
        raise Http404
    yes, no = _("required"), _("optional")
    topics = [
        (theme.title, subtopic.title)
        for theme in _topics(staff)
        for subtopic in theme.subtopic_list or [Subtopic(title="")]
    ]
    sheets = [
        tabular.Sheet(
            "temoignages",
            header,
            [],
            widths=[max(14, len(column.name) + 2) for column in COLUMNS],
        ),
        tabular.Sheet(
            "colonnes",
            ["colonne", "titre", "obligatoire", "description", "exemple"],
            [
                [column.name, str(column.title), yes if column.required else no]
                + [str(column.description), column.example]
                for column in COLUMNS
            ],
            widths=[20, 30, 12, 90, 40],
        ),
        tabular.Sheet("themes", ["theme", "sous_theme"], topics, widths=[50, 50]),
    ]
    return tabular.attachment_response(
        tabular.xlsx_file(sheets), filename=name, content_type=tabular.XLSX_CONTENT_TYPE
    )
