"""A German-speaking team does a whole assessment in German (issue #17): sign-in, the questionnaire
on the shipped bank's German version, the discussion, submit, results and plan. Every page is
checked for English left over: any string of the interface catalog that has a German translation
(its English words, between placeholders), and the English of the bank's texts. What may stay
English is listed: proper names (Paydown, the team, project and user names, ML Test Score)."""

import re

import pytest
from django.utils.translation import trans_real
from playwright.sync_api import expect

from assessment import services
from assessment.models import Assessment
from banks.models import Level, Question
from projects.models import Profile
from tests import factories

pytestmark = pytest.mark.browser

PLACEHOLDER = re.compile(r"%\(\w+\)[sdf]|%[sd]|\{\{.*?\}\}|<[^>]+>")
MIN_WORDS = 3  # a shorter English fragment ("Score", "Feature", "Pipeline") is shared by German


def english_fragments() -> set[str]:
    """The English of every catalog string whose German differs, cut at its placeholders."""
    catalog = trans_real.translation("de")._catalog
    fragments = set()
    for key in catalog.keys():  # noqa: SIM118 (a TranslationCatalog has keys(), no __iter__)
        if not isinstance(key, str) or not key:
            continue
        german = catalog[key]
        english = key.split("\x04")[-1]
        for fragment in PLACEHOLDER.split(english):
            fragment = " ".join(fragment.split()).strip(" .,:;()")
            if len(fragment.split()) >= MIN_WORDS and fragment not in german:
                fragments.add(fragment)
    return fragments


def bank_english(version) -> set[str]:
    """The first words of the bank's English texts that have a German translation."""
    texts = set()
    for question in Question.objects.filter(version=version):
        texts.add(question.text[:60])
        texts.add(question.why[:60])
    for level in Level.objects.filter(question__version=version):
        texts.add(level.description[:60])
    return texts


# English words German never uses: a string no catalog knows (unmarked in the code) shows here.
ENGLISH_WORDS = re.compile(r"\b(the|and|of|to|is|are|your|with|this|for|has|not)\b")
# Left in English on purpose: paper titles and sections the bank cites, and proper names.
PROPER = re.compile(
    r"Hidden Technical Debt in Machine Learning Systems|Sculley et al\. 2015, §\d+ [^;\n]*"
    r"|Breck et al\. 2017, [^;\n]*|ML Test Score|Search & Ranking"
)


def english_left(page, fragments: set[str], bank: set[str]) -> list[str]:
    text = " ".join(page.locator("body").inner_text().split())
    found = [f for f in fragments | bank if f in text]
    plain = PROPER.sub("", text)
    found += [plain[max(0, m.start() - 30) : m.end() + 30] for m in ENGLISH_WORDS.finditer(plain)]
    return sorted(found)


def test_a_german_team_assesses_in_german(
    new_page, live_server, shipped_banks, project1, alice, bob
):
    version = shipped_banks["ml-technical-debt-v3"]
    for user in (alice, bob):
        Profile.objects.update_or_create(user=user, defaults={"language": "de"})
    fragments, bank = english_fragments(), bank_english(version)
    page = new_page()
    page.context.set_extra_http_headers({"Accept-Language": "de-DE,de"})

    # Sign in: the login page answers the browser's language.
    page.goto("/accounts/login/")
    assert english_left(page, fragments, bank) == []
    page.locator("#id_username").fill("bob")
    page.locator("#id_password").fill("pw-for-tests")
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url("**/")
    assert english_left(page, fragments, bank) == []

    # Start on the German version, the newest of the default bank.
    page.goto(f"/projects/{project1.slug}/assessments/new/")
    assert english_left(page, fragments, bank) == []
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/assessments/*/")
    assessment = Assessment.objects.get()
    assert assessment.version == version

    # Everything answered but one question, which bob answers on the page; alice disagrees once.
    keys = list(Question.objects.filter(version=version).values_list("key", flat=True))
    first = "data-schema"
    factories.answer(assessment, bob, {key: 2 for key in keys if key != first})
    factories.answer(assessment, alice, {"data-input-validation": 0})
    page.reload()
    expect(page.locator("main h2").first).to_contain_text("Daten")
    expect(page.get_by_text("Wie werden die Erwartungen an jedes Eingabe-Feature")).to_be_visible()
    assert english_left(page, fragments, bank) == []
    page.locator(f'#question-{first} input[name="choice"][value="3"]').check()
    expect(page.locator(f"#status-{first} .saved")).to_be_visible()
    assert english_left(page, fragments, bank) == []
    for category in version.categories.values_list("key", flat=True):
        page.goto(f"/assessments/{assessment.pk}/?category={category}")
        assert english_left(page, fragments, bank) == [], category
    for show in ("mine", "flagged"):
        page.goto(f"/assessments/{assessment.pk}/?show={show}")
        assert english_left(page, fragments, bank) == [], show

    # The discussion, in German, with the roles' comparison under it.
    page.goto(f"/assessments/{assessment.pk}/discuss/")
    assert english_left(page, fragments, bank) == []
    question = Question.objects.get(version=version, key="data-input-validation")
    services.settle_question(
        assessment=assessment, question_id=question.pk, by=bob, value=1, not_applicable=False
    )

    # Submit, then the results and the plan.
    page.goto(f"/assessments/{assessment.pk}/submit/")
    assert english_left(page, fragments, bank) == []
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(f"**/assessments/{assessment.pk}/results/")
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SUBMITTED
    assert english_left(page, fragments, bank) == []
    expect(page.locator("body")).to_contain_text("Wie werden die Erwartungen")
    page.goto(f"/assessments/{assessment.pk}/plan/")
    assert english_left(page, fragments, bank) == []
    for path in (f"/projects/{project1.slug}/audit/", "/accounts/profile/"):
        page.goto(path)
        assert english_left(page, fragments, bank) == [], path
    assert page.console_problems == []
