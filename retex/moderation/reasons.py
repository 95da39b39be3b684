"""Common reasons for refusing a testimony: each is a whole sentence its author reads."""

from django.utils.translation import gettext_lazy as _

OTHER = "other"

REJECT_REASONS: dict[str, str] = {
    "out_of_scope": _(
        "Your testimony does not describe an initiative of your collectivity on the subject of "
        "this call."
    ),
    "duplicate_content": _("Your testimony repeats one already sent by your collectivity."),
    "personal_data": _(
        "Your testimony names or describes people in a way that cannot be published."
    ),
    "not_local_authority": _(
        "This call is for local authorities: your testimony does not come from one of them."
    ),
    "advertising": _(
        "Your testimony promotes a product or a service: this call is not the place for it."
    ),
    "complaint": _(
        "Your message is a complaint about a local authority's service, not a testimony of "
        "what it did: please write to that local authority directly."
    ),
}


def reject_reason_choices() -> list[tuple[str, str]]:
    return [*REJECT_REASONS.items(), (OTHER, _("Another reason, written below"))]
