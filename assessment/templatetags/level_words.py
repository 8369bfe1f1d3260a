"""The scoring method's level names and meanings in the page's language. paydown.scoring (pure,
shared with the CLI) words them in English, and results store them so; the pages translate them
here: `{{ result.level_name|level_words }}`."""

from django import template
from django.utils.translation import pgettext_lazy

register = template.Library()

WORDS = {
    # Maturity levels (paydown.scoring.MATURITY_LEVELS)
    "Ad hoc": pgettext_lazy("maturity level", "Ad hoc"),
    "Repeatable": pgettext_lazy("maturity level", "Repeatable"),
    "Defined": pgettext_lazy("maturity level", "Defined"),
    "Managed": pgettext_lazy("maturity level", "Managed"),
    "Optimized": pgettext_lazy("maturity level", "Optimized"),
    "Manual, undocumented, person-dependent; debt is invisible until it bites.": pgettext_lazy(
        "maturity level",
        "Manual, undocumented, person-dependent; debt is invisible until it bites.",
    ),
    "Some practices exist but depend on individuals and are rarely checked.": pgettext_lazy(
        "maturity level", "Some practices exist but depend on individuals and are rarely checked."
    ),
    "Practices are written down and followed by hand.": pgettext_lazy(
        "maturity level", "Practices are written down and followed by hand."
    ),
    "Most practices are automated in the pipeline.": pgettext_lazy(
        "maturity level", "Most practices are automated in the pipeline."
    ),
    "Automated and continuously verified; debt is measured and paid down.": pgettext_lazy(
        "maturity level", "Automated and continuously verified; debt is measured and paid down."
    ),
    # ML Test Score bands (paydown.scoring.ML_TEST_SCORE_BANDS, after Breck et al. 2017)
    "Research project": pgettext_lazy("ML Test Score band", "Research project"),
    "Serious holes": pgettext_lazy("ML Test Score band", "Serious holes"),
    "First pass": pgettext_lazy("ML Test Score band", "First pass"),
    "Reasonably tested": pgettext_lazy("ML Test Score band", "Reasonably tested"),
    "Strong": pgettext_lazy("ML Test Score band", "Strong"),
    "Exceptional": pgettext_lazy("ML Test Score band", "Exceptional"),
    "More of a research project than a productionized system.": pgettext_lazy(
        "ML Test Score band", "More of a research project than a productionized system."
    ),
    "Not totally untested, but serious reliability holes are likely.": pgettext_lazy(
        "ML Test Score band", "Not totally untested, but serious reliability holes are likely."
    ),
    "A first pass at basic productionization; more investment is needed.": pgettext_lazy(
        "ML Test Score band", "A first pass at basic productionization; more investment is needed."
    ),
    "Reasonably tested, but more of those tests could be automated.": pgettext_lazy(
        "ML Test Score band", "Reasonably tested, but more of those tests could be automated."
    ),
    "Strong automated testing and monitoring, fit for mission-critical systems.": pgettext_lazy(
        "ML Test Score band",
        "Strong automated testing and monitoring, fit for mission-critical systems.",
    ),
    "Exceptional levels of automated testing and monitoring.": pgettext_lazy(
        "ML Test Score band", "Exceptional levels of automated testing and monitoring."
    ),
}


@register.filter
def level_words(text: str) -> str:
    """The text in the page's language when the method's words have a translation."""
    return WORDS.get(text, text)
