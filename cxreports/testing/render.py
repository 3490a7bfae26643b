"""Real documents for the local server: PDF, DOCX, XLSX, PPTX, HTML and ZIP.

The formats accepted are those of the pinned spec (the generated ``ExportFormat``). A format
the spec lists but no renderer here knows (say ``csv``, added by a newer server) is rendered
as text: CSV for ``csv``, plain text otherwise, with the media type its extension implies.

Every format carries the same facts as text (report name, theme, template, language, time
zone, parameters and data) so tests can open the file with the usual library and check that a
request reached the renderer intact. PDFs have exactly one page per rendered report page.

fpdf2's core fonts are Latin-1 only, so PDF text is transliterated (accented Latin letters
stay, typographic dashes and quotes become ASCII, other scripts become ``?``); the other formats keep full Unicode. Text is cleaned of control
characters and lone surrogates first, which the Office XML formats cannot store. The heavy
libraries are imported inside the functions that need them.
"""

from __future__ import annotations

import csv
import functools
import html
import io
import json
import mimetypes
import re
import textwrap
import threading
import unicodedata
import urllib.parse
import zipfile
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, get_args

MIME_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "html": "text/html",
    "zip": "application/zip",
}
PDF_TEXT_LINES = 48  # lines of parameters/data shown on a page; the rest is summarised
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_PUNCT = str.maketrans(
    {
        "\u2013": "-",
        "\u2014": "-",
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2026": "...",
        "\u20ac": "EUR",
        "\u2022": "*",
    }
)
# PDFs carry this creation date, so the same request always renders the same bytes: a test
# can compare a download made under injected faults with a clean one.
PDF_CREATION_DATE = datetime(2026, 1, 1, tzinfo=UTC)
_UNSAFE_FILENAME = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]')


class RenderError(ValueError):
    """The request cannot be rendered (for example every page is excluded)."""


@dataclass(frozen=True)
class PageSpec:
    id: int
    name: str
    type: str


@dataclass
class RenderRequest:
    """What a report export shows. `pages` is already filtered by excludePages."""

    report_name: str
    theme: str | None = None
    template: str | None = None
    params: Any = None
    data: Any = None
    lang: str | None = None
    timezone: str | None = None
    pages: list[PageSpec] = field(default_factory=list)
    attachments: list[tuple[str, str]] = field(default_factory=list)

    def facts(self) -> list[tuple[str, str]]:
        """(label, text) pairs, already cleaned for every output format."""
        return [
            ("Report", clean_text(self.report_name)),
            ("Theme", clean_text(self.theme or "(none)")),
            ("Template", clean_text(self.template or "(none)")),
            ("Language", clean_text(self.lang or "(default)")),
            ("Timezone", clean_text(self.timezone or "(default)")),
            ("Parameters", to_json_text(self.params)),
            ("Data", to_json_text(self.data)),
        ]


@dataclass(frozen=True)
class Document:
    content: bytes
    content_type: str
    filename: str


def clean_text(value: str) -> str:
    """Drop control characters and lone surrogates (XML and UTF-8 cannot carry them)."""
    return _CONTROL.sub("", value)


def to_latin1(value: str) -> str:
    """Transliterate for fpdf2's Latin-1 core fonts; never raises."""
    value = clean_text(value).translate(_PUNCT)
    if all(ord(ch) < 256 for ch in value):
        return value
    out = []
    for ch in value:
        if ord(ch) < 256:
            out.append(ch)
            continue
        base = "".join(
            c
            for c in unicodedata.normalize("NFKD", ch)
            if ord(c) < 256 and not unicodedata.combining(c)
        )
        out.append(base or "?")
    return "".join(out)


def to_json_text(value: Any) -> str:
    if value is None:
        return "(none)"
    return clean_text(json.dumps(value, ensure_ascii=False, indent=2, sort_keys=False))


def safe_filename(name: str, ext: str) -> str:
    base = _UNSAFE_FILENAME.sub("_", clean_text(name)).strip().strip(".") or "report"
    return f"{base[:150]}.{ext}"


def content_disposition(filename: str) -> str:
    """``attachment; filename="a.pdf"; filename*=UTF-8''a.pdf`` with an ASCII fallback."""
    fallback = "".join(
        c for c in unicodedata.normalize("NFKD", filename) if not unicodedata.combining(c)
    )
    fallback = "".join(c if 32 <= ord(c) < 127 and c not in '"\\' else "_" for c in fallback)
    encoded = urllib.parse.quote(filename, safe="!#$&+-.^_`|~")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}"


class _RenderCache:
    """Recently rendered documents, so repeating an export costs a lookup, not a render.

    Rendering is deterministic except for timestamps fpdf2 and the Office libraries embed,
    so serving the earlier bytes is indistinguishable from rendering again.
    """

    def __init__(self, size: int = 32, max_key: int = 256_000) -> None:
        self.size = size
        self.max_key = max_key
        self._items: OrderedDict[str, Document] = OrderedDict()
        self._lock = threading.Lock()

    def key(self, req: RenderRequest, fmt: str, include_attachments: bool) -> str | None:
        key = json.dumps(
            [fmt, include_attachments, req.facts(), [(p.id, p.name, p.type) for p in req.pages],
             req.attachments],
            ensure_ascii=False,
        )  # fmt: skip
        return key if len(key) <= self.max_key else None

    def get(self, key: str | None) -> Document | None:
        if key is None:
            return None
        with self._lock:
            doc = self._items.get(key)
            if doc is not None:
                self._items.move_to_end(key)
            return doc

    def put(self, key: str | None, doc: Document) -> None:
        if key is None:
            return
        with self._lock:
            self._items[key] = doc
            while len(self._items) > self.size:
                self._items.popitem(last=False)


_cache = _RenderCache()


@functools.cache
def formats() -> tuple[str, ...]:
    """The export formats of the pinned spec, from the generated package."""
    from cxreports_api.models.export_format import ExportFormat

    return tuple(get_args(ExportFormat))


def media_type(fmt: str) -> str:
    """The Content-Type for a format (or ``zip``): ours, else what its extension implies."""
    known = MIME_TYPES.get(fmt)
    if known is not None:
        return known
    guessed = mimetypes.guess_type(f"document.{fmt}", strict=False)[0]
    # Only text can be rendered for a format nobody taught us, so only a text type is claimed.
    if guessed is None or not guessed.startswith("text/"):
        guessed = "text/plain"
    return f"{guessed}; charset=utf-8"


def render(req: RenderRequest, fmt: str, include_attachments: bool = False) -> Document:
    if not req.pages:
        raise RenderError(f"Report '{req.report_name}' has no pages left to render")
    renderers = {
        "pdf": render_pdf,
        "docx": render_docx,
        "xlsx": render_xlsx,
        "pptx": render_pptx,
        "html": render_html,
        "csv": render_csv,
    }
    try:
        key = _cache.key(req, fmt, include_attachments)
        cached = _cache.get(key)
        if cached is not None:
            return cached
        content = renderers.get(fmt, render_text)(req)
        doc = Document(content, media_type(fmt), safe_filename(req.report_name, fmt))
        if include_attachments:
            doc = zip_with_attachments(req, doc)
    except RecursionError:
        raise RenderError("The data is nested too deeply to render") from None
    _cache.put(key, doc)
    return doc


def zip_with_attachments(req: RenderRequest, doc: Document) -> Document:
    buffer = io.BytesIO()
    attachments = req.attachments or [
        ("Report summary.txt", "\n".join(f"{k}: {v}" for k, v in req.facts()) + "\n")
    ]
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(doc.filename, doc.content)
        for name, text in attachments:
            archive.writestr(clean_text(name), clean_text(text).encode("utf-8"))
    return Document(buffer.getvalue(), MIME_TYPES["zip"], safe_filename(req.report_name, "zip"))


def _wrapped(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for line in text.splitlines() or [""]:
        lines.extend(
            textwrap.wrap(line, width, replace_whitespace=False, drop_whitespace=False) or [""]
        )
    return lines


def render_pdf(req: RenderRequest) -> bytes:
    """All facts on the first page; later pages name the report, theme and template only."""
    facts = req.facts()
    short = [(k, v) for k, v in facts if k in ("Theme", "Template")]
    return _pdf_pages(
        req.report_name,
        [
            (
                f"Page {i + 1} of {len(req.pages)}: {p.name} ({p.type}, id {p.id})",
                facts if i == 0 else short,
            )
            for i, p in enumerate(req.pages)
        ],
    )


def _pdf_pages(title: str, pages: list[tuple[str, list[tuple[str, str]]]]) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_title(to_latin1(title))
    pdf.set_creator("cxreports.testing")
    pdf.set_creation_date(PDF_CREATION_DATE)
    for heading, facts in pages:
        pdf.add_page()
        pdf.set_font("helvetica", "B", 16)
        pdf.cell(0, 9, to_latin1(title)[:90], new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("helvetica", "", 10)
        pdf.cell(0, 7, to_latin1(heading)[:120], new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        budget = PDF_TEXT_LINES
        for label, value in facts:
            lines = _wrapped(to_latin1(value), 100)
            pdf.set_font("helvetica", "B", 9)
            pdf.cell(0, 5, f"{to_latin1(label)}:", new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("courier", "", 8)
            shown = lines[: max(budget, 1)]
            budget -= len(shown)
            for line in shown:
                pdf.cell(0, 3.6, line, new_x="LMARGIN", new_y="NEXT")
            if len(shown) < len(lines):
                pdf.cell(
                    0,
                    3.6,
                    f"... {len(lines) - len(shown)} more lines",
                    new_x="LMARGIN",
                    new_y="NEXT",
                )
    return bytes(pdf.output())


def render_review_pdf(job_name: str, run_id: int, entries: list[tuple[str, str]]) -> bytes:
    """The consolidated review document of a job run: one line per processed entry."""
    rows = [(name, state) for name, state in entries] or [("(no entries)", "")]
    return _pdf_pages(
        f"{job_name} - run {run_id} review",
        [(f"{len(entries)} entries", [("Entries", "\n".join(f"{n}: {s}" for n, s in rows))])],
    )


def render_docx(req: RenderRequest) -> bytes:
    from docx import Document as DocxDocument

    doc = DocxDocument()
    doc.core_properties.title = clean_text(req.report_name)[:250]
    doc.add_heading(clean_text(req.report_name), level=0)
    for label, value in req.facts():
        para = doc.add_paragraph()
        para.add_run(f"{label}: ").bold = True
        para.add_run(value)
    for page in req.pages:
        doc.add_page_break()  # type: ignore[no-untyped-call]
        doc.add_heading(clean_text(f"{page.name} ({page.type})"), level=1)
        doc.add_paragraph(clean_text(f"{req.report_name}, page id {page.id}"))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def render_xlsx(req: RenderRequest) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Report")
    for label, value in req.facts():
        sheet.append([label, value[:32000]])
    pages = book.create_sheet("Pages")
    pages.append(["Page id", "Name", "Type"])
    for page in req.pages:
        pages.append([page.id, clean_text(page.name), page.type])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def render_pptx(req: RenderRequest) -> bytes:
    from pptx import Presentation
    from pptx.util import Inches, Pt

    deck = Presentation()
    title_only = deck.slide_layouts[5]
    for index, page in enumerate(req.pages):
        slide = deck.slides.add_slide(title_only)
        if slide.shapes.title is not None:
            slide.shapes.title.text = clean_text(f"{req.report_name}: {page.name}")
        box = slide.shapes.add_textbox(Inches(0.5), Inches(1.6), Inches(9), Inches(5.5))
        frame = box.text_frame
        frame.word_wrap = True
        lines = [f"{page.type} page {index + 1} of {len(req.pages)} (id {page.id})"]
        if index == 0:
            lines += [f"{label}: {value[:4000]}" for label, value in req.facts()]
        frame.text = lines[0]
        for line in lines[1:]:
            para = frame.add_paragraph()
            para.text = line
            para.font.size = Pt(10)
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def _html_body(req: RenderRequest) -> str:
    facts = "\n".join(
        f'<dt>{html.escape(label)}</dt><dd><pre class="{label.lower()}">{html.escape(value)}</pre></dd>'
        for label, value in req.facts()
    )
    pages = "\n".join(
        f'<section class="page {html.escape(p.type)}" data-page-id="{p.id}">'
        f"<h2>{html.escape(clean_text(p.name))}</h2></section>"
        for p in req.pages
    )
    return f"<h1>{html.escape(clean_text(req.report_name))}</h1>\n<dl>\n{facts}\n</dl>\n{pages}"


def _html_page(req: RenderRequest, extra_head: str = "", body_prefix: str = "") -> str:
    lang = html.escape(clean_text(req.lang or "en"), quote=True)
    theme = html.escape(clean_text(req.theme or ""), quote=True)
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(clean_text(req.report_name))}</title>\n{extra_head}"
        "<style>body{font-family:sans-serif;margin:2em}pre{white-space:pre-wrap}"
        ".page{border-top:1px solid #999;margin-top:1em}</style>\n</head>\n"
        f'<body data-theme="{theme}">\n{body_prefix}{_html_body(req)}\n</body>\n</html>\n'
    )


def render_html(req: RenderRequest) -> bytes:
    return _html_page(req).encode("utf-8")


def render_csv(req: RenderRequest) -> bytes:
    """One ``field,value`` row per fact, then one per page, as RFC 4180 CSV."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["field", "value"])
    writer.writerows(req.facts())
    writer.writerows(("Page", clean_text(page.name)) for page in req.pages)
    return out.getvalue().encode("utf-8")


def render_text(req: RenderRequest) -> bytes:
    """Plain UTF-8 text, for a format the spec lists but no renderer here knows."""
    lines = [f"{label}: {text}" for label, text in req.facts()]
    lines += [f"Page: {clean_text(page.name)}" for page in req.pages]
    return ("\n".join(lines) + "\n").encode("utf-8")


def render_preview(req: RenderRequest, *, show_print_button: bool) -> str:
    """The iframe preview page. It never contains credentials."""
    if not req.pages:
        raise RenderError(f"Report '{req.report_name}' has no pages left to render")
    button = (
        '<button id="print-button" type="button" onclick="window.print()">Print</button>\n'
        if show_print_button
        else ""
    )
    try:
        return _html_page(req, body_prefix=button)
    except RecursionError:
        raise RenderError("The data is nested too deeply to render") from None


def message_page(status: int, title: str, message: str) -> str:
    return (
        f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>{status} {html.escape(title)}'
        f"</title></head><body><h1>{html.escape(title)}</h1><p>{html.escape(clean_text(message))}"
        "</p></body></html>\n"
    )
