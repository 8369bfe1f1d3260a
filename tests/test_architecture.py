"""Imports point one way: config → page packages → domain → banks → projects.

A module may import its own room and the rooms below it, never one above. Migrations are left out
(they reference apps by label, not by import). The rooms are named here, so a new module lands in
the room of its package unless it is listed.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGE_PACKAGES = (
    "questionnaire",
    "results",
    "dashboard",
    "reports",
    "project_pages",
    "api",
    "account",
    "evidence",
    "people",
    "audit_log",
)

# Lowest first.
ROOMS = ["audit", "projects", "banks", "domain", "pages", "entry"]


def room_of(module: str) -> str | None:
    """The room of a first-party module, None for third-party and the standard library."""
    parts = module.split(".")
    top = parts[0]
    if top == "audit":
        return "audit"
    if top == "projects":
        return "projects"
    if top == "banks":
        return "banks"
    if top == "config" or "commands" in parts or module in {"assessment.urls", "assessment.demo"}:
        # Entry points: the URL map, the management commands, demo data built from everything.
        return "entry"
    if top == "assessment":
        return "pages" if len(parts) > 1 and parts[1] in PAGE_PACKAGES else "domain"
    return None


def module_name(path: Path) -> str:
    relative = path.relative_to(ROOT).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def source_modules() -> list[Path]:
    return sorted(
        path
        for top in ("config", "audit", "projects", "banks", "assessment")
        for path in (ROOT / top).rglob("*.py")
        if "migrations" not in path.parts
    )


def imported_modules(source: str) -> list[tuple[int, str]]:
    """Every module the source imports, with the line; `from a import b` counts as a.b too, since
    b may be a module."""
    tree = ast.parse(source)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def upward_imports(source: str, module: str) -> list[str]:
    own = room_of(module)
    problems = []
    for line, imported in imported_modules(source):
        target = room_of(imported)
        if target is not None and ROOMS.index(target) > ROOMS.index(own):
            problems.append(f"{module}:{line} ({own}) imports {imported} ({target})")
    return problems


def test_no_module_imports_a_room_above_its_own():
    problems = [
        problem
        for path in source_modules()
        for problem in upward_imports(path.read_text(), module_name(path))
    ]

    assert problems == []


@pytest.mark.parametrize(
    ("module", "room"),
    [
        ("projects.models", "projects"),
        ("banks.files", "banks"),
        ("assessment.access", "domain"),
        ("assessment.models.answers", "domain"),
        ("assessment.results.queries", "pages"),
        ("assessment.project_pages.views", "pages"),
        ("assessment.management.commands.seed_demo", "entry"),
        ("banks.management.commands.import_bank", "banks"),
        ("config.urls", "entry"),
        ("django.db", None),
        ("paydown.scoring", None),  # the pure core, installed from cli/: third-party here
    ],
)
def test_rooms_are_assigned_by_package(module, room):
    assert room_of(module) == room


def test_the_check_catches_an_upward_import():
    source = (ROOT / "projects" / "models.py").read_text() + "from assessment import scoring\n"
    line = source.count("\n")

    assert upward_imports(source, "projects.models") == [
        f"projects.models:{line} (projects) imports assessment (domain)",
        f"projects.models:{line} (projects) imports assessment.scoring (domain)",
    ]


def test_the_check_covers_every_first_party_module():
    modules = {module_name(path) for path in source_modules()}

    assert {"assessment.access", "banks.files", "projects.models", "config.settings"} <= modules
    assert all(room_of(module) is not None for module in modules)


def test_the_pure_core_imports_no_django():
    """cli/src/paydown runs without the server: the command line installs without Django."""
    package = ROOT / "cli" / "src" / "paydown"
    found = [
        f"{path.relative_to(ROOT)}:{line} imports {imported}"
        for path in sorted(package.rglob("*.py"))
        for line, imported in imported_modules(path.read_text())
        if imported.split(".")[0] in {"django", "assessment", "banks", "projects", "config"}
    ]

    assert len(list(package.rglob("*.py"))) >= 10
    assert found == []
