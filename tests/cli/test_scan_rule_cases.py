"""Every rule of the shipped banks fires on a tiny checkout made for it and stays quiet on a near
miss (tests/fixtures/scan-rule-cases.yaml), each rule scanned alone so that no other rule of its
question can make it look right."""

import copy
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from paydown import bankfile, scan
from paydown.scan.rules import Rule, bank_rules

CASES_FILE = Path(__file__).resolve().parents[1] / "fixtures" / "scan-rule-cases.yaml"
CASES: dict[str, Any] = yaml.safe_load(CASES_FILE.read_text())


def _banks() -> dict[str, dict[str, Any]]:
    banks = {}
    for path in bankfile.SHIPPED:
        data = bankfile.load(Path(path).read_bytes())
        banks[f"{data['slug']}-v{data['version']}"] = data
    return banks


BANKS = _banks()
RULES: dict[str, list[Rule]] = {name: bank_rules(data) for name, data in BANKS.items()}
PARAMS = [
    pytest.param(name, rule, kind, id=f"{name}:{rule.id}:{kind}")
    for name, rules in RULES.items()
    for rule in rules
    for kind in ("positive", "negative")
]


def case_files(bank: str, rule_id: str, kind: str) -> dict[str, str]:
    entry = CASES[rule_id]
    if "by_bank" in entry:
        entry = entry["by_bank"][bank]
    return entry[kind] or {}


@cache
def bank_with_only(bank: str, rule_id: str) -> dict[str, Any]:
    """The bank with this one rule left in its question's signals and no other rule anywhere."""
    data = copy.deepcopy(BANKS[bank])
    for category in data["categories"]:
        for question in category["questions"]:
            kept = [s for s in question.pop("signals", []) if s["rule"] == rule_id]
            if kept:
                question["signals"] = kept
    return data


@pytest.mark.parametrize("bank, rule, kind", PARAMS)
def test_rule_case(tmp_path, bank, rule, kind):
    files = case_files(bank, rule.id, kind)
    for path, content in files.items():
        file = tmp_path / path
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(content)
    result = scan.scan(tmp_path, bank_with_only(bank, rule.id))
    (finding,) = [
        f for f in result.findings if (f.category, f.key) == (rule.category, rule.question)
    ]
    if kind == "negative":
        assert finding.status == "not_detected", finding
        return
    assert finding.status == "suggested", f"{rule.id} did not fire on its positive case"
    assert rule.id in finding.rules
    assert finding.level == Decimal(str(rule.supports))
    assert finding.evidence
    for evidence in finding.evidence:
        assert evidence.path in files, evidence
        assert 1 <= evidence.line <= len(files[evidence.path].splitlines()), evidence


def test_every_rule_has_cases_and_every_case_a_rule():
    ids_by_bank = {name: {rule.id for rule in rules} for name, rules in RULES.items()}
    every_id = set().union(*ids_by_bank.values())
    missing = sorted(
        f"{name}:{rule_id}"
        for name, ids in ids_by_bank.items()
        for rule_id in ids
        if rule_id not in CASES
        or ("by_bank" in CASES[rule_id] and name not in CASES[rule_id]["by_bank"])
    )
    assert not missing, f"rules without cases in {CASES_FILE.name}: {missing}"
    assert not sorted(set(CASES) - every_id), "cases of rules that no shipped bank has"
    for rule_id, entry in CASES.items():
        if "by_bank" in entry:
            assert set(entry) == {"by_bank"}, rule_id
            assert all(rule_id in ids_by_bank.get(name, ()) for name in entry["by_bank"]), rule_id
            shapes = entry["by_bank"].values()
        else:
            shapes = [entry]
        for shape in shapes:
            assert set(shape) == {"positive", "negative"}, rule_id
            assert all(isinstance(shape[kind] or {}, dict) for kind in shape), rule_id
