"""Plain-language labels for the audit log: what each action code means, to whom it happened.

Services record short codes ("testimony.publish"); the audit pages and export show these
labels. A code without a label is shown as it is (tests/backoffice/test_audit_log.py lists the
codes used in the code base and fails when one is missing here).
"""

from datetime import datetime
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    # A testimony's life, by its author (through their link) or by the system.
    "testimony.submit": _("Testimony sent"),
    "testimony.confirm": _("Testimony confirmed by its author"),
    "testimony.edit": _("Testimony edited by its author"),
    "testimony.withdraw": _("Testimony withdrawn by its author"),
    "testimony.revoke_links": _("Author's links revoked"),
    "testimony.expire": _("Unconfirmed testimony expired"),
    # Moderation.
    "testimony.publish": _("Testimony published"),
    "testimony.reject": _("Testimony rejected"),
    "testimony.request_changes": _("Changes requested from the author"),
    "testimony.unpublish": _("Testimony unpublished"),
    "testimony.mark_duplicate": _("Testimony marked as a duplicate"),
    "testimony.accept_edit": _("Author's edit accepted"),
    "testimony.moderator_edit": _("Testimony corrected by a moderator"),
    # Running the consultation.
    "consultation.update": _("Consultation texts or schedule changed"),
    "consultation.audience_update": _("Audience changed"),
    "consultation.extend_deadline": _("Deadline extended"),
    "theme.create": _("Theme added"),
    "theme.update": _("Theme changed"),
    "theme.move": _("Theme moved"),
    "theme.delete": _("Theme removed"),
    "subtopic.create": _("Sub-topic added"),
    "subtopic.update": _("Sub-topic renamed"),
    "subtopic.move": _("Sub-topic moved"),
    "subtopic.delete": _("Sub-topic removed"),
    "membership.add": _("Team member added"),
    "membership.change_role": _("Team member's role changed"),
    "membership.remove": _("Team member removed"),
    "consultation.import": _("Testimonies imported from a file"),
    "testimony.import": _("Testimony imported from a file"),
    "consultation.export": _("Testimonies exported with private data"),
    # The site's own pages (legal notice, accessibility statement…).
    "site_page.update": _("Site page changed"),
    # Staff accounts (not tied to a consultation: visible in the administration).
    "account.login": _("Signed in"),
    "account.login_failed": _("Failed sign-in"),
    "account.login_throttled": _("Sign-in refused after too many failures"),
    "account.password_change": _("Password changed"),
    "account.password_reset_request": _("New password requested"),
    "account.password_set": _("Password chosen through an e-mailed link"),
    "account.totp_enable": _("Two-step verification turned on"),
    "account.totp_disable": _("Two-step verification turned off"),
    "account.recovery_codes_renew": _("New recovery codes made"),
}

TARGET_LABELS = {
    "contributions.testimony": _("Testimony"),
    "consultations.consultation": _("Consultation"),
    "consultations.theme": _("Theme"),
    "consultations.subtopic": _("Sub-topic"),
    "consultations.audiencerule": _("Audience"),
    "consultations.consultationmembership": _("Team member"),
    "pages.sitepage": _("Site page"),
    "auth.user": _("Account"),
}

DETAIL_LABELS = {
    "changes": _("Changes"),
    "reason": _("Reason"),
    "previous_closes_at": _("Previous deadline"),
    "new_closes_at": _("New deadline"),
    "email": _("E-mail"),
    "role": _("Role"),
    "title": _("Title"),
    "position": _("Position"),
    "new_account": _("New account"),
    "revision": _("Version"),
    "status": _("State"),
    "in_audience": _("In the audience"),
    "ip": _("IP address"),
    "username": _("Account name"),
    "second_factor": _("Two-step verification"),
    "recovery_code": _("Recovery code"),
}


def action_label(code: str) -> str:
    return str(ACTION_LABELS.get(code, code))


def target_label(target_type: str) -> str:
    return str(TARGET_LABELS.get(target_type, target_type))


def _field(target_type: str, name: str):
    """The changed field on the target's model, looked up by name (the log sits above the apps
    it describes and imports none of them)."""
    try:
        return apps.get_model(target_type)._meta.get_field(name)
    except (LookupError, ValueError, FieldDoesNotExist):
        return None


def _moment(text: str) -> str | None:
    """A date the services stored as ISO text ("2021-03-20T23:59+01:00"), as people write it."""
    if len(text) < 16 or text[10:11] != "T":
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return date_format(moment, "DATETIME_FORMAT")


def _text(value: Any, field=None) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, list):
        return ", ".join(_text(item, field) for item in value) or "—"
    if isinstance(value, str) and (moment := _moment(value)):
        return moment
    choices = dict(getattr(field, "flatchoices", None) or ())
    return str(choices.get(value, value))


def details_lines(target_type: str, details: dict[str, Any]) -> list[str]:
    """The details of an event as short lines a person reads: "Title: A → B"."""
    lines = []
    for key, value in details.items():
        if key == "changes" and isinstance(value, dict):
            for name, change in value.items():
                before, after = change if isinstance(change, list | tuple) else (None, change)
                field = _field(target_type, name)
                label = capfirst(field.verbose_name if field else DETAIL_LABELS.get(name, name))
                lines.append(
                    _("%(field)s: %(before)s → %(after)s")
                    % {
                        "field": label,
                        "before": _text(before, field),
                        "after": _text(after, field),
                    }
                )
            continue
        label = DETAIL_LABELS.get(key, key)
        value_text = _text(value, _field(target_type, key))
        lines.append(_("%(label)s: %(value)s") % {"label": label, "value": value_text})
    return lines
