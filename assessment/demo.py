"""Demo assessments: a year of history per project, tracked actions, and an in-progress questionnaire."""

import random
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from assessment import access, services
from assessment.models import Answer, Assessment, Evidence, LatestResult, TrackedAction
from assessment.results import queries as results
from assessment.services import scans
from banks import queries as bank_queries
from banks.models import BankVersion
from projects import services as project_services
from projects.models import AcceptedRisk, Profile, Project, Team


def review_title(when) -> str:
    """An assessment's title by its month: the history's are a month apart or more, so no two of
    a project's assessments share a title (issue #18: two "2026 Q2 review" on one project)."""
    return f"{when:%B %Y} review"


@transaction.atomic
def seed_in_progress_assessment() -> Assessment | None:
    """Answer part of the default bank for the query ranker as alice and bob; skip if present."""
    project = Project.objects.filter(slug="query-ranker").first()
    version = bank_queries.latest_published()
    if project is None or version is None:
        return None
    if project.assessments.filter(status=Assessment.Status.IN_PROGRESS).exists():
        return None
    users = get_user_model().objects.in_bulk(["alice", "bob"], field_name="username")
    title = review_title(timezone.localdate())
    if project.assessments.filter(title=title).exists():  # the last one was this month too
        today = timezone.localdate()
        title = f"{today.day} {today:%B %Y} reassessment"
    assessment = services.start_assessment(
        project=project, version=version, started_by=users["bob"], title=title
    )
    rng = random.Random(2026)
    questions = list(version.questions.order_by("category__order", "order"))
    for index, question in enumerate(questions[:30]):
        alice_level = rng.choice([1, 2, 2, 3])
        # Every tenth question: bob sees it two levels apart, so the team must discuss it.
        if index % 10 == 3:
            bob_level = alice_level - 2 if alice_level >= 2 else alice_level + 2
        else:
            bob_level = alice_level + rng.choice([-1, 0, 0, 1])
        for username, level in (("alice", alice_level), ("bob", max(0, bob_level))):
            if username == "bob" and index >= 24:
                continue  # bob has not reached the last questions yet
            services.record_answer(
                assessment=assessment,
                question_id=question.pk,
                respondent=users[username],
                answer=services.AnswerInput(
                    value=Decimal(level),
                    notes="Checked in the pipeline config."
                    if level >= 3 and username == "alice"
                    else "",
                    links=DEMO_LINKS.get(index, "") if username == "alice" else "",
                ),
            )
    _age_evidence(assessment)
    _seed_scan(assessment, users["bob"])
    return assessment


# Links of alice's first answers; the first one's confirmation is made a year old, so its card
# shows stale evidence and offers to re-attest it (issue #15).
DEMO_LINKS = {0: "https://wiki.example/ranker/schema", 1: "https://ci.example/ranker/checks"}


def _age_evidence(assessment: Assessment) -> None:
    year_ago = timezone.now() - timedelta(days=365)
    Evidence.objects.filter(answer__assessment=assessment, text=DEMO_LINKS[0]).update(
        added_at=year_ago, confirmed_at=year_ago, stale_after=year_ago + timedelta(days=180)
    )


DEMO_SCAN = {  # what `paydown scan` might say of the ranker's repository
    "data-training-snapshots": (3, "high", [("dvc.lock", 1, "data-training-snapshots-dvc-lock", "schema: '2.0'")]),
    "code-pipeline-structure": (3, "high", [("dags/ranker_retrain.py", 12, "code-pipeline-structure-airflow-dag", "with DAG(")]),
    "skills-model-ownership": (2, "low", [(".github/CODEOWNERS", 1, "skills-model-ownership-codeowners", "* @search/ranking")]),
}  # fmt: skip


def _seed_scan(assessment: Assessment, bob) -> None:
    """Suggestions waiting on three questions, as an uploaded scan leaves them."""
    version = assessment.version
    questions = [
        {
            "key": key,
            "category": "",
            "status": "suggested",
            "suggested_level": level,
            "confidence": confidence,
            "files": len(evidence),
            "rules": [rule for _, _, rule, _ in evidence],
            "evidence": [
                {"path": path, "line": line, "rule": rule, "excerpt": excerpt}
                for path, line, rule, excerpt in evidence
            ],
        }
        for key, (level, confidence, evidence) in DEMO_SCAN.items()
    ]
    document = {
        "schema": "paydown.scan/1",
        "bank": {"slug": version.bank.slug, "version": version.number},
        "root": "query-ranker",
        "revision": "3f2a9c1e" * 5,
        "files_scanned": 412,
        "questions": questions,
    }
    scans.attach_scan(assessment=assessment, document=document, by=bob)


def seed_history(
    project: Project, *, assessments: int, rng: random.Random, ends_days_ago: int = 35
) -> int:
    """A year of quarterly-ish submitted assessments with uneven progress; returns how many.

    Each question has a hidden true level that drifts upward at a pace of its category's own (some
    teams invest in monitoring, others never touch configuration), with the odd regression; each
    respondent reports it give or take a level. The history runs on the default bank's first
    published version and the latest assessment on the version that maps its keys from the first
    (version 2; the in-progress one then starts on the newest), so trends cross a bank version as
    they do for real teams; a question that starts a new series inherits its predecessor's truth.
    Answers go in by bulk insert, then the real submit service scores and stores each result, so
    the history is what the app itself would compute.
    """
    versions = list(
        BankVersion.objects.published()
        .filter(bank__slug=bank_queries.DEFAULT_BANK)
        .order_by("number")
    )
    if not versions or project.assessments.filter(status=Assessment.Status.SUBMITTED).exists():
        return 0
    successor = next(
        (v for v in versions if v.previous_version.get("version") == versions[0].number),
        versions[-1],
    )
    respondents = list(access.team_members(project.team_id))
    if not respondents:
        return 0
    roles = dict(
        Profile.objects.filter(user__in=respondents).values_list("user_id", "respondent_role")
    )
    pace: dict[str, float] = {}
    truth: dict[str, int] = {}
    now = timezone.now()
    first_day = now - timedelta(days=330 + ends_days_ago)
    # The project existed before its history began (issue #18: "created 1 Dec 2026", assessed
    # since 2025, contradicted itself), a month before the first assessment started.
    Project.objects.filter(pk=project.pk).update(created=first_day - timedelta(days=37))
    step = timedelta(days=330 // max(assessments - 1, 1))
    for index in range(assessments):
        last = index == assessments - 1
        version = successor if last else versions[0]
        questions = list(
            version.questions.select_related("category").order_by("category__order", "order")
        )
        predecessor = {
            new: old for old, new in version.previous_version.get("keys", {}).items() if new
        }
        for question in questions:
            pace.setdefault(question.category.key, rng.choice([0.05, 0.15, 0.3, 0.45]))
            if question.key not in truth:
                inherited = truth.get(predecessor.get(question.key, ""))
                truth[question.key] = (
                    inherited if inherited is not None else rng.choice([0, 0, 1, 1, 2])
                )
        if last and project.slug in GATED_DEMO_PROJECTS:
            truth.update(_strong_but_unmonitored(truth, questions))
        when = first_day + index * step
        assessment = Assessment.objects.create(
            project=project,
            version=version,
            title=review_title(when),
            started_by=respondents[0],
        )
        answers = []
        for question in questions:
            key = question.key
            if rng.random() < pace[question.category.key]:
                truth[key] = min(4, truth[key] + 1)
            elif rng.random() < 0.04:
                truth[key] = max(0, truth[key] - 1)
            for respondent in respondents:
                bias = ROLE_BIAS.get((roles.get(respondent.pk), question.category.key), 0)
                level = min(4, max(0, truth[key] + bias + rng.choice([-1, 0, 0, 0, 1])))
                answers.append(
                    Answer(
                        assessment=assessment,
                        question=question,
                        respondent=respondent,
                        level_value=Decimal(level),
                        confirmed_at=when,
                    )
                )
        Answer.objects.bulk_create(answers)
        services.submit_assessment(assessment=assessment, by=respondents[0], allow_open_items=True)
        backdate_submit(assessment, when)
    return assessments


# How a role's view differs from the others' (results compare the roles, issue #17): data scientists
# see their own data practices better than the ML engineers who build on them do.
ROLE_BIAS = {
    (Profile.RespondentRole.DATA_SCIENTIST.value, "data"): 1,
    (Profile.RespondentRole.ML_ENGINEER.value, "data"): -1,
}

# A project whose latest assessment is strong everywhere but has no prediction monitoring: its mean
# reads Managed or better while the gates (a critical question at 0) hold its level at 1.
GATED_DEMO_PROJECTS = {"fraud-scoring"}
UNMONITORED = "ops-prediction-monitoring"


def _strong_but_unmonitored(truth: dict[str, int], questions) -> dict[str, int]:
    keys = {q.key for q in questions}
    if UNMONITORED not in keys:
        return {}
    return {key: (0 if key == UNMONITORED else max(truth[key], 3)) for key in keys}


def backdate_submit(assessment: Assessment, when) -> None:
    """As if the assessment had been started a week before `when` and submitted at `when`, its
    portfolio row included."""
    Assessment.objects.filter(pk=assessment.pk).update(
        created=when - timedelta(days=7), submitted_at=when
    )
    LatestResult.objects.filter(assessment=assessment).update(submitted_at=when)


def seed_tracked_actions(project: Project) -> int:
    """Accept the top of the second-latest plan, so the latest results show what moved."""
    submitted = list(
        project.assessments.filter(status=Assessment.Status.SUBMITTED).order_by("-submitted_at")[:2]
    )
    if len(submitted) < 2 or project.actions.exists():
        return 0
    source = submitted[1]
    page = results.plan_page(source)
    members = list(access.team_members(project.team_id))
    statuses = [TrackedAction.Status.DONE, TrackedAction.Status.DONE, TrackedAction.Status.IN_PROGRESS,
                TrackedAction.Status.OPEN]  # fmt: skip
    for index, action in enumerate(page.actions[: len(statuses)]):
        tracked, _ = services.track_action(
            assessment=source,
            action=action,
            owner=members[index % len(members)] if members else None,
            due=(source.submitted_at + timedelta(days=60)).date(),
        )
        tracked.status = statuses[index]
        tracked.save(update_fields=["status"])
    return min(len(page.actions), len(statuses))


def seed_portfolio(*, extra_projects: int, history: int | None, seed: int = 7) -> int:
    """History for every project (4–8 assessments unless `history` is given), plus generated ones."""
    rng = random.Random(seed)
    teams = list(Team.objects.order_by("pk"))
    for n in range(extra_projects):
        team = teams[n % len(teams)]
        Project.objects.get_or_create(
            slug=f"demo-model-{n + 1:04d}",
            defaults={
                "team": team,
                "name": f"{rng.choice(KIND_NAMES)} {n + 1}",
                "kind": rng.choice(Project.Kind.values),
                "description": "Generated for trying the portfolio dashboard at scale.",
            },
        )
    created = 0
    for project in Project.objects.order_by("pk"):
        with transaction.atomic():
            count = history if history is not None else rng.randint(4, 8)
            # Some projects stopped assessing months ago, so the dashboard has stale ones to show.
            stale = project.slug in STALE_DEMO_PROJECTS or (
                project.slug.startswith("demo-model-") and rng.random() < 0.2
            )
            ends = rng.randint(120, 200) if stale else rng.randint(10, 40)
            created += seed_history(project, assessments=count, rng=rng, ends_days_ago=ends)
            seed_tracked_actions(project)
            seed_accepted_risk(project)
    return created


ACCEPTED_RISK_DEMO = {
    "related-items": "Batch recommendations reviewed each quarter by merchandising; "
    "a wrong list costs clicks, not money."
}


def seed_accepted_risk(project: Project) -> AcceptedRisk | None:
    """The team of an internal project accepts the last gap of its latest plan as a risk."""
    reason = ACCEPTED_RISK_DEMO.get(project.slug)
    latest = (
        project.assessments.filter(status=Assessment.Status.SUBMITTED)
        .order_by("-submitted_at")
        .first()
    )
    if reason is None or latest is None or project.accepted_risks.exists():
        return None
    actions = results.plan_page(latest).actions
    manager = access.team_managers(project.team_id).first()
    if not actions or manager is None:
        return None
    today = timezone.localdate()
    return project_services.accept_risk(
        project=project,
        question_key=actions[-1].question_key,
        by=manager,
        reason=reason,
        until=today + timedelta(days=120),
        today=today,
    )


# Projects whose last assessment is older than their cadence. Credit limits stays stale for good:
# nothing later in the demo reassesses it (issue #18: the only stale project stopped being stale
# once someone tried reassessing it).
STALE_DEMO_PROJECTS = {"related-items", "credit-limits"}
KIND_NAMES = ["Churn model", "Demand forecast", "Search ranker", "Fraud detector", "Recommender",
              "Price optimizer", "Anomaly monitor", "Document classifier", "Lead scorer"]  # fmt: skip
