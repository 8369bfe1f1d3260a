"""The scoring method's words are translated (issue #17): every level name and meaning that
paydown.scoring can store has its entry in the pages' filter, so a new or reworded level in the
pure module cannot slip through to a German page in English."""

from django.utils import translation
from paydown import scoring

from assessment.templatetags.level_words import WORDS, level_words


def test_every_level_name_and_meaning_of_both_methods_has_a_translation():
    texts = [text for _, _, name, meaning in scoring.MATURITY_LEVELS for text in (name, meaning)]
    texts += [text for _, name, meaning in scoring.ML_TEST_SCORE_BANDS for text in (name, meaning)]

    assert set(texts) == set(WORDS)
    with translation.override("de"):
        assert level_words("Optimized") == "Optimiert"
        assert level_words("Some project name") == "Some project name"
