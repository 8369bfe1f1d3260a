"""Evidence pages (issue #15): attach a repository scan to an assessment, decide on its
suggestions, and re-attest a question's evidence."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from assessment import access
from assessment.evidence.forms import DecisionForm, ScanUploadForm
from assessment.questionnaire.views import refuse_after_submit
from assessment.services import evidence, scans


@require_http_methods(["GET", "POST"])
@refuse_after_submit
def upload_scan(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.get_open_assessment_for_user(request.user, pk)
    form = ScanUploadForm()
    status = 200
    if request.method == "POST":
        form = ScanUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                attached = scans.attach_scan(
                    assessment=assessment, document=form.cleaned_data["scan"], by=request.user
                )
            except scans.ScanRefused as refused:
                form.add_error("scan", str(refused))
            else:
                messages.success(
                    request,
                    ngettext(
                        "Scan attached: %(count)d suggestion waits on its question.",
                        "Scan attached: %(count)d suggestions wait on their questions.",
                        attached.suggestions,
                    )
                    % {"count": attached.suggestions},
                )
                if attached.ignored:
                    messages.warning(
                        request, _("Left out: %(keys)s") % {"keys": "; ".join(attached.ignored)}
                    )
                return redirect(assessment)
        status = 400
    scans_done = assessment.scans.select_related("uploaded_by")[:20]
    return render(
        request,
        "questionnaire/scan_upload.html",
        {"assessment": assessment, "form": form, "scans": scans_done},
        status=status,
    )


@require_POST
@refuse_after_submit
def decide_suggestion(request: HttpRequest, pk: int, suggestion_id: int) -> HttpResponse:
    assessment = access.get_open_assessment_for_user(request.user, pk)
    suggestion = access.get_open_suggestion(assessment, suggestion_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return HttpResponse(
            _("Say whether to accept, keep only the evidence or dismiss."), status=400
        )
    decision = form.cleaned_data["decision"]
    try:
        scans.decide(
            assessment=assessment, suggestion=suggestion, by=request.user, decision=decision
        )
    except scans.SuggestionDecided:
        context = {"question_url": assessment.question_url(suggestion.question.key)}
        return render(request, "questionnaire/suggestion_decided.html", context, status=409)
    done = {
        scans.ACCEPT: _("Suggestion accepted: your answer and its evidence are saved."),
        scans.EVIDENCE_ONLY: _("The scan's files are now evidence of your answer."),
        scans.DISMISS: _("Suggestion dismissed."),
    }
    messages.success(request, done[decision])
    return redirect(assessment.question_url(suggestion.question.key))


@require_POST
@refuse_after_submit
def reattest(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    assessment = access.get_open_assessment_for_user(request.user, pk)
    question = access.get_question_of_assessment(assessment, key)
    count = evidence.reattest(assessment=assessment, question_id=question.pk, by=request.user)
    messages.success(
        request,
        ngettext(
            "Re-attested %(count)d piece of evidence.",
            "Re-attested %(count)d pieces of evidence.",
            count,
        )
        % {"count": count},
    )
    return redirect(assessment.question_url(key))
