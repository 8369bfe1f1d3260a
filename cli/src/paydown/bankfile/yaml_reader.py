"""Read untrusted YAML into plain data: no aliases, bounded depth, size and texts, problems by path."""

from decimal import Decimal, InvalidOperation
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.cyaml import CParser
from yaml.nodes import MappingNode, ScalarNode, SequenceNode
from yaml.resolver import Resolver

from paydown.bankfile.validation import format_path

# Far above what the shipped banks use (docs/bank-format.md, "Limits"), low enough that the worst
# file within them is read and refused in a fraction of a second.
MAX_DEPTH = 12  # nested lists and mappings; the bank format needs 11 (a signal's content globs)
MAX_VALUES = 50_000  # keys, values and list items; the largest shipped bank has 11,016
MAX_TEXT_CHARS = 10_000  # the longest text in the shipped banks has 679
MAX_NUMBER_CHARS = 32


class YAMLRefused(Exception):
    """YAML that is malformed or breaks a limit; `problems` are messages that start with a path."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def read(text: str) -> Any:
    """The one document in `text` as plain data (None when empty); raises YAMLRefused."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if loader.problems:
            raise YAMLRefused(loader.problems)
        return loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as error:
        # the path is that of the value being read when the parser stopped
        raise YAMLRefused([f"{loader.where()}: invalid YAML{_yaml_problem(error)}"]) from None
    except yaml.reader.ReaderError as error:
        raise YAMLRefused(
            [f"file: {error.reason} (#x{error.character:04x} at character {error.position + 1})"]
        ) from None
    except yaml.YAMLError as error:
        raise YAMLRefused([f"file: invalid YAML: {error}"]) from None
    finally:
        loader.dispose()


_STR, _INT, _FLOAT = (f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float"))


class _Loader(CParser, Composer, SafeConstructor, Resolver):
    """libyaml's parser (fast) with PyYAML's composer (Python), which checks every node as it is
    built and knows its path: anchors and aliases are refused before anything can expand, and
    depth, the number of values and each text are bounded before any structure is constructed."""

    def __init__(self, text: str) -> None:
        CParser.__init__(self, text)
        Composer.__init__(self)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)
        self.path: list[str | int | None] = []
        self.depth = 0
        self.values = 0
        self.problems: list[str] = []  # not fatal: reported together once the file is read

    def get_single_node(self) -> yaml.Node | None:
        return Composer.get_single_node(self)  # CParser's own composer would skip the checks

    def where(self, *more: str | int) -> str:
        return format_path([*self.path, *more])

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        # index is the list position of an item, or the key node of a mapping value
        self.path.append(index.value if isinstance(index, ScalarNode) else index)
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or event.anchor is not None:
            raise YAMLRefused([f"{self.where()}: YAML anchors (&) and aliases (*) are not allowed"])
        self.values += 1
        if self.values > MAX_VALUES:
            raise YAMLRefused([f"{self.where()}: more than {MAX_VALUES:,} values in one file"])
        nested = isinstance(event, yaml.CollectionStartEvent)
        self.depth += nested
        if self.depth > MAX_DEPTH:
            raise YAMLRefused([f"{self.where()}: nested more than {MAX_DEPTH} levels deep"])
        node = super().compose_node(parent, index)
        node.path = tuple(self.path)  # for the constructor's errors
        self.depth -= nested
        self.path.pop()
        return node

    def compose_scalar_node(self, anchor: str | None) -> ScalarNode:
        node = super().compose_scalar_node(anchor)
        problem = _scalar_problem(node)
        if problem:
            self.problems.append(f"{self.where()}: {problem}")
        return node

    def compose_mapping_node(self, anchor: str | None) -> MappingNode:
        node = super().compose_mapping_node(anchor)
        first_lines: dict[str, int] = {}
        for key, _ in node.value:
            if not isinstance(key, ScalarNode):
                kind = "list" if isinstance(key, SequenceNode) else "mapping"
                self.problems.append(f"{self.where()}: a key must be text, not a {kind}")
            elif key.tag != _STR:
                kind = key.tag.rsplit(":", 1)[-1]
                self.problems.append(
                    f"{self.where()}: key {key.value!r} is not text (YAML reads it as a {kind}); "
                    "quote it"
                )
            elif key.value in first_lines:
                self.problems.append(
                    f"{self.where(key.value)}: duplicate key "
                    f"(first on line {first_lines[key.value]})"
                )
            else:
                first_lines[key.value] = key.start_mark.line + 1
        return node

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except ConstructorError as error:  # e.g. an unknown !tag
            raise YAMLRefused([f"{format_path(node.path)}: {error.problem}"]) from None
        except (ValueError, OverflowError) as error:  # e.g. 2001-02-30, or !!int with letters
            raise YAMLRefused([f"{format_path(node.path)}: {error}"]) from None


def _scalar_problem(node: ScalarNode) -> str | None:
    text = node.value
    if len(text) > MAX_TEXT_CHARS:
        return f"a text of {len(text):,} characters; at most {MAX_TEXT_CHARS:,}"
    if "\x00" in text:  # PostgreSQL cannot store it in text or JSON
        return "contains a NUL character (\\0)"
    if node.tag in (_INT, _FLOAT) and len(text) > MAX_NUMBER_CHARS:
        return f"a number of {len(text):,} characters; at most {MAX_NUMBER_CHARS}"
    if node.tag == _FLOAT:
        return _float_problem(text)
    return None


def _float_problem(text: str) -> str | None:
    """A float written with more digits than a float holds would be rounded before any check."""
    try:
        written = Decimal(text.replace("_", ""))
    except InvalidOperation:  # .inf, .nan and 1:30.5 forms: checked where the value is used
        return None
    if not written.is_finite():
        return None
    read = float(written)
    if Decimal(repr(read)) != written:
        return f"{text} cannot be kept exactly (it reads as {read!r})"
    return None


def _yaml_problem(error: yaml.MarkedYAMLError) -> str:
    """` at line 2, column 1: did not find expected ']' (while parsing … at line 1, column 7)`"""

    def at(mark: yaml.Mark | None) -> str:
        return f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""

    text = f"{at(error.problem_mark)}: {error.problem}"
    if error.context:
        text += f" ({error.context}{at(error.context_mark)})"
    return text
