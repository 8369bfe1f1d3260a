"""Reads shared by the answer services and the pages: the team's answers and their consensus."""

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime

from django.db.models import Count, FilteredRelation, Q, QuerySet
from django.utils import timezone

from assessment import consensus
from assessment.models import Answer, Assessment, Settlement
from banks.models import Question
from banks.queries import scale_of


def settled_of(settlement: Settlement | None) -> consensus.Settled | None:
    if settlement is None:
        return None
    return consensus.Settled(settlement.level_value, settlement.not_applicable)


def counted_responses(
    answers: QuerySet[Answer], *keys: str
) -> defaultdict[tuple, list[consensus.Response]]:
    """The answers grouped by `keys` (e.g. "question_id") as anonymous responses, read as counts per
    level: the rows read are bounded by the scale, not by the size of the team."""
    found: defaultdict[tuple, list[consensus.Response]] = defaultdict(list)
    for *key, value, na, carried, n in (
        answers.values_list(*keys, "level_value", "not_applicable", "carried_over")
        .annotate(n=Count("id"))
        .order_by()
    ):
        found[tuple(key)] += [consensus.Response("", value, na, carried)] * n
    return found


def response_of(answer: Answer) -> consensus.Response:
    return consensus.Response(
        answer.respondent.get_username(),
        answer.level_value,
        answer.not_applicable,
        carried=answer.carried_over,
    )


@dataclass(frozen=True)
class QuestionInfo:
    id: int
    key: str
    category_key: str
    category_name: str
    allow_na: bool


@dataclass
class TeamAnswers:
    """Everything autosave needs to judge a change and report progress, from one query."""

    questions: dict[str, QuestionInfo]
    responses: dict[int, list[consensus.Response]]
    settled: dict[int, consensus.Settled]
    confirmed_at: dict[tuple[int, int], datetime] = field(default_factory=dict)

    def mine(self, question_id: int, username: str) -> consensus.Response | None:
        return next((r for r in self.responses[question_id] if r.respondent == username), None)

    def nav_items(
        self, teams: dict[int, consensus.Consensus]
    ) -> list[tuple[str, str, consensus.Progress]]:
        """Per category: key, name and progress, in the bank's order."""
        by_category: dict[tuple[str, str], list[consensus.Consensus]] = defaultdict(list)
        for info in self.questions.values():
            by_category[(info.category_key, info.category_name)].append(teams[info.id])
        return [(key, name, consensus.progress_of(c)) for (key, name), c in by_category.items()]

    def replace(self, question_id: int, response: consensus.Response) -> None:
        others = [r for r in self.responses[question_id] if r.respondent != response.respondent]
        self.responses[question_id] = [*others, response]


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
            "answer__confirmed_at",
            "settlement__id",
            "settlement__level_value",
            "settlement__not_applicable",
        )
    )
    result = TeamAnswers(questions={}, responses={}, settled={})
    for (qid, key, category_key, category_name, allow_na, rid, username, value, na, carried, confirmed, sid, s_value, s_na) in rows:  # fmt: skip
        result.questions.setdefault(
            key, QuestionInfo(qid, key, category_key, category_name, allow_na)
        )
        result.responses.setdefault(qid, [])
        if rid is not None:
            result.responses[qid].append(
                consensus.Response(username, value, bool(na), carried=bool(carried))
            )
            if confirmed:
                result.confirmed_at[(qid, rid)] = confirmed
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


@dataclass
class AnswerStatus:
    """What an autosave response shows beside the question and in the out-of-band regions."""

    question_key: str
    carried: bool
    confirmed_at: datetime | None
    team: consensus.Consensus
    tally: list[consensus.Count]
    progress: consensus.Progress
    nav_items: list[tuple[str, str, consensus.Progress]]


def answer_status(
    assessment: Assessment, team: TeamAnswers, *, question: QuestionInfo, respondent
) -> AnswerStatus:
    """What the status region beside a question shows, and the progress around it."""
    mine = (question.id, respondent.pk)
    teams = consensus_by_question(assessment, team)
    return AnswerStatus(
        question_key=question.key,
        carried=teams[question.id].to_confirm,
        confirmed_at=team.confirmed_at.get(mine),
        team=teams[question.id],
        tally=consensus.tally(team.responses[question.id]),
        progress=consensus.progress_of(teams.values()),
        nav_items=team.nav_items(teams),
    )


def answer_status_after_save(
    assessment: Assessment,
    team: TeamAnswers,
    *,
    question: QuestionInfo,
    respondent,
    saved: consensus.Response,
    confirmed: bool,
) -> AnswerStatus:
    """The state after a save, without reading it back: the upsert wrote exactly `saved` (or, when
    it gave no level, kept the saved one)."""
    if confirmed:
        team.confirmed_at[(question.id, respondent.pk)] = timezone.now()
    if saved.is_answered:
        previous = team.mine(question.id, saved.respondent)
        still_carried = previous is not None and previous.carried and not confirmed
        team.replace(question.id, replace(saved, carried=still_carried))
    return answer_status(assessment, team, question=question, respondent=respondent)
