"""`manage.py catalogs`: update the interface's gettext catalogs (locale/) from the code, always
with the same options, so that `--check` (run by the tests) can tell a stale catalog from a
current one; `--check` also refuses untranslated and fuzzy entries."""

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
IGNORED = [".venv/*", "var/*", "tests/*", "cli/*", "bench/*", "tools/*", "static/vendor/*"]
DOMAINS = ["django", "djangojs"]
# makemessages stamps the time it ran into the header: not a change of the catalog.
STAMP = re.compile(rb'^"POT-Creation-Date: .*\\n"\n', re.MULTILINE)


def update(locale_dir: Path) -> None:
    with override_settings(LOCALE_PATHS=[locale_dir]):
        for domain in DOMAINS:
            call_command(
                "makemessages",
                locale=LANGUAGES,
                domain=domain,
                ignore_patterns=IGNORED,
                no_location=True,
                verbosity=0,
            )


def problems(locale_dir: Path, current: Path) -> list[str]:
    found = []
    for po in sorted(current.glob("*/LC_MESSAGES/*.po")):
        fresh = locale_dir / po.relative_to(current)
        if STAMP.sub(b"", fresh.read_bytes()) != STAMP.sub(b"", po.read_bytes()):
            found.append(f"{po}: stale; run `python manage.py catalogs` and translate what it adds")
        stats = subprocess.run(
            ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)],
            capture_output=True,
            text=True,
        )
        if stats.returncode or re.search(r"fuzzy|untranslated", stats.stderr):
            found.append(f"{po}: {stats.stderr.strip()}")
    return found


class Command(BaseCommand):
    help = "Update locale/*.po from the code; --check only reports a stale or incomplete catalog."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true")

    def handle(self, *args, check: bool = False, **options):
        current = Path(settings.BASE_DIR) / "locale"
        if not check:
            update(current)
            return
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "locale"
            shutil.copytree(current, copy, ignore=shutil.ignore_patterns("*.mo"))
            update(copy)
            found = problems(copy, current)
        if found:
            raise CommandError("\n".join(found))
