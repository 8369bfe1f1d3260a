"""Maturity method v2 (issue #13): the level by gates, the mean beside it. Hand-computed cases,
plain data in, score card out; version 1 banks keep the banded mean."""

from dataclasses import replace
from decimal import Decimal as D

import pytest
from paydown import scoring
from paydown.scoring import BankInput, CategoryInput, QuestionInput

SCALE = [D(v) for v in "01234"]
CATEGORIES = [
    CategoryInput("data", "Data", D(1)),
    CategoryInput("ops", "Operations", D(1)),
]


def bank(*questions: QuestionInput, version: int = 2) -> BankInput:
    return BankInput(scoring.MATURITY, SCALE, CATEGORIES, list(questions), method_version=version)


def q(key, value, *, weight=1, critical=False, na=False, category="data") -> QuestionInput:
    level = None if value is None else D(value)
    return QuestionInput(key, category, D(weight), level, na, critical)


def no_monitoring(version: int) -> BankInput:
    """Issue #13, finding 1 (the 83.9 case, here with equal weights): every monitoring question
    at 0, every other at 4; 54 questions, 9 of them monitoring, one of those critical."""
    others = [q(f"d{i}", 4) for i in range(45)]
    monitoring = [q(f"m{i}", 0) for i in range(8)]
    critical = q("ops-prediction-monitoring", 0, critical=True)
    return bank(*others, *monitoring, critical, version=version)


def test_a_missing_critical_control_caps_the_level_that_the_mean_would_give():
    v1 = scoring.score(no_monitoring(version=1))
    v2 = scoring.score(no_monitoring(version=2))

    assert (v1.overall, v1.level, v1.level_name) == (D("83.3"), 4, "Optimized")  # the banded mean
    # 45 of 54 weights at 4 is 83 %: the share gate alone would allow 4; the critical question
    # at 0 stops level 2 (it would have to be at 1 or above).
    assert v2.overall == v1.overall  # the mean stays, beside the level
    assert (v2.level, v2.level_name) == (1, "Repeatable")
    gate = v2.gated.held_back_by
    assert (gate.level, gate.critical_below, gate.share_short) == (
        2,
        ("ops-prediction-monitoring",),
        False,
    )
    assert v2.gated.questions_at == {0: 9, 1: 0, 2: 0, 3: 0, 4: 45}


@pytest.mark.parametrize(
    ("questions", "level", "held_back_at", "share", "critical"),
    [
        # 8 of 10 at 4: exactly 80 % passes every gate.
        ([q(f"a{i}", 4) for i in range(8)] + [q("b", 0), q("c", 0)], 4, None, None, ()),
        # 7 of 10 at 4 and 3 at 0: 70 % at level 1 or above, below the 80 % gate.
        ([q(f"a{i}", 4) for i in range(7)] + [q(f"b{i}", 0) for i in range(3)], 0, 1, "0.7", ()),
        # Weights count, not questions: one question of weight 3 at 0 against 7 at 4.
        ([q(f"a{i}", 4) for i in range(7)] + [q("heavy", 0, weight=3)], 0, 1, "0.7", ()),
        # N/A leaves the applicable weight: 8 at 4 and 2 N/A is level 4.
        ([q(f"a{i}", 4) for i in range(8)] + [q(f"n{i}", None, na=True) for i in range(2)],
         4, None, None, ()),
        # Unanswered is below every gate: 7 at 4 and 3 unanswered is level 0.
        ([q(f"a{i}", 4) for i in range(7)] + [q(f"u{i}", None) for i in range(3)], 0, 1, "0.7", ()),
        # A critical question one level below the next level still allows it: at 2, level 3 holds.
        ([q(f"a{i}", 4) for i in range(9)] + [q("crit", 2, critical=True)], 3, 4, "0.9", ("crit",)),
        # An unanswered critical question stops level 1.
        ([q(f"a{i}", 4) for i in range(9)] + [q("crit", None, critical=True)], 0, 1, "0.9", ("crit",)),
        # A critical question that is N/A is no gate.
        ([q(f"a{i}", 4) for i in range(9)] + [q("crit", None, critical=True, na=True)],
         4, None, None, ()),
        # Levels hold only on top of the levels below: all at 2 is level 2, stopped at 3 (0 %).
        ([q(f"a{i}", 2) for i in range(5)], 2, 3, "0", ()),
        # A median between two levels counts at the lower: 2.5 is at 2, not at 3.
        ([q(f"a{i}", "2.5") for i in range(5)], 2, 3, "0", ()),
    ],
)  # fmt: skip
def test_gates(questions, level, held_back_at, share, critical):
    gated = scoring.score(bank(*questions)).gated

    assert gated.level == level
    gate = gated.held_back_by
    if held_back_at is None:
        assert gate is None
    else:
        assert (gate.level, gate.share, gate.critical_below) == (held_back_at, D(share), critical)


def test_the_share_gate_is_the_banks():
    questions = [q(f"a{i}", 4) for i in range(7)] + [q(f"b{i}", 0) for i in range(3)]

    lenient = replace(bank(*questions), gate_share=D("0.7"))

    assert scoring.score(lenient).gated.level == 4
    assert scoring.score(bank(*questions)).gated.level == 0


def test_every_question_not_applicable_has_no_level():
    card = scoring.score(bank(q("a", None, na=True), q("b", None, na=True, category="ops")))

    assert card.gated is None and card.level is None and card.overall is None


def test_version_1_keeps_the_banded_mean_whatever_the_critical_flags():
    questions = [q(f"a{i}", 4) for i in range(9)] + [q("crit", 0, critical=True)]

    card = scoring.score(bank(*questions, version=1))

    assert card.gated is None
    assert (card.overall, card.level, card.level_name) == (D("90.0"), 4, "Optimized")
