"""Read pages as a person does: tables as rows of cell text, and text with white space folded."""

import io
from html.parser import HTMLParser

from pypdf import PdfReader

HTMX = {"HX-Request": "true"}


def pdf_text(content: bytes) -> str:
    """A PDF's text, page after page, with white space folded as squeeze() folds a page's."""
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def squeeze(html: str) -> str:
    """The page with runs of white space folded, to assert on text that templates wrap."""
    return " ".join(html.split())


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self.open: list[list[list[str]]] = []  # tables being read, innermost last
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag == "table":
            self.open.append([])
        elif tag == "tr" and self.open:
            self.open[-1].append([])
        elif tag in ("td", "th") and self.open:
            self.cell = []
        elif tag == "br" and self.cell is not None:
            self.cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self.cell is not None and self.open and self.open[-1]:
            self.open[-1][-1].append(squeeze("".join(self.cell)))
            self.cell = None
        elif tag == "table" and self.open:
            self.tables.append(self.open.pop())

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def tables(html: str) -> list[list[list[str]]]:
    """Every table of the page, each as its rows of cell texts (header row first)."""
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def table_headed(html: str, *header: str) -> list[list[str]]:
    """The body rows of the one table whose header row starts with these cells."""
    found = [
        rows[1:]
        for rows in tables(html)
        if rows and len(rows[0]) >= len(header)
        and all(cell.startswith(h) for cell, h in zip(rows[0], header, strict=False))
    ]  # fmt: skip
    assert len(found) == 1, f"{len(found)} tables headed {header}"
    return found[0]


class _Choices(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.question: str | None = None
        self.checked: dict[str, list[str]] = {}

    def handle_starttag(self, tag: str, attrs) -> None:
        attributes = dict(attrs)
        if tag == "article" and attributes.get("id", "").startswith("question-"):
            self.question = attributes["id"].removeprefix("question-")
            self.checked[self.question] = []
        elif tag == "input" and attributes.get("type") == "radio" and "checked" in attributes:
            self.checked[self.question].append(attributes["value"])


def checked_choices(html: str) -> dict[str, list[str]]:
    """Each question card on the page (by key) with the values of its ticked choices."""
    parser = _Choices()
    parser.feed(html)
    return parser.checked
