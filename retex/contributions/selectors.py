"""Reads for the contribution pages."""

from retex.contributions.enums import TestimonyStatus, WithholdableField
from retex.contributions.models import Testimony, Tool


def tool_names_for_suggestions(*, limit: int = 300) -> list[str]:
    """Tool names the form suggests: only those shown by a published testimony, since a name
    that only a private testimony (or a withheld field) holds must stay private."""
    shown = (
        Testimony.tools.through.objects.filter(testimony__status=TestimonyStatus.PUBLISHED)
        .exclude(testimony__withheld_fields__icontains=WithholdableField.TOOLS.value)
        .values("tool_id")
    )
    return list(
        Tool.objects.filter(pk__in=shown).order_by("name").values_list("name", flat=True)[:limit]
    )
