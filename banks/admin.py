"""Admin for question banks: staff edit drafts, preview, publish, import and export versions."""

import io

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from banks import files, services
from banks.forms import BankImportForm, LinesField
from banks.models import BankVersion, Category, Level, Question, QuestionBank, Remediation


class DraftOnlyMixin:
    """Content of published versions is shown read-only; the model layer refuses changes anyway."""

    def _version_of(self, obj) -> BankVersion:
        return obj

    def _frozen(self, obj) -> bool:
        return obj is not None and not self._version_of(obj).is_draft

    def has_change_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_delete_permission(request, obj)


class DraftOnlyInline(DraftOnlyMixin, admin.TabularInline):
    extra = 0
    # Short text areas keep a row of the inline on one screen line.
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 60})}
    }

    def has_add_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_add_permission(request, obj)


class BankVersionInline(admin.TabularInline):
    model = BankVersion
    fields = ["number", "status", "scoring_method", "published_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(QuestionBank)
class QuestionBankAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [BankVersionInline]


class CategoryInline(DraftOnlyInline):
    model = Category
    fields = ["order", "key", "name", "weight", "description"]


@admin.register(BankVersion)
class BankVersionAdmin(DraftOnlyMixin, admin.ModelAdmin):
    list_display = ["bank", "number", "status", "scoring_method", "published_on", "links"]
    list_filter = ["status", "bank"]
    list_select_related = ["bank"]
    readonly_fields = ["status", "published_at", "links"]
    fields = [
        "bank",
        "number",
        "status",
        "published_at",
        "scoring_method",
        "method_version",
        "gate_share",
        "scale",
        "changelog",
    ]
    inlines = [CategoryInline]
    actions = ["publish_selected", "new_draft_from_selected"]
    change_form_template = "admin/banks/bankversion/change_form.html"
    change_list_template = "admin/banks/bankversion/change_list.html"

    # The day is enough in the list, whose columns must fit beside the admin's navigation.
    @admin.display(description=gettext_lazy("published"), ordering="published_at")
    def published_on(self, obj: BankVersion):
        return obj.published_at.date() if obj.published_at else None

    @admin.display(description=gettext_lazy("Preview and export"))
    def links(self, obj: BankVersion) -> str:
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            obj.get_preview_url(),
            _("Preview"),
            reverse("admin:banks_bankversion_export", args=[obj.pk]),
            _("Export YAML"),
        )

    def get_urls(self):
        own = [
            path("import/", self.admin_site.admin_view(self.import_view), name="banks_bankversion_import"),
            path("<int:pk>/export/", self.admin_site.admin_view(self.export_view), name="banks_bankversion_export"),
            path("<int:pk>/publish/", self.admin_site.admin_view(self.publish_view), name="banks_bankversion_publish"),
            path("<int:pk>/new-draft/", self.admin_site.admin_view(self.new_draft_view), name="banks_bankversion_new_draft"),
            path("<int:pk>/retire/", self.admin_site.admin_view(self.retire_view), name="banks_bankversion_retire"),
        ]  # fmt: skip
        return own + super().get_urls()

    def _require_edit_rights(self, request: HttpRequest) -> None:
        if not self.has_module_permission(request) or not request.user.has_perm(
            "banks.change_bankversion"
        ):
            raise PermissionDenied

    def import_view(self, request: HttpRequest) -> HttpResponse:
        self._require_edit_rights(request)
        form = BankImportForm(request.POST or None, request.FILES or None)
        errors: list[str] = []
        if request.method == "POST" and form.is_valid():
            try:
                version = services.import_draft(
                    content=form.cleaned_data["file"].read(), by=request.user
                )
            except files.BankFileError as error:
                errors = error.errors
            else:
                messages.success(request, _("Imported %(version)s.") % {"version": version})
                return HttpResponseRedirect(
                    reverse("admin:banks_bankversion_change", args=[version.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import a question bank version"),
            "form": form,
            "errors": errors,
        }
        status = 400 if request.method == "POST" else 200
        return render(request, "admin/banks/bankversion/import.html", context, status=status)

    def export_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        version = get_object_or_404(BankVersion.objects.select_related("bank"), pk=pk)
        return FileResponse(
            io.BytesIO(files.export_version(version).encode()),
            as_attachment=True,
            filename=f"{version.bank.slug}-v{version.number}.yaml",
            content_type="application/yaml",
        )

    def _version_action(self, request: HttpRequest, pk: int, action, done: str) -> HttpResponse:
        self._require_edit_rights(request)
        version = get_object_or_404(BankVersion.objects.select_related("bank"), pk=pk)
        try:
            result = action(version=version, by=request.user)
        except files.BankFileError as error:
            messages.error(
                request,
                ngettext(
                    "Nothing changed: %(count)d problem to fix first.",
                    "Nothing changed: %(count)d problems to fix first.",
                    len(error.errors),
                )
                % {"count": len(error.errors)},
            )
            for problem in error.errors:
                messages.warning(request, problem)
            result = version
        else:
            messages.success(request, done % {"version": result.label})
        return HttpResponseRedirect(reverse("admin:banks_bankversion_change", args=[result.pk]))

    def publish_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        return require_POST(self._version_action)(
            request, pk, services.publish_version, _("Published %(version)s.")
        )

    def new_draft_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        return require_POST(self._version_action)(
            request,
            pk,
            services.new_draft_from,
            _("Created %(version)s; edit it, preview it, then publish it."),
        )

    def retire_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        return require_POST(self._version_action)(
            request, pk, services.retire_version, _("Retired %(version)s.")
        )

    @admin.action(description=gettext_lazy("Publish the selected drafts"))
    def publish_selected(self, request, queryset):
        for version in queryset.select_related("bank"):
            try:
                services.publish_version(version=version, by=request.user)
            except files.BankFileError as error:
                messages.error(request, f"{version}: " + "; ".join(error.errors))
            else:
                messages.success(request, _("Published %(version)s.") % {"version": version.label})

    @admin.action(description=gettext_lazy("New draft from the selected versions"))
    def new_draft_from_selected(self, request, queryset):
        for version in queryset.select_related("bank"):
            draft = services.new_draft_from(version=version, by=request.user)
            messages.success(request, _("Created %(version)s.") % {"version": draft.label})

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # published versions must not be deleted in bulk
        return actions


class QuestionPartInline(DraftOnlyInline):
    """Levels and remediation steps: frozen with their question's version."""

    def _version_of(self, obj):
        return obj.version


class LevelInline(QuestionPartInline):
    model = Level
    fields = ["value", "label", "description", "evidence"]


class RemediationInline(QuestionPartInline):
    model = Remediation
    fields = ["to_value", "advice", "effort", "effort_weeks", "impact"]


class QuestionAdminForm(forms.ModelForm):
    prerequisites = LinesField(help_text=gettext_lazy("One question key per line."))
    covers = LinesField(help_text=gettext_lazy("One debt type or ML Test Score test per line."))
    references = LinesField(help_text=gettext_lazy("One reference per line."))

    class Meta:
        model = Question
        fields = [
            "category",
            "key",
            "text",
            "why",
            "weight",
            "order",
            "critical",
            "allow_na",
            "na_precondition",
            "prerequisites",
            "covers",
            "references",
        ]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 2}),
            "why": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "category" not in self.fields:  # read-only view of a published question
            return
        self.fields["category"].queryset = Category.objects.filter(
            version__status=BankVersion.Status.DRAFT
        ).select_related("version__bank")
        self.fields["category"].label_from_instance = lambda c: (
            f"{c.version.bank.name} v{c.version.number} · {c.name}"
        )


@admin.register(Question)
class QuestionAdmin(DraftOnlyMixin, admin.ModelAdmin):
    form = QuestionAdminForm
    list_display = ["key", "short_text", "category", "version", "weight", "allow_na"]
    list_filter = ["version__bank", "version__number", "version__status", "category__key"]
    list_select_related = ["category", "version__bank"]
    search_fields = ["key", "text"]
    inlines = [LevelInline, RemediationInline]

    def _version_of(self, obj):
        return obj.version

    @admin.display(description=gettext_lazy("question"))
    def short_text(self, obj: Question) -> str:
        return obj.text[:80]

    def save_model(self, request, obj, form, change):
        obj.version = obj.category.version  # kept equal so keys stay unique per version
        super().save_model(request, obj, form, change)
