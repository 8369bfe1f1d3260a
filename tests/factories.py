"""Small builders for test data (each returns a saved object), and answers posted as the page does."""

from itertools import count

from django.contrib.auth import get_user_model
from django.urls import reverse

from assessment import services
from assessment.models import Answer
from projects.models import Membership, Project, Team
from tests.pages import HTMX

_serial = count(1)


def make_user(username: str | None = None, *, is_staff: bool = False):
    username = username or f"user{next(_serial)}"
    return get_user_model().objects.create_user(
        username=username, password="pw-for-tests", is_staff=is_staff
    )


def login_curator(client):
    """Log a superuser in on the client: the admin's bank curation."""
    user = make_user("curator", is_staff=True)
    user.is_superuser = True
    user.save(update_fields=["is_superuser"])
    client.force_login(user)
    return client


def make_tracked_action(project: Project, source, key: str = "data-a", **fields):
    """A tracked action of the small bank's question `key`, from the `source` assessment's plan."""
    from assessment.models import TrackedAction

    defaults = {"category_key": key.split("-")[0], "title": f"Improve {key}", "advice": "Start."}
    defaults.update(to_value=1)
    return TrackedAction.objects.create(
        project=project, source=source, question_key=key, **{**defaults, **fields}
    )


def make_team(name: str | None = None) -> Team:
    n = next(_serial)
    name = name or f"Team {n}"
    return Team.objects.create(name=name, slug=f"team-{n}")


def add_member(team: Team, user, role: str = Membership.Role.MEMBER) -> Membership:
    return Membership.objects.create(team=team, user=user, role=role)


def make_project(team: Team, name: str | None = None) -> Project:
    n = next(_serial)
    return Project.objects.create(team=team, name=name or f"Project {n}", slug=f"project-{n}")


def answer(
    assessment, respondent, levels: dict[str, int | str], **evidence: dict[str, str]
) -> list[Answer]:
    """Save `respondent`'s level per question key ("na": not applicable, as not used; "?": don't
    know); `notes={"data-a": "..."}` adds evidence."""
    questions = {q.key: q for q in assessment.version.questions.all()}
    answers = Answer.objects.bulk_create(
        Answer(
            assessment=assessment,
            question=questions[key],
            respondent=respondent,
            level_value=None if level in ("na", "?") else level,
            not_applicable=level == "na",
            dont_know=level == "?",
            na_reason="not_used" if level == "na" else "",
            **{name: by_key.get(key, "") for name, by_key in evidence.items()},
        )
        for key, level in levels.items()
    )
    services.refresh_team_answers(assessment=assessment)
    return answers


def make_result(project: Project, version, user, levels: dict[str, int], title: str = "Q"):
    """Start, answer (unlisted questions at 0) and submit an assessment; returns its result."""
    assessment = services.start_assessment(
        project=project, version=version, started_by=user, title=title
    )
    answer(assessment, user, {q.key: levels.get(q.key, 0) for q in version.questions.all()})
    return services.submit_assessment(assessment=assessment, by=user).result


def post_answer(client, assessment, key: str, choice: str = "", *, htmx: bool = True, **fields):
    """Post one answer as the questionnaire's form does (htmx autosave, or plain with `htmx=False`)."""
    data = {"choice": choice, "notes": "", "links": "", "na_reason": "", "na_detail": "", **fields}
    url = reverse("assessment:save_answer", args=[assessment.pk, key])
    return client.post(url, data, headers=HTMX if htmx else {})
