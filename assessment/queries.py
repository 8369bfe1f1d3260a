"""Reads shared by the answer services and the pages: the team's answers and their consensus."""

from collections import defaultdict
from dataclasses import astuple, dataclass
from datetime import UTC, datetime
from decimal import Decimal

from django.db import connection
from django.db.models import (
    Avg,
    Count,
    FilteredRelation,
    Q,
    QuerySet,
)
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from paydown import consensus

from assessment import roles
from assessment.models import Answer, Assessment, Settlement
from banks.localize import Texts
from banks.models import Question
from banks.queries import scale_of
from projects.models import Profile


def settled_of(settlement: Settlement | None) -> consensus.Settled | None:
    if settlement is None:
        return None
    return consensus.Settled(settlement.level_value, settlement.not_applicable)


def counted_responses(
    answers: QuerySet[Answer], *keys: str
) -> defaultdict[tuple, list[consensus.Counted]]:
    """The answers grouped by `keys` (e.g. "question_id"), read as counts per level: the rows read
    are bounded by the scale, not by the size of the team."""
    found: defaultdict[tuple, list[consensus.Counted]] = defaultdict(list)
    for *key, value, na, carried, dont_know, n in (
        answers.values_list(*keys, "level_value", "not_applicable", "carried_over", "dont_know")
        .annotate(n=Count("id"))
        .order_by()
    ):
        found[tuple(key)].append(consensus.Counted(value, na, carried, n, dont_know))
    return found


@dataclass(frozen=True)
class QuestionInfo:
    id: int
    key: str
    category_key: str
    category_name: str
    allow_na: bool


@dataclass
class TeamAnswers:
    """Every answer of the assessment with its question and settlement, for the submit."""

    questions: dict[str, QuestionInfo]
    responses: dict[int, list[consensus.Response]]
    settled: dict[int, consensus.Settled]


def team_answers(assessment: Assessment) -> TeamAnswers:
    # One row per (question, answer): questions left-joined with this assessment's answers and
    # settlement, so unanswered questions still count towards progress.
    rows = (
        Question.objects.filter(version_id=assessment.version_id)
        .annotate(
            answer=FilteredRelation("answers", condition=Q(answers__assessment=assessment)),
            settlement=FilteredRelation(
                "settlements", condition=Q(settlements__assessment=assessment)
            ),
        )
        .order_by("category__order", "order", "pk")
        .values_list(
            "id",
            "key",
            "category__key",
            "category__name",
            "allow_na",
            "answer__respondent_id",
            "answer__respondent__username",
            "answer__level_value",
            "answer__not_applicable",
            "answer__carried_over",
            "answer__dont_know",
            "settlement__id",
            "settlement__level_value",
            "settlement__not_applicable",
        )
    )
    result = TeamAnswers(questions={}, responses={}, settled={})
    for (qid, key, category_key, category_name, allow_na, rid, username, value, na, carried, dont_know, sid, s_value, s_na) in rows:  # fmt: skip
        result.questions.setdefault(
            key, QuestionInfo(qid, key, category_key, category_name, allow_na)
        )
        result.responses.setdefault(qid, [])
        if rid is not None:
            result.responses[qid].append(
                consensus.Response(
                    username, value, bool(na), carried=bool(carried), dont_know=bool(dont_know)
                )
            )
        if sid is not None:
            result.settled[qid] = consensus.Settled(s_value, bool(s_na))
    return result


def consensus_by_question(
    assessment: Assessment, answers: TeamAnswers
) -> dict[int, consensus.Consensus]:
    scale = scale_of(assessment.version)
    return {
        info.id: consensus.consensus_of(
            answers.responses[info.id], scale, answers.settled.get(info.id)
        )
        for info in answers.questions.values()
    }


@dataclass(frozen=True)
class MyAnswer:
    """The respondent's saved answer to the question, before the save being made."""

    value: Decimal | None
    not_applicable: bool
    carried: bool
    dont_know: bool
    notes: str
    links: str
    confirmed_at: datetime | None

    @property
    def counted(self) -> consensus.Counted:
        return consensus.Counted(
            self.value, self.not_applicable, self.carried, dont_know=self.dont_know
        )


@dataclass(frozen=True)
class QuestionAnswers:
    """One question's answers in one assessment: the others' as counts, the respondent's own in
    full, the settlement, and the respondent's notes-only history row of this sitting (which a
    notes edit extends). What a save judges and changes, from one query whatever the team's size."""

    question: QuestionInfo
    others: list[consensus.Counted]
    mine: MyAnswer | None
    settled: consensus.Settled | None

    def team(self, scale: list[Decimal], mine: consensus.Counted | None) -> consensus.Consensus:
        """The team's answer with the respondent's answer being `mine`."""
        counts = [*self.others, mine] if mine is not None else self.others
        return consensus.consensus_of_counts(counts, scale, self.settled)

    def tally(self, mine: consensus.Counted | None) -> list[consensus.Count]:
        return consensus.tally_of_counts([*self.others, mine] if mine is not None else self.others)


# Written out rather than composed with the ORM: building the same query through FilteredRelation
# cost 2 ms of Python on every autosave, inside the write lock, against 0.3 ms to run it.
QUESTION_ANSWERS_SQL = """
SELECT q.id, q.key, c.key, c.name, q.allow_na,
       s.id, s.level_value, s.not_applicable,
       a.level_value, a.not_applicable, a.carried_over, a.dont_know,
       m.id, m.level_value, m.not_applicable, m.carried_over, m.dont_know, m.notes, m.links,
       m.confirmed_at,
       COUNT(a.id)
FROM assessment_question q
JOIN assessment_category c ON c.id = q.category_id
LEFT JOIN assessment_answer a ON a.question_id = q.id AND a.assessment_id = %s
LEFT JOIN assessment_answer m ON m.question_id = q.id AND m.assessment_id = %s
     AND m.respondent_id = %s
LEFT JOIN assessment_settlement s ON s.question_id = q.id AND s.assessment_id = %s
WHERE q.version_id = %s AND {which}
GROUP BY q.id, q.key, c.key, c.name, q.allow_na, s.id, s.level_value, s.not_applicable,
         a.level_value, a.not_applicable, a.carried_over, a.dont_know,
         m.id, m.level_value, m.not_applicable, m.carried_over, m.dont_know, m.notes, m.links,
         m.confirmed_at
"""
# Positions of the row's levels, flags and the one timestamp, converted as the ORM would.
_DECIMALS, _FLAGS, _TIMESTAMP = (6, 8, 13), (4, 7, 9, 10, 11, 14, 15, 16), 19


def _converted(row: tuple) -> list:
    """A row as the ORM would give it: SQLite returns levels as numbers, flags as 0/1 and
    timestamps as text; PostgreSQL returns them typed already."""
    row = list(row)
    for i in _DECIMALS:
        if row[i] is not None and not isinstance(row[i], Decimal):
            row[i] = Decimal(str(row[i]))
    for i in _FLAGS:
        row[i] = None if row[i] is None else bool(row[i])
    if isinstance(row[_TIMESTAMP], str):
        stamp = parse_datetime(row[_TIMESTAMP])
        row[_TIMESTAMP] = timezone.make_aware(stamp, UTC) if timezone.is_naive(stamp) else stamp
    return row


def question_answers(
    assessment: Assessment, *, respondent_id: int, key: str = "", pk: int | None = None
) -> QuestionAnswers | None:
    """The question (by key or pk) of the assessment's bank version with its answers, or None.

    Rows: the question ⟕ its answers ⟕ the respondent's own answer ⟕ its settlement, grouped by
    answer so that everyone's read as counts per level (bounded by the scale), the respondent's
    own taken out of its group and kept whole with its evidence."""
    which, value = ("q.key = %s", key) if key else ("q.id = %s", pk)
    params = [assessment.pk, assessment.pk, respondent_id, assessment.pk, assessment.version_id]
    with connection.cursor() as cursor:
        cursor.execute(QUESTION_ANSWERS_SQL.format(which=which), [*params, value])
        rows = [_converted(row) for row in cursor.fetchall()]
    found = None
    for (qid, key_, category_key, category_name, allow_na, sid, s_value, s_na, value, na, carried, dont_know, my_id, my_value, my_na, my_carried, my_dont_know, notes, links, confirmed_at, n) in rows:  # fmt: skip
        if found is None:
            mine = None
            if my_id is not None:
                mine = MyAnswer(
                    my_value, my_na, my_carried, my_dont_know, notes, links, confirmed_at
                )
            found = QuestionAnswers(
                question=QuestionInfo(qid, key_, category_key, category_name, allow_na),
                others=[],
                mine=mine,
                settled=consensus.Settled(s_value, bool(s_na)) if sid is not None else None,
            )
        own = (my_value, my_na, my_carried, my_dont_know)
        if mine is not None and (value, na, carried, dont_know) == own:
            n -= 1  # the respondent's own answer is in this group: the others' count leaves it
        if n:
            found.others.append(
                consensus.Counted(value, bool(na), bool(carried), n, bool(dont_know))
            )
    return found


@dataclass(frozen=True)
class AnswerStatus:
    """What the status region beside a question shows after a write to it."""

    question_key: str
    category_key: str  # the page showing the question, for the navigation sent with the status
    team: consensus.Consensus
    tally: list[consensus.Count]
    confirmed_at: datetime | None  # the respondent's answer was last confirmed then

    @property
    def carried(self) -> bool:
        return self.team.to_confirm


def answer_status(assessment: Assessment, *, key: str, respondent_id: int) -> AnswerStatus:
    current = question_answers(assessment, key=key, respondent_id=respondent_id)
    mine = current.mine.counted if current.mine else None
    return AnswerStatus(
        question_key=key,
        category_key=current.question.category_key,
        team=current.team(scale_of(assessment.version), mine),
        tally=current.tally(mine),
        confirmed_at=current.mine.confirmed_at if current.mine else None,
    )


@dataclass(frozen=True)
class TeamProgress:
    overall: consensus.Progress
    nav_items: list[tuple[str, str, consensus.Progress]]  # per category: key, name, progress


def team_progress(assessment: Assessment) -> TeamProgress:
    """Progress per category and overall from the team answers (one row per question, none for a
    question nobody answered): one aggregate, whatever the number of respondents."""
    rows = (
        Question.objects.filter(version_id=assessment.version_id)
        .annotate(team=FilteredRelation("team_answers", condition=Q(team_answers__assessment=assessment)))
        .values("category__order", "category_id", "category__key", "category__name")
        .annotate(
            total=Count("id"),
            answered=Count("id", filter=Q(team__level_value__isnull=False, team__to_confirm=False)),
            not_applicable=Count("id", filter=Q(team__not_applicable=True, team__to_confirm=False)),
            discuss=Count("id", filter=Q(team__discuss=True)),
            to_confirm=Count("id", filter=Q(team__to_confirm=True)),
        )
        .order_by("category__order", "category_id")
    )  # fmt: skip
    texts = Texts(assessment.version)
    nav_items = [
        (
            row["category__key"],
            texts.category_name(row["category__key"], row["category__name"]),
            consensus.Progress(
                row["total"],
                row["answered"],
                row["not_applicable"],
                row["discuss"],
                row["to_confirm"],
            ),
        )
        for row in rows
    ]
    per_category = [astuple(progress) for _key, _name, progress in nav_items] or [(0,) * 5]
    overall = consensus.Progress(*(sum(column) for column in zip(*per_category, strict=True)))
    return TeamProgress(overall, nav_items)


def role_comparison(assessment: Assessment, categories: list[tuple[str, str]]) -> roles.Comparison:
    """How the respondents' roles answered per category (assessment.roles): two queries, grouped
    in the database, whatever the team's size. Answers carried over and not confirmed, N/A and
    "don't know" are no one's view and are left out."""
    role = "respondent__profile__respondent_role"
    answers = Answer.objects.filter(assessment=assessment)
    per_role = dict(
        answers.values(role).annotate(n=Count("respondent", distinct=True)).values_list(role, "n")
    )
    counted = (
        answers.filter(
            level_value__isnull=False, not_applicable=False, dont_know=False, carried_over=False
        )
        .exclude(**{f"{role}__isnull": True})
        .exclude(**{role: ""})
    )
    cells = (
        counted.values("question__category__key", role)
        .annotate(level=Avg("level_value"), n=Count("respondent", distinct=True))
        .values_list("question__category__key", role, "level", "n")
    )
    unstated = per_role.pop(None, 0) + per_role.pop("", 0)
    return roles.compare(
        respondents_per_role=per_role,
        cells=cells,
        categories=categories,
        labels=dict(Profile.RespondentRole.choices),
        unstated=unstated,
    )
