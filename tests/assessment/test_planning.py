"""Remediation plans: priority, prerequisites, ties, targets, interest and what-if arithmetic."""

from decimal import Decimal as D

from assessment import planning, scoring
from assessment.planning import PlanQuestion, Step
from assessment.scoring import BankInput, CategoryInput, QuestionInput

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
