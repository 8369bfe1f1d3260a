"""Team answers (one row a question) always agree with the answers they summarize: whatever the
writes, the progress autosave reads from them equals the progress computed from every answer."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase
from paydown import consensus

from assessment import queries as team_queries
from assessment import services
from assessment.models import TeamAnswer
from assessment.questionnaire import queries as page_queries
from banks import files
from banks import services as bank_services
from projects.models import Membership
from tests import factories
from tests.banks.bank_data import small_bank

KEYS = ["data-a", "data-b", "code-a"]  # code-a may not be N/A

write = st.one_of(
    st.tuples(
        st.just("answer"),
        st.integers(0, 2),  # respondent
        st.sampled_from(KEYS),
        st.sampled_from(["", "0", "1", "2", "na", "?"]),  # "" = notes only, "?" = don't know
        st.booleans(),  # re-confirm
    ),
    st.tuples(st.just("settle"), st.sampled_from(KEYS), st.sampled_from(["0", "2", "na"])),
    st.tuples(st.just("reopen"), st.sampled_from(KEYS)),
    st.tuples(st.just("confirm"), st.sampled_from(KEYS)),
)


def apply(assessment, users, step) -> None:
    question = assessment.version.questions.get(key=step[1] if step[0] != "answer" else step[2])
    if step[0] == "answer":
        _kind, who, _key, choice, confirm = step
        if choice == "na" and not question.allow_na:
            return
        services.record_answer(
            assessment=assessment,
            question_id=question.pk,
            respondent=users[who],
            answer=services.AnswerInput(
                value=Decimal(choice) if choice not in ("", "na", "?") else None,
                not_applicable=choice == "na",
                dont_know=choice == "?",
                na_reason="other" if choice == "na" else "",
                notes=f"notes {choice}",
                confirm=confirm,
            ),
        )
    elif step[0] == "settle":
        if step[2] == "na" and not question.allow_na:
            return
        services.settle_question(
            assessment=assessment,
            question_id=question.pk,
            by=users[0],
            value=None if step[2] == "na" else Decimal(step[2]),
            not_applicable=step[2] == "na",
        )
    elif step[0] == "reopen":
        services.reopen_question(assessment=assessment, question_id=question.pk, by=None)
    else:
        services.confirm_carried(assessment=assessment, by=users[1], question_ids=[question.pk])


class TeamAnswersAgreeWithAnswers(TestCase):
    @given(
        carry_over=st.booleans(),
        steps=st.lists(write, max_size=12),
    )
    def test_progress_from_team_answers_equals_progress_from_every_answer(self, carry_over, steps):
        version = bank_services.publish_version(version=files.import_data(small_bank()))
        team = factories.make_team()
        users = [factories.make_user() for _ in range(3)]
        for user in users:
            factories.add_member(team, user, Membership.Role.MANAGER)
        project = factories.make_project(team)
        if carry_over:
            factories.make_result(project, version, users[0], {"data-a": 2, "code-a": 1})
        assessment = services.start_assessment(
            project=project, version=version, started_by=users[0], title="P", carry_over=carry_over
        )

        for step in steps:
            apply(assessment, users, step)

        page = page_queries.questionnaire(assessment, users[0])
        stored = team_queries.team_progress(assessment)
        assert stored.overall == page.progress
        assert stored.nav_items == page.nav_items
        rows = {
            row.question.pk: row.consensus
            for category in page.categories
            for row in category.questions
        }
        for team_answer in TeamAnswer.objects.filter(assessment=assessment):
            expected = rows[team_answer.question_id]
            assert (
                team_answer.level_value,
                team_answer.not_applicable,
                team_answer.discuss,
                team_answer.to_confirm,
                team_answer.dont_know,
            ) == (
                expected.value,
                expected.not_applicable,
                expected.discuss,
                expected.to_confirm,
                expected.dont_know,
            )
        missing = set(rows) - set(
            TeamAnswer.objects.filter(assessment=assessment).values_list("question_id", flat=True)
        )
        assert all(rows[pk] == consensus.UNANSWERED for pk in missing)


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ([consensus.Counted(Decimal(1), respondents=3)], Decimal(1)),
        (
            [
                consensus.Counted(Decimal(0), respondents=2),
                consensus.Counted(Decimal(2), respondents=2),
            ],
            Decimal(0),
        ),
        ([consensus.Counted(Decimal(0)), consensus.Counted(Decimal(2), respondents=2)], Decimal(2)),
        ([consensus.Counted(None, True, respondents=2), consensus.Counted(Decimal(1))], None),
    ],
)
def test_counted_answers_give_the_lower_median(counts, expected):
    assert (
        consensus.consensus_of_counts(counts, [Decimal(0), Decimal(1), Decimal(2)]).value
        == expected
    )


def reference_consensus(responses, scale) -> tuple:
    """The rule as the module docstring states it, on every response one by one."""
    answered = [r for r in responses if r.is_answered]
    if not answered:
        return (None, False, False, False)
    levels = sorted(r.value for r in answered if not r.not_applicable)
    positions = [scale.index(v) for v in levels]
    discuss = bool(positions) and max(positions) - min(positions) >= 2
    to_confirm = any(r.carried for r in answered)
    if 2 * (len(answered) - len(levels)) > len(answered):
        return (None, True, discuss, to_confirm)
    return (levels[(len(levels) - 1) // 2], False, discuss, to_confirm)


@given(
    st.lists(
        st.tuples(
            st.sampled_from([Decimal(0), Decimal(1), Decimal(2), "na", "?"]),  # "?": don't know
            st.booleans(),
        ),
        max_size=30,
    )
)
def test_consensus_of_counts_follows_the_rule_response_by_response(answers):
    scale = [Decimal(0), Decimal(1), Decimal(2)]
    responses = [
        consensus.Response(
            f"r{i}",
            value if isinstance(value, Decimal) else None,
            value == "na",
            carried,
            dont_know=value == "?",
        )
        for i, (value, carried) in enumerate(answers)
    ]
    team = consensus.consensus_of_counts(consensus.counted(responses), scale)
    assert (team.value, team.not_applicable, team.discuss, team.to_confirm) == reference_consensus(
        responses, scale
    )
    assert team.dont_know == sum(1 for r in responses if r.dont_know)
    assert sum(
        c.respondents for c in consensus.tally_of_counts(consensus.counted(responses))
    ) == len(responses)
