"""Public pages, one module per page (several people work on them at once)."""

from retex.explore.views.map import testimony_map_page
from retex.explore.views.pages import consultation_detail, home
from retex.explore.views.testimony import testimony_detail
from retex.explore.views.testimony_list import testimony_list

__all__ = [
    "consultation_detail",
    "home",
    "testimony_detail",
    "testimony_list",
    "testimony_map_page",
]
