"""Carry-over reads the last submitted assessment of the same bank, across its versions by key
(issue #13): a question that kept its key keeps its answer; one that starts a new series asks again."""

from decimal import Decimal as D

from assessment import services
from assessment.models import Answer
from tests import factories


def carried(assessment) -> dict[str, D | None]:
    return dict(
        Answer.objects.filter(assessment=assessment, carried_over=True).values_list(
            "question__key", "level_value"
        )
    )


def test_carry_over_skips_a_later_result_on_another_bank(shipped_banks, project1, bob):
    debt = shipped_banks["ml-technical-debt"]
    factories.make_result(project1, debt, bob, {"data-schema": 3}, title="Debt")
    factories.make_result(project1, shipped_banks["ml-test-score"], bob, {}, title="Tests")

    again = services.start_assessment(
        project=project1, version=debt, started_by=bob, title="Again", carry_over=True
    )

    assert again.carried_from.title == "Debt"
    assert carried(again)["data-schema"] == D(3)


def test_version_2_carries_the_kept_keys_and_asks_the_new_series_again(
    shipped_banks, project1, bob
):
    v1, v2 = shipped_banks["ml-technical-debt"], shipped_banks["ml-technical-debt-v2"]
    factories.make_result(
        project1, v1, bob, {"data-schema": 3, "data-training-serving-skew": 2}, title="On v1"
    )

    on_v2 = services.start_assessment(
        project=project1, version=v2, started_by=bob, title="On v2", carry_over=True
    )

    answers = carried(on_v2)
    assert answers["data-schema"] == D(3)  # same key, same meaning: its trend continues
    assert "data-skew-detection" not in answers  # new series (was data-training-serving-skew)
    assert "ops-input-drift" not in answers  # new in version 2
    kept = {old for old, new in v2.previous_version["keys"].items() if old == new}
    assert set(answers) == kept
