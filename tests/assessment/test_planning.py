"""Remediation plans: priority, prerequisites, ties, targets, interest and what-if arithmetic."""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal as D

import pytest
import yaml
from paydown import bankfile, planning, scoring
from paydown.planning import PlanQuestion, Step
from paydown.scoring import BankInput, CategoryInput, QuestionInput

SCALE = [D(v) for v in "01234"]


def steps(effort="M", impact=2):
    return {D(v): Step(D(v), f"Reach {v}", effort, impact) for v in "1234"}


def bank(*questions, categories=(("data", 1), ("ops", 1))):
    return BankInput(
        scoring.MATURITY,
        SCALE,
        [CategoryInput(k, k.title(), D(w)) for k, w in categories],
        [
            QuestionInput(k, c, D(w), None if v is None else D(v), na)
            for k, c, w, v, na in questions
        ],
    )


def test_priority_follows_the_documented_formula():
    scored = bank(("d1", "data", 3, 1, False))

    (action,) = planning.plan(scored, [PlanQuestion("d1", "data", "Q", steps=steps("M", 3))])

    # weight 3 × category 1 × impact 3 × gap (4−1)/4 × interest 1 ÷ effort M (2) = 3.375
    assert action.priority == D("3.38")
    assert (action.from_value, action.to_value) == (D(1), D(2))
    assert action.advice == "Reach 2"
    assert "priority 3.38" in action.why


def test_higher_priority_first_and_ties_keep_the_bank_order():
    scored = bank(("a", "data", 1, 2, False), ("b", "data", 1, 2, False), ("c", "ops", 3, 2, False))
    questions = [
        PlanQuestion(k, c, k, steps=steps())
        for k, c in [("a", "data"), ("b", "data"), ("c", "ops")]
    ]

    actions = planning.plan(scored, questions)

    assert [a.question_key for a in actions] == ["c", "a", "b"]
    assert [a.rank for a in actions] == [1, 2, 3]


def test_prerequisites_come_first_and_push_dependents_a_bucket_later():
    scored = bank(("versioning", "data", 1, 1, False), ("retraining", "ops", 3, 0, False))
    questions = [
        PlanQuestion("versioning", "data", "Version data", steps=steps("L", 1)),
        PlanQuestion(
            "retraining", "ops", "Automate retraining", ("versioning",), steps=steps("S", 3)
        ),
    ]

    actions = planning.plan(scored, questions)

    assert actions[1].priority > actions[0].priority  # retraining would win on priority alone
    assert [a.question_key for a in actions] == ["versioning", "retraining"]
    assert [a.bucket for a in actions] == ["now", "next"]
    assert actions[1].after == ("versioning",)
    assert "comes after versioning" in actions[1].why


def test_questions_at_target_or_not_applicable_get_no_action():
    scored = bank(
        ("d1", "data", 1, 4, False), ("d2", "data", 1, None, True), ("o1", "ops", 1, 2, False)
    )
    questions = [
        PlanQuestion(k, c, k, steps=steps())
        for k, c in [("d1", "data"), ("d2", "data"), ("o1", "ops")]
    ]

    actions = planning.plan(scored, questions, targets={"ops": D(2)})

    assert actions == []


def test_a_lower_category_target_shrinks_the_gap():
    scored = bank(("o1", "ops", 1, 1, False))
    question = [PlanQuestion("o1", "ops", "o1", steps=steps())]

    default = planning.plan(scored, question)[0]
    lowered = planning.plan(scored, question, targets={"ops": D(3)})[0]

    assert (default.target, lowered.target) == (D(4), D(3))
    assert lowered.priority < default.priority


def test_interest_compounds_while_a_gap_stays_open():
    scored = bank(("d1", "data", 1, 0, False))
    question = [PlanQuestion("d1", "data", "d1", steps=steps())]

    fresh = planning.plan(scored, question)[0]
    old = planning.plan(scored, question, streaks={"d1": 3})[0]

    assert old.interest == D("1.5625")
    assert old.priority == (fresh.priority * D("1.5625")).quantize(D("0.01"))


def test_buckets_hold_five_now_and_ten_next():
    questions = [(f"q{i:02}", "data", 1, 0, False) for i in range(18)]
    actions = planning.plan(
        bank(*questions), [PlanQuestion(k, "data", k, steps=steps()) for k, *_ in questions]
    )

    assert [a.bucket for a in actions].count("now") == 5
    assert [a.bucket for a in actions].count("next") == 10
    assert [a.bucket for a in actions].count("later") == 3


def test_expected_gain_and_what_if_equal_a_real_re_score():
    scored = bank(
        ("d1", "data", 1, 0, False), ("d2", "data", 3, 2, False), ("o1", "ops", 2, 1, False)
    )
    questions = [
        PlanQuestion(k, c, k, steps=steps())
        for k, c in [("d1", "data"), ("d2", "data"), ("o1", "ops")]
    ]
    actions = planning.plan(scored, questions)
    before = scoring.score(scored)

    for action in actions:
        rescored = scoring.score(scored.with_values({action.question_key: action.to_value}))
        assert action.overall_gain == rescored.overall - before.overall
        assert action.category_gain == (
            rescored.category(action.category_key).score
            - before.category(action.category_key).score
        )
    chosen = actions[:2]
    projected = planning.what_if(scored, chosen)
    assert projected == scoring.score(
        scored.with_values({a.question_key: a.to_value for a in chosen})
    )
    assert projected.overall > before.overall


def test_a_prerequisite_cycle_that_slipped_through_falls_back_to_priority_alone():
    scored = bank(("a", "data", 1, 1, False), ("b", "ops", 3, 1, False))
    questions = [
        PlanQuestion("a", "data", "A", ("b",), steps=steps()),
        PlanQuestion("b", "ops", "B", ("a",), steps=steps()),
    ]

    actions = planning.plan(scored, questions)

    assert [(a.question_key, a.after, a.bucket) for a in actions] == [
        ("b", (), "now"),
        ("a", (), "now"),
    ]


# Plan v2 (issue #13): expected gain × impact × interest ÷ person-weeks, targets from risk tiers,
# accepted risk.

BANK_FILE = bankfile.FILES / "ml-technical-debt-v2.yaml"
AS_OF = date(2025, 6, 30)


def bank_v2(*questions, categories=(("data", 1), ("ops", 1))):
    return replace(bank(*questions, categories=categories), method_version=2)


def sized_steps(effort, effort_weeks=None, impact=2):
    return {D(v): Step(D(v), f"Reach {v}", effort, impact, effort_weeks) for v in "1234"}


def test_v2_priority_follows_the_documented_formula():
    scored = bank_v2(
        ("d1", "data", 1, 0, False),
        ("d2", "data", 3, 2, False),
        ("o1", "ops", 1, 2, False),
        categories=(("data", 2), ("ops", 1)),
    )
    questions = [
        PlanQuestion("d1", "data", "Q", steps=sized_steps("S", D("0.5"), impact=2)),
        PlanQuestion("d2", "data", "d2", steps=sized_steps("M")),
        PlanQuestion("o1", "ops", "o1", steps=sized_steps("M")),
    ]

    actions = planning.plan(scored, questions, gap_ages={"d1": 365}, as_of=AS_OF)

    # Before: data 100 × (1×0 + 3×2/4) ÷ 4 = 37.5, ops 50, overall (2×37.5 + 50) ÷ 3 = 41.7.
    # d1 to 1: data 100 × (1×1/4 + 3×2/4) ÷ 4 = 43.75 → 43.8, overall (2×43.8 + 50) ÷ 3 = 45.9.
    # Gain 4.2 × impact 2 × interest 1.5 (one year) ÷ 0.5 person-weeks = 25.20.
    action = next(a for a in actions if a.question_key == "d1")
    assert action.overall_gain == D("4.2")
    assert action.interest == D("1.5")
    assert action.effort_weeks == D("0.5")
    assert action.priority == D("25.20")
    assert action.why == (
        "expected gain +4.2 points × impact 2 × interest ×1.50 (gap open 365 days)"
        " ÷ 0.5 person-weeks (S) = priority 25.20"
    )
    assert actions[0] == action


@pytest.mark.parametrize(
    ("a_effort", "a_weeks", "b_effort", "b_weeks", "expected"),
    [
        ("L", None, "S", None, ["b", "a"]),  # 8 weeks against 1
        ("S", None, "L", None, ["a", "b"]),
        ("L", D("0.5"), "S", None, ["a", "b"]),  # the bank's stated weeks beat the nominal size
        ("S", D(4), "M", None, ["b", "a"]),
    ],
)
def test_v2_prefers_the_cheaper_of_two_steps_with_the_same_gain(
    a_effort, a_weeks, b_effort, b_weeks, expected
):
    scored = bank_v2(("a", "data", 1, 1, False), ("b", "data", 1, 1, False))
    questions = [
        PlanQuestion("a", "data", "a", steps=sized_steps(a_effort, a_weeks)),
        PlanQuestion("b", "data", "b", steps=sized_steps(b_effort, b_weeks)),
    ]

    actions = planning.plan(scored, questions)

    assert actions[0].overall_gain == actions[1].overall_gain > 0
    assert [a.question_key for a in actions] == expected
    weeks = {a.question_key: a.effort_weeks for a in actions}
    assert weeks == {
        "a": a_weeks or planning.EFFORT_WEEKS[a_effort],
        "b": b_weeks or planning.EFFORT_WEEKS[b_effort],
    }


@pytest.mark.parametrize(
    ("questions", "categories", "v1_order", "v2_order"),
    [
        # The same question in a heavier category: both versions agree.
        (
            [("d1", "data", 1, 0, False), ("o1", "ops", 1, 0, False)],
            (("data", 3), ("ops", 1)),
            ["d1", "o1"],
            ["d1", "o1"],
        ),
        # d1 is one tenth of a category worth 2; o1 is all of a category worth 1. v1 multiplies the
        # weights without the category's total and ranks d1 first, though raising o1 gains 8.4
        # points and raising d1 gains 1.7.
        (
            [("d1", "data", 1, 0, False), ("d2", "data", 9, 4, False), ("o1", "ops", 1, 0, False)],
            (("data", 2), ("ops", 1)),
            ["d1", "o1"],
            ["o1", "d1"],
        ),
    ],
)
def test_v2_ranks_by_the_expected_gain_where_v1_may_not(questions, categories, v1_order, v2_order):
    plan_questions = [PlanQuestion(k, c, k, steps=steps()) for k, c, *_ in questions]
    v1 = planning.plan(bank(*questions, categories=categories), plan_questions)
    v2 = planning.plan(bank_v2(*questions, categories=categories), plan_questions)

    assert [a.question_key for a in v1] == v1_order
    assert [a.question_key for a in v2] == v2_order
    by_gain = sorted(v2, key=lambda a: -a.overall_gain)
    assert [a.question_key for a in by_gain] == v2_order


@pytest.mark.parametrize(
    ("age_days", "interest"),
    [(0, D(1)), (73, D("1.1")), (365, D("1.5")), (730, D(2)), (2000, D(2))],
)
def test_v2_interest_grows_with_the_calendar_age_of_the_gap(age_days, interest):
    scored = bank_v2(("d1", "data", 1, 0, False))
    question = [PlanQuestion("d1", "data", "d1", steps=steps("S", 2))]

    (fresh,) = planning.plan(scored, question)
    (aged,) = planning.plan(scored, question, gap_ages={"d1": age_days})
    # Many assessments or few over the same days: the streak does not enter v2.
    (assessed_often,) = planning.plan(
        scored, question, gap_ages={"d1": age_days}, streaks={"d1": 5}
    )

    assert fresh.priority == D(50)  # gain 25 points × impact 2 ÷ 1 person-week
    assert aged.interest == interest
    assert aged.age_days == age_days
    assert aged.priority == (fresh.priority * interest).quantize(D("0.01"))
    assert assessed_often.priority == aged.priority


def test_v1_ignores_the_age_of_a_gap():
    scored = bank(("d1", "data", 1, 0, False))
    question = [PlanQuestion("d1", "data", "d1", steps=steps())]

    fresh = planning.plan(scored, question)[0]
    aged = planning.plan(scored, question, gap_ages={"d1": 730})[0]

    assert (aged.priority, aged.interest) == (fresh.priority, D(1))
    assert "person-weeks" not in aged.why


def test_tiers_come_from_the_bank_file():
    tiers = planning.tiers_from_data(yaml.safe_load(BANK_FILE.read_text())["tiers"])
    internal = next(t for t in tiers if t.key == "internal")

    assert [t.key for t in tiers] == ["experimental", "internal", "customer-facing", "regulated"]
    assert internal.name == "Internal"
    assert internal.critical_target == D(2)
    assert planning.tier_targets(internal, {}) == {
        "data": D(2),
        "code": D(2),
        "feedback-loops": D(1),
        "configuration": D(2),
        "evaluation": D(2),
        "operations": D(2),
        "skills": D(2),
    }


def test_tiers_read_any_number_and_no_tier_leaves_the_overrides():
    (tier,) = planning.tiers_from_data(
        [{"key": "t", "name": "T", "targets": {"data": 2.5, "ops": "3"}}]
    )

    assert tier.targets == {"data": D("2.5"), "ops": D(3)}
    assert (tier.description, tier.critical_target) == ("", None)
    assert planning.tiers_from_data(None) == []
    assert planning.tier_targets(None, {"ops": D(1)}) == {"ops": D(1)}


@pytest.mark.parametrize(
    ("overrides", "critical", "expected"),
    [
        ({}, (), {"d-low": D(2), "f-low": D(1)}),
        ({"data": D(3)}, (), {"d-low": D(3), "d-at": D(3), "f-low": D(1)}),
        ({}, ("f-at",), {"d-low": D(2), "f-low": D(1), "f-at": D(2)}),
        ({}, ("d-at",), {"d-low": D(2), "f-low": D(1)}),  # at the critical target already
    ],
)
def test_a_plan_under_a_tier_holds_only_the_questions_below_its_targets(
    overrides, critical, expected
):
    tiers = planning.tiers_from_data(yaml.safe_load(BANK_FILE.read_text())["tiers"])
    internal = next(t for t in tiers if t.key == "internal")
    scored = bank_v2(
        ("d-low", "data", 1, 1, False),
        ("d-at", "data", 1, 2, False),
        ("f-low", "feedback-loops", 1, 0, False),
        ("f-at", "feedback-loops", 1, 1, False),
        categories=(("data", 1), ("feedback-loops", 1)),
    )
    questions = [
        PlanQuestion(k, c, k, steps=steps(), critical=k in critical)
        for k, c in [
            ("d-low", "data"),
            ("d-at", "data"),
            ("f-low", "feedback-loops"),
            ("f-at", "feedback-loops"),
        ]
    ]

    actions = planning.plan(
        scored,
        questions,
        targets=planning.tier_targets(internal, overrides),
        critical_target=internal.critical_target,
    )

    assert {a.question_key: a.target for a in actions} == expected


@pytest.mark.parametrize("critical_target", [D(3), D("3.5")])
def test_a_critical_question_aims_at_least_at_the_critical_target(critical_target):
    def target(targets, *critical_target):
        return planning.question_target("data", True, targets, SCALE, *critical_target)

    assert target({"data": D(1)}, critical_target) == D(3)
    assert target({"data": D(4)}, critical_target) == D(4)
    assert target({"data": D(1)}) == D(1)


@pytest.mark.parametrize("method", [bank, bank_v2])
@pytest.mark.parametrize(
    ("until", "value", "planned", "listed"),
    [
        (AS_OF, 1, ["a", "b"], ["c"]),  # valid through its last day
        (AS_OF + timedelta(days=90), 1, ["a", "b"], ["c"]),
        (AS_OF - timedelta(days=1), 1, ["a", "b", "c"], []),  # expired: back in the plan
        (AS_OF, 3, ["a", "b"], []),  # accepted but at target: no gap to list
    ],
)
def test_an_accepted_risk_takes_its_gap_out_of_the_plan_until_it_expires(
    method, until, value, planned, listed
):
    scored = method(
        ("a", "data", 1, 1, False), ("b", "data", 1, 1, False), ("c", "ops", 1, value, False)
    )
    questions = [
        PlanQuestion(k, c, k, steps=steps())
        for k, c in [("a", "data"), ("b", "data"), ("c", "ops")]
    ]
    risk = planning.AcceptedRisk("c", "alice", "The model is retired in Q3.", until)
    targets = {"data": D(3), "ops": D(3)}

    actions = planning.plan(
        scored, questions, targets=targets, accepted={"c": risk}, gap_ages={"c": 400}, as_of=AS_OF
    )
    gaps = planning.accepted_gaps(
        scored, questions, targets=targets, accepted={"c": risk}, as_of=AS_OF
    )

    assert sorted(a.question_key for a in actions) == planned
    assert [g.question_key for g in gaps] == listed
    if listed:
        (gap,) = gaps
        assert (gap.from_value, gap.target, gap.category_key) == (D(1), D(3), "ops")
        assert (gap.risk.by, gap.risk.reason, gap.risk.until) == (
            "alice",
            "The model is retired in Q3.",
            until,
        )


def test_an_expired_acceptance_returns_with_interest_from_the_gaps_full_age():
    scored = bank_v2(("c", "ops", 1, 1, False))
    questions = [PlanQuestion("c", "ops", "c", steps=steps())]
    expired = planning.AcceptedRisk("c", "alice", "Waiting on the vendor.", date(2025, 1, 1))

    (action,) = planning.plan(
        scored, questions, accepted={"c": expired}, gap_ages={"c": 365}, as_of=AS_OF
    )

    assert (action.age_days, action.interest) == (365, D("1.5"))
    assert "gap open 365 days" in action.why
