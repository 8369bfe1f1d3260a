"""How the pages hand a file over: an attachment named for its content, its type read from the name."""

import io
from collections.abc import Callable, Iterable
from typing import Any

from django.http import FileResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header

from assessment import exports

CONTENT_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "pdf": "application/pdf",
}


def attachment(content: str | bytes, filename: str) -> FileResponse:
    body = content.encode() if isinstance(content, str) else content
    extension = filename.rsplit(".", 1)[-1]
    return FileResponse(
        io.BytesIO(body),
        as_attachment=True,
        filename=filename,
        content_type=CONTENT_TYPES[extension],
    )


def export(
    data: dict[str, Any], csv_of: Callable[[dict], str], stem: str, fmt: str
) -> FileResponse:
    """The same data as canonical JSON or as its CSV, named `stem.json` or `stem.csv`."""
    body = exports.canonical_json(data) if fmt == "json" else csv_of(data)
    return attachment(body, f"{stem}.{fmt}")


def streamed_attachment(chunks: Iterable[str], filename: str) -> StreamingHttpResponse:
    """An attachment sent as its pieces are made, for files that grow with the portfolio: the
    server holds one piece at a time, never the whole file."""
    extension = filename.rsplit(".", 1)[-1]
    response = StreamingHttpResponse(
        (chunk.encode() for chunk in chunks), content_type=CONTENT_TYPES[extension]
    )
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
