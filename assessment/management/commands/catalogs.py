"""`manage.py catalogs`: update the interface's gettext catalogs (locale/) from the code, always
with the same options, so that `--check` (run by the tests) can tell a stale catalog from a
current one; `--check` also refuses untranslated and fuzzy entries."""

import fcntl
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
IGNORED = [".venv/*", "var/*", "tests/*", "cli/*", "bench/*", "tools/*", "static/vendor/*"]
DOMAINS = ["django", "djangojs"]
# makemessages stamps the time it ran into the header: not a change of the catalog.
STAMP = re.compile(rb'^"POT-Creation-Date: .*\\n"\n', re.MULTILINE)


def update() -> None:
    """Regenerate locale/ in place: makemessages writes to the locale folder beside the code
    whatever LOCALE_PATHS says, so a check runs it there and puts the files back after."""
    for domain in DOMAINS:
        call_command(
            "makemessages",
            locale=LANGUAGES,
            domain=domain,
            ignore_patterns=IGNORED,
            no_location=True,
            verbosity=0,
        )


def problems(fresh: Path, committed: Path) -> list[str]:
    """What is wrong with the committed catalogs, given the ones just regenerated from the code."""
    found = []
    for po in sorted(committed.glob("*/LC_MESSAGES/*.po")):
        name = f"locale/{po.relative_to(committed)}"
        regenerated = fresh / po.relative_to(committed)
        if STAMP.sub(b"", regenerated.read_bytes()) != STAMP.sub(b"", po.read_bytes()):
            found.append(
                f"{name}: stale; run `python manage.py catalogs` and translate what it adds"
            )
        stats = subprocess.run(
            ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)],
            capture_output=True,
            text=True,
        )
        if stats.returncode or re.search(r"fuzzy|untranslated", stats.stderr):
            found.append(f"{name}: {stats.stderr.strip()}")
    return found


class Command(BaseCommand):
    help = "Update locale/*.po from the code; --check only reports a stale or incomplete catalog."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true")

    def handle(self, *args, check: bool = False, **options):
        current = Path(settings.BASE_DIR) / "locale"
        if not check:
            update()
            return
        lock_path = Path(settings.BASE_DIR) / "var" / "catalogs.lock"
        lock_path.parent.mkdir(exist_ok=True)
        # One check at a time in a tree (two test runs in one checkout would overwrite each
        # other's regenerated files); the catalogs as they were are always put back.
        with open(lock_path, "w") as lock, tempfile.TemporaryDirectory() as tmp:
            fcntl.flock(lock, fcntl.LOCK_EX)
            saved = Path(tmp) / "locale"
            shutil.copytree(current, saved, ignore=shutil.ignore_patterns("*.mo"))
            try:
                update()
                found = problems(current, saved)
            finally:
                for po in saved.glob("*/LC_MESSAGES/*.po"):
                    shutil.copyfile(po, current / po.relative_to(saved))
        if found:
            raise CommandError("\n".join(found))
