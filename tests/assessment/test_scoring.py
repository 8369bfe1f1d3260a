"""Scoring on hand-computed cases: plain data in, score card out."""

from decimal import Decimal as D

import pytest
from paydown import scoring
from paydown.scoring import BankInput, CategoryInput, QuestionInput

SCALE = [D(v) for v in "01234"]
CATEGORIES = [CategoryInput("data", "Data", D(2)), CategoryInput("code", "Code", D(1))]


def maturity(*questions):
    return BankInput(scoring.MATURITY, SCALE, CATEGORIES, list(questions))


def q(key, category, weight, value, na=False):
    return QuestionInput(key, category, D(weight), None if value is None else D(value), na)


def test_weighted_means_per_category_and_overall():
    # data: (1×4/4 + 3×2/4) / (1+3) = 62.5; code: 0; overall: (2×62.5 + 1×0) / 3 = 41.7
    card = scoring.score(
        maturity(q("d1", "data", 1, 4), q("d2", "data", 3, 2), q("c1", "code", 1, 0))
    )

    assert [c.score for c in card.categories] == [D("62.5"), D("0.0")]
    assert card.overall == D("41.7")
    assert (card.level, card.level_name) == (2, "Defined")
    assert card.categories[0].level_name == "Managed"
    assert card.weakest.key == "code"
    assert (card.counted, card.total) == (3, 3)


def test_not_applicable_questions_leave_the_denominator():
    card = scoring.score(
        maturity(q("d1", "data", 1, 4), q("d2", "data", 3, None, na=True), q("c1", "code", 1, 2))
    )

    assert card.category("data").score == D("100.0")
    assert (card.counted, card.total) == (2, 3)
    assert card.overall == D("83.3")  # (2×100 + 1×50) / 3


def test_a_category_whose_questions_are_all_na_is_na_not_zero():
    card = scoring.score(maturity(q("d1", "data", 1, 3), q("c1", "code", 1, None, na=True)))

    assert card.category("code").score is None
    assert card.category("code").not_applicable
    assert card.overall == D("75.0")  # the N/A category is left out of the mean
    assert card.weakest.key == "data"


def test_unanswered_questions_count_as_the_lowest_level():
    card = scoring.score(
        maturity(q("d1", "data", 1, 4), q("d2", "data", 1, None), q("c1", "code", 1, 4))
    )

    assert card.category("data").score == D("50.0")
    assert card.unanswered == 1


@pytest.mark.parametrize(
    ("score", "level", "name"),
    [(D(0), 0, "Ad hoc"), (D("19.9"), 0, "Ad hoc"), (D(20), 1, "Repeatable"), (D("59.9"), 2, "Defined"),
     (D(60), 3, "Managed"), (D(80), 4, "Optimized"), (D(100), 4, "Optimized")],
)  # fmt: skip
def test_maturity_level_bands(score, level, name):
    assert scoring.maturity_level(score)[:2] == (level, name)


MTS_SCALE = [D(0), D("0.5"), D(1)]
SECTIONS = [CategoryInput(k, k, D(1)) for k in ("data", "model", "infra", "monitor")]


def ml_test_score(values: dict[str, list]):
    questions = [
        q(f"{section}-{i}", section, 1, value, na=value == "na")
        if value != "na"
        else q(f"{section}-{i}", section, 1, None, na=True)
        for section, section_values in values.items()
        for i, value in enumerate(section_values)
    ]
    return scoring.score(BankInput(scoring.ML_TEST_SCORE, MTS_SCALE, SECTIONS, questions))


def test_ml_test_score_is_the_minimum_over_sections():
    card = ml_test_score(
        {"data": [1, 1, "0.5"], "model": [1, "0.5"], "infra": [1, 1, 1], "monitor": [0, "0.5", 1]}
    )

    assert [c.points for c in card.categories] == [D("2.5"), D("1.5"), D(3), D("1.5")]
    assert card.overall == D("1.5")
    assert card.level_name == "First pass"
    assert card.weakest.key == "model"  # ties broken by key


@pytest.mark.parametrize(
    ("final", "band"),
    [(D(0), "Research project"), (D("0.5"), "Serious holes"), (D(1), "Serious holes"),
     (D("1.5"), "First pass"), (D(3), "Reasonably tested"), (D(5), "Strong"), (D(6), "Exceptional")],
)  # fmt: skip
def test_ml_test_score_bands(final, band):
    assert scoring.ml_test_score_band(final)[1] == band


def test_ml_test_score_na_tests_add_no_points_and_all_na_sections_are_left_out():
    card = ml_test_score(
        {"data": ["na", "na"], "model": [1, "na"], "infra": [1, 1], "monitor": [1]}
    )

    assert card.category("data").points is None
    assert card.category("model").points == D(1)
    assert card.overall == D(1)


def test_what_if_raises_only_the_named_questions():
    bank = maturity(q("d1", "data", 1, 0), q("c1", "code", 1, 0))

    raised = bank.with_values({"d1": D(4)})

    assert scoring.score(raised).category("data").score == D("100.0")
    assert scoring.score(raised).category("code").score == D("0.0")
    assert scoring.score(bank).category("data").score == D("0.0")


@pytest.mark.parametrize(
    ("points", "counted", "total", "adjusted"),
    [(D(3), 7, 7, D(3)), (D(3), 6, 7, D("3.5")), (D("2.5"), 5, 7, D("3.5")), (D(0), 3, 7, D(0)),
     (None, 0, 7, None), (D(1), 0, 7, None)],
)  # fmt: skip
def test_ml_test_score_adjusted_points_scale_a_section_to_its_tests(
    points, counted, total, adjusted
):
    assert scoring.adjusted_points(points, counted, total) == adjusted
