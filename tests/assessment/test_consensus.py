"""Consensus and progress: pure functions, table-driven."""

from decimal import Decimal

import pytest
from paydown.consensus import (
    Consensus,
    Count,
    Response,
    Settled,
    consensus_of,
    progress_of,
    tally,
)

SCALE = [Decimal(v) for v in "01234"]


def responses(*answers):
    """One response per answer: a level, "na", "?" (don't know) or None (not answered)."""
    return [
        Response(
            f"r{i}", None if a in ("na", "?", None) else Decimal(a), a == "na", dont_know=a == "?"
        )
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


@pytest.mark.parametrize(
    ("answers", "value", "not_applicable", "discuss", "dont_know"),
    [
        (("1", "3", "?"), Decimal(1), False, True, 1),  # the lower middle of 1 and 3; not of three
        (("?", "1", "3", "4"), Decimal(3), False, True, 1),  # as level 0 it would give 1
        (("2", "?", "?", "?"), Decimal(2), False, False, 3),  # one who knows is the team's answer
        (("?",), None, False, False, 1),
        (("?", "?", "?"), None, False, False, 3),  # nobody knows: unanswered
        (("?", None), None, False, False, 1),
        (("na", "2", "?"), Decimal(2), False, False, 1),  # half is not most: no N/A vote
        (("na", "na", "2", "?", "?"), None, True, False, 2),  # 2 of the 3 who answered: N/A
        (("na", "?", "?"), None, True, False, 2),
    ],
)
def test_dont_know_is_left_out_of_the_median_and_the_na_majority_and_counted(
    answers, value, not_applicable, discuss, dont_know
):
    result = consensus_of(responses(*answers), SCALE)

    assert (result.value, result.not_applicable, result.discuss) == (value, not_applicable, discuss)
    assert result.dont_know == dont_know
    assert result.respondents == sum(1 for a in answers if a not in ("?", None))


def test_a_question_everyone_says_they_dont_know_is_unanswered():
    result = consensus_of(responses("?", "?"), SCALE)

    assert not result.is_answered
    assert result == Consensus(None, dont_know=2)
    progress = progress_of([result, consensus_of(responses("2", "?"), SCALE)])
    assert (progress.answered, progress.unanswered, progress.is_complete) == (1, 1, False)


def test_a_settled_question_still_reports_its_dont_knows():
    result = consensus_of(responses("0", "4", "?"), SCALE, Settled(Decimal(2)))

    assert result == Consensus(
        Decimal(2), False, discuss=False, settled=True, respondents=2, dont_know=1
    )


def test_the_tally_counts_dont_know_after_the_levels_and_na():
    assert tally(responses("?", "3", "na", "1", "?", "3", None)) == [
        Count(Decimal(1), False, 1),
        Count(Decimal(3), False, 2),
        Count(None, True, 1),
        Count(None, False, 2, dont_know=True),
    ]
