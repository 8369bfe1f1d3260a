"""The API's endpoints: authorize (token and scope, then the access module), read or act through
the same queries and services as the pages, answer with the documented shapes."""

import base64
import binascii
import functools

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Header, NinjaAPI, Query, Schema, Status
from ninja.errors import AuthenticationError, ValidationError
from paydown.scan import document as scan_document
from pydantic import Field

from assessment import access, exports, services
from assessment import queries as team_queries
from assessment.api import schemas
from assessment.api.auth import TokenAuth, require_scope
from assessment.api.problems import Problem, field_errors, problem_response
from assessment.models import (
    Answer,
    Assessment,
    SubmittedAssessmentError,
    TeamAnswer,
    TrackedAction,
)
from assessment.questionnaire.forms import AnswerForm, na_reasons_for
from assessment.reports import tasks as report_tasks
from assessment.results import queries as results
from assessment.services import scans
from banks import files as bank_files
from banks import queries as bank_queries
from banks.models import BankVersion
from projects import services as project_services

api = NinjaAPI(
    title="Paydown API",
    version="1",
    description="Projects, assessments, answers, results and plans (docs/api.md). Send "
    "`Authorization: Bearer <token>`; errors are RFC 9457 problem details.",
    auth=TokenAuth(),
    urls_namespace="api",
)

MAX_PAGE = 200


# --- errors ----------------------------------------------------------------------------------------


@api.exception_handler(Problem)
def _problem(request, exc: Problem):
    return problem_response(request, exc)


@api.exception_handler(ValidationError)
def _invalid(request, exc: ValidationError):
    errors = field_errors(exc.errors)
    return problem_response(request, Problem(422, "Invalid request", errors=errors))


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    problem = Problem(401, "Not authenticated", "Send a live token: Authorization: Bearer …")
    problem.headers["WWW-Authenticate"] = "Bearer"
    return problem_response(request, problem)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return problem_response(request, Problem(404, "Not found", str(exc) or ""))


@api.exception_handler(SubmittedAssessmentError)
def _submitted(request, exc):
    return problem_response(request, Problem(409, "Submitted", str(exc)))


# --- cursor pagination -----------------------------------------------------------------------------


def cursor_page(rows: QuerySet, cursor: str | None, limit: int, shape) -> dict:
    """Rows after the cursor, by primary key: stable while rows are added, and the same cost on
    page 1 as on page 1,000. The cursor is opaque to clients (the last key, encoded)."""
    after = 0
    if cursor:
        try:
            after = int(base64.urlsafe_b64decode(cursor.encode()).decode())
        except (ValueError, binascii.Error, UnicodeDecodeError):
            raise Problem(
                400, "Bad cursor", errors=[{"path": "query.cursor", "message": "not a cursor"}]
            ) from None
    page = list(rows.filter(pk__gt=after).order_by("pk")[: limit + 1])
    more = len(page) > limit
    page = page[:limit]
    following = base64.urlsafe_b64encode(str(page[-1].pk).encode()).decode() if more else None
    return {"items": [shape(row) for row in page], "next": following}


class Paging(Schema):
    cursor: str | None = None
    limit: int = Field(50, ge=1, le=MAX_PAGE)


# --- projects and assessments ----------------------------------------------------------------------


def _project(project) -> dict:
    return {
        "slug": project.slug,
        "name": project.name,
        "team": project.team.name,
        "kind": project.kind,
        "risk_tier": project.risk_tier,
    }


def _assessment(assessment: Assessment) -> dict:
    return {
        "id": assessment.pk,
        "project": assessment.project.slug,
        "title": assessment.title,
        "status": assessment.status,
        "bank": assessment.version.bank.slug,
        "bank_version": assessment.version.number,
        "created": assessment.created,
        "submitted": assessment.submitted_at,
    }


@api.get("/projects", response=schemas.Page[schemas.ProjectOut], tags=["projects"])
def list_projects(request: HttpRequest, paging: Query[Paging]):
    require_scope(request, "read")
    rows = access.token_projects(request.api_token).select_related("team")
    return cursor_page(rows, paging.cursor, paging.limit, _project)


@api.get("/projects/{slug}", response=schemas.ProjectOut, tags=["projects"])
def get_project(request: HttpRequest, slug: str):
    require_scope(request, "read")
    return _project(access.get_project_for_token(request.api_token, slug))


@api.get(
    "/projects/{slug}/assessments",
    response=schemas.Page[schemas.AssessmentOut],
    tags=["assessments"],
)
def list_assessments(request: HttpRequest, slug: str, paging: Query[Paging]):
    require_scope(request, "read")
    project = access.get_project_for_token(request.api_token, slug)
    rows = project.assessments.select_related("project", "version__bank")
    return cursor_page(rows, paging.cursor, paging.limit, _assessment)


@api.post(
    "/projects/{slug}/assessments",
    response={201: schemas.AssessmentOut},
    tags=["assessments"],
)
def start_assessment(request: HttpRequest, slug: str, body: schemas.AssessmentIn):
    token = require_scope(request, "answer")
    project = access.get_project_for_token(token, slug)
    if body.version is None:
        version = bank_queries.latest_published(body.bank)
    else:
        version = bank_queries.published_version(body.bank, body.version)
    if version is None:
        wanted = body.bank if body.version is None else f"{body.bank} version {body.version}"
        raise Problem(
            422,
            "Unknown bank",
            errors=[{"path": "body.bank", "message": f"no published bank '{wanted}'"}],
        )
    assessment = services.start_assessment(
        project=project,
        version=version,
        started_by=token.user,
        title=body.title,
        carry_over=body.carry_over,
    )
    return Status(201, _assessment(access.get_assessment_for_token(token, assessment.pk)))


@api.get("/assessments/{int:pk}", response=schemas.AssessmentOut, tags=["assessments"])
def get_assessment(request: HttpRequest, pk: int):
    require_scope(request, "read")
    return _assessment(access.get_assessment_for_token(request.api_token, pk))


# --- answers ---------------------------------------------------------------------------------------


def _form_data(body: schemas.AnswerIn) -> dict:
    """The questionnaire form's fields, so that the API and the page apply one set of rules."""
    chosen = [body.level is not None, body.not_applicable, body.dont_know]
    if sum(chosen) > 1:
        raise Problem(
            422,
            "Invalid answer",
            errors=[
                {
                    "path": "body",
                    "message": "give one of level, not_applicable and dont_know",
                }
            ],
        )
    choice = ""
    if body.level is not None:
        choice = f"{body.level.normalize():f}"
    elif body.not_applicable:
        choice = "na"
    elif body.dont_know:
        choice = "dont_know"
    data = {
        "choice": choice,
        "na_reason": body.na_reason,
        "na_detail": body.na_detail,
        "notes": body.notes,
        "links": "\n".join(body.links),
    }
    if body.confirm:
        data["confirm"] = "on"
    return data


FORM_FIELDS = {"choice": "level", "links": "links", "notes": "notes", "na_reason": "na_reason"}


@api.put(
    "/assessments/{int:pk}/answers/{question_key}",
    response=schemas.AnswerOut,
    tags=["answers"],
)
def put_answer(request: HttpRequest, pk: int, question_key: str, body: schemas.AnswerIn):
    """The token's user's own answer, saved through the same locked path as the questionnaire."""
    token = require_scope(request, "answer")
    with transaction.atomic():
        assessment = access.lock_open_assessment_for_token(token, pk)
        current = team_queries.question_answers(
            assessment, key=question_key, respondent_id=token.user.pk
        )
        if current is None:
            raise Http404(_("No such question in this assessment's bank version."))
        form = AnswerForm(
            _form_data(body),
            scale=bank_queries.scale_of(assessment.version),
            allow_na=current.question.allow_na,
            na_reasons=na_reasons_for(assessment.version),
        )
        if not form.is_valid():
            errors = [
                {"path": f"body.{FORM_FIELDS.get(field, field)}", "message": str(messages[0])}
                for field, messages in form.errors.items()
            ]
            raise Problem(422, "Invalid answer", errors=errors)
        services.record_answer(
            assessment=assessment,
            question_id=current.question.id,
            respondent=token.user,
            answer=form.to_input(),
            current=current,
        )
    saved = Answer.objects.select_related("question").get(
        assessment=assessment, question_id=current.question.id, respondent=token.user
    )
    return _answer(saved)


def _answer(answer: Answer) -> dict:
    return {
        "question": answer.question.key,
        "level": answer.level_value,
        "not_applicable": answer.not_applicable,
        "na_reason": answer.na_reason,
        "na_detail": answer.na_detail,
        "dont_know": answer.dont_know,
        "notes": answer.notes,
        "links": answer.link_list,
    }


@api.get("/assessments/{int:pk}/answers", response=schemas.AnswersOut, tags=["answers"])
def get_answers(request: HttpRequest, pk: int):
    """The token's user's answers and the team's, one row a question (the kept team answers)."""
    token = require_scope(request, "read")
    assessment = access.get_assessment_for_token(token, pk)
    mine = assessment.answers.filter(respondent=token.user).select_related("question")
    team = TeamAnswer.objects.filter(assessment=assessment).select_related("question")
    return {
        "mine": [_answer(a) for a in mine.order_by("question__category__order", "question__order")],
        "team": [
            {
                "question": t.question.key,
                "level": t.level_value,
                "not_applicable": t.not_applicable,
                "dont_know": t.dont_know,
                "discuss": t.discuss,
                "to_confirm": t.to_confirm,
            }
            for t in team.order_by("question__category__order", "question__order")
        ],
    }


# --- scans ---------------------------------------------------------------------------------------

SCAN_BODY = {
    "required": True,
    "description": "The output of `paydown scan --format json` (schema paydown.scan/1, "
    "docs/exports.md), at most 2 MB.",
    "content": {"application/json": {"schema": {"type": "object"}}},
}


@api.post(
    "/assessments/{int:pk}/scans",
    response={201: schemas.ScanOut},
    tags=["answers"],
    openapi_extra={"requestBody": SCAN_BODY},
)
def attach_scan(request: HttpRequest, pk: int):
    """Attach a repository scan: its suggestions wait on their questions for a person; nothing is
    answered. `paydown scan --push` sends one."""
    token = require_scope(request, "answer")
    assessment = access.get_assessment_for_token(token, pk)  # attach_scan refuses a submitted one
    try:
        document = scan_document.read(request.body)
    except scan_document.ScanDocumentError as error:
        raise Problem(
            422,
            "Invalid scan",
            errors=[{"path": "body", "message": problem} for problem in error.errors],
        ) from None
    try:
        attached = scans.attach_scan(assessment=assessment, document=document, by=token.user)
    except scans.ScanRefused as refused:
        raise Problem(422, "Scan of another bank", str(refused)) from None
    return Status(
        201,
        {"id": attached.scan.pk, "suggestions": attached.suggestions, "ignored": attached.ignored},
    )


# --- submit, results, plan -------------------------------------------------------------------------


@api.post("/assessments/{int:pk}/submit", response=schemas.SubmittedOut, tags=["assessments"])
def submit(
    request: HttpRequest,
    pk: int,
    body: schemas.SubmitIn,
    idempotency_key: str = Header(..., alias="Idempotency-Key", max_length=200),
):
    """Submit once: a retry with the same Idempotency-Key answers as the first submit did."""
    token = require_scope(request, "submit")
    assessment = access.get_assessment_for_token(token, pk)
    if not assessment.is_open:
        if assessment.submit_key == idempotency_key:
            return _submitted_result(assessment)
        raise SubmittedAssessmentError.of(assessment)
    allow_open_items = body.allow_open_items
    if allow_open_items and not (
        token.allows("manage") and access.can_manage(token.user, assessment.project.team)
    ):
        raise Problem(403, "Managers only", "Only a manager's token with the manage scope may.")
    with transaction.atomic():
        try:
            submitted = services.submit_assessment(
                assessment=assessment, by=token.user, allow_open_items=allow_open_items
            )
        except services.IncompleteAssessmentError as error:
            problem = Problem(409, "Open items", str(error))
            problem.errors = [
                {"path": f"questions.{key}", "message": kind}
                for kind, keys in (
                    ("unanswered", error.unanswered),
                    ("to confirm", error.to_confirm),
                    ("to settle", error.unsettled),
                )
                for key in keys
            ]
            raise problem from None
        Assessment.objects.filter(pk=pk).update(submit_key=idempotency_key)
        transaction.on_commit(
            functools.partial(
                report_tasks.queue_assessment_report,
                result=submitted.result,
                requested_by=token.user,
            )
        )
    return _submitted_result(submitted)


def _submitted_result(assessment: Assessment) -> dict:
    result = results.load_result(assessment)
    return {
        "id": assessment.pk,
        "overall": result.overall,
        "level": result.level,
        "level_name": result.level_name,
        "integrity_sha256": result.integrity_sha256,
    }


@api.get("/assessments/{int:pk}/results", response=dict, tags=["results"])
def get_results(request: HttpRequest, pk: int):
    """The results export (docs/exports.md): the bytes the PDF's integrity hash is taken of."""
    require_scope(request, "read")
    assessment = access.get_submitted_assessment_for_token(request.api_token, pk)
    return exports.results_data(assessment, results.load_result(assessment, answers=True))


@api.get("/assessments/{int:pk}/plan", response=dict, tags=["results"])
def get_plan(request: HttpRequest, pk: int):
    """The remediation plan export (docs/exports.md): every step with why, gain and prerequisites."""
    require_scope(request, "read")
    assessment = access.get_submitted_assessment_for_token(request.api_token, pk)
    return exports.plan_data(assessment, results.plan_page(assessment).actions)


# --- banks -----------------------------------------------------------------------------------------


def _version(version: BankVersion) -> dict:
    return {
        "bank": version.bank.slug,
        "name": version.bank.name,
        "version": version.number,
        "status": version.status,
        "scoring": version.scoring_method,
        "method_version": version.method_version,
    }


@api.get("/banks", response=schemas.Page[schemas.BankVersionOut], tags=["banks"])
def list_bank_versions(request: HttpRequest, paging: Query[Paging]):
    """Published and retired versions (drafts are staff's work in progress)."""
    require_scope(request, "read")
    rows = BankVersion.objects.exclude(status=BankVersion.Status.DRAFT).select_related("bank")
    return cursor_page(rows, paging.cursor, paging.limit, _version)


@api.get("/banks/{slug}/versions/{int:number}", tags=["banks"], response={200: str})
def export_bank_version(request: HttpRequest, slug: str, number: int):
    """The version as a bank file (YAML, docs/bank-format.md)."""
    require_scope(request, "read")
    version = bank_queries.version_to_export(slug=slug, number=number)
    if version is None or version.is_draft:
        raise Http404(_("No such published bank version."))
    return HttpResponse(bank_files.export_version(version), content_type="application/yaml")


# --- backlog ---------------------------------------------------------------------------------------


def _tracked(action: TrackedAction) -> dict:
    return {
        "id": action.pk,
        "question": action.question_key,
        "category": action.category_key,
        "title": action.title,
        "advice": action.advice,
        "from_level": action.from_value,
        "to_level": action.to_value,
        "status": action.status,
        "owner": action.owner.get_username() if action.owner else None,
        "due": action.due,
        "source_assessment": action.source_id,
    }


def _team_member(project, username: str | None, path: str):
    if not username:
        return None
    member = access.team_members(project.team_id).filter(username=username).first()
    if member is None:
        raise Problem(
            422, "Unknown owner", errors=[{"path": path, "message": "not a member of the team"}]
        )
    return member


@api.get(
    "/projects/{slug}/backlog",
    response=schemas.Page[schemas.TrackedActionOut],
    tags=["backlog"],
)
def list_backlog(request: HttpRequest, slug: str, paging: Query[Paging]):
    require_scope(request, "read")
    project = access.get_project_for_token(request.api_token, slug)
    rows = project.actions.select_related("owner")
    return cursor_page(rows, paging.cursor, paging.limit, _tracked)


@api.post(
    "/assessments/{int:pk}/backlog",
    response={201: schemas.TrackedActionOut, 200: schemas.TrackedActionOut},
    tags=["backlog"],
)
def track_action(request: HttpRequest, pk: int, body: schemas.TrackIn):
    """Take a step of this assessment's plan into the backlog (once per plan and question: a
    second time answers 200 with the action as it stands)."""
    require_scope(request, "manage")
    assessment = access.get_submitted_assessment_for_token(request.api_token, pk)
    action = results.plan_action(assessment, body.question)
    if action is None:
        raise Problem(
            422,
            "Not in the plan",
            errors=[{"path": "body.question", "message": "no step of this plan"}],
        )
    owner = _team_member(assessment.project, body.owner, "body.owner")
    tracked, created = services.track_action(
        assessment=assessment, action=action, owner=owner, due=body.due
    )
    return Status(201 if created else 200, _tracked(tracked))


@api.patch(
    "/projects/{slug}/backlog/{int:action_id}",
    response=schemas.TrackedActionOut,
    tags=["backlog"],
)
def update_backlog_item(
    request: HttpRequest, slug: str, action_id: int, body: schemas.TrackedActionPatch
):
    """Change status, owner or due date; accepted_risk needs risk_reason and risk_until, and
    records the project's acceptance as the backlog page does."""
    token = require_scope(request, "manage")
    action = access.get_tracked_action_for_token(token, slug, action_id)
    status = body.status or action.status
    if status not in TrackedAction.Status.values:
        raise Problem(
            422, "Unknown status", errors=[{"path": "body.status", "message": "not a status"}]
        )
    fields = body.model_fields_set
    owner = (
        _team_member(action.project, body.owner, "body.owner")
        if "owner" in fields
        else action.owner
    )
    accepting = status == TrackedAction.Status.ACCEPTED_RISK
    if accepting and status != action.status and not (body.risk_reason.strip() and body.risk_until):
        raise Problem(
            422,
            "Say why and until when",
            errors=[{"path": "body.risk_reason", "message": "needed with accepted_risk"}],
        )
    try:
        updated = services.update_tracked_action(
            action=action,
            status=status,
            owner=owner,
            due=body.due if "due" in fields else action.due,
            by=token.user,
            today=timezone.localdate(),
            risk_reason=body.risk_reason,
            risk_until=body.risk_until,
        )
    except project_services.AcceptanceRefused as refused:
        raise Problem(
            422, "Not accepted", errors=[{"path": "body.risk_until", "message": str(refused)}]
        ) from None
    return _tracked(access.get_tracked_action_for_token(token, slug, updated.pk))


@api.delete("/projects/{slug}/backlog/{int:action_id}", response={204: None}, tags=["backlog"])
def delete_backlog_item(request: HttpRequest, slug: str, action_id: int):
    """Take an item out of the backlog; an accepted risk it recorded is withdrawn with it."""
    token = require_scope(request, "manage")
    services.remove_tracked_action(
        action=access.get_tracked_action_for_token(token, slug, action_id), by=token.user
    )
    return Status(204, None)


def urls() -> list[URLPattern | URLResolver]:
    """The API's URL patterns, open to requests without a session: a token, not a login cookie,
    authenticates them (LoginRequiredMiddleware would redirect them to the login page)."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback.login_required = False
    return patterns, app_name, namespace
