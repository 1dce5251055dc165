"""The zipper map (domain.md §10): their organisation left, ours right, the ties between and the gaps."""

from kamdesk.ui.widgets.zipper_map.findings_panel import ZipperFindingsPanel
from kamdesk.ui.widgets.zipper_map.items import PersonCard, TextBlock
from kamdesk.ui.widgets.zipper_map.style import (
    BELOW_COLOUR,
    GAP_COLOUR,
    GOOD_COLOUR,
    NO_TARGET_COLOUR,
    OURS,
    THEIRS,
)
from kamdesk.ui.widgets.zipper_map.view import ZipperMapView

__all__ = [
    "BELOW_COLOUR",
    "GAP_COLOUR",
    "GOOD_COLOUR",
    "NO_TARGET_COLOUR",
    "OURS",
    "THEIRS",
    "PersonCard",
    "TextBlock",
    "ZipperFindingsPanel",
    "ZipperMapView",
]
