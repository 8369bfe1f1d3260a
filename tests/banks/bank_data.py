"""A small valid bank version as plain data, for tests to copy and break."""

import copy


def _question(key: str, scale=(0, 1, 2), **extra) -> dict:
    return {
        "key": key,
        "text": f"How is {key} handled?",
        "why": "Because it matters.",
        "weight": 1,
        "covers": ["glue-code"],
        "references": ["Sculley et al. 2015, §5"],
        "levels": [
            {"value": v, "label": f"L{v}", "description": f"What level {v} looks like."}
            for v in scale
        ],
        "remediation": [
            {"to": v, "advice": f"Reach {v}.", "effort": "S", "impact": 2} for v in scale[1:]
        ],
        **extra,
    }


def small_bank(**overrides) -> dict:
    data = {
        "slug": "tiny",
        "name": "Tiny bank",
        "description": "For tests.",
        "version": 1,
        "scoring": "maturity",
        "scale": [0, 1, 2],
        "categories": [
            {
                "key": "data",
                "name": "Data",
                "weight": 2,
                "questions": [_question("data-a"), _question("data-b", prerequisites=["data-a"])],
            },
            {
                "key": "code",
                "name": "Code",
                "weight": 1,
                "questions": [_question("code-a", allow_na=False)],
            },
        ],
    }
    data.update(overrides)
    return copy.deepcopy(data)


def database_state() -> dict:
    """Everything a bank import may write, to compare before and after a refusal."""
    from banks.models import BankVersion, Category, Level, Question, QuestionBank, Remediation

    return {
        "counts": [
            model.objects.count()
            for model in (QuestionBank, BankVersion, Category, Question, Level, Remediation)
        ],
        "banks": list(QuestionBank.objects.values_list("slug", "name", "description")),
        "versions": list(BankVersion.objects.values_list("pk", "number", "status")),
    }


def bank_with(questions: int, *, categories: int = 6, slug: str = "sized") -> dict:
    """A valid bank of `questions` questions spread over `categories` categories (keys q1, q2 …)."""
    per_category = [[] for _ in range(categories)]
    for n in range(1, questions + 1):
        per_category[n % categories].append(_question(f"q{n}"))
    return small_bank(
        slug=slug,
        name=f"Bank of {questions}",
        categories=[
            {"key": f"c{i}", "name": f"Category {i}", "weight": 1, "questions": qs}
            for i, qs in enumerate(per_category)
            if qs
        ],
    )


def gated_bank(**overrides) -> dict:
    """A method-2 bank (levels by gates, issue #13): five levels, three data questions of weight
    3 and one critical operations question of weight 1, N/A only under a stated precondition."""
    scale = (0, 1, 2, 3, 4)
    data = {
        "slug": "gated",
        "name": "Gated bank",
        "description": "For tests of method version 2.",
        "version": 1,
        "scoring": "maturity",
        "method": {"version": 2, "gate_share": 0.8},
        "scale": list(scale),
        "categories": [
            {
                "key": "data",
                "name": "Data",
                "weight": 1,
                "questions": [
                    _question("data-a", scale, allow_na=False, weight=3),
                    _question("data-b", scale, allow_na=False, weight=3),
                    _question("data-c", scale, allow_na=False, weight=3),
                ],
            },
            {
                "key": "ops",
                "name": "Operations",
                "weight": 1,
                "questions": [
                    _question(
                        "ops-monitoring",
                        scale,
                        critical=True,
                        allow_na=True,
                        na_precondition="The system makes no online predictions.",
                    )
                ],
            },
        ],
    }
    data["categories"][0]["questions"][0]["levels"][3]["evidence"] = "Link the CI job."
    data["categories"][0]["questions"][0]["remediation"][0]["effort_weeks"] = 0.5
    data.update(overrides)
    return copy.deepcopy(data)
