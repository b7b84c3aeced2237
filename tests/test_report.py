"""`visitplan report`: report.docx and contacts.vcf drafted from a plan folder.

The Latgale visit is planned once (checked clean) with a few names changed so that
every Latvian and Norwegian letter, lower and upper case, is in the data; its plan
folder is written without pages, and the report is drafted from it.  Figures are
compared with the workbooks' named cells as openpyxl reads them; the report is
converted to PDF by LibreOffice where it is installed.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from dataclasses import replace
from functools import cache
from pathlib import Path

import docx
import openpyxl
import pytest
import vobject
import xlsxwriter

from visitplan.cli import main
from visitplan.export.words import date_text
from visitplan.model import Visit
from visitplan.outputs import write_outputs
from visitplan.plan import Plan
from visitplan.read import load_visit
from visitplan.report import ReportError, write_report

from .solving import plan_and_check

DATA = Path(__file__).resolve().parent.parent / "data"
LATGALE = DATA / "latgale-trondelag-2009"
LATVIAN = "āčēģīķļņšūžĀČĒĢĪĶĻŅŠŪŽ"
NORWEGIAN = "æøåÆØÅ"
RENAMED = {
    "d05": "Ārija Īvāne",
    "d09": "Česlavs Ķirsis",
    "d14": "Ļubova Ūdre",
    "d18": "Reģīna Mežale",
}
"""Delegates renamed so that the data holds every Latvian letter."""
CONTACTS = {"stjordal": "Åse Ænes", "sintef": "Øystein Ødegård"}
"""Host contacts renamed so that the data holds every Norwegian letter."""
MEMORANDUM = "Memorandum of intent on cooperation between the Latgale Planning Region"


def with_every_letter(visit: Visit) -> Visit:
    delegates = tuple(replace(d, name=RENAMED.get(d.id, d.name)) for d in visit.delegates)
    hosts = tuple(replace(h, contact=CONTACTS.get(h.id, h.contact)) for h in visit.hosts)
    return replace(visit, delegates=delegates, hosts=hosts)


@cache
def latgale() -> tuple[Visit, Plan]:
    visit = with_every_letter(load_visit(LATGALE))
    return visit, plan_and_check(visit, deterministic_time=1.0)


@pytest.fixture(scope="module")
def plan_dir(tmp_path_factory) -> Path:
    """The Latgale plan folder (no pages) with report.docx and contacts.vcf drafted."""
    visit, plan = latgale()
    folder = tmp_path_factory.mktemp("report") / "plan"
    write_outputs(visit, plan, folder, pages=False, source=LATGALE)
    write_report(folder, visit, plan)
    return folder


def document_text(path: Path) -> str:
    """Every paragraph and table cell of a .docx, one per line."""
    document = docx.Document(str(path))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.extend(cell.text for cell in row.cells)
    return "\n".join(lines)


def named_values(path: Path) -> dict[str, float]:
    """The workbook's defined names and the stored values of their cells (openpyxl)."""
    workbook = openpyxl.load_workbook(path, data_only=True)
    values = {}
    for name, defined in workbook.defined_names.items():
        ((sheet, ref),) = defined.destinations
        values[name] = workbook[sheet][ref.replace("$", "")].value
    return values


def lv_money(value: float) -> str:
    """An amount as Latvian writes it: 53 279,22 EUR (no-break spaces)."""
    return f"{value:,.2f}".replace(",", "\u00a0").replace(".", ",") + "\u00a0EUR"


# -- the document ---------------------------------------------------------------------


def test_report_holds_the_participants_by_organisation(plan_dir):
    visit, _ = latgale()
    document = docx.Document(str(plan_dir / "report.docx"))
    rows = {
        tuple(cell.text for cell in row.cells) for table in document.tables for row in table.rows
    }
    for delegate in visit.delegates:
        assert (delegate.organisation, delegate.name, delegate.role) in rows


def test_report_holds_each_host_visited_with_its_contact(plan_dir):
    visit, plan = latgale()
    document = docx.Document(str(plan_dir / "report.docx"))
    hosts = next(t for t in document.tables if t.rows[0].cells[0].text == "Uzņemošā organizācija")
    cells = {row.cells[0].text.split("\n")[0]: row.cells[1].text for row in hosts.rows[1:]}
    visited = {s.host_id for s in plan.sessions} - {"base"}
    assert set(cells) == {visit.host(host_id).name for host_id in visited}
    for host_id in visited:
        host = visit.host(host_id)
        given = [text for text in (host.contact, host.email, host.phone) if text]
        assert cells[host.name] == "\n".join(given)


def test_report_holds_every_programme_day_and_session_held(plan_dir):
    visit, plan = latgale()
    text = document_text(plan_dir / "report.docx")
    document = docx.Document(str(plan_dir / "report.docx"))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    for day in sorted({s.date for s in plan.sessions}):
        assert date_text(day, "lv") in headings
    for scheduled in plan.sessions:
        assert visit.session(scheduled.session_id).title in text
        assert f"{scheduled.start:%H:%M}–{scheduled.end:%H:%M}" in text


def test_budget_figures_are_the_named_cells_of_costs_xlsx(plan_dir):
    cells = named_values(plan_dir / "costs.xlsx")
    document = docx.Document(str(plan_dir / "report.docx"))
    budget = next(t for t in document.tables if t.rows[0].cells[0].text == "Pozīcija")
    planned = {row.cells[1].text for row in budget.rows[1:]}
    for name in ("total_cost", "eligible", "grant_share", "cofinancing", "per_diem_total"):
        if name in cells:
            assert lv_money(cells[name]) in planned, name
    assert lv_money(cells["total_cost"]) == budget.rows[1].cells[1].text
    by_item = {row.cells[0].text: row.cells[1].text for row in budget.rows[1:]}
    # planned eligible costs come from costs.xlsx alone, without --actuals
    assert by_item["Attiecināmās izmaksas"] == lv_money(cells["eligible"])


def test_every_latvian_and_norwegian_letter_is_in_the_report(plan_dir):
    visit, _ = latgale()
    names = [d.name for d in visit.delegates] + [h.contact for h in visit.hosts if h.contact]
    assert set(LATVIAN + NORWEGIAN) <= set("".join(names))
    text = document_text(plan_dir / "report.docx")
    for name in names:
        assert name in text


def test_report_is_word_with_headings_tables_and_properties(plan_dir):
    visit, plan = latgale()
    document = docx.Document(str(plan_dir / "report.docx"))
    styles = [p.style.name for p in document.paragraphs if p.text]
    assert styles[0] == "Title"
    assert styles.count("Heading 1") >= 7
    assert len(document.tables) >= 5
    participants = next(t for t in document.tables if t.rows[0].cells[1].text == "Vārds, uzvārds")
    assert all(run.bold for cell in participants.rows[0].cells for run in cell.paragraphs[0].runs)
    assert not any(run.bold for run in participants.rows[1].cells[1].paragraphs[0].runs)
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    core = document.core_properties
    assert visit.title in core.title
    assert core.author == visit.organiser.name
    assert core.created == plan.issued
    assert core.modified == plan.issued


def test_each_list_of_the_report_counts_from_one(plan_dir):
    document = docx.Document(str(plan_dir / "report.docx"))
    numbers = [
        p._p.pPr.numPr.numId.val for p in document.paragraphs if p.style.name == "List Number"
    ]
    lists = [n for i, n in enumerate(numbers) if i == 0 or numbers[i - 1] != n]
    assert len(lists) == len(set(lists)) >= 3  # aims, planned results twice, annexes


def test_latgale_memorandum_is_an_outcome(plan_dir):
    visit, _ = latgale()
    assert visit.session("sign").outcome.startswith(MEMORANDUM)
    document = docx.Document(str(plan_dir / "report.docx"))
    outcomes = next(t for t in document.tables if t.rows[0].cells[-1].text == "Rezultāts")
    (row,) = outcomes.rows[1:]
    assert row.cells[1].text == visit.session("sign").title
    assert row.cells[2].text == visit.session("sign").outcome


def test_same_plan_gives_byte_identical_report(plan_dir, tmp_path):
    visit, plan = latgale()
    write_report(plan_dir, visit, plan, out=tmp_path)
    assert (tmp_path / "report.docx").read_bytes() == (plan_dir / "report.docx").read_bytes()
    assert (tmp_path / "contacts.vcf").read_bytes() == (plan_dir / "contacts.vcf").read_bytes()


def test_report_in_norwegian_and_english(plan_dir, tmp_path):
    visit, plan = latgale()
    write_report(plan_dir, visit, plan, language="nb", out=tmp_path / "nb")
    write_report(plan_dir, visit, plan, language="en", out=tmp_path / "en")
    nb = document_text(tmp_path / "nb" / "report.docx")
    en = document_text(tmp_path / "en" / "report.docx")
    assert "Sluttrapport" in nb and "Deltakere" in nb
    assert "Final report" in en and "Planned results" in en
    assert "Pielikumi" not in nb + en


# -- annexes, evaluation and actuals ------------------------------------------------------


def annex_lines(path: Path) -> list[str]:
    document = docx.Document(str(path))
    paragraphs = document.paragraphs
    start = max(i for i, p in enumerate(paragraphs) if p.style.name == "Heading 1")
    return [p.text for p in paragraphs[start + 1 :] if p.text]


def test_annexes_list_the_kit_files_that_exist(plan_dir, tmp_path):
    visit, plan = latgale()
    assert annex_lines(plan_dir / "report.docx") == [
        "Reģistrācijas un dalībnieku tabulas (kit/kit.xlsx)",
        "Izmaksu tabula (costs.xlsx)",
        "Uzņemošo iestāžu kontakti (contacts.vcf)",
    ]
    copy = tmp_path / "plan"
    shutil.copytree(plan_dir, copy)
    (copy / "kit" / "sign-in.pdf").write_bytes(b"%PDF-1.7")
    (copy / "kit" / "certificates.pdf").write_bytes(b"%PDF-1.7")
    write_report(copy, visit, plan)
    lines = annex_lines(copy / "report.docx")
    assert lines[:2] == [
        "Dalībnieku reģistrācijas lapas (kit/sign-in.pdf)",
        "Dalības apliecinājumi (kit/certificates.pdf)",
    ]


def write_actuals(path: Path, values: dict[str, float | str], title: str = "") -> Path:
    """A small actuals.xlsx as `visitplan actuals` defines it: each figure a named cell
    holding a formula with its value stored."""
    workbook = xlsxwriter.Workbook(str(path))
    if title:
        workbook.set_properties({"title": title})
    sheet = workbook.add_worksheet("Summary")
    for row, (name, value) in enumerate(values.items(), start=1):
        sheet.write_string(row - 1, 0, name)
        if isinstance(value, str):
            sheet.write_string(row - 1, 1, value)
        else:
            sheet.write_formula(row - 1, 1, f"=ROUND({value},2)", None, value)
        workbook.define_name(name, f"=Summary!$B${row}")
    workbook.close()
    return path


def actual_values(plan_dir: Path, plan: Plan, **changes: float | str) -> dict[str, float | str]:
    costs = named_values(plan_dir / "costs.xlsx")
    values: dict[str, float | str] = {"visit_id": plan.visit_id}
    for name in ("total_cost", "grant_share", "cofinancing"):
        values[f"planned_{name}"] = costs[name]
        values[f"actual_{name}"] = round(costs[name] - 123.45, 2)
    values["planned_eligible"] = costs["eligible"]
    values["actual_eligible"] = round(costs["eligible"] - 100.01, 2)
    values["planned_attendances"] = len(plan.assignments)
    values["actual_attendances"] = len(plan.assignments) - 3
    return values | changes


EVALUATION = {
    "schema_version": 1,
    "forms": 26,
    "responses": 21,
    "sessions": [
        {
            "session_id": "sign",
            "title": "Signing of the memorandum",
            "host_id": "stfk",
            "responses": 20,
            "mean": 4.65,
            "counts": {"1": 0, "2": 0, "3": 1, "4": 5, "5": 14},
        },
        {
            "session_id": "stj",
            "title": "Stjørdal",
            "host_id": "stjordal",
            "responses": 0,
            "mean": None,
            "counts": {"1": 0, "2": 0, "3": 0, "4": 0, "5": 0},
        },
    ],
    "hosts": [],
    "questions": [{"id": "useful", "text": "Vizīte bija noderīga", "responses": 21, "mean": 4.2}],
    "comments": [],
}


def test_actuals_and_evaluation_figures_appear(plan_dir, tmp_path):
    visit, plan = latgale()
    folder = tmp_path / "plan"
    shutil.copytree(plan_dir, folder)
    (folder / "evaluation.json").write_text(json.dumps(EVALUATION), encoding="utf-8")
    actuals = write_actuals(tmp_path / "actuals.xlsx", actual_values(folder, plan))
    write_report(folder, visit, plan, actuals=actuals)
    cells = named_values(actuals)
    document = docx.Document(str(folder / "report.docx"))
    budget = next(t for t in document.tables if t.rows[0].cells[0].text == "Pozīcija")
    rows = {row.cells[0].text: (row.cells[1].text, row.cells[2].text) for row in budget.rows}
    assert rows["Kopējās izmaksas"] == (
        lv_money(cells["planned_total_cost"]),
        lv_money(cells["actual_total_cost"]),
    )
    assert rows["Attiecināmās izmaksas"] == (
        lv_money(cells["planned_eligible"]),
        lv_money(cells["actual_eligible"]),
    )
    assert rows["Finansējums"][1] == lv_money(cells["actual_grant_share"])
    assert rows["Līdzfinansējums"][1] == lv_money(cells["actual_cofinancing"])
    text = document_text(folder / "report.docx")
    attended = f"plānotas {len(plan.assignments)}, faktiski {len(plan.assignments) - 3}"
    assert attended in text
    assert "Atgrieztas novērtējuma anketas: 21 no 26." in text
    assert "4,7" in text and "4,2" in text and "Vizīte bija noderīga" in text
    assert "Faktiskā dalība un izmaksas (actuals.xlsx)" in annex_lines(folder / "report.docx")


def test_report_compares_the_workbook_visitplan_actuals_writes(plan_dir, tmp_path, capsys):
    """The names are the interface between item 4's actuals.xlsx and the report: the
    Latgale seed's actual.csv (a late arrival, a sick day) through `visitplan actuals`."""
    visit, plan = latgale()
    folder = tmp_path / "plan"
    shutil.copytree(plan_dir, folder)
    assert main(["actuals", str(LATGALE), str(folder), str(LATGALE / "actual.csv")]) == 0
    capsys.readouterr()
    write_report(folder, visit, plan, actuals=folder / "actuals.xlsx")
    cells = named_values(folder / "actuals.xlsx")
    document = docx.Document(str(folder / "report.docx"))
    budget = next(t for t in document.tables if t.rows[0].cells[0].text == "Pozīcija")
    rows = {row.cells[0].text: (row.cells[1].text, row.cells[2].text) for row in budget.rows}
    assert rows["Kopējās izmaksas"][1] == lv_money(cells["actual_total_cost"])
    assert rows["Finansējums"][1] == lv_money(cells["actual_grant_share"])
    assert rows["Līdzfinansējums"][1] == lv_money(cells["actual_cofinancing"])
    if "actual_per_diem_total" in cells:
        assert rows["Dienas naudas"][1] == lv_money(cells["actual_per_diem_total"])
    planned, actual = cells["planned_attendances"], cells["actual_attendances"]
    assert actual < planned
    assert f"plānotas {planned}, faktiski {actual}" in document_text(folder / "report.docx")


def test_an_actuals_workbook_titled_for_another_visit_is_refused(plan_dir, tmp_path):
    visit, plan = latgale()
    title = "Actuals: Vidzeme spatial planners' study visit to Østfold"
    path = write_actuals(tmp_path / "actuals.xlsx", actual_values(plan_dir, plan), title)
    with pytest.raises(ReportError, match='is for the visit "Vidzeme spatial planners'):
        write_report(plan_dir, visit, plan, actuals=path, out=tmp_path / "out")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "content",
    ["{", json.dumps(EVALUATION | {"schema_version": 2}), json.dumps(EVALUATION | {"forms": -1})],
)
def test_a_damaged_evaluation_summary_is_refused(plan_dir, tmp_path, content):
    visit, plan = latgale()
    folder = tmp_path / "plan"
    shutil.copytree(plan_dir, folder)
    (folder / "report.docx").unlink()
    (folder / "evaluation.json").write_text(content, encoding="utf-8")
    with pytest.raises(ReportError, match="evaluation.json: not an evaluation summary"):
        write_report(folder, visit, plan)
    assert not (folder / "report.docx").exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"visit_id": "vidzeme-ostfold-2009"}, "is for the visit 'vidzeme-ostfold-2009'"),
        ({"planned_total_cost": 1000.0}, "its planned total cost 1000"),
        ({"planned_attendances": 7}, "its 7 planned attendances"),
    ],
)
def test_actuals_of_another_visit_or_plan_are_refused(plan_dir, tmp_path, changes, message):
    visit, plan = latgale()
    actuals = write_actuals(tmp_path / "actuals.xlsx", actual_values(plan_dir, plan, **changes))
    with pytest.raises(ReportError, match=re.escape(message)):
        write_report(plan_dir, visit, plan, actuals=actuals, out=tmp_path / "out")
    assert not (tmp_path / "out").exists()


# -- contacts.vcf ---------------------------------------------------------------------------


def test_contacts_vcf_has_one_card_per_host_visited_with_the_hosts_fields(plan_dir):
    visit, plan = latgale()
    visited = sorted({s.host_id for s in plan.sessions} - {"base"})
    cards = list(vobject.readComponents((plan_dir / "contacts.vcf").read_text(encoding="utf-8")))
    assert len(cards) == len(visited)
    for card, host_id in zip(cards, visited, strict=True):
        host = visit.host(host_id)
        assert card.version.value == "4.0"
        assert card.fn.value == (host.contact or host.name)
        assert card.org.value == [host.name]
        assert (card.email.value if host.email else None) == (host.email or None)
        assert card.tel.value == host.phone if host.phone else "tel" not in card.contents
        assert card.adr.value.street == host.address
        held = [visit.session(s.session_id).title for s in plan.sessions if s.host_id == host_id]
        for title in held:
            assert title in card.note.value


def test_contacts_vcf_lines_are_crlf_folded_at_75_octets(plan_dir):
    data = (plan_dir / "contacts.vcf").read_bytes()
    assert data.endswith(b"\r\n")
    lines = data.split(b"\r\n")[:-1]
    assert b"\n" not in b"".join(lines)
    assert max(len(line) for line in lines) <= 75
    for line in lines:
        line.decode("utf-8")  # no line ends inside a character
    assert any(line.startswith(b" ") for line in lines)  # the notes are long enough to fold


# -- the command -------------------------------------------------------------------------


@pytest.fixture
def cli_plan(plan_dir, tmp_path) -> Path:
    """A copy of the plan folder without the report, for the command to write into."""
    folder = tmp_path / "plan"
    shutil.copytree(plan_dir, folder)
    (folder / "report.docx").unlink()
    (folder / "contacts.vcf").unlink()
    return folder


def test_command_writes_both_files_from_the_plan_folder(cli_plan, capsys):
    assert main(["report", str(cli_plan), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "report.docx" in out and "contacts.vcf" in out
    text = document_text(cli_plan / "report.docx")
    assert MEMORANDUM in text
    assert not list(cli_plan.glob(".*.tmp-*"))


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--lang", "de"], "--lang: 'de' is not one of lv, en, nb"),
        (["--actuals", "missing.xlsx"], "missing.xlsx: no such file"),
    ],
)
def test_command_refuses_bad_options_and_writes_nothing(cli_plan, capsys, arguments, message):
    assert main(["report", str(cli_plan), *arguments]) == 2
    err = capsys.readouterr().err
    assert message in err and "nothing written" in err
    assert not (cli_plan / "report.docx").exists()
    assert not (cli_plan / "contacts.vcf").exists()


def test_command_refuses_a_plan_folder_without_its_cost_sheet(cli_plan, capsys):
    (cli_plan / "costs.xlsx").unlink()
    assert main(["report", str(cli_plan)]) == 2
    assert "costs.xlsx: no cost sheet" in capsys.readouterr().err
    assert not (cli_plan / "report.docx").exists()


def test_command_refuses_an_actuals_workbook_of_another_visit(cli_plan, tmp_path, capsys):
    _, plan = latgale()
    values = actual_values(cli_plan, plan, visit_id="vidzeme-ostfold-2009")
    actuals = write_actuals(tmp_path / "actuals.xlsx", values)
    assert main(["report", str(cli_plan), "--actuals", str(actuals)]) == 2
    assert "not 'latgale-trondelag-2009'" in capsys.readouterr().err
    assert not (cli_plan / "report.docx").exists()


# -- LibreOffice ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdf_text(plan_dir, tmp_path_factory) -> str:
    """report.docx converted to PDF by LibreOffice, as pdftotext reads it."""
    program = shutil.which("soffice") or shutil.which("libreoffice")
    if program is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice (soffice) or pdftotext is not installed")
    folder = tmp_path_factory.mktemp("report-pdf")
    command = [
        program,
        f"-env:UserInstallation={(folder / 'profile').as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        "pdf",
        "--outdir",
        str(folder),
        str(plan_dir / "report.docx"),
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=300)
    pdf = folder / "report.pdf"
    assert pdf.is_file(), "LibreOffice wrote no PDF"
    result = subprocess.run(
        ["pdftotext", str(pdf), "-"], check=True, capture_output=True, timeout=60
    )
    return result.stdout.decode("utf-8")


def test_libreoffice_prints_every_name_and_letter(pdf_text):
    visit, _ = latgale()
    words = set(pdf_text.split())
    names = [d.name for d in visit.delegates] + [h.contact for h in visit.hosts if h.contact]
    for name in names:
        for part in name.split():
            assert part in words, part
    assert set(LATVIAN + NORWEGIAN) <= set(pdf_text)


def test_libreoffice_prints_the_budget_and_the_days(pdf_text, plan_dir):
    cells = named_values(plan_dir / "costs.xlsx")
    flat = " ".join(pdf_text.replace("\u00a0", " ").split())
    assert lv_money(cells["total_cost"]).replace("\u00a0", " ") in flat
    _, plan = latgale()
    for day in sorted({s.date for s in plan.sessions}):
        assert date_text(day, "lv") in flat


def test_zip_entries_are_dated_from_the_issue_time_not_the_clock(plan_dir):
    _, plan = latgale()
    with zipfile.ZipFile(plan_dir / "report.docx") as package:
        assert {entry.date_time for entry in package.infolist()} == {plan.issued.timetuple()[:6]}
        assert "docProps/thumbnail.jpeg" not in package.namelist()
