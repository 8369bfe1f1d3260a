"""Where a project stands on Google's MLOps levels 0–2 and Microsoft's 0–4, from named questions.

The mapping lives in the bank file (`mlops_levels`, docs/scoring.md has it as tables): each level of
each model lists conditions `question ≥ at_least`. A level is reached when every condition of it and
of all lower levels holds, so a team cannot skip a level. A condition on a question answered N/A is
met (the practice does not apply to this system); one on an unanswered question is not, so an
unfinished assessment never reports more maturity than it shows. The standing is shown beside the
score and never changes it.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

# The models' own names for their authors, as the pages cite them.
FRAMEWORK_NAMES = {"google": "Google Cloud", "microsoft": "Microsoft"}


@dataclass(frozen=True)
class Condition:
    question_key: str
    at_least: Decimal


@dataclass(frozen=True)
class FrameworkLevel:
    level: int
    name: str
    description: str
    requires: tuple[Condition, ...]


@dataclass(frozen=True)
class Framework:
    key: str
    source: str
    levels: tuple[FrameworkLevel, ...]

    @property
    def name(self) -> str:
        return FRAMEWORK_NAMES.get(self.key, self.key.title())


@dataclass(frozen=True)
class Answered:
    """A team answer as the levels read it: value None and not N/A is unanswered (or "don't know")."""

    value: Decimal | None
    not_applicable: bool = False


@dataclass(frozen=True)
class Unmet:
    question_key: str
    at_least: Decimal
    value: Decimal | None  # None: unanswered

    def describe(self) -> str:
        needs = f"needs {_plain(self.at_least)}"
        if self.value is None:
            return f"{self.question_key} is unanswered, {needs}"
        return f"{self.question_key} is at {_plain(self.value)}, {needs}"


@dataclass(frozen=True)
class Standing:
    framework: Framework
    reached: FrameworkLevel
    next_level: FrameworkLevel | None  # None at the top
    unmet: tuple[Unmet, ...]  # the conditions of next_level that do not hold

    @property
    def top(self) -> int:
        return self.framework.levels[-1].level


# --- reading the bank file -----------------------------------------------------------------------


def frameworks_from_data(data: dict | None) -> list[Framework]:
    """The frameworks of a bank file's `mlops_levels`, in the file's order; expects data that
    the bank's validation accepted (paydown.bankfile.validation)."""
    if not data:
        return []
    return [
        Framework(
            key=key,
            source=framework.get("source", ""),
            levels=tuple(
                FrameworkLevel(
                    level=level["level"],
                    name=level["name"],
                    description=level.get("description", ""),
                    requires=tuple(
                        Condition(condition["question"], Decimal(str(condition["at_least"])))
                        for condition in level.get("requires") or []
                    ),
                )
                for level in framework["levels"]
            ),
        )
        for key, framework in data.items()
        if key != "rule"
    ]


# --- the standing --------------------------------------------------------------------------------


def standing(framework: Framework, answers: Mapping[str, Answered]) -> Standing:
    """The highest level whose conditions, and those of every level below it, all hold."""
    reached = framework.levels[0]
    for level in framework.levels[1:]:
        unmet = tuple(
            Unmet(condition.question_key, condition.at_least, _value(answers, condition))
            for condition in level.requires
            if not _met(answers.get(condition.question_key), condition)
        )
        if unmet:
            return Standing(framework, reached, level, unmet)
        reached = level
    return Standing(framework, reached, None, ())


def standings(frameworks: Iterable[Framework], answers: Mapping[str, Answered]) -> list[Standing]:
    return [standing(framework, answers) for framework in frameworks]


def _met(answer: Answered | None, condition: Condition) -> bool:
    if answer is None:
        return False
    if answer.not_applicable:
        return True
    return answer.value is not None and answer.value >= condition.at_least


def _value(answers: Mapping[str, Answered], condition: Condition) -> Decimal | None:
    answer = answers.get(condition.question_key)
    return None if answer is None else answer.value


# --- numbers and messages ------------------------------------------------------------------------


def _plain(value: Decimal) -> str:
    """2 not 2.00, 0.5 not 0.50, 100 not 1E+2."""
    return format(value.normalize(), "f")
