"""A bank version's texts in the active language (issue #17). Pages read bank content as model
instances and stored results; `Texts(version)` puts the version's translation of each text on
them, in memory, before they are shown. Nothing here saves: published content never changes,
and a text the version has no translation for stays English (docs/bank-format.md)."""

from collections.abc import Iterable
from typing import Any

from django.utils import translation
from paydown.bankfile import translations as table_of

from banks.models import BankVersion, Category, Question


class Texts:
    def __init__(self, version: BankVersion, language: str | None = None) -> None:
        self.table = version.translations or {}
        self.language = language or translation.get_language() or table_of.SOURCE_LANGUAGE

    @property
    def active(self) -> bool:
        return self.language != table_of.SOURCE_LANGUAGE and bool(self.table)

    def text(self, place: str, field: str, default: str) -> str:
        if not self.active:
            return default
        return table_of.text(self.table, place, field, self.language, default)

    def _put(self, obj: Any, place: str, fields: Iterable[str]) -> None:
        for field in fields:
            setattr(obj, field, self.text(place, field, getattr(obj, field)))

    def version(self, version: BankVersion) -> BankVersion:
        """The version's level rule, and its bank's name and description when loaded with it."""
        if self.active:
            self._put(version, "", ("level_rule",))
            if "bank" in version._state.fields_cache:
                self._put(version.bank, "", ("name", "description"))
        return version

    def categories(self, categories: Iterable[Category], *, questions: bool = False):
        """Categories' names, and with `questions` their prefetched questions' texts too."""
        if not self.active:
            return categories
        for category in categories:
            self._put(category, f"categories/{category.key}", table_of.CATEGORY_FIELDS)
            if questions:
                self.questions(category.questions.all())
        return categories

    def questions(self, questions: Iterable[Question]):
        """Questions' texts, and their prefetched levels' and remediation steps' when loaded."""
        if not self.active:
            return questions
        for question in questions:
            self._put(question, f"questions/{question.key}", table_of.QUESTION_FIELDS)
            cached = getattr(question, "_prefetched_objects_cache", {})
            for level in cached.get("levels", []):
                place = f"levels/{question.key}/{table_of.number_key(level.value)}"
                self._put(level, place, table_of.LEVEL_FIELDS)
            for step in cached.get("remediations", []):
                place = f"remediation/{question.key}/{table_of.number_key(step.to_value)}"
                self._put(step, place, table_of.STEP_FIELDS)
        return questions

    def category_name(self, key: str, name: str) -> str:
        return self.text(f"categories/{key}", "name", name)

    def question_text(self, key: str, text: str) -> str:
        return self.text(f"questions/{key}", "text", text)

    def tiers(self, tiers: list[dict]) -> list[dict]:
        return [
            {
                **tier,
                **{
                    f: self.text(f"tiers/{tier['key']}", f, tier.get(f, ""))
                    for f in ("name", "description")
                },
            }
            for tier in tiers
        ]

    def mlops_levels(self, mlops: dict) -> dict:
        """A copy of the version's MLOps level mapping with its names and descriptions translated."""
        if not self.active or not mlops:
            return mlops
        copied = {"rule": self.text("mlops", "rule", mlops.get("rule", ""))}
        for framework, spec in mlops.items():
            if isinstance(spec, dict):
                copied[framework] = {
                    **spec,
                    "levels": [
                        {
                            **level,
                            **{
                                f: self.text(
                                    f"mlops/{framework}/{level.get('level')}", f, level.get(f, "")
                                )
                                for f in ("name", "description")
                            },
                        }
                        for level in spec.get("levels", [])
                    ],
                }
        return copied
