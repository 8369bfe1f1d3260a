"""How the pages hand a file over: an attachment named for its content, its type read from the name,
and an entry in the audit log saying who took which file (issue #17)."""

import io
from collections.abc import Callable, Iterable
from typing import Any

from django.core.files.storage import Storage, default_storage
from django.http import FileResponse, HttpResponseRedirect, StreamingHttpResponse
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


def content_type(filename: str) -> str:
    return CONTENT_TYPES[filename.rsplit(".", 1)[-1]]


def _file(opened, filename: str) -> FileResponse:
    return FileResponse(
        opened, as_attachment=True, filename=filename, content_type=content_type(filename)
    )


def attachment(content: str | bytes, filename: str, *, by, project=None) -> FileResponse:
    recorded(by=by, project=project, filename=filename)
    body = content.encode() if isinstance(content, str) else content
    return _file(io.BytesIO(body), filename)


def presigned_url(storage: Storage, name: str, *, filename: str) -> str | None:
    """A short-lived link to `name` that downloads it as `filename`, when the storage signs its
    URLs (django-storages' S3 backend: `querystring_auth`); None for a storage that cannot, such as
    local files. The object store answers the download itself, with the headers signed into the
    link, so the file never passes through a web node."""
    if not getattr(storage, "querystring_auth", False):
        return None
    return storage.url(
        name,
        parameters={
            "ResponseContentDisposition": content_disposition_header(True, filename),
            "ResponseContentType": content_type(filename),
        },
    )


def stored_file(
    name: str, filename: str, *, by, project=None
) -> FileResponse | HttpResponseRedirect:
    """A file kept in the default storage, as `filename`: a redirect (302) to a presigned link on
    an object store, else streamed from here. FileNotFoundError, before the audit log's entry, when
    the file has gone."""
    link = presigned_url(default_storage, name, filename=filename)
    if link is None:
        opened = default_storage.open(name, "rb")
        recorded(by=by, project=project, filename=filename)
        return _file(opened, filename)
    # Signing is local, so a lost object would only show as the store's 404 in the browser: one
    # HEAD request keeps the caller's "render it again" path.
    if not default_storage.exists(name):
        raise FileNotFoundError(name)
    recorded(by=by, project=project, filename=filename)
    return HttpResponseRedirect(link)


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
    response = StreamingHttpResponse(
        (chunk.encode() for chunk in chunks), content_type=content_type(filename)
    )
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
