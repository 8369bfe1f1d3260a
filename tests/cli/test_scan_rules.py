"""The scan's rule engine on small checkouts: each kind of condition matches what it should and
nothing else, and the level, confidence and evidence follow docs/bank-format.md, "Signals"."""

import json
from decimal import Decimal

import pytest
from paydown import bankfile, scan
from paydown.scan import rules

from tests.cli.scan_banks import bank_with, checkout


def finding(root, *signals, key="q"):
    result = scan.scan(root, bank_with(*signals))
    return next(f for f in result.findings if f.key == key)


def test_files_glob_matches_names_at_any_depth_and_says_where(tmp_path):
    checkout(tmp_path, {"data/raw.csv.dvc": "\nouts:\n- md5: abc\n", "src/app.py": "x = 1\n"})
    found = finding(tmp_path, {"all": [{"files": ["*.dvc"]}], "supports": 2})
    assert (found.status, found.level, found.confidence, found.files) == (
        "suggested",
        Decimal(2),
        "medium",
        1,
    )
    # The first line that says something is the evidence of a file's presence.
    assert [(e.path, e.line, e.rule, e.excerpt) for e in found.evidence] == [
        ("data/raw.csv.dvc", 2, "rule-0", "outs:")
    ]


def test_files_glob_misses_other_names(tmp_path):
    checkout(tmp_path, {"data/raw.csv": "a,b\n", "dvc.txt": "no\n"})
    found = finding(tmp_path, {"all": [{"files": ["*.dvc", "dvc.yaml"]}]})
    assert (found.status, found.level, found.evidence) == ("not_detected", None, ())


@pytest.mark.parametrize(
    "glob, path, matches",
    [
        ("dvc.yaml", "pipelines/dvc.yaml", True),
        ("MODEL_CARD*.md", "docs/model_card_v2.md", True),  # case-insensitive
        (".github/workflows/*.yml", ".github/workflows/ci.yml", True),
        (".github/workflows/*.yml", ".github/workflows/sub/ci.yml", False),
        ("**/conf/*.yaml", "conf/config.yaml", True),
        ("**/conf/*.yaml", "a/b/conf/config.yaml", True),
        ("requirements*.txt", "requirements-dev.txt", True),
        ("requirements*.txt", "requirements/dev.txt", False),
        ("[Dd]ockerfile", "svc/Dockerfile", True),
    ],
)
def test_glob_semantics(glob, path, matches):
    assert bool(rules.compile_glob(glob).match(path)) is matches


def test_content_pattern_reports_each_matching_line(tmp_path):
    checkout(
        tmp_path,
        {
            "Dockerfile": "FROM python:3.11-slim@sha256:" + "a" * 64 + "\nRUN pip install x\n",
            "other/Dockerfile": "FROM python:3.11\n",
        },
    )
    found = finding(
        tmp_path, {"all": [{"content": {"files": ["Dockerfile"], "pattern": r"^FROM \S+@sha256:"}}]}
    )
    assert [(e.path, e.line) for e in found.evidence] == [("Dockerfile", 1)]


def test_imports_are_read_with_ast_not_text(tmp_path):
    checkout(
        tmp_path,
        {
            "a.py": "import pandera as pa\n",
            "b.py": "from great_expectations.core import ExpectationSuite\n",
            "c.py": '"""import pandera in a docstring is no import"""\n# import pandera\n',
            "d.py": "import panderas\n",  # another module whose name starts alike
        },
    )
    found = finding(tmp_path, {"all": [{"imports": ["pandera", "great_expectations"]}]})
    assert [(e.path, e.line) for e in found.evidence] == [("a.py", 1), ("b.py", 1)]


def test_calls_resolve_import_aliases_and_wildcards(tmp_path):
    checkout(
        tmp_path,
        {
            "train.py": (
                "import mlflow as mf\nfrom mlflow import sklearn as skl\n\n"
                "mf.register_model('runs:/1/model', 'churn')\n"
                "skl.log_model(model, 'model', registered_model_name='churn')\n"
            ),
            "other.py": "register_model = print\nregister_model('x')\n",
        },
    )
    found = finding(tmp_path, {"all": [{"calls": ["mlflow.register_model", "mlflow.*.log_model"]}]})
    assert [(e.path, e.line) for e in found.evidence] == [("train.py", 4), ("train.py", 5)]


def test_decorators_count_as_calls(tmp_path):
    checkout(tmp_path, {"flow.py": "from prefect import flow\n\n@flow\ndef train():\n    pass\n"})
    found = finding(tmp_path, {"all": [{"calls": ["prefect.flow"]}]})
    assert [(e.path, e.line) for e in found.evidence] == [("flow.py", 3)]


def test_notebook_code_cells_are_parsed_and_lines_point_into_the_file(tmp_path):
    notebook = {
        "cells": [
            {"cell_type": "markdown", "source": ["import torch is prose here\n"]},
            {"cell_type": "code", "source": ["%matplotlib inline\n", "import pickle\n"]},
            {"cell_type": "code", "source": ["model = pickle.load(open('m.pkl', 'rb'))\n"]},
        ],
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {},
    }
    checkout(tmp_path, {"nb/train.ipynb": json.dumps(notebook, indent=1)})
    found = finding(tmp_path, {"all": [{"calls": ["pickle.load"]}]})
    raw = (tmp_path / "nb/train.ipynb").read_text().splitlines()
    (evidence,) = found.evidence
    assert evidence.path == "nb/train.ipynb"
    assert "pickle.load" in raw[evidence.line - 1]
    assert finding(tmp_path, {"all": [{"imports": ["torch"]}]}).status == "not_detected"


def test_yaml_keys_know_githubs_bare_on_and_list_items(tmp_path):
    checkout(
        tmp_path,
        {
            ".github/workflows/ci.yml": "name: ci\non: [push, pull_request]\njobs: {}\n",
            ".github/workflows/nightly.yml": "on:\n  schedule:\n    - cron: '0 3 * * *'\n",
        },
    )
    found = finding(
        tmp_path,
        {"all": [{"keys": {"files": [".github/workflows/*.yml"], "key": "on.pull_request"}}]},
    )
    assert [(e.path, e.line) for e in found.evidence] == [(".github/workflows/ci.yml", 2)]


def test_yaml_keys_in_multi_document_manifests_with_wildcards(tmp_path):
    checkout(
        tmp_path,
        {
            "deploy/k8s.yaml": (
                "kind: Service\n---\nkind: InferenceService\nspec:\n  predictor:\n"
                "    canaryTrafficPercent: 10\n"
            )
        },
    )
    found = finding(
        tmp_path,
        {"all": [{"keys": {"files": ["*.yaml"], "key": "spec.*.canaryTrafficPercent"}}]},
    )
    assert [(e.path, e.line, e.excerpt) for e in found.evidence] == [
        ("deploy/k8s.yaml", 6, "canaryTrafficPercent: 10")
    ]


def test_yaml_aliases_are_not_expanded(tmp_path):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
    )
    checkout(tmp_path, {"bomb.yaml": bomb})
    found = finding(tmp_path, {"all": [{"keys": {"files": ["*.yaml"], "key": "*.nothing"}}]})
    assert found.status == "not_detected"


def test_toml_keys(tmp_path):
    checkout(
        tmp_path,
        {"pyproject.toml": '[project]\nname = "x"\n\n[tool.pytest.ini_options]\naddopts = "-q"\n'},
    )
    found = finding(
        tmp_path, {"all": [{"keys": {"files": ["pyproject.toml"], "key": "tool.pytest"}}]}
    )
    assert [(e.path, e.line) for e in found.evidence] == [("pyproject.toml", 4)]
    missing = finding(
        tmp_path, {"all": [{"keys": {"files": ["pyproject.toml"], "key": "tool.poetry"}}]}
    )
    assert missing.status == "not_detected"


def test_all_conditions_must_match_and_same_file_keeps_them_together(tmp_path):
    checkout(
        tmp_path,
        {
            ".github/workflows/lint.yml": "on: [pull_request]\njobs:\n  l:\n    steps: [run: ruff]\n",
            ".github/workflows/nightly.yml": "on: [schedule]\njobs:\n  t:\n    steps: [run: pytest]\n",
        },
    )
    ci = [
        {"keys": {"files": [".github/workflows/*.yml"], "key": "on.pull_request"}},
        {"content": {"files": [".github/workflows/*.yml"], "pattern": r"\bpytest\b"}},
    ]
    # Across files both conditions hold; in one file they do not: no workflow tests each change.
    assert finding(tmp_path, {"all": ci}).status == "suggested"
    assert finding(tmp_path, {"all": ci, "same_file": True}).status == "not_detected"
    checkout(
        tmp_path,
        {".github/workflows/ci.yml": "on: [pull_request]\njobs: {t: {steps: [run: pytest]}}\n"},
    )
    together = finding(tmp_path, {"all": ci, "same_file": True})
    assert {e.path for e in together.evidence} == {".github/workflows/ci.yml"}


def test_highest_supported_level_wins_and_agreeing_rules_raise_confidence(tmp_path):
    checkout(tmp_path, {"dvc.lock": "schema: '2.0'\n", "dvc.yaml": "stages: {}\n"})
    found = finding(
        tmp_path,
        {"all": [{"files": ["dvc.yaml"]}], "supports": 1, "confidence": "high"},
        {"all": [{"files": ["dvc.lock"]}], "supports": 2, "confidence": "low"},
        {"all": [{"files": ["dvc.lock"]}], "supports": 2, "confidence": "low"},
    )
    assert (found.level, found.confidence, found.files) == (Decimal(2), "medium", 2)
    assert found.rules == ("rule-0", "rule-1", "rule-2")


def test_a_ceiling_holds_the_suggestion_down(tmp_path):
    checkout(
        tmp_path,
        {
            "serve.py": "import pickle\nfrom safetensors.torch import load_file\n"
            "m = pickle.load(f)\nw = load_file('w.safetensors')\n"
        },
    )
    safe = {"all": [{"calls": ["safetensors.torch.load_file"]}], "supports": 3}
    unsafe = {
        "all": [{"calls": ["pickle.load"]}],
        "supports": 1,
        "confidence": "high",
        "ceiling": True,
    }
    both = finding(tmp_path, safe, unsafe)
    assert (both.level, both.confidence) == (Decimal(1), "high")
    (tmp_path / "serve.py").write_text("from safetensors.torch import load_file\nload_file('w')\n")
    assert finding(tmp_path, safe, unsafe).level == Decimal(3)


def test_an_empty_checkout_gets_no_level_anywhere(tmp_path):
    result = scan.scan(tmp_path, bankfile.shipped("ml-technical-debt", 2))
    assert result.files_scanned == 0
    assert {f.status for f in result.findings} <= {"not_detected", "no_signals"}
    assert all(f.level is None and not f.evidence for f in result.findings)


def test_questions_without_rules_say_so(tmp_path):
    checkout(tmp_path, {"dvc.yaml": "stages: {}\n"})
    result = scan.scan(tmp_path, bank_with({"all": [{"files": ["dvc.yaml"]}]}))
    assert [(f.key, f.status) for f in result.findings] == [
        ("q", "suggested"),
        ("unwatched", "no_signals"),
    ]


def test_tool_folders_links_large_and_binary_files_are_not_read(tmp_path):
    checkout(
        tmp_path,
        {
            ".venv/lib/mlflow_model.py": "import mlflow\n",
            "node_modules/x/dvc.yaml": "stages: {}\n",
            "big.py": "import mlflow\n" + "#" * (1024 * 1024),
        },
    )
    (tmp_path / "blob.py").write_bytes(b"import mlflow\n\0\0")
    (tmp_path / "linked.py").symlink_to(tmp_path / ".venv/lib/mlflow_model.py")
    assert finding(tmp_path, {"all": [{"imports": ["mlflow"]}]}).status == "not_detected"
    assert finding(tmp_path, {"all": [{"files": ["dvc.yaml"]}]}).status == "not_detected"


def test_unparseable_files_are_skipped_not_fatal(tmp_path):
    checkout(
        tmp_path,
        {
            "broken.py": "def (:\n import mlflow\n",
            "broken.ipynb": "{not json",
            "broken.yaml": "a: [\n",
            "broken.toml": "[[[",
            "ok.py": "import mlflow\n",
        },
    )
    found = finding(
        tmp_path,
        {"all": [{"imports": ["mlflow"]}]},
        {"all": [{"keys": {"files": ["*.yaml", "*.toml"], "key": "a"}}]},
    )
    assert [(e.path, e.rule) for e in found.evidence] == [("ok.py", "rule-0")]


def test_a_missing_checkout_is_refused(tmp_path):
    with pytest.raises(scan.CheckoutError):
        scan.scan(tmp_path / "nope", bank_with())


# --- the checks on a bank's signals -------------------------------------------------------------


@pytest.mark.parametrize(
    "signal, problem",
    [
        ({"all": [{"files": ["x"]}], "supports": 5}, "5 is not a level of this question"),
        ({"all": [{"content": {"files": ["*"], "pattern": "(a+)+$"}}]}, "repetition inside"),
        ({"all": [{"content": {"files": ["*"], "pattern": r"(a)\1"}}]}, "back-references"),
        ({"all": [{"content": {"files": ["*"], "pattern": "(unclosed"}}]}, "missing )"),
        ({"all": [{"files": ["../outside"]}]}, "relative to the checkout"),
        ({"all": [{"files": ["/etc/passwd"]}]}, "relative to the checkout"),
        ({"all": [{"files": ["x"], "imports": ["y"]}]}, "too many properties"),
        ({"all": [{"calls": ["not a name"]}]}, "does not match"),
        ({"all": [{"files": ["x"]}], "confidence": "certain"}, "is not one of"),
        ({"all": []}, "should be non-empty"),
    ],
)
def test_bad_signals_are_refused_with_their_path(signal, problem):
    with pytest.raises(bankfile.BankFileError) as refused:
        bank_with(signal)
    assert any("signals[0]" in e and problem in e for e in refused.value.errors), (
        refused.value.errors
    )


def test_a_rule_id_is_used_once_in_a_bank():
    with pytest.raises(bankfile.BankFileError) as refused:
        bank_with(
            {"all": [{"files": ["a"]}], "rule": "same"}, {"all": [{"files": ["b"]}], "rule": "same"}
        )
    assert "categories[0].questions[0].signals[1].rule: 'same' is used by" in str(refused.value)


def test_every_shipped_signal_compiles():
    for path in bankfile.SHIPPED:
        data = bankfile.load(path.read_bytes())
        for rule in rules.bank_rules(data):
            for condition in rule.conditions:
                for glob in condition.globs:
                    rules.compile_glob(glob)


def test_from_import_of_a_submodule_counts_as_importing_it(tmp_path):
    checkout(tmp_path, {"tune.py": "from ray import tune\n", "other.py": "from ray import init\n"})
    found = finding(tmp_path, {"all": [{"imports": ["ray.tune"]}]})
    assert [(e.path, e.line) for e in found.evidence] == [("tune.py", 1)]


def test_line_numbers_and_excerpts_agree_across_readers_despite_form_feeds(tmp_path):
    # str.splitlines also breaks at \f, which Python source may hold (page breaks); ast does not.
    checkout(tmp_path, {"train.py": "import mlflow\n\x0c\nmlflow.register_model('m', 'n')\n"})
    found = finding(tmp_path, {"all": [{"calls": ["mlflow.register_model"]}]})
    assert [(e.line, e.excerpt) for e in found.evidence] == [(3, "mlflow.register_model('m', 'n')")]
