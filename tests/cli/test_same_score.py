"""The same answers score the same offline (`paydown check --format json`) and on the server."""

import json
import random
from decimal import Decimal

import pytest
from paydown import bankfile

from assessment import services
from assessment.models import AssessmentResult
from tests import factories
from tests.cli.command import paydown, write_answers


def answer_set(file_stem: str, seed: int) -> dict[str, int | float | str]:
    """Levels for a random share of the bank's questions, with N/A where allowed and some "?";
    the rest stay unanswered (scored as the lowest level on both sides)."""
    bank = bankfile.load((bankfile.FILES / f"{file_stem}.yaml").read_bytes())
    default_na = bank["scoring"] != "ml-test-score"
    rng = random.Random(seed)
    levels = {}
    for category in bank["categories"]:
        for question in category["questions"]:
            roll = rng.random()
            if roll < 0.1:
                continue  # unanswered
            if roll < 0.15:
                levels[question["key"]] = "?"
            elif roll < 0.25 and question.get("allow_na", default_na):
                levels[question["key"]] = "na"
            else:
                levels[question["key"]] = rng.choice(bank["scale"])
    return levels


def offline(tmp_path, file_stem: str, levels: dict) -> dict:
    bank = bankfile.load((bankfile.FILES / f"{file_stem}.yaml").read_bytes())
    write_answers(tmp_path, levels, bank=bank["slug"], version=bank["version"])
    result = paydown("check", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def on_server(version, project, user, levels: dict) -> AssessmentResult:
    assessment = services.start_assessment(
        project=project, version=version, started_by=user, title="Same score"
    )
    factories.answer(assessment, user, levels)
    services.submit_assessment(assessment=assessment, by=user, allow_open_items=True)
    return AssessmentResult.objects.prefetch_related("categories").get(assessment=assessment)


def number(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


CASES = [
    ("ml-technical-debt-v2", 1),
    ("ml-technical-debt-v2", 2),
    ("ml-technical-debt-v2", 3),
    ("ml-technical-debt", 4),
    ("ml-technical-debt", 5),
    ("ml-test-score", 6),
    ("ml-test-score", 7),
]


@pytest.mark.parametrize(("file_stem", "seed"), CASES)
def test_offline_and_server_scores_agree(tmp_path, shipped_banks, project1, alice, file_stem, seed):
    levels = answer_set(file_stem, seed)

    mine = offline(tmp_path, file_stem, levels)
    stored = on_server(shipped_banks[file_stem], project1, alice, levels)

    assert (number(mine["overall"]), mine["level"]) == (stored.overall, stored.level)
    assert mine["method_version"] == stored.method_version
    assert [
        (c["key"], number(c["score"]), number(c["points"]), c["level"]) for c in mine["categories"]
    ] == [(c.key, c.score, c.points, c.level) for c in stored.categories.all()]


def test_all_at_the_top_agrees_too(tmp_path, shipped_banks, project1, alice):
    version = shipped_banks["ml-technical-debt-v2"]
    levels = {q.key: 4 for q in version.questions.all()}

    mine = offline(tmp_path, "ml-technical-debt-v2", levels)
    stored = on_server(version, project1, alice, levels)

    assert (number(mine["overall"]), mine["level"]) == (stored.overall, stored.level) == (100, 4)
