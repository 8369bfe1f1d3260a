"""Views for question banks and assessments: thin, each authorizes, binds, calls one service."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import trigger_client_event

from assessment import consensus, queries, services
from assessment.forms import AnswerForm, CommentForm, SettleForm, StartAssessmentForm
from assessment.models import Answer, Assessment, BankVersion, Question
from projects import access


def bank_preview(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """A bank version exactly as respondents will see the questionnaire; staff only."""
    if not request.user.is_staff:
        raise Http404
    version = queries.version_for_preview(slug=slug, number=number)
    if version is None:
        raise Http404
    categories = list(version.categories.all())
    question_count = sum(len(category.questions.all()) for category in categories)
    context = {"version": version, "categories": categories, "question_count": question_count}
    return render(request, "assessment/bank_preview.html", context)


def get_assessment_for_user(request: HttpRequest, pk: int) -> Assessment:
    assessment = queries.assessment_for_user(request.user, pk)
    if assessment is None:
        raise Http404
    return assessment


def _require_open(assessment: Assessment) -> None:
    if not assessment.is_open:
        raise PermissionDenied(_("This assessment is submitted; its answers can no longer change."))


def _get_question(assessment: Assessment, key: str) -> Question:
    """A question of the assessment's own bank version; any other key is a 404."""
    question = assessment.version.questions.filter(key=key).first()
    if question is None:
        raise Http404
    return question


def _question_url(assessment: Assessment, key: str) -> str:
    return f"{assessment.get_absolute_url()}#question-{key}"


@require_http_methods(["GET", "POST"])
def assessment_start(request: HttpRequest, slug: str) -> HttpResponse:
    project = access.get_project_for_user(request.user, slug)
    latest = queries.latest_published_versions()
    has_previous = project.assessments.filter(status=Assessment.Status.SUBMITTED).exists()
    form = StartAssessmentForm(
        request.POST or None,
        versions=BankVersion.objects.filter(pk__in=[v.pk for v in latest]),
        can_carry_over=has_previous,
        initial={
            "title": _("%(project)s assessment") % {"project": project.name},
            "carry_over": has_previous,
            "version": next(
                (v for v in latest if v.bank.slug == queries.DEFAULT_BANK),
                latest[0] if latest else None,
            ),
        },
    )
    if request.method == "POST" and form.is_valid():
        assessment = services.start_assessment(
            project=project,
            version=form.cleaned_data["version"],
            started_by=request.user,
            title=form.cleaned_data["title"],
            carry_over=form.cleaned_data.get("carry_over", False),
        )
        return redirect(assessment)
    return render(request, "assessment/start.html", {"project": project, "form": form})


def questionnaire(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request, pk)
    page = queries.questionnaire(assessment, request.user)
    context = {
        "page": page,
        "assessment": assessment,
        "progress": page.progress,
        "nav_items": page.nav_items,
        "editable": assessment.is_open,
        "na_reasons": Answer.NotApplicableReason.choices,
    }
    return render(request, "assessment/questionnaire.html", context)


@require_POST
def save_answer(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    """Autosave (htmx) or plain form post of one respondent's answer to one question."""
    assessment = get_assessment_for_user(request, pk)
    _require_open(assessment)
    team = queries.team_answers(assessment)
    info = team.questions.get(key)
    if info is None:
        raise Http404(_("No such question in this assessment's bank version."))
    form = AnswerForm(
        request.POST, scale=queries.scale_of(assessment.version), allow_na=info.allow_na
    )
    if not form.is_valid():
        if request.htmx:
            return render(
                request,
                "assessment/_answer_status.html",
                {"question_key": key, "error": form.first_error()},
                status=422,
            )
        messages.error(request, _("Not saved: %(error)s") % {"error": form.first_error()})
        return redirect(_question_url(assessment, key))

    username = request.user.get_username()
    answer = form.to_input()
    confirmed = services.record_answer(
        assessment=assessment,
        question_id=info.id,
        respondent=request.user,
        answer=answer,
        previous=team.mine(info.id, username),
    )
    if not request.htmx:
        messages.success(request, _("Answer saved."))
        return redirect(_question_url(assessment, key))

    # The new state, without reading it back: the upsert wrote exactly this response.
    team.replace(info.id, consensus.Response(username, answer.value, answer.not_applicable))
    if confirmed:
        team.carried_over.discard((info.id, request.user.pk))
    teams = queries.consensus_by_question(assessment, team)
    context = {
        "question_key": key,
        "saved": True,
        "carried": (info.id, request.user.pk) in team.carried_over,
        "confirmed_at": timezone.now()
        if confirmed
        else team.confirmed_at.get((info.id, request.user.pk)),
        "team": teams[info.id],
        "others": [
            r for r in team.responses[info.id] if r.respondent != username and r.is_answered
        ],
        "progress": consensus.progress_of(teams.values()),
        "nav_items": team.nav_items(teams),
        "assessment": assessment,
    }
    response = render(request, "assessment/_answer_saved.html", context)
    return trigger_client_event(response, "answer-saved", {"question": key})


@require_POST
def add_comment(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    assessment = get_assessment_for_user(request, pk)
    _require_open(assessment)
    question = _get_question(assessment, key)
    form = CommentForm(request.POST)
    if form.is_valid():
        services.add_comment(
            assessment=assessment,
            question_id=question.pk,
            author=request.user,
            text=form.cleaned_data["text"],
        )
    elif not request.htmx:
        messages.error(request, _("Write a comment of at most 2,000 characters."))
    if request.htmx:
        comments = assessment.comments.filter(question=question).select_related("author")
        return render(
            request,
            "assessment/_comments.html",
            {"assessment": assessment, "question": question, "comments": comments, "form": form},
            status=200 if form.is_valid() else 422,
        )
    if request.POST.get("next_page") == "discuss":
        return redirect(reverse("assessment:discuss", args=[pk]) + f"#question-{key}")
    return redirect(_question_url(assessment, key))


@require_POST
def settle(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    """Record (or, with `reopen`, remove) the level the team agreed on for a question."""
    assessment = get_assessment_for_user(request, pk)
    _require_open(assessment)
    question = _get_question(assessment, key)
    if "reopen" in request.POST:
        services.reopen_question(assessment=assessment, question_id=question.pk)
        messages.success(request, _("Reopened: the median of the answers counts again."))
        return redirect(reverse("assessment:discuss", args=[pk]) + f"#question-{key}")
    form = SettleForm(
        request.POST, scale=queries.scale_of(assessment.version), allow_na=question.allow_na
    )
    if not form.is_valid():
        messages.error(request, _("Choose one of the question's levels to settle on."))
    else:
        choice = form.cleaned_data["choice"]
        services.settle_question(
            assessment=assessment,
            question_id=question.pk,
            by=request.user,
            value=None if choice == "na" else choice,
            not_applicable=choice == "na",
            note=form.cleaned_data["note"],
        )
        messages.success(request, _("Settled. The team's answer is recorded."))
    return redirect(reverse("assessment:discuss", args=[pk]) + f"#question-{key}")


def discuss(request: HttpRequest, pk: int) -> HttpResponse:
    """The questions the team disagrees on, everyone's answers side by side, for a meeting."""
    assessment = get_assessment_for_user(request, pk)
    page = queries.questionnaire(assessment, request.user)
    rows = [
        row
        for category in page.categories
        for row in category.questions
        if row.consensus.discuss or row.settlement
    ]
    history = queries.answer_history(assessment, [row.question.pk for row in rows])
    items = [(row, history[row.question.pk]) for row in rows]
    context = {"assessment": assessment, "page": page, "items": items}
    return render(request, "assessment/discuss.html", context)


@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request, pk)
    _require_open(assessment)
    can_manage = access.can_manage(request.user, assessment.project.team)
    page = queries.questionnaire(assessment, request.user)
    if request.method == "POST":
        try:
            services.submit_assessment(
                assessment=assessment,
                by=request.user,
                allow_unanswered=can_manage and request.POST.get("confirm_unanswered") == "yes",
            )
        except services.IncompleteAssessmentError as error:
            messages.error(
                request,
                _("%(count)d question(s) still need an answer or “not applicable”.")
                % {"count": len(error.unanswered)},
            )
            status = 400
        else:
            messages.success(request, _("Submitted. The answers are now read-only."))
            return redirect("assessment:results", pk=assessment.pk)
    else:
        status = 200
    context = {"assessment": assessment, "page": page, "can_manage": can_manage}
    return render(request, "assessment/submit.html", context, status=status)
