"""Reads for the questionnaire, discussion and submit pages."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch

from assessment import consensus
from assessment.models import Answer, AnswerChange, Assessment, Comment, Settlement
from assessment.queries import response_of, settled_of
from banks.models import Category, Question
from banks.queries import scale_of


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
    def to_confirm(self) -> list[QuestionRow]:
        """Questions resting on a carried-over answer nobody confirmed yet."""
        return [
            row
            for c in self.categories
            for row in c.questions
            if row.consensus.is_answered and row.consensus.to_confirm
        ]

    @property
    def has_open_items(self) -> bool:
        return bool(self.unanswered or self.to_confirm or self.to_discuss)

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


def comments_on(assessment: Assessment, question: Question) -> list[Comment]:
    return list(assessment.comments.filter(question=question).select_related("author"))


@dataclass
class Discussion:
    questionnaire: Questionnaire
    items: list[tuple[QuestionRow, list[AnswerChange]]]  # each question with its level changes


def discussion(assessment: Assessment, user) -> Discussion:
    """The questions flagged for discussion or settled, with everyone's answers and history."""
    page = questionnaire(assessment, user)
    rows = [
        row
        for category in page.categories
        for row in category.questions
        if row.consensus.discuss or row.settlement
    ]
    history = answer_history(assessment, [row.question.pk for row in rows])
    return Discussion(page, [(row, history[row.question.pk]) for row in rows])


def answer_history(
    assessment: Assessment, question_ids: list[int]
) -> dict[int, list[AnswerChange]]:
    """Changes per question, oldest first, for the discussion page."""
    history: dict[int, list[AnswerChange]] = defaultdict(list)
    changes = assessment.changes.filter(question_id__in=question_ids).select_related("respondent")
    for change in changes:
        history[change.question_id].append(change)
    return history


def question_ids(
    assessment: Assessment, *, question_key: str = "", category_key: str = ""
) -> list[int]:
    """The assessment's questions with that key, or in that category: none for any other key."""
    questions = Question.objects.filter(version_id=assessment.version_id)
    if question_key:
        questions = questions.filter(key=question_key)
    elif category_key:
        questions = questions.filter(category__key=category_key)
    else:
        return []
    return list(questions.values_list("pk", flat=True))


def question_history(assessment: Assessment, question: Question) -> list[AnswerChange]:
    """One question's changes, oldest first: who, when, the level from and to, notes edited."""
    return list(assessment.changes.filter(question=question).select_related("respondent"))


def assessment_history(assessment: Assessment) -> list[AnswerChange]:
    """Every change of the assessment's answers, oldest first, for the history exports."""
    return list(assessment.changes.select_related("respondent", "question"))
