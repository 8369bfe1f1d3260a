"""Reads tuned per page for question banks and assessments."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db import models
from django.db.models import FilteredRelation, Prefetch, Q

from assessment import consensus
from assessment.models import (
    Answer,
    AnswerChange,
    Assessment,
    BankVersion,
    Category,
    Comment,
    Question,
    Settlement,
)
from projects.models import Project

DEFAULT_BANK = "ml-technical-debt"


def latest_published(slug: str = DEFAULT_BANK) -> BankVersion | None:
    """The newest published version of a bank: what new assessments use."""
    return BankVersion.objects.published().filter(bank__slug=slug).order_by("-number").first()


def latest_published_versions() -> list[BankVersion]:
    """The newest published version of every bank, by bank name: the choices to start with."""
    latest: dict[int, BankVersion] = {}
    for version in (
        BankVersion.objects.published().select_related("bank").order_by("bank__name", "-number")
    ):
        latest.setdefault(version.bank_id, version)
    return list(latest.values())


def version_to_export(*, slug: str, number: int | None = None) -> BankVersion | None:
    """The requested version, else the latest published, else the latest of any status."""
    versions = BankVersion.objects.filter(bank__slug=slug).select_related("bank")
    if number is not None:
        return versions.filter(number=number).first()
    return latest_published(slug) or versions.order_by("-number").first()


def versions_with_content(*levels_and_more: str) -> "models.QuerySet[BankVersion]":
    """Versions with their categories and questions in bank order, each question with the given
    relations prefetched (levels, remediations): one query per relation."""
    questions = Question.objects.order_by("order", "pk").prefetch_related(*levels_and_more)
    return BankVersion.objects.select_related("bank").prefetch_related(
        Prefetch(
            "categories",
            queryset=Category.objects.order_by("order", "pk").prefetch_related(
                Prefetch("questions", queryset=questions)
            ),
        )
    )


def version_for_preview(*, slug: str, number: int) -> BankVersion | None:
    """A version with its categories, questions, levels and references: four queries."""
    return versions_with_content("levels").filter(bank__slug=slug, number=number).first()


def settled_of(settlement: Settlement | None) -> consensus.Settled | None:
    if settlement is None:
        return None
    return consensus.Settled(settlement.level_value, settlement.not_applicable)


def response_of(answer: Answer) -> consensus.Response:
    return consensus.Response(
        answer.respondent.get_username(), answer.level_value, answer.not_applicable
    )


# --- assessments ---------------------------------------------------------------------------------


def assessment_for_user(user, pk: int) -> Assessment | None:
    """The assessment if the user may see its project (member of its team, or staff); one query."""
    assessments = Assessment.objects.select_related("project__team", "version__bank")
    if not user.is_staff:
        assessments = assessments.filter(project__team__memberships__user=user)
    return assessments.filter(pk=pk).first()


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
    carried_over: set[tuple[int, int]] = field(default_factory=set)  # (question id, respondent id)
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
            result.responses[qid].append(consensus.Response(username, value, bool(na)))
            if carried:
                result.carried_over.add((qid, rid))
            if confirmed:
                result.confirmed_at[(qid, rid)] = confirmed
        if sid is not None:
            result.settled[qid] = consensus.Settled(s_value, bool(s_na))
    return result


def scale_of(version: BankVersion) -> list[Decimal]:
    return [Decimal(str(value)) for value in version.scale]


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
class QuestionRow:
    question: Question
    mine: Answer | None
    others: list[Answer]
    consensus: consensus.Consensus
    comments: list[Comment]
    settlement: Settlement | None

    @property
    def answers(self) -> list[Answer]:
        return [self.mine, *self.others] if self.mine else self.others

    @property
    def other_responses(self) -> list[consensus.Response]:
        return [response_of(a) for a in self.others if a.is_answered]


@dataclass
class CategoryRow:
    category: Category
    questions: list[QuestionRow]
    progress: consensus.Progress


@dataclass
class Questionnaire:
    assessment: Assessment
    categories: list[CategoryRow]
    progress: consensus.Progress
    respondents: list[str]

    @property
    def nav_items(self) -> list[tuple[str, str, consensus.Progress]]:
        return [(c.category.key, c.category.name, c.progress) for c in self.categories]

    @property
    def to_discuss(self) -> list[QuestionRow]:
        return [row for c in self.categories for row in c.questions if row.consensus.discuss]

    @property
    def unanswered(self) -> list[QuestionRow]:
        return [
            row for c in self.categories for row in c.questions if not row.consensus.is_answered
        ]


def questionnaire(assessment: Assessment, user) -> Questionnaire:
    """The questionnaire page: a fixed number of queries whatever the number of questions."""
    categories = list(
        Category.objects.filter(version_id=assessment.version_id)
        .order_by("order", "pk")
        .prefetch_related(
            Prefetch(
                "questions",
                queryset=Question.objects.order_by("order", "pk").prefetch_related("levels"),
            )
        )
    )
    answers_by_question: dict[int, list[Answer]] = defaultdict(list)
    for answer in assessment.answers.select_related("respondent").order_by("respondent__username"):
        answers_by_question[answer.question_id].append(answer)
    comments_by_question: dict[int, list[Comment]] = defaultdict(list)
    for comment in assessment.comments.select_related("author"):
        comments_by_question[comment.question_id].append(comment)
    settlements = {s.question_id: s for s in assessment.settlements.select_related("settled_by")}

    scale = scale_of(assessment.version)
    rows_by_category = []
    respondents = set()
    for category in categories:
        rows = []
        for question in category.questions.all():
            answers = answers_by_question[question.pk]
            labels = {level.value: level.label for level in question.levels.all()}
            for answer in answers:
                answer.level_label = labels.get(answer.level_value, "")
            respondents.update(a.respondent.get_username() for a in answers)
            settlement = settlements.get(question.pk)
            team = consensus.consensus_of(
                [response_of(a) for a in answers],
                scale,
                settled_of(settlement),
            )  # fmt: skip
            rows.append(
                QuestionRow(
                    question=question,
                    mine=next((a for a in answers if a.respondent_id == user.pk), None),
                    others=[a for a in answers if a.respondent_id != user.pk],
                    consensus=team,
                    comments=comments_by_question[question.pk],
                    settlement=settlement,
                )
            )
        progress = consensus.progress_of(row.consensus for row in rows)
        rows_by_category.append(CategoryRow(category, rows, progress))
    overall = consensus.progress_of(
        row.consensus for category in rows_by_category for row in category.questions
    )
    return Questionnaire(assessment, rows_by_category, overall, sorted(respondents))


def project_assessments(project: Project) -> list[Assessment]:
    """The project page's list: every assessment with its bank, newest first."""
    return list(
        project.assessments.select_related("version__bank", "started_by").order_by("-created")
    )


def answer_history(
    assessment: Assessment, question_ids: list[int]
) -> dict[int, list[AnswerChange]]:
    """Level changes per question, oldest first, for the discussion page."""
    history: dict[int, list[AnswerChange]] = defaultdict(list)
    changes = assessment.changes.filter(question_id__in=question_ids).select_related("respondent")
    for change in changes:
        history[change.question_id].append(change)
    return history


def progress_by_assessment(assessments: list[Assessment]) -> dict[int, consensus.Progress]:
    """Team progress of each open assessment, in three queries however many there are."""
    open_ones = [a for a in assessments if a.is_open]
    if not open_ones:
        return {}
    question_ids: dict[int, list[int]] = defaultdict(list)
    for question_id, version_id in Question.objects.filter(
        version_id__in={a.version_id for a in open_ones}
    ).values_list("id", "version_id"):
        question_ids[version_id].append(question_id)
    responses: dict[tuple[int, int], list[consensus.Response]] = defaultdict(list)
    for assessment_id, question_id, respondent_id, value, na in Answer.objects.filter(
        assessment__in=open_ones
    ).values_list("assessment_id", "question_id", "respondent_id", "level_value", "not_applicable"):
        responses[(assessment_id, question_id)].append(
            consensus.Response(str(respondent_id), value, na)
        )
    settled = {
        (a_id, q_id): consensus.Settled(value, na)
        for a_id, q_id, value, na in Settlement.objects.filter(
            assessment__in=open_ones
        ).values_list("assessment_id", "question_id", "level_value", "not_applicable")
    }
    result = {}
    for assessment in open_ones:
        scale = scale_of(assessment.version)
        result[assessment.pk] = consensus.progress_of(
            consensus.consensus_of(
                responses[(assessment.pk, q)], scale, settled.get((assessment.pk, q))
            )
            for q in question_ids[assessment.version_id]
        )
    return result


def default_bank_categories() -> tuple[list[tuple[str, str]], list[Decimal]]:
    """Category keys and names and the scale of the latest published default bank, for targets."""
    version = latest_published()
    if version is None:
        return [], []
    categories = list(version.categories.order_by("order").values_list("key", "name"))
    return categories, scale_of(version)
