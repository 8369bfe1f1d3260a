"""A checkout read without executing anything: its files, their text, the imports and calls of its
Python (with `ast`) and the keys of its YAML, TOML and JSON files, each read at most once.

Bounded for untrusted trees: symbolic links are not followed, tool folders (.git, virtual
environments, node_modules) are skipped, files over 1 MB are matched by name only, and YAML is
composed without expanding aliases.
"""

import ast
import bisect
import functools
import json
import os
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

SKIPPED_FOLDERS = {
    ".git", ".hg", ".svn", ".venv", "venv", "env", "node_modules", "__pycache__", ".tox", ".nox",
    ".mypy_cache", ".pytest_cache", ".ruff_cache", "site-packages", ".ipynb_checkpoints",
    ".dvc/cache",
}  # fmt: skip
MAX_FILE_BYTES = 1024 * 1024
MAX_FILES = 200_000  # a checkout with more is refused rather than read for minutes
MAX_EXCERPT_CHARS = 160
_LINE_END = re.compile(r"\r\n|\n|\r")
MAX_KEY_VISITS = 10_000  # YAML nodes visited for one key path: aliases share nodes
PYTHON = (".py", ".ipynb")
STRUCTURED = (".yml", ".yaml", ".toml", ".json")


class CheckoutError(Exception):
    """A checkout that cannot be scanned (missing, not a folder, too large)."""


@dataclass(frozen=True)
class Hit:
    path: str
    line: int
    excerpt: str


@dataclass
class PythonFacts:
    """Where a Python file (or a notebook's code) imports modules and calls dotted names."""

    imports: list[tuple[str, int]] = field(default_factory=list)  # (module, line)
    calls: list[tuple[str, int]] = field(default_factory=list)  # (resolved dotted name, line)


class Checkout:
    def __init__(self, root: Path) -> None:
        if not root.is_dir():
            raise CheckoutError(f"{root}: not a folder")
        self.root = root
        self._texts: dict[str, str | None] = {}
        self._starts: dict[str, list[int]] = {}
        self._lines: dict[str, list[str]] = {}
        self._python: dict[str, PythonFacts | None] = {}
        self._documents: dict[str, list[yaml.Node] | Any] = {}

    @cached_property
    def paths(self) -> list[str]:
        """Every regular file's path relative to the root, with '/', sorted."""
        found = []
        for folder, folders, names in os.walk(self.root, followlinks=False):
            relative = Path(folder).relative_to(self.root).as_posix()
            prefix = "" if relative == "." else relative + "/"
            folders[:] = sorted(
                name
                for name in folders
                if name not in SKIPPED_FOLDERS and prefix + name not in SKIPPED_FOLDERS
            )
            for name in names:
                if not os.path.islink(os.path.join(folder, name)):
                    found.append(prefix + name)
            if len(found) > MAX_FILES:
                raise CheckoutError(f"{self.root}: over {MAX_FILES:,} files")
        return sorted(found)

    @cached_property
    def revision(self) -> str | None:
        """The commit checked out, read from .git (never by running git); None without one."""
        git = self.root / ".git"
        try:
            head = (git / "HEAD").read_text().strip()
            if head.startswith("ref: "):
                ref = head[5:]
                ref_file = git / ref
                if ref_file.is_file():
                    head = ref_file.read_text().strip()
                else:  # packed refs
                    packed = (git / "packed-refs").read_text().splitlines()
                    head = next(line.split()[0] for line in packed if line.endswith(" " + ref))
        except (OSError, StopIteration, UnicodeDecodeError):
            return None
        return head if re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}", head) else None

    def text(self, path: str) -> str | None:
        """The file's text; None when it is over 1 MB, binary or unreadable."""
        if path not in self._texts:
            self._texts[path] = self._read(path)
        return self._texts[path]

    def _read(self, path: str) -> str | None:
        file = self.root / path
        try:
            if file.stat().st_size > MAX_FILE_BYTES:
                return None
            raw = file.read_bytes()
        except OSError:
            return None
        if b"\0" in raw[:8192]:
            return None
        return raw.decode("utf-8", errors="replace")

    def lines(self, path: str) -> list[str]:
        """The file's lines, split where Python and git split them (\\n, \\r\\n, \\r): every line
        number a scan reports counts the same way, whichever reader found it."""
        if path not in self._lines:
            self._lines[path] = _LINE_END.split(self.text(path) or "")
        return self._lines[path]

    def first_line(self, path: str) -> Hit:
        """Evidence that a file exists: its first line that says something."""
        for number, line in enumerate(self.lines(path), start=1):
            if line.strip():
                return Hit(path, number, excerpt(line, path))
        return Hit(path, 1, "")

    def lines_matching(self, path: str, pattern: re.Pattern) -> Iterator[Hit]:
        """Each line (its first 2,000 characters) that the pattern matches. The whole file is
        searched first, at C speed, and only the lines where a match starts are searched alone:
        the leftmost match from a line's start lies in the first line that can match."""
        text = self.text(path) or ""
        whole = _whole_text(pattern)
        if whole is None:
            for number, line in enumerate(self.lines(path), start=1):
                if pattern.search(line[:2000]):
                    yield Hit(path, number, excerpt(line, path))
            return
        position = 0
        starts: list[int] = []
        while (found := whole.search(text, position)) is not None:
            starts = starts or self._line_starts(path, text)
            number = bisect.bisect_right(starts, found.start())  # 1-based: starts[number - 1]
            begin = starts[number - 1]
            end = starts[number] if number < len(starts) else len(text)
            line = text[begin:end].rstrip("\r\n")
            if pattern.search(line[:2000]):
                yield Hit(path, number, excerpt(line, path))
            if number >= len(starts):
                return
            position = starts[number]

    def _line_starts(self, path: str, text: str) -> list[int]:
        if path not in self._starts:
            self._starts[path] = [0, *(m.end() for m in _LINE_END.finditer(text))]
        return self._starts[path]

    # --- Python -----------------------------------------------------------------------------------

    def python(self, path: str) -> PythonFacts | None:
        if path not in self._python:
            self._python[path] = self._python_facts(path)
        return self._python[path]

    def _python_facts(self, path: str) -> PythonFacts | None:
        text = self.text(path)
        if text is None:
            return None
        if not path.endswith(".ipynb"):
            return _facts(text, lambda line: line)
        raw_lines = self.lines(path)
        facts = PythonFacts()
        try:
            cells = json.loads(text).get("cells", [])
        except (ValueError, AttributeError):
            return None
        for cell in cells:
            if not isinstance(cell, dict) or cell.get("cell_type") != "code":
                continue
            source = cell.get("source", "")
            source = "".join(source) if isinstance(source, list) else str(source)
            # IPython magics and shell lines are not Python: blank them, keeping line numbers.
            code = "\n".join(
                "" if line.lstrip().startswith(("%", "!")) else line for line in source.split("\n")
            )
            lines = source.split("\n")
            cell_facts = _facts(code, lambda n, lines=lines: _raw_line(raw_lines, lines[n - 1]))
            if cell_facts:
                facts.imports += cell_facts.imports
                facts.calls += cell_facts.calls
        return facts

    # --- YAML, TOML and JSON ----------------------------------------------------------------------

    def key_hits(self, path: str, key: tuple[str, ...]) -> list[Hit]:
        """Where the key path is in the file: the line of its last key (or list item)."""
        text = self.text(path)
        if text is None:
            return []
        if path.lower().endswith((".yml", ".yaml")):
            nodes = self._yaml(path, text)
            lines = self.lines(path)
            found = []
            for node in nodes:
                found += [
                    Hit(path, line, excerpt(lines[line - 1], path) if line <= len(lines) else "")
                    for line in _yaml_key_lines(node, key)
                ]
            return found[:1]
        data = self._data(path, text)
        if data is None or not _has_key(data, key):
            return []
        return [_key_line(path, self.lines(path), key)]

    def _yaml(self, path: str, text: str) -> list[yaml.Node]:
        if path not in self._documents:
            try:
                self._documents[path] = [
                    node
                    for node in yaml.compose_all(
                        text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)
                    )
                    if node is not None
                ]
            except yaml.YAMLError:
                self._documents[path] = []
        return self._documents[path]

    def _data(self, path: str, text: str) -> Any:
        if path not in self._documents:
            try:
                if path.lower().endswith(".toml"):
                    self._documents[path] = tomllib.loads(text)
                elif path.lower().endswith(".json"):
                    self._documents[path] = json.loads(text)
                else:
                    self._documents[path] = None
            except (ValueError, RecursionError):
                self._documents[path] = None
        return self._documents[path]


@functools.cache
def _whole_text(pattern: re.Pattern) -> re.Pattern | None:
    """The pattern for a first search of a whole file, which any line's match also matches: ^ and
    $ at each line. None when that cannot be promised (\\A, \\Z, lookarounds see past a line)."""
    if any(token in pattern.pattern for token in ("\\A", "\\Z", "(?=", "(?!", "(?<")):
        return None
    return re.compile(pattern.pattern, pattern.flags | re.MULTILINE)


def excerpt(line: str, path: str = "") -> str:
    """The line as evidence: stripped and cut; a notebook's line is its cell's source text, not
    the JSON string that holds it."""
    line = line.strip()
    if path.endswith(".ipynb") and line.startswith('"'):
        try:
            decoded = json.loads(line.rstrip(","))
        except ValueError:
            decoded = None
        if isinstance(decoded, str):
            line = decoded.strip()
    return line if len(line) <= MAX_EXCERPT_CHARS else line[: MAX_EXCERPT_CHARS - 1] + "…"


def _raw_line(raw_lines: list[str], source_line: str) -> int:
    """The line of a notebook's JSON that holds this line of a cell's source (1 when not found)."""
    wanted = json.dumps(source_line.rstrip("\n"))[1:-1].strip()
    if not wanted:
        return 1
    for number, line in enumerate(raw_lines, start=1):
        if wanted in line:
            return number
    return 1


def _facts(code: str, line_of) -> PythonFacts | None:
    """Imports and calls (and decorators) of one module's code, names resolved through its
    imports: `import mlflow as m; m.register_model()` is a call of mlflow.register_model."""
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    facts = PythonFacts()
    aliases: dict[str, str] = {}
    targets = []  # called or decorating names, resolved once every import is known
    for node in _nodes(tree):
        if isinstance(node, ast.Call):
            targets.append(node.func)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                facts.imports.append((alias.name, line_of(node.lineno)))
                bound = alias.asname or alias.name.split(".")[0]
                aliases[bound] = alias.name if alias.asname else bound
        elif isinstance(node, ast.ImportFrom):
            if node.module and not node.level:
                facts.imports.append((node.module, line_of(node.lineno)))
                for alias in node.names:
                    if alias.name != "*":
                        # `from ray import tune` may import the submodule ray.tune
                        facts.imports.append((f"{node.module}.{alias.name}", line_of(node.lineno)))
                        aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            targets += [d for d in node.decorator_list if not isinstance(d, ast.Call)]
    for target in targets:
        name = _dotted(target)
        if name:
            head, _, rest = name.partition(".")
            resolved = aliases.get(head, head) + ("." + rest if rest else "")
            facts.calls.append((resolved, line_of(target.lineno)))
    return facts


def _nodes(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node, as ast.walk gives them but about twice as fast: walking parsed Python is most
    of a scan's time."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        for name in node._fields:
            value = getattr(node, name, None)
            if isinstance(value, list):
                stack.extend(item for item in value if isinstance(item, ast.AST))
            elif isinstance(value, ast.AST):
                stack.append(value)


def _dotted(node: ast.AST) -> str | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def _segment_matches(segment: str, key: Any) -> bool:
    return segment == "*" or str(key) == segment


def _yaml_key_lines(root: yaml.Node, key: tuple[str, ...]) -> list[int]:
    """1-based lines where the key path ends, walking composed nodes (aliases are shared nodes,
    never expanded; visits are bounded)."""
    found: list[int] = []
    frontier = [(root, 0)]
    visits = 0
    while frontier and visits < MAX_KEY_VISITS:
        node, depth = frontier.pop()
        visits += 1
        segment = key[depth]
        last = depth == len(key) - 1
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode) and _segment_matches(
                    segment, key_node.value
                ):
                    if last:
                        found.append(key_node.start_mark.line + 1)
                    else:
                        frontier.append((value_node, depth + 1))
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                if isinstance(item, yaml.ScalarNode):
                    if last and _segment_matches(segment, item.value):
                        found.append(item.start_mark.line + 1)
                else:
                    frontier.append((item, depth))
        elif isinstance(node, yaml.ScalarNode) and last and _segment_matches(segment, node.value):
            found.append(node.start_mark.line + 1)
    return sorted(found)


def _has_key(data: Any, key: tuple[str, ...]) -> bool:
    if not key:
        return True
    segment, rest = key[0], key[1:]
    if isinstance(data, dict):
        return any(_segment_matches(segment, k) and _has_key(v, rest) for k, v in data.items())
    if isinstance(data, list):
        return any(_has_key(item, key) for item in data if isinstance(item, dict | list)) or (
            not rest and any(_segment_matches(segment, item) for item in data)
        )
    return not rest and _segment_matches(segment, data)


def _key_line(path: str, lines: list[str], key: tuple[str, ...]) -> Hit:
    """The first line that names the key: a TOML table header with its path (`[tool.pytest…]`),
    else a line that sets its last segment (`name =`, `"name":`); TOML and JSON readers keep no
    lines. The file's first line when none does."""
    segment = [r"[^.\]\s]+" if part == "*" else re.escape(part) for part in key]
    header = re.compile(r"^\s*\[\[?\s*" + r"\.".join(segment) + r"\s*[.\]]")
    setting = re.compile(rf"""^\s*["']?{segment[-1]}["']?\s*[=:]""")
    for pattern in (header, setting):
        for number, line in enumerate(lines, start=1):
            if pattern.search(line):
                return Hit(path, number, excerpt(line, path))
    return Hit(path, 1, excerpt(lines[0], path) if lines else "")
