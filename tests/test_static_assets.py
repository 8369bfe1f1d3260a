"""Front-end assets are served from static/, never a CDN (deployments may be air-gapped)."""

import re
from pathlib import Path

from django.contrib.staticfiles import finders


def test_plotly_partial_bundle_holds_the_four_trace_types():
    path = finders.find("vendor/plotly/plotly-paydown.min.js")

    bundle = Path(path).read_text(encoding="utf-8")
    registered = set(re.findall(r'moduleType:"trace",name:"(\w+)"', bundle))
    assert registered == {"scatter", "bar", "heatmap", "scatterpolar"}
    assert len(bundle) < 1_500_000  # the partial bundle, not the 4.8 MB full one


def test_pages_load_htmx_from_static(client, db):
    html = client.get("/accounts/login/").text

    assert '<script src="/static/django_htmx/htmx-2.min.js"' in html.replace("defer ", "")
    assert "cdn" not in html.lower()
