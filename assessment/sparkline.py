"""Pure: a small trend line of scores (0–100) as the points of an SVG polyline, drawn in the page
(no chart library, no script), so a list of projects can show each one's direction at a glance."""

from collections.abc import Sequence
from decimal import Decimal

WIDTH = 80
HEIGHT = 20
PAD = 2  # keeps the line's stroke inside the box at 0 and 100


def points(scores: Sequence[Decimal | float | None]) -> str:
    """ "x,y x,y …" for the scores oldest first, on the fixed 0–100 scale (so a flat line at the
    top means high, not merely steady); "" with fewer than two scores to join."""
    values = [float(s) for s in scores if s is not None]
    if len(values) < 2:
        return ""
    step = (WIDTH - 2 * PAD) / (len(values) - 1)
    span = HEIGHT - 2 * PAD
    return " ".join(
        f"{PAD + i * step:.1f},{PAD + span * (1 - min(max(v, 0.0), 100.0) / 100):.1f}"
        for i, v in enumerate(values)
    )
