"""How the pages hand a file over: an attachment named for its content, its type read from the name,
and an entry in the audit log saying who took which file (issue #17)."""

import io
from collections.abc import Callable, Iterable
from typing import Any

from django.http import FileResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header

from assessment import exports
from audit.log import Action, record

CONTENT_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "pdf": "application/pdf",
}


def recorded(*, by, project, filename: str) -> None:
    """The audit log's entry for a download, written before the file is handed over."""
    record(Action.DOWNLOAD, by=by, project=project, subject=filename)


def attachment(content: str | bytes, filename: str, *, by, project=None) -> FileResponse:
    recorded(by=by, project=project, filename=filename)
    body = content.encode() if isinstance(content, str) else content
    extension = filename.rsplit(".", 1)[-1]
    return FileResponse(
        io.BytesIO(body),
        as_attachment=True,
        filename=filename,
        content_type=CONTENT_TYPES[extension],
    )


def export(
    data: dict[str, Any], csv_of: Callable[[dict], str], stem: str, fmt: str, *, by, project
) -> FileResponse:
    """The same data as canonical JSON or as its CSV, named `stem.json` or `stem.csv`."""
    body = exports.canonical_json(data) if fmt == "json" else csv_of(data)
    return attachment(body, f"{stem}.{fmt}", by=by, project=project)


def streamed_attachment(
    chunks: Iterable[str], filename: str, *, by, project=None
) -> StreamingHttpResponse:
    """An attachment sent as its pieces are made, for files that grow with the portfolio: the
    server holds one piece at a time, never the whole file."""
    recorded(by=by, project=project, filename=filename)
    extension = filename.rsplit(".", 1)[-1]
    response = StreamingHttpResponse(
        (chunk.encode() for chunk in chunks), content_type=CONTENT_TYPES[extension]
    )
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
