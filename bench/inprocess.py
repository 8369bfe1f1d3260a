"""The figures of `make bench` measured inside one Python process rather than over HTTP: the PDF
render against WeasyPrint alone (in bench/run.py), and the exports' peak memory (a fresh process
per measurement: `python -m bench.inprocess PATH COOKIE WARM_COOKIE`).

Both call the app as gunicorn does (the WSGI application, or the report functions the request
or the worker calls) with bench.settings and the bench's database.
"""

import gc
import json
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from bench.figures import Figure, _ab

ROOT = Path(__file__).resolve().parent.parent


# --- PDF render ---------------------------------------------------------------------------------


def report_functions(
    assessment_id: int,
) -> tuple[Callable[[], bytes], Callable[[], str], Callable[[str], bytes]]:
    """(full render, its HTML, WeasyPrint on given HTML) for one submitted assessment.

    assessment/reports/pdf.py today: assessment_report_pdf(assessment) renders
    reports/assessment.html with assessment_report_context(assessment), then render_pdf(html).
    If that module moves or renames them, change this function only."""
    from django.conf import settings
    from django.template.loader import render_to_string
    from django.utils import translation

    from assessment.models import Assessment
    from assessment.reports import pdf

    def load() -> Assessment:
        return Assessment.objects.select_related("project__team", "version__bank").get(
            pk=assessment_id
        )

    def html() -> str:
        if hasattr(pdf, "assessment_report_html"):
            return pdf.assessment_report_html(load())
        with translation.override(settings.LANGUAGE_CODE):
            return render_to_string(
                "reports/assessment.html", pdf.assessment_report_context(load())
            )

    return (lambda: pdf.assessment_report_pdf(load())), html, pdf.render_pdf


def pdf_render(fig: Figure, assessment_id: int, rep: int) -> None:
    """The app's whole audit-report render (data, charts, hash, template, WeasyPrint) against
    WeasyPrint alone on the same HTML: the report code's own overhead, wherever the render runs."""
    full, html_of, weasyprint_only = report_functions(assessment_id)
    html = html_of()

    def timed(fn: Callable[[], object]) -> Callable[[], float]:
        def run() -> float:
            start = time.perf_counter()
            fn()
            return time.perf_counter() - start

        return run

    # A, B, B, A and the faster of each: one render is a few CPU-bound seconds, and a
    # neighbour's burst during one of them would otherwise decide the repetition.
    weasyprint_alone, whole = timed(lambda: weasyprint_only(html)), timed(full)
    a, b = _ab(weasyprint_alone, whole, rep)
    b2, a2 = _ab(whole, weasyprint_alone, rep)
    fig.add(min(a, a2), min(b, b2))


# --- export memory ------------------------------------------------------------------------------


def _request(path: str, cookie: str) -> int:
    """One GET through the WSGI application, the body read and dropped as a socket write would;
    returns the body's size."""
    from django.test import RequestFactory

    from config.wsgi import application

    environ = RequestFactory().get(path, HTTP_COOKIE=cookie).environ
    status: list[str] = []
    body = application(environ, lambda s, _headers, _exc=None: status.append(s))
    size = 0
    try:
        for chunk in body:
            size += len(chunk)
    finally:
        if hasattr(body, "close"):
            body.close()
    if not status or not status[0].startswith("200") or not size:
        raise RuntimeError(f"{path}: {status[:1]}, {size} bytes")
    return size


def peak_rss(path: str, cookie: str, warm_cookie: str) -> float:
    """Peak resident memory, in bytes, of a fresh process that serves one request of `path` with
    warm_cookie (the small portfolio: code and templates loaded), then one with `cookie`."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.inprocess", path, cookie, warm_cookie],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"memory of {path}: {done.stderr.strip()[-500:]}")
    return float(json.loads(done.stdout.splitlines()[-1])["peak_rss"])


def export_memory(
    fig: Figure, path: str, cookies: dict[int, str], sizes: tuple[int, int], rep: int
) -> None:
    """Peak RSS of a process serving the export once for the small and once for the large
    portfolio, as each one's manager: flat when the export streams."""
    small, large = sizes

    def measure(size: int) -> Callable[[], float]:
        return lambda: peak_rss(path, cookies[size], cookies[small])

    fig.add(*_ab(measure(small), measure(large), rep))


def traced_peak(path: str, cookie: str) -> int:
    """Peak bytes Python allocated (tracemalloc) during one request, in this process: the growth
    itself, without the interpreter's baseline; slow, so measured once, for the notes."""
    _request(path, cookie)  # warm: imports and caches are not the export's
    gc.collect()
    tracemalloc.start()
    try:
        _request(path, cookie)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def main() -> None:
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    path, cookie, warm_cookie = sys.argv[1:4]
    _request(path, warm_cookie)
    size = _request(path, cookie)
    print(json.dumps({"peak_rss": high_water_mark(), "bytes": size}))


def high_water_mark() -> int:
    """This process's peak resident memory in bytes. VmHWM, not getrusage's ru_maxrss: that one
    survives exec, so a child would report the bench's own peak from before it was started."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


if __name__ == "__main__":
    main()
