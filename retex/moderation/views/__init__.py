"""Back office pages for moderators: their consultations, the queue, the review page."""

from retex.moderation.views.home import staff_home
from retex.moderation.views.queue import bulk_publish, queue
from retex.moderation.views.review import (
    accept_edit,
    edit,
    mark_duplicate,
    publish,
    reject,
    request_changes,
    review,
    unpublish,
)

__all__ = [
    "accept_edit",
    "bulk_publish",
    "edit",
    "mark_duplicate",
    "publish",
    "queue",
    "reject",
    "request_changes",
    "review",
    "staff_home",
    "unpublish",
]
