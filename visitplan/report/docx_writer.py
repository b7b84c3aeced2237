"""report.docx: the report's blocks laid out with Word's own styles, the same bytes each time.

Headings use the built-in ``Title`` and ``Heading 1``/``Heading 2`` styles (so Word's
navigation pane and table of contents find them), lists ``List Number``, tables are real
tables (``Table Grid``, a header row that repeats on each page).  The funder's officers
edit the file, so nothing is drawn or fixed in place.

python-docx stamps each part of the zip with the clock's time; the file is written
again with every entry dated from the plan's issue time, and the core properties
(created, modified) come from it too: the same plan gives byte-identical files.  The
template's thumbnail (a picture of an empty page) is dropped.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import UTC

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from .content import Block, Heading, Items, Paragraph, Report, Table

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
"""Characters XML cannot carry: dropped (the reader already refuses them in the visit)."""
MARGIN_CM = 2.5
TEXT_WIDTH_CM = 21 - 2 * MARGIN_CM
LANGUAGE_TAGS = {"lv": "lv-LV", "en": "en-GB", "nb": "nb-NO"}
"""Word's proofing language for the report's language."""


def docx_bytes(report: Report) -> bytes:
    """The report as the bytes of a .docx file, fixed for a given report."""
    document = docx.Document()
    _page(document)
    _properties(document, report)
    _language(document, LANGUAGE_TAGS.get(report.language, "en-GB"))
    for block in report.blocks:
        _add(document, block)
    buffer = io.BytesIO()
    document.save(buffer)
    return _fixed_zip(buffer.getvalue(), report)


def _page(document) -> None:
    """A4 with 2.5 cm margins: the paper the funders' officers print on."""
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(MARGIN_CM))


def _properties(document, report: Report) -> None:
    issued = report.issued.astimezone(UTC).replace(tzinfo=None, microsecond=0)
    core = document.core_properties
    core.title = clean(report.title)
    core.author = clean(report.author)
    core.last_modified_by = clean(report.author)
    core.comments = ""
    core.language = LANGUAGE_TAGS.get(report.language, "en-GB")
    core.revision = 1
    core.created = issued
    core.modified = issued
    package = document.part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype == RELATIONSHIP_TYPE.THUMBNAIL:
            package.rels.pop(rid)


def _language(document, tag: str) -> None:
    """The default language of the text, so Word checks the spelling in it."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    properties = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = properties.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        properties.append(lang)
    lang.set(qn("w:val"), tag)


def _add(document, block: Block) -> None:
    if isinstance(block, Heading):
        document.add_heading(clean(block.text), block.level)
    elif isinstance(block, Paragraph):
        paragraph = document.add_paragraph()
        paragraph.add_run(clean(block.text)).italic = block.italic
    elif isinstance(block, Items):
        number = _new_numbering(document)
        for item in block.items:
            paragraph = document.add_paragraph(clean(item), style="List Number")
            numbering = paragraph._p.get_or_add_pPr().get_or_add_numPr()
            numbering.get_or_add_ilvl().val = 0
            numbering.get_or_add_numId().val = number
    else:
        _table(document, block)


def _new_numbering(document) -> int:
    """A numbering of the List Number style that starts again at 1: each list of the
    report counts from 1 (the style's own numbering runs on through the document)."""
    numbering = document.part.numbering_part.element
    style = document.styles["List Number"].element
    abstract = numbering.num_having_numId(style.pPr.numPr.numId.val).abstractNumId.val
    number = numbering.add_num(abstract)
    number.add_lvlOverride(ilvl=0).add_startOverride(1)
    return number.numId


def _table(document, table: Table) -> None:
    header = any(table.header)
    rows = ([table.header] if header else []) + list(table.rows)
    width = len(table.header)
    grid = document.add_table(rows=len(rows), cols=width, style="Table Grid")
    grid.autofit = False
    shares = table.widths or (1,) * width
    widths = [Cm(TEXT_WIDTH_CM * share / sum(shares)) for share in shares]
    for column, size in zip(grid.columns, widths, strict=True):
        column.width = size
        for cell in column.cells:
            cell.width = size
    for number, (cells, values) in enumerate(zip(grid.rows, rows, strict=True)):
        for column, (cell, value) in enumerate(zip(cells.cells, values, strict=True)):
            paragraph = cell.paragraphs[0]
            run = paragraph.add_run(clean(value))
            if header and number == 0:
                run.bold = True
            if column in table.numbers:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if header:
        row_properties = grid.rows[0]._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        row_properties.append(repeat)
    else:
        for cell in grid.columns[0].cells:
            for run in cell.paragraphs[0].runs:
                run.bold = True
    document.add_paragraph().paragraph_format.space_after = Pt(0)


def clean(text: str) -> str:
    """Text XML can carry; line breaks and tabs stay (python-docx writes them as breaks)."""
    return _XML_INVALID.sub("", text)


def _fixed_zip(data: bytes, report: Report) -> bytes:
    """The same zip with every entry dated from the issue time, in the same order."""
    stamp = report.issued.astimezone(UTC).timetuple()[:6]
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, source.read(info.filename))
    return buffer.getvalue()
