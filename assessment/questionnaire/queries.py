"""Reads for the questionnaire, discussion and submit pages."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, Min, Prefetch, Q, QuerySet, prefetch_related_objects
from django.utils import timezone
from paydown import consensus

from assessment.models import (
    Answer,
    AnswerChange,
    Assessment,
    Comment,
    Evidence,
    QuestionResult,
    ScanSuggestion,
    Settlement,
)
from assessment.queries import counted_responses, role_comparison, settled_of, team_progress
from assessment.roles import Comparison as RoleComparison
from banks.localize import Texts
from banks.models import BankVersion, Category, Question
from banks.queries import scale_of


@dataclass(frozen=True)
class SeriesNote:
    """A question whose trend starts in this version: a new question, or one whose meaning
    changed, so the earlier questions' answers (`replaces`) were not carried over to it."""

    version: int
    added: bool = False
    replaces: list[str] = field(default_factory=list)


def series_notes(version: BankVersion) -> dict[str, SeriesNote]:
    """The notes by question key, from the version's map of the previous version's keys (read
    with the version: no query)."""
    previous = version.previous_version or {}
    replaced: dict[str, list[str]] = defaultdict(list)
    for old, new in (previous.get("keys") or {}).items():
        if new:
            replaced[new].append(old)
    notes = {
        key: SeriesNote(version.number, replaces=sorted(replaced[key]))
        for key in previous.get("new_series") or []
    }
    notes.update(
        {key: SeriesNote(version.number, added=True) for key in previous.get("added") or []}
    )
    return notes


def asks_for_link(version: BankVersion, *, level: Decimal | None, links: str) -> bool | None:
    """Whether an answer at `level` with these links should be asked for a link to its evidence:
    a prompt, never a refusal. None when the version asks no answer for links."""
    if version.evidence_link_from_level is None:
        return None
    return level is not None and level >= version.evidence_link_from_level and not links.strip()


@dataclass(frozen=True)
class EvidenceAge:
    """A question's evidence in this assessment, everyone's: how much, how much is stale (older
    than its limit since last confirmed), and the oldest confirmation."""

    pieces: int
    stale: int
    oldest: datetime


def evidence_ages(assessment: Assessment, question_ids: list[int]) -> dict[int, EvidenceAge]:
    """One grouped query for a page of questions, whatever the team's size."""
    rows = (
        Evidence.objects.filter(answer__assessment=assessment, answer__question_id__in=question_ids)
        .values_list("answer__question_id")
        .annotate(
            pieces=Count("id"),
            stale=Count("id", filter=Q(stale_after__lt=timezone.now())),
            oldest=Min("confirmed_at"),
        )
        .order_by()
    )
    return {question_id: EvidenceAge(*ages) for question_id, *ages in rows}


def open_suggestions(assessment: Assessment, question_ids: list[int]) -> dict[int, ScanSuggestion]:
    """The scan's suggestion waiting on each question (a later scan supersedes an earlier one)."""
    return {
        s.question_id: s
        for s in ScanSuggestion.objects.filter(
            assessment=assessment, status=ScanSuggestion.Status.OPEN, question_id__in=question_ids
        ).select_related("scan")
    }


@dataclass(frozen=True)
class Earlier:
    """The team's answer to a question in the previous assessment, as it was scored."""

    value: Decimal | None
    not_applicable: bool = False
    unanswered: bool = False


NOT_ASKED_BEFORE = Earlier(None, unanswered=True)


def earlier_answers(assessment: Assessment) -> dict[str, Earlier] | None:
    """The previous assessment's team answers by question key: the one this assessment carried
    its answers from, else the project's last one on the same bank submitted before it. None when
    there is none (nothing can have changed since). One query."""
    if assessment.carried_from_id:
        previous = Q(result__assessment_id=assessment.carried_from_id)
    else:
        before = (
            Assessment.objects.filter(
                project_id=assessment.project_id,
                status=Assessment.Status.SUBMITTED,
                version__bank_id=assessment.version.bank_id,
                submitted_at__lt=assessment.submitted_at or timezone.now(),
            )
            .exclude(pk=assessment.pk)
            .order_by("-submitted_at")
            .values("pk")[:1]
        )
        previous = Q(result__assessment_id__in=before)
    rows = QuestionResult.objects.filter(previous).values_list(
        "question_key", "value", "not_applicable", "unanswered"
    )
    found = {key: Earlier(value, na, unanswered) for key, value, na, unanswered in rows}
    return found or None


@dataclass
class QuestionRow:
    """One question card: the user's own answer and the team's as counts, never everyone's
    answers (they load when the team panel opens), so the page's size does not grow with the team."""

    question: Question
    mine: Answer | None
    consensus: consensus.Consensus
    settlement: Settlement | None
    tally: list[consensus.Count]
    comment_count: int
    series: SeriesNote | None = None
    link_prompt: bool | None = None  # None: the version asks no answer for links
    evidence_age: EvidenceAge | None = None
    suggestion: ScanSuggestion | None = None
    earlier: Earlier | None = None  # None: no previous assessment to compare with
    error: str = ""  # why the answer sent was refused, shown back with it (no JavaScript)
    focus: str = ""  # then the field to mend first

    @property
    def answered_by(self) -> int:
        return sum(count.respondents for count in self.tally)

    @property
    def changed(self) -> bool:
        """The team answers differently from the previous assessment, or answers a question it
        did not answer then. A carried-over answer nobody confirmed has not changed."""
        now, then = self.consensus, self.earlier
        if then is None or now.to_confirm or not now.is_answered:
            return False
        return (
            then.unanswered
            or then.not_applicable != now.not_applicable
            or (not now.not_applicable and then.value != now.value)
        )


@dataclass
class CategoryRow:
    category: Category
    questions: list[QuestionRow]
    progress: consensus.Progress


@dataclass(frozen=True)
class ShownCategory:
    current: CategoryRow
    previous: Category | None
    next: Category | None


@dataclass
class Questionnaire:
    assessment: Assessment
    categories: list[CategoryRow]
    progress: consensus.Progress
    respondents: int

    @property
    def nav_items(self) -> list[tuple[str, str, consensus.Progress]]:
        return [(c.category.key, c.category.name, c.progress) for c in self.categories]

    @property
    def to_discuss(self) -> list[QuestionRow]:
        return [row for c in self.categories for row in c.questions if row.consensus.discuss]

    @property
    def to_confirm(self) -> list[QuestionRow]:
        """Questions resting on a carried-over answer nobody confirmed yet."""
        return [row for c in self.categories for row in c.questions if row.consensus.to_confirm]

    @property
    def with_dont_know(self) -> list[QuestionRow]:
        """Questions someone said they don't know: reported, and open when nobody answered."""
        return [row for c in self.categories for row in c.questions if row.consensus.dont_know]

    @property
    def has_open_items(self) -> bool:
        return bool(self.unanswered or self.to_confirm or self.to_discuss)

    @property
    def unanswered(self) -> list[QuestionRow]:
        return [
            row for c in self.categories for row in c.questions if not row.consensus.is_answered
        ]

    @property
    def changed(self) -> list[QuestionRow]:
        """Answered differently from the previous assessment (read `with_earlier`)."""
        return [row for c in self.categories for row in c.questions if row.changed]

    @property
    def not_applicable(self) -> list[QuestionRow]:
        return [
            row
            for c in self.categories
            for row in c.questions
            if row.consensus.not_applicable and not row.consensus.to_confirm
        ]


def questionnaire(
    assessment: Assessment, user, *, with_evidence: bool = False, with_earlier: bool = False
) -> Questionnaire:
    """Every category's cards, for the submit page's lists: a fixed number of queries whatever
    the number of questions, and rows of a fixed size whatever the number of respondents;
    `with_earlier`, with the previous assessment's answers to tell what changed (one query)."""
    categories = _categories(assessment, levels=True)
    mine = {a.question_id: a for a in assessment.answers.filter(respondent=user)}
    respondents = assessment.answers.values("respondent_id").distinct().count()
    rows_by_category = _category_rows(
        assessment,
        categories,
        mine,
        assessment.answers.all(),
        with_evidence=with_evidence,
        earlier=earlier_answers(assessment) if with_earlier else None,
    )
    overall = consensus.progress_of(
        row.consensus for category in rows_by_category for row in category.questions
    )
    return Questionnaire(assessment, rows_by_category, overall, respondents)


# The questionnaire's filters (issue #18): which cards a view across every category keeps.
FILTERS = {
    "mine": lambda row: row.mine is None,  # waiting for the user's own answer
    "unanswered": lambda row: not row.consensus.is_answered and not row.consensus.to_confirm,
    "to_confirm": lambda row: row.consensus.to_confirm,
    "flagged": lambda row: row.consensus.discuss,
    "changed": lambda row: row.changed,  # since the previous assessment
    "all": lambda row: True,  # every category on one long page
}


@dataclass
class QuestionnairePage:
    """One category's cards (a page per category), or with a filter the matching cards of every
    category, with the navigation over all of them and how many cards each filter keeps."""

    shown: ShownCategory | None
    progress: consensus.Progress
    nav_items: list[tuple[str, str, consensus.Progress]]
    respondents: int
    filter_counts: dict[str, int] = field(default_factory=dict)
    filtered: list[CategoryRow] | None = None  # with a filter: the categories that kept cards


def filter_counts(progress: consensus.Progress, mine: int) -> dict[str, int]:
    """The filters' counts from the team's progress and the user's own answers: no query."""
    return {
        "mine": progress.total - mine,
        "unanswered": progress.unanswered,
        "to_confirm": progress.to_confirm,
        "flagged": progress.discuss,
    }


def filtered_page(assessment: Assessment, user, show: str) -> QuestionnairePage:
    """Every category's cards that the filter keeps: the whole questionnaire's fixed number of
    queries, for a reassessment worked through by what is left rather than page by page."""
    whole = questionnaire(assessment, user, with_evidence=True, with_earlier=True)
    Texts(assessment.version).version(assessment.version)
    keep = FILTERS[show]
    kept = [
        CategoryRow(row.category, [q for q in row.questions if keep(q)], row.progress)
        for row in whole.categories
    ]
    mine = sum(1 for c in whole.categories for q in c.questions if q.mine is not None)
    # Progress and the navigation from the answers just read (counted as the team answers are),
    # not from a second read of the team answers.
    counts = filter_counts(whole.progress, mine) | {"changed": len(whole.changed)}
    return QuestionnairePage(
        None,
        whole.progress,
        whole.nav_items,
        whole.respondents,
        filter_counts=counts,
        filtered=[row for row in kept if row.questions],
    )


def questionnaire_page(
    assessment: Assessment, user, *, category_key: str = "", question_key: str = ""
) -> QuestionnairePage:
    """The questionnaire's page for one category: the one asked for (by its key or one of its
    questions'), else the first where the user has a question left, else the first. Only that
    category's answers are counted; progress and navigation come from the team answers (a row
    per question), so the page's cost grows neither with the team nor with the bank."""
    categories = _categories(assessment, levels=False)
    Texts(assessment.version).version(assessment.version)
    mine = {a.question_id: a for a in assessment.answers.filter(respondent=user)}
    index = next(
        (
            i
            for i, c in enumerate(categories)
            if c.key == category_key or any(q.key == question_key for q in c.questions.all())
        ),
        None,
    )
    if index is None:
        left = (
            i for i, c in enumerate(categories) if any(q.pk not in mine for q in c.questions.all())
        )
        index = next(left, 0)
    team = team_progress(assessment)
    respondents = assessment.answers.values("respondent_id").distinct().count()
    counts = filter_counts(team.overall, len(mine))
    if not categories:
        return QuestionnairePage(None, team.overall, team.nav_items, respondents, counts)
    category = categories[index]
    questions = list(category.questions.all())
    prefetch_related_objects(questions, "levels")
    Texts(assessment.version).questions(questions)
    answers = assessment.answers.filter(question__in=questions)
    [current] = _category_rows(assessment, [category], mine, answers, with_evidence=True)
    shown = ShownCategory(
        current,
        previous=categories[index - 1] if index > 0 else None,
        next=categories[index + 1] if index + 1 < len(categories) else None,
    )
    return QuestionnairePage(shown, team.overall, team.nav_items, respondents, counts)


def _categories(assessment: Assessment, *, levels: bool) -> list[Category]:
    """The version's categories with their questions (and levels), in the page's language; the
    questions only with their levels: a page that loads levels for one category later translates
    that category's questions then, and no others."""
    questions = Question.objects.order_by("order", "pk")
    found = list(
        Category.objects.filter(version_id=assessment.version_id)
        .order_by("order", "pk")
        .prefetch_related(
            Prefetch(
                "questions", queryset=questions.prefetch_related("levels") if levels else questions
            )
        )
    )
    return Texts(assessment.version).categories(found, questions=levels)


def _category_rows(
    assessment: Assessment,
    categories: list[Category],
    mine: dict,
    answers: QuerySet[Answer],
    *,
    with_evidence: bool = False,
    earlier: dict[str, Earlier] | None = None,
) -> list[CategoryRow]:
    """The cards of these categories from `answers` read as counts, with the comment counts and
    settlements of their questions; `with_evidence`, with how fresh their evidence is and the
    scan's suggestions (the cards the questionnaire shows, not the lists of the other pages)."""
    ids = [q.pk for c in categories for q in c.questions.all()]
    responses = counted_responses(answers, "question_id")
    comment_counts = dict(
        assessment.comments.filter(question_id__in=ids)
        .values_list("question_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    settlements = {
        s.question_id: s
        for s in assessment.settlements.filter(question_id__in=ids).select_related("settled_by")
    }
    ages = evidence_ages(assessment, ids) if with_evidence else {}
    suggestions = open_suggestions(assessment, ids) if with_evidence and assessment.is_open else {}
    version = assessment.version
    scale = scale_of(version)
    series = series_notes(version)
    rows_by_category = []
    for category in categories:
        rows = []
        for question in category.questions.all():
            settlement = settlements.get(question.pk)
            counted = responses[(question.pk,)]
            own = mine.get(question.pk)
            rows.append(
                QuestionRow(
                    question=question,
                    mine=own,
                    consensus=consensus.consensus_of_counts(counted, scale, settled_of(settlement)),
                    settlement=settlement,
                    tally=consensus.tally_of_counts(counted),
                    comment_count=comment_counts.get(question.pk, 0),
                    series=series.get(question.key),
                    link_prompt=asks_for_link(
                        version,
                        level=own.level_value if own else None,
                        links=own.links if own else "",
                    ),
                    evidence_age=ages.get(question.pk),
                    suggestion=suggestions.get(question.pk),
                    earlier=None
                    if earlier is None
                    else earlier.get(question.key, NOT_ASKED_BEFORE),
                )
            )
        progress = consensus.progress_of(row.consensus for row in rows)
        rows_by_category.append(CategoryRow(category, rows, progress))
    return rows_by_category


def team_answers_to(assessment: Assessment, question: Question) -> list[Answer]:
    """Everyone's answer to one question with its notes and evidence, for the team panel."""
    labels = {level.value: level.label for level in question.levels.all()}
    answers = list(
        assessment.answers.filter(question=question)
        .select_related("respondent")
        .order_by("respondent__username")
    )
    for answer in answers:
        answer.level_label = labels.get(answer.level_value, "")
    return answers


def comments_on(assessment: Assessment, question: Question) -> list[Comment]:
    return list(assessment.comments.filter(question=question).select_related("author"))


@dataclass
class DiscussionItem:
    row: QuestionRow
    answers: list[Answer]
    comments: list[Comment]
    changes: list[AnswerChange]


@dataclass
class Discussion:
    questionnaire: Questionnaire
    items: list[DiscussionItem]  # the questions flagged or settled, with everything about them
    roles: RoleComparison  # how the respondents' roles answer, per category


def discussion(assessment: Assessment, user) -> Discussion:
    """The questions flagged for discussion or settled, with everyone's answers and history."""
    page = questionnaire(assessment, user)
    rows = [
        row
        for category in page.categories
        for row in category.questions
        if row.consensus.discuss or row.settlement
    ]
    ids = [row.question.pk for row in rows]
    labels = {
        (row.question.pk, level.value): level.label
        for row in rows
        for level in row.question.levels.all()
    }
    answers: dict[int, list[Answer]] = defaultdict(list)
    for answer in (
        assessment.answers.filter(question_id__in=ids)
        .select_related("respondent")
        .order_by("respondent__username")
    ):
        answer.level_label = labels.get((answer.question_id, answer.level_value), "")
        answers[answer.question_id].append(answer)
    comments: dict[int, list[Comment]] = defaultdict(list)
    for comment in assessment.comments.filter(question_id__in=ids).select_related("author"):
        comments[comment.question_id].append(comment)
    history = answer_history(assessment, ids)
    items = [
        DiscussionItem(row, answers[pk], comments[pk], history[pk])
        for row, pk in zip(rows, ids, strict=True)
    ]
    categories = [(c.category.key, c.category.name) for c in page.categories]
    return Discussion(page, items, role_comparison(assessment, categories))


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
    assessment: Assessment, *, question_keys: list[str] = (), category_key: str = ""
) -> list[int]:
    """The assessment's questions with those keys, or in that category: none for any other key."""
    questions = Question.objects.filter(version_id=assessment.version_id)
    if question_keys:
        questions = questions.filter(key__in=question_keys)
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
