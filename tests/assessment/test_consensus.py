"""Consensus and progress: pure functions, table-driven."""

from decimal import Decimal

import pytest

from assessment.consensus import Consensus, Response, Settled, consensus_of, progress_of

SCALE = [Decimal(v) for v in "01234"]


def responses(*answers):
    return [
        Response(f"r{i}", None if a in ("na", None) else Decimal(a), a == "na")
        for i, a in enumerate(answers)
    ]


@pytest.mark.parametrize(
    ("answers", "value", "not_applicable", "discuss"),
    [
        ((), None, False, False),
        (("3",), Decimal(3), False, False),
        (("1", "2", "4"), Decimal(2), False, True),  # median; 1 and 4 are three steps apart
        (("1", "3"), Decimal(1), False, True),  # even count: the lower middle level
        (("2", "3"), Decimal(2), False, False),
        (("na", "na", "2"), None, True, False),  # most say N/A
        (("na", "2"), Decimal(2), False, False),  # half is not most
        (("na", "0", "4"), Decimal(0), False, True),
        ((None, "3"), Decimal(3), False, False),  # an empty answer is not a response
    ],
)
def test_consensus_is_the_median_and_flags_wide_disagreement(
    answers, value, not_applicable, discuss
):
    result = consensus_of(responses(*answers), SCALE)

    assert (result.value, result.not_applicable, result.discuss) == (value, not_applicable, discuss)


def test_a_settled_level_overrides_the_median_and_clears_the_flag():
    result = consensus_of(responses("0", "4"), SCALE, Settled(Decimal(2)))

    assert result == Consensus(Decimal(2), False, discuss=False, settled=True, respondents=2)


def test_discussion_is_measured_in_steps_of_the_scale():
    scale = [Decimal("0"), Decimal("0.5"), Decimal("1")]

    assert consensus_of(responses("0", "1"), scale).discuss
    assert not consensus_of(responses("0", "0.5"), scale).discuss


def test_progress_counts_answered_over_in_scope():
    progress = progress_of(
        [
            consensus_of(responses("3"), SCALE),
            consensus_of(responses("na"), SCALE),
            consensus_of(responses(), SCALE),
            consensus_of(responses("0", "4"), SCALE),
        ]
    )

    assert (progress.total, progress.in_scope, progress.answered) == (4, 3, 2)
    assert (progress.unanswered, progress.discuss, progress.percent) == (1, 1, 67)
    assert not progress.is_complete
