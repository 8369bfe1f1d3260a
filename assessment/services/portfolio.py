"""The portfolio's kept rows: each project's latest result per bank, and per team how many
projects have each score and each gap in theirs. A submit writes them; a project that moves team
or is deleted takes its counts along. The dashboard reads these, so its cost does not grow with
the number of projects or their histories.

Counts are changed under a lock on the team's row, so two submits in one team never lose each
other's update."""

from collections import Counter

from django.db import transaction
from django.db.models import Model
from django.db.models.signals import post_delete, post_save
from paydown import scoring

from assessment.models import (
    AssessmentResult,
    CategoryResult,
    LatestResult,
    QuestionResult,
    TeamGapCount,
    TeamScoreCount,
)
from projects.models import Project, Team


def latest_for(
    result: AssessmentResult, categories: list[CategoryResult], questions: list[QuestionResult]
) -> LatestResult:
    """The unsaved row of a result that is its project's newest on its bank. `result` needs its
    assessment (with submitted_at and project) and version in hand."""
    return LatestResult(
        project_id=result.assessment.project_id,
        bank_id=result.version.bank_id,
        team_id=result.assessment.project.team_id,
        result=result,
        assessment_id=result.assessment_id,
        submitted_at=result.assessment.submitted_at,
        overall=result.overall,
        scores={c.key: None if c.score is None else str(c.score) for c in categories},
        gaps=[q.question_key for q in questions if LatestResult.is_gap(q)],
        low_confidence=[
            c.key for c in categories if scoring.low_confidence(c.score, c.counted, c.total)
        ],
    )


# No savepoint of its own: it runs inside submit's transaction and fails with it.
@transaction.atomic(savepoint=False)
def record_latest(latest: LatestResult) -> None:
    """Make `latest` its project's latest result on its bank: it takes the previous one's row,
    and the team's counts move from the previous result's scores and gaps to the new ones."""
    _lock_teams([latest.team_id])
    previous = (
        LatestResult.objects.select_for_update()
        .filter(project_id=latest.project_id, bank_id=latest.bank_id)
        .first()
    )
    if previous is not None:
        latest.pk = previous.pk
    latest.save()
    _count([latest], +1, taken_back=[previous] if previous else [])


@transaction.atomic
def record_new_latest(latests: list[LatestResult]) -> None:
    """`record_latest` for many projects that have no latest result on these banks yet (demo and
    bench data): one insert and one count per team and table."""
    _lock_teams({latest.team_id for latest in latests})
    LatestResult.objects.bulk_create(latests)
    _count(latests, +1)


def _lock_teams(team_ids) -> None:
    # In id order, so two transactions locking the same teams never wait on each other in a ring.
    list(Team.objects.select_for_update().filter(pk__in=team_ids).order_by("pk").values("pk"))


def _count(latests: list[LatestResult], sign: int, taken_back: list[LatestResult] = ()) -> None:
    """Add `sign` to the counts of `latests` and take one from those of `taken_back`, in one
    read and write per table."""
    scores: Counter = Counter()
    gaps: Counter = Counter()
    for rows, amount in ((latests, sign), (taken_back, -1)):
        for latest in rows:
            place = (latest.team_id, latest.bank_id)
            scores.update({(*place, column, s): amount for column, s in latest.columns.items()})
            gaps.update({(*place, key): amount for key in latest.gaps})
    _add(TeamScoreCount, ("team_id", "bank_id", "column", "score"), scores)
    _add(TeamGapCount, ("team_id", "bank_id", "question_key"), gaps)


def _add(model: type[Model], fields: tuple[str, ...], amounts: Counter) -> None:
    """Add each amount to the count row its key names, creating rows that do not exist yet (a
    count is never taken below zero: a row gone with its team or bank stays gone)."""
    amounts = Counter({key: n for key, n in amounts.items() if n})
    if not amounts:
        return
    # Each field among the values asked for: a few more rows than the keys, one short query
    # however many keys (an OR per key would outgrow SQLite's expression depth).
    match = {f"{field}__in": {key[i] for key in amounts} for i, field in enumerate(fields)}
    rows = {
        tuple(getattr(row, field) for field in fields): row
        for row in model.objects.filter(**match).select_for_update()
    }
    changed, new = [], []
    for key, n in amounts.items():
        if key in rows:
            rows[key].projects = max(0, rows[key].projects + n)
            changed.append(rows[key])
        elif n > 0:
            new.append(model(**dict(zip(fields, key, strict=True)), projects=n))
    model.objects.bulk_update(changed, ["projects"])
    model.objects.bulk_create(new)


def _forget(sender, instance: LatestResult, **kwargs) -> None:
    """A latest result deleted (replaced at submit, or gone with its project): its team's counts
    give it back."""
    with transaction.atomic():
        _lock_teams([instance.team_id])
        _count([instance], -1)


def _follow_move(sender, instance: Project, created: bool, **kwargs) -> None:
    """A project moved to another team takes its latest results' counts along. A project read
    with its team (`Project.loaded_team_id`) and saved in it costs no query."""
    if created or instance.__dict__.get("loaded_team_id") == instance.team_id:
        return
    with transaction.atomic():
        moved = list(
            LatestResult.objects.filter(project=instance)
            .exclude(team_id=instance.team_id)
            .select_for_update()
        )
        if moved:
            _lock_teams({latest.team_id for latest in moved} | {instance.team_id})
            _count(moved, -1)
            for latest in moved:
                latest.team_id = instance.team_id
            LatestResult.objects.bulk_update(moved, ["team"])
            _count(moved, +1)
    instance.loaded_team_id = instance.team_id


def connect() -> None:
    post_delete.connect(_forget, sender=LatestResult, dispatch_uid="portfolio-forget")
    post_save.connect(_follow_move, sender=Project, dispatch_uid="portfolio-move")
