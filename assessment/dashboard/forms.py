"""The dashboard's filter form: its whole state, in the query string."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from paydown import scoring

from assessment.dashboard import queries


class PortfolioFilterForm(forms.Form):
    """The dashboard's state, all in the query string so a view can be bookmarked and shared."""

    STALENESS = [
        ("", _("All")),
        ("stale", _("Stale")),
        ("fresh", _("Up to date")),
        ("never", _("Never assessed")),
    ]
    LEVELS = [("", _("Any level"))] + [
        (str(level), f"{level} · {name}") for _, level, name, _ in scoring.MATURITY_LEVELS
    ]

    search = forms.CharField(
        label=_("Project name"),
        required=False,
        max_length=queries.SEARCH_MAX_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    bank = forms.ChoiceField(label=_("Bank"), required=False)
    team = forms.ChoiceField(label=_("Team"), required=False)
    min_score = forms.DecimalField(
        label=_("Score from"), required=False, min_value=0, max_value=100, decimal_places=1
    )
    max_score = forms.DecimalField(
        label=_("to"), required=False, min_value=0, max_value=100, decimal_places=1
    )
    level = forms.TypedChoiceField(
        label=_("Maturity level"), choices=LEVELS, required=False, coerce=int, empty_value=None
    )
    staleness = forms.ChoiceField(label=_("Staleness"), choices=STALENESS, required=False)
    stale_days = forms.IntegerField(
        label=_("Stale after (days)"), required=False, min_value=1, max_value=3650
    )
    sort = forms.CharField(required=False, max_length=70)
    compare = forms.MultipleChoiceField(required=False)
    page = forms.IntegerField(required=False, min_value=1, max_value=100_000)

    def __init__(self, *args, teams, banks, sort_columns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [("", _("All teams")), *[(t.slug, t.name) for t in teams]]
        self.fields["bank"].choices = banks
        # Only the slugs asked for are looked up (never the whole portfolio's); more than five
        # is refused without a query.
        asked = self.data.getlist("compare") if self.is_bound else []
        if 0 < len(asked) <= 5:
            slugs = queries.comparable(teams, asked)
            self.fields["compare"].choices = [(slug, slug) for slug in slugs]
        self.sort_columns = sort_columns

    def clean_sort(self) -> str:
        sort = self.cleaned_data["sort"] or "overall"
        if sort.lstrip("-") not in self.sort_columns:
            raise forms.ValidationError(_("Unknown column to sort by."))
        return sort

    def clean_compare(self) -> list[str]:
        chosen = self.cleaned_data["compare"]
        if len(chosen) > 5:
            raise forms.ValidationError(_("Compare at most five projects."))
        return chosen

    def clean(self):
        data = super().clean()
        low, high = data.get("min_score"), data.get("max_score")
        if low is not None and high is not None and low > high:
            self.add_error("max_score", _("The upper bound is below the lower one."))
        return data


def read_filters(params, teams: list) -> tuple[PortfolioFilterForm, queries.Filters]:
    """Bind the query string; invalid values show the form's errors and fall back to defaults."""
    choices = queries.filter_choices()
    form = PortfolioFilterForm(
        params or None,
        initial={"bank": queries.DEFAULT_BANK, "stale_days": settings.STALE_AFTER_DAYS},
        teams=teams,
        banks=choices.banks,
        sort_columns=choices.sort_columns,
    )
    defaults = queries.Filters(stale_days=settings.STALE_AFTER_DAYS)
    if not params or not form.is_valid():
        return form, defaults
    data = form.cleaned_data
    return form, queries.Filters(
        bank=data["bank"] or defaults.bank,
        team=data["team"],
        min_score=data["min_score"],
        max_score=data["max_score"],
        level=data["level"],
        staleness=data["staleness"],
        sort=data["sort"],
        compare=tuple(data["compare"]),
        page=data["page"] or 1,
        stale_days=data["stale_days"] or defaults.stale_days,
        search=data["search"],
    )
