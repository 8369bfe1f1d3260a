import pytest
from playwright.sync_api import expect

from assessment import services
from assessment.models import Answer, Assessment, Settlement
from tests import factories
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


def start_assessment(page, project):
    page.goto(f"/projects/{project.slug}/")
    page.get_by_role("link", name="Start an assessment").click()
    page.get_by_role("button", name="Start").click()
    page.wait_for_url("**/assessments/*/")


def question(page, key):
    return page.locator(f"#question-{key}")


def choice(page, key, value):
    """The radio button of one level (or "na") of a question card."""
    return question(page, key).locator(f'input[name="choice"][value="{value}"]')


def saved(page, key):
    return page.locator(f"#status-{key} .saved")


def test_answer_by_mouse_and_keyboard_reload_and_submit(page, alice, project1, published):
    log_in(page, "alice")
    start_assessment(page, project1)
    expect(page.get_by_text("0 of 3 questions answered")).to_be_visible()

    # Mouse: click a level's description; it saves at once.
    question(page, "data-a").get_by_text("What level 2 looks like.").click()
    expect(saved(page, "data-a")).to_be_visible()
    expect(page.get_by_text("1 of 3 questions answered")).to_be_visible()

    # Not applicable asks for a reason before it saves: the server refuses it (422) until then.
    card = question(page, "data-b")
    with page.expect_response("**/questions/data-b/") as refused:
        card.get_by_text("Not applicable").click()
    assert refused.value.status == 422
    expect(card.get_by_role("alert")).to_have_text(
        "! Not saved: Say why it does not apply, to save “not applicable”."
    )
    assert not Answer.objects.filter(question__key="data-b").exists()
    with page.expect_response("**/questions/data-b/") as accepted:
        card.get_by_label("Why does it not apply?").select_option("other_team")
    assert accepted.value.status == 200
    expect(saved(page, "data-b")).to_be_visible()
    expect(page.get_by_text("1 of 2 questions answered")).to_be_visible()  # N/A is out of scope
    answer = Answer.objects.get(question__key="data-b")
    assert (answer.not_applicable, answer.na_reason, answer.level_value) == (
        True,
        "other_team",
        None,
    )

    # One category a page: on to the next; keyboard: arrow from a level to the next.
    page.get_by_role("link", name="Code →").click()
    page.wait_for_url("**/?category=code")
    choice(page, "code-a", "0").focus()
    page.keyboard.press("ArrowDown")
    expect(saved(page, "code-a")).to_be_visible()
    expect(page.get_by_text("2 of 2 questions answered")).to_be_visible()
    question(page, "code-a").get_by_text("Notes and evidence").click()
    question(page, "code-a").get_by_label("Notes").fill("No tests yet; tracked in the backlog.")
    with page.expect_response("**/questions/code-a/") as notes_saved:
        question(page, "code-a").get_by_label("Notes").blur()  # a change event saves the form
    assert notes_saved.value.status == 200
    assert (
        Answer.objects.get(question__key="code-a").notes == "No tests yet; tracked in the backlog."
    )

    page.reload()
    assert choice(page, "code-a", "1").is_checked()
    expect(question(page, "code-a").get_by_label("Notes")).to_have_value(
        "No tests yet; tracked in the backlog."
    )
    page.get_by_role("link", name="← Data").click()
    assert choice(page, "data-a", "2").is_checked()
    assert choice(page, "data-b", "na").is_checked()
    expect(question(page, "data-b").get_by_label("Why does it not apply?")).to_have_value(
        "other_team"
    )
    # The refused N/A save is the only error: the browser and htmx each log its 422.
    assert [problem for problem in page.console_problems if "422" not in problem] == []

    page.get_by_role("link", name="Review and submit").first.click()
    page.get_by_role("button", name="Submit the assessment").click()
    expect(page.get_by_text("Submitted. The answers are now read-only.")).to_be_visible()
    assert Assessment.objects.get().status == "submitted"


def test_not_applicable_without_a_reason_shows_an_error_and_keeps_the_choice(
    page, alice, project1, published
):
    log_in(page, "alice")
    start_assessment(page, project1)
    card = question(page, "data-a")

    card.get_by_text("Not applicable").click()
    expect(card.get_by_text("Not saved: Say why it does not apply")).to_be_visible()
    assert choice(page, "data-a", "na").is_checked()
    card.get_by_label("Why does it not apply?").select_option("not_used")

    expect(saved(page, "data-a")).to_be_visible()
    answer = Answer.objects.get()
    assert (answer.not_applicable, answer.na_reason) == (True, "not_used")


def test_the_same_journey_without_javascript(new_page, alice, project1, published):
    page = new_page(javascript=False)
    log_in(page, "alice")
    start_assessment(page, project1)

    for key, level in [("data-a", 2), ("data-b", 1), ("code-a", 0)]:
        if key == "code-a":
            page.get_by_role("link", name="Code →").click()
        choice(page, key, level).check()
        question(page, key).get_by_role("button", name="Save answer").click()
        expect(page.get_by_text("Answer saved.")).to_be_visible()
        assert choice(page, key, level).is_checked()  # back on the question's own page

    expect(page.get_by_text("3 of 3 questions answered")).to_be_visible()
    page.get_by_role("link", name="← Data").click()
    assert choice(page, "data-b", 1).is_checked()
    page.get_by_role("link", name="Review and submit").first.click()
    page.get_by_role("button", name="Submit the assessment").click()
    expect(page.get_by_text("Submitted. The answers are now read-only.")).to_be_visible()
    levels = dict(Answer.objects.values_list("question__key", "level_value"))
    assert levels == {"data-a": 2, "data-b": 1, "code-a": 0}
    assert Assessment.objects.get().status == "submitted"


def test_two_people_answer_together_settle_and_submit(new_page, alice, bob, project1, published):
    alice_page, bob_page = new_page(), new_page()
    log_in(alice_page, "alice")
    start_assessment(alice_page, project1)
    log_in(bob_page, "bob")
    bob_page.goto(Assessment.objects.get().get_absolute_url())

    question(alice_page, "data-a").get_by_text("What level 0 looks like.").click()
    question(bob_page, "data-a").get_by_text("What level 2 looks like.").click()
    expect(question(bob_page, "data-a").get_by_text("Discuss")).to_be_visible()
    for key in ("data-b", "code-a"):
        if key == "code-a":
            alice_page.get_by_role("link", name="Code →").click()
        question(alice_page, key).get_by_text("What level 1 looks like.").click()
        expect(saved(alice_page, key)).to_be_visible()

    alice_page.goto(Assessment.objects.get().question_url("data-a"))
    question(alice_page, "data-a").get_by_text("Team answers and comments").click()
    expect(question(alice_page, "data-a").get_by_role("cell", name="2 · L2")).to_be_visible()

    alice_page.get_by_role("link", name="1 to discuss").click()
    alice_page.get_by_label("1 L1").check()
    alice_page.get_by_label("Why the team agreed on this").fill("Written down, not yet automated.")
    alice_page.get_by_role("button", name="Settle").click()
    expect(alice_page.get_by_text("Settled. The team's answer is recorded.")).to_be_visible()

    bob_page.goto(f"/assessments/{Assessment.objects.get().pk}/submit/")
    bob_page.get_by_role("button", name="Submit the assessment").click()
    expect(bob_page.get_by_text("Submitted. The answers are now read-only.")).to_be_visible()
    assert Answer.objects.count() == 4
    settlement = Settlement.objects.get()
    assert (settlement.question.key, settlement.level_value, settlement.settled_by.username) == (
        "data-a",
        1,
        "alice",
    )
    assert settlement.note == "Written down, not yet automated."
    assert Assessment.objects.get().result.questions.get(question_key="data-a").settled
    assert alice_page.console_problems == [] and bob_page.console_problems == []


def test_a_failed_save_is_shown_with_the_choice_kept_and_a_retry(page, alice, project1, published):
    log_in(page, "alice")
    start_assessment(page, project1)
    card = question(page, "data-a")
    page.route("**/questions/data-a/", lambda route: route.abort())

    card.get_by_text("What level 1 looks like.").click()

    expect(card.get_by_text("Not saved: the server could not be reached")).to_be_visible()
    assert choice(page, "data-a", "1").is_checked()
    assert not Answer.objects.exists()
    page.unroute("**/questions/data-a/")
    card.get_by_role("button", name="Retry").click()
    expect(saved(page, "data-a")).to_be_visible()
    assert Answer.objects.get().level_value == 1


def test_the_team_panel_loads_everyones_answers_when_opened(page, alice, bob, assessment):
    factories.answer(assessment, bob, {"data-a": 2}, notes={"data-a": "We check it in CI."})
    log_in(page, "alice")
    page.goto(f"/assessments/{assessment.pk}/")
    page.wait_for_load_state("load")
    panel = question(page, "data-a").locator("details.team-panel")
    expect(panel.get_by_text("We check it in CI.")).to_have_count(0)  # not on the page yet

    with page.expect_response(f"**/assessments/{assessment.pk}/questions/data-a/team/"):
        panel.locator("summary").click()

    expect(panel.get_by_role("row", name="bob")).to_contain_text("We check it in CI.")
    panel.get_by_label("Add a comment").fill("Which CI job?")
    with page.expect_response("**/questions/data-a/comments/"):
        panel.get_by_role("button", name="Comment").click()
    expect(panel.get_by_text("Which CI job?")).to_be_visible()


def test_a_level_asking_for_evidence_prompts_for_a_link_until_one_is_saved(
    page, alice, project1, shipped_banks
):
    assessment = services.start_assessment(
        project=project1,
        version=shipped_banks["ml-technical-debt-v2"],
        started_by=alice,
        title="V2",
    )
    log_in(page, "alice")
    page.goto(f"/assessments/{assessment.pk}/?category=data")
    page.wait_for_load_state("load")
    card = question(page, "data-skew-detection")
    prompt = card.get_by_text("Link the evidence for this level")
    expect(prompt).to_have_count(0)

    with page.expect_response("**/questions/data-skew-detection/") as chosen:
        card.get_by_text("Automated parity check").click()
    assert chosen.value.status == 200
    expect(prompt).to_be_visible()
    expect(card.locator("details.evidence")).to_have_attribute("open", "")  # where the link goes

    card.get_by_label("Evidence links").fill("https://ci.example/parity-job")
    with page.expect_response("**/questions/data-skew-detection/") as linked:
        card.get_by_label("Evidence links").blur()  # a change event saves the form
    assert linked.value.status == 200
    expect(prompt).to_have_count(0)
    answer = Answer.objects.get(question__key="data-skew-detection")
    assert (answer.level_value, answer.links) == (3, "https://ci.example/parity-job")
    assert page.console_problems == []


def test_without_javascript_a_refused_na_keeps_the_choice_and_shows_why_at_the_question(
    new_page, alice, assessment
):
    page = new_page(javascript=False)
    page.set_viewport_size({"width": 1280, "height": 700})
    log_in(page, "alice")
    page.goto(assessment.get_absolute_url())
    card = question(page, "data-a")
    card.get_by_label("Not applicable").check()
    card.get_by_label("Details").fill("Typed before the reason")
    card.get_by_role("button", name="Save answer").click()

    card = question(page, "data-a")
    reason = card.get_by_text("Not saved: Say why it does not apply")
    expect(reason).to_be_in_viewport()  # the reason's menu has the focus, beside the message
    expect(card.get_by_label("Why does it not apply?")).to_be_focused()
    assert card.get_by_label("Not applicable").is_checked()
    expect(card.get_by_label("Details")).to_have_value("Typed before the reason")
    card.get_by_label("Why does it not apply?").select_option("not_used")
    card.get_by_role("button", name="Save answer").click()
    expect(page.get_by_text("Answer saved.")).to_be_visible()
    answer = Answer.objects.get()
    assert (answer.not_applicable, answer.na_reason, answer.na_detail) == (
        True,
        "not_used",
        "Typed before the reason",
    )
