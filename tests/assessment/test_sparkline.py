from decimal import Decimal

import pytest

from assessment import sparkline


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ([], ""),
        ([Decimal(50)], ""),  # one score is no trend
        ([Decimal(0), Decimal(100)], "2.0,18.0 78.0,2.0"),
        ([None, 0, 50, 100], "2.0,18.0 40.0,10.0 78.0,2.0"),  # a missing score is skipped
        ([150, -5], "2.0,2.0 78.0,18.0"),  # outside 0–100 is drawn at its edge
    ],
)
def test_points_lie_on_the_fixed_0_to_100_scale(scores, expected):
    assert sparkline.points(scores) == expected
