"""Answering pages: start an assessment, the questionnaire and its autosave, discussion, submit."""

import functools
from urllib.parse import parse_qs, urlsplit

from django.contrib import messages
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from assessment import access, downloads, exports, services
from assessment import queries as team_queries
from assessment.models import Assessment, SubmittedAssessmentError
from assessment.questionnaire import queries
from assessment.questionnaire.forms import (
    AnswerForm,
    CommentForm,
    SettleForm,
    StartAssessmentForm,
    na_reasons_for,
)
from assessment.reports import tasks as report_tasks
from banks import queries as bank_queries
from banks.models import BankVersion


def bank_preview(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """A bank version exactly as respondents will see the questionnaire; staff only."""
    version = access.get_version_for_preview(request.user, slug, number)
    categories = list(version.categories.all())
    question_count = sum(len(category.questions.all()) for category in categories)
    context = {"version": version, "categories": categories, "question_count": question_count}
    return render(request, "questionnaire/bank_preview.html", context)


def refuse_after_submit(view):
    """A write that reaches an assessment already submitted answers 409, saying who submitted it
    and when; the answer the respondent sent is shown back so nothing typed is lost."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, pk: int, **kwargs) -> HttpResponse:
        try:
            return view(request, pk, **kwargs)
        except SubmittedAssessmentError as error:
            return _submitted_meanwhile(request, error, key=kwargs.get("key", ""))

    return wrapper


def _submitted_meanwhile(
    request: HttpRequest, error: SubmittedAssessmentError, *, key: str
) -> HttpResponse:
    when = timezone.localtime(error.submitted_at) if error.submitted_at else None
    message = _("Not saved: %(who)s submitted this assessment on %(when)s.") % {
        "who": error.submitted_by or _("someone"),
        "when": date_format(when, "DATETIME_FORMAT") if when else _("an earlier moment"),
    }
    if request.htmx and key:
        context = {"question_key": key, "error": message}
        return render(request, "questionnaire/_answer_status.html", context, status=409)
    context = {"message": message, "sent": request.POST}
    return render(request, "questionnaire/submitted_meanwhile.html", context, status=409)


def _discuss_url(assessment: Assessment, key: str) -> str:
    return reverse("assessment:discuss", args=[assessment.pk]) + f"#question-{key}"


@require_http_methods(["GET", "POST"])
def assessment_start(request: HttpRequest, slug: str) -> HttpResponse:
    project = access.get_project_for_user(request.user, slug)
    latest = bank_queries.latest_published_versions()
    has_previous = project.assessments.filter(status=Assessment.Status.SUBMITTED).exists()
    form = StartAssessmentForm(
        request.POST or None,
        versions=BankVersion.objects.filter(pk__in=[v.pk for v in latest]).select_related("bank"),
        can_carry_over=has_previous,
        initial={
            "title": _("%(project)s assessment") % {"project": project.name},
            "carry_over": has_previous,
            "version": next(
                (v for v in latest if v.bank.slug == bank_queries.DEFAULT_BANK),
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
    return render(request, "questionnaire/start.html", {"project": project, "form": form})


def questionnaire(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.get_assessment_for_user(request.user, pk)
    show = request.GET.get("show", "")
    if show in queries.FILTERS:
        page = queries.filtered_page(assessment, request.user, show)
    else:
        show = ""
        page = queries.questionnaire_page(
            assessment,
            request.user,
            category_key=request.GET.get("category", ""),
            question_key=request.GET.get("question", ""),
        )
    return render(
        request, "questionnaire/questionnaire.html", _page_context(assessment, page, show)
    )


def _page_context(assessment: Assessment, page: queries.QuestionnairePage, show: str) -> dict:
    shown = page.shown
    return {
        "page": page,
        "show": show,
        "shown": shown,
        "current_category": shown.current.category.key if shown else "",
        "assessment": assessment,
        "progress": page.progress,
        "nav_items": page.nav_items,
        "editable": assessment.is_open,
        "na_reasons": na_reasons_for(assessment.version),
    }


def _refused_answer_page(
    request: HttpRequest, assessment: Assessment, key: str, form: AnswerForm
) -> HttpResponse:
    """Without JavaScript, a refused answer comes back on its category's page, 422, with what was
    sent still chosen and typed, and the reason in the card, where the first field to mend has
    the focus (a redirect would lose both and scroll past the message)."""
    error = _("Not saved: %(error)s") % {"error": form.first_error()}
    page = queries.questionnaire_page(assessment, request.user, question_key=key)
    for row in page.shown.current.questions:
        if row.question.key == key:
            row.mine, row.error = form.as_sent(), form.first_error()
            row.focus = next(iter(form.errors))
    messages.error(request, error)
    context = _page_context(assessment, page, show="")
    return render(request, "questionnaire/questionnaire.html", context, status=422)


def _answer_not_saved(
    request: HttpRequest, assessment: Assessment, key: str, error: str, *, status: int
) -> HttpResponse:
    """htmx: the question's status region says why; without JavaScript, plain text (a post that
    is not the questionnaire's form has no page to go back to)."""
    if request.htmx:
        context = {"question_key": key, "error": error}
        return render(request, "questionnaire/_answer_status.html", context, status=status)
    return HttpResponseBadRequest(escape(_("Not saved: %(error)s") % {"error": error}))


@require_POST
@refuse_after_submit
def save_answer(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    """Autosave (htmx) or plain form post of one respondent's answer to one question.

    Its cost does not grow with the team: it reads the saved question's answers (as counts) under
    the assessment's lock, writes, and reads progress from the team answers, one row a question."""
    with transaction.atomic():
        assessment = access.lock_open_assessment_for_user(request.user, pk)
        current = team_queries.question_answers(assessment, key=key, respondent_id=request.user.pk)
        if current is None:
            raise Http404(_("No such question in this assessment's bank version."))
        if missing := AnswerForm.missing_keys(request.POST):
            error = _("the form sent no %(fields)s.") % {"fields": ", ".join(missing)}
            return _answer_not_saved(request, assessment, key, error, status=400)
        form = AnswerForm(
            request.POST,
            scale=bank_queries.scale_of(assessment.version),
            allow_na=current.question.allow_na,
            na_reasons=na_reasons_for(assessment.version),
        )
        if form.is_valid():
            saved = services.record_answer(
                assessment=assessment,
                question_id=current.question.id,
                respondent=request.user,
                answer=form.to_input(),
                current=current,
            )
    # Refused: said outside the lock (the page without JavaScript reads a whole category).
    if not form.is_valid():
        if request.htmx:
            return _answer_not_saved(request, assessment, key, form.first_error(), status=422)
        return _refused_answer_page(request, assessment, key, form)
    if not request.htmx:
        messages.success(request, _("Answer saved."))
        return redirect(assessment.question_url(key))
    # Notes typed without a change of level leave progress as it was: nothing to swap.
    progress = team_queries.team_progress(assessment) if saved.team_changed else None
    link_prompt = queries.asks_for_link(
        assessment.version,
        level=form.level_saved(current.mine.value if current.mine else None),
        links=form.cleaned_data["links"],
    )
    return _answer_saved(request, assessment, saved.status, progress, link_prompt=link_prompt)


def _answer_saved(
    request, assessment, status, progress, *, link_prompt: bool | None = None
) -> HttpResponse:
    context = {
        "status": status,
        "progress": progress,
        "saved": True,
        "assessment": assessment,
        "link_prompt": link_prompt,
        "current_category": "" if _on_a_filtered_view(request) else status.category_key,
    }
    return render(request, "questionnaire/_answer_saved.html", context)


def _on_a_filtered_view(request) -> bool:
    """Whether the page that autosaved shows a filter's cards of every category (`?show=`), where
    no category is the current page. htmx names the page in HX-Current-URL."""
    query = urlsplit(request.htmx.current_url or "").query
    return bool(parse_qs(query).get("show", [""])[0])


@require_POST
@refuse_after_submit
def add_comment(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    assessment = access.get_open_assessment_for_user(request.user, pk)
    question = access.get_question_of_assessment(assessment, key)
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
        context = {
            "assessment": assessment,
            "question": question,
            "comments": queries.comments_on(assessment, question),
            "form": form,
            # The card's comment count, beside the panel, changes with the list: same response.
            "comment_count_oob": True,
        }
        status = 200 if form.is_valid() else 422
        return render(request, "questionnaire/_comments.html", context, status=status)
    if request.POST.get("next_page") == "discuss":
        return redirect(_discuss_url(assessment, key))
    return redirect(assessment.question_url(key))


@require_POST
@refuse_after_submit
def settle(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    """Record (or, with `reopen`, remove) the level the team agreed on for a question."""
    assessment = access.get_open_assessment_for_user(request.user, pk)
    question = access.get_question_of_assessment(assessment, key)
    if "reopen" in request.POST:
        services.reopen_question(assessment=assessment, question_id=question.pk, by=request.user)
        messages.success(request, _("Reopened: the median of the answers counts again."))
        return redirect(_discuss_url(assessment, key))
    form = SettleForm(
        request.POST, scale=bank_queries.scale_of(assessment.version), allow_na=question.allow_na
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
    return redirect(_discuss_url(assessment, key))


@require_POST
@refuse_after_submit
def confirm_carried(request: HttpRequest, pk: int) -> HttpResponse:
    """Say that carried-over answers still hold: one question's or several (`question`, by key),
    or every one in a category (`category`). Several questions come from the "to confirm" view,
    which it returns to (`next`)."""
    assessment = access.get_open_assessment_for_user(request.user, pk)
    keys, category = set(request.POST.getlist("question")), request.POST.get("category", "")
    if not (keys or category):
        return HttpResponseBadRequest(_("Say which question or category to confirm."))
    ids = queries.question_ids(assessment, question_keys=list(keys), category_key=category)
    if not ids or (keys and len(ids) != len(keys)):
        raise Http404(_("No such question or category in this assessment."))
    confirmed = services.confirm_carried(assessment=assessment, by=request.user, question_ids=ids)
    key = next(iter(keys)) if len(keys) == 1 else ""
    if request.htmx and key:
        status = team_queries.answer_status(assessment, key=key, respondent_id=request.user.pk)
        return _answer_saved(request, assessment, status, team_queries.team_progress(assessment))
    messages.success(
        request,
        ngettext(
            "Confirmed %(count)d carried-over answer.",
            "Confirmed %(count)d carried-over answers.",
            confirmed,
        )
        % {"count": confirmed},
    )
    if request.POST.get("next") == "to_confirm":
        return redirect(f"{assessment.get_absolute_url()}?show=to_confirm")
    if key:
        return redirect(assessment.question_url(key))
    if keys:
        return redirect(assessment)
    return redirect(f"{assessment.get_absolute_url()}?category={category}#category-{category}")


def discuss(request: HttpRequest, pk: int) -> HttpResponse:
    """The questions the team disagrees on, everyone's answers side by side, for a meeting."""
    assessment = access.get_assessment_for_user(request.user, pk)
    page = queries.discussion(assessment, request.user)
    return render(request, "questionnaire/discuss.html", {"assessment": assessment, "page": page})


@require_http_methods(["GET", "POST"])
@refuse_after_submit
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.get_assessment_for_user(request.user, pk)
    if not assessment.is_open and request.method == "GET":
        return redirect("assessment:results", pk=assessment.pk)
    access.require_open(assessment)
    can_manage = access.can_manage(request.user, assessment.project.team)
    status = 200
    if request.method == "POST":
        try:
            submitted = services.submit_assessment(
                assessment=assessment,
                by=request.user,
                allow_open_items=can_manage and request.POST.get("confirm_open_items") == "yes",
            )
        except services.IncompleteAssessmentError as error:
            messages.error(
                request,
                _(
                    "Not submitted: %(unanswered)d unanswered, %(to_confirm)d to confirm, "
                    "%(unsettled)d to settle."
                )
                % {
                    "unanswered": len(error.unanswered),
                    "to_confirm": len(error.to_confirm),
                    "unsettled": len(error.unsettled),
                },
            )
            status = 400
        else:
            # The audit report renders in the background now, so it is usually ready when asked.
            transaction.on_commit(
                functools.partial(
                    report_tasks.queue_assessment_report,
                    result=submitted.result,
                    requested_by=request.user,
                )
            )
            messages.success(request, _("Submitted. The answers are now read-only."))
            return redirect("assessment:results", pk=assessment.pk)
    page = queries.questionnaire(assessment, request.user, with_earlier=True)
    context = {"assessment": assessment, "page": page, "can_manage": can_manage}
    return render(request, "questionnaire/submit.html", context, status=status)


def _panel_or_page(request: HttpRequest, template: str, panel: str, context: dict) -> HttpResponse:
    """htmx asks for the panel that opens on the questionnaire; a plain request gets the page."""
    return render(request, f"{template}#{panel}" if request.htmx else template, context)


def question_team(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    """Why one question matters, everyone's answer to it and its comments: the card's panel
    (htmx, when opened), else a page of its own."""
    assessment = access.get_assessment_for_user(request.user, pk)
    question = access.get_question_of_assessment(assessment, key)
    context = {
        "assessment": assessment,
        "question": question,
        "answers": queries.team_answers_to(assessment, question),
        "comments": queries.comments_on(assessment, question),
    }
    return _panel_or_page(request, "questionnaire/team_panel.html", "panel", context)


def question_history(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    """One question's answer history: a panel on the questionnaire (htmx), else a page."""
    assessment = access.get_assessment_for_user(request.user, pk)
    question = access.get_question_of_assessment(assessment, key)
    context = {
        "assessment": assessment,
        "question": question,
        "changes": queries.question_history(assessment, question),
    }
    return _panel_or_page(request, "questionnaire/history.html", "changes", context)


def history_export(request: HttpRequest, pk: int, fmt: str) -> FileResponse:
    """Every change of the assessment's answers, as CSV or JSON."""
    assessment = access.get_assessment_for_user(request.user, pk)
    data = exports.history_data(assessment, queries.assessment_history(assessment))
    stem = f"{assessment.project.slug}-assessment-{assessment.pk}-history"
    return downloads.export(
        data, exports.history_csv, stem, fmt, by=request.user, project=assessment.project
    )
