"""`visitplan report` run again: a draft the organiser edited is never destroyed.

The organiser finishes report.docx in Word or LibreOffice where it lies (and may
correct contacts.vcf); a re-run, say after adding actuals, replaces only what
visitplan wrote itself, unless told to with --force.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import docx
import pytest

from visitplan.cli import main
from visitplan.outputs import write_outputs
from visitplan.report import CONTACTS_FILE, REPORT_FILE

from .test_report import LATGALE, MEMORANDUM, document_text, latgale

RECORD = ".report.sha256"
EDIT = "Papildinājums, ko organizators ierakstīja pats."
"""A paragraph the organiser adds by hand (in Latvian, as the draft is)."""


@pytest.fixture(scope="module")
def planned(tmp_path_factory) -> Path:
    visit, plan = latgale()
    folder = tmp_path_factory.mktemp("report-edits") / "plan"
    write_outputs(visit, plan, folder, pages=False, source=LATGALE)
    return folder


@pytest.fixture
def drafted(planned, tmp_path, capsys) -> Path:
    """A copy of the plan folder with the report drafted once by the command (in lv)."""
    folder = tmp_path / "plan"
    shutil.copytree(planned, folder)
    assert main(["report", str(folder)]) == 0
    capsys.readouterr()
    return folder


def contents(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in (REPORT_FILE, CONTACTS_FILE, RECORD)}


def edit_as_a_person(path: Path) -> None:
    document = docx.Document(str(path))
    document.add_paragraph(EDIT)
    document.save(str(path))


def assert_refused(folder: Path, capsys, before: dict[str, bytes], edited: str) -> None:
    assert main(["report", str(folder), "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert f"{folder / edited} was edited since visitplan wrote it" in err
    assert "nothing written" in err and "--force" in err and "--out DIR" in err
    assert contents(folder) == before
    assert not list(folder.glob(".*.tmp"))


def test_a_report_visitplan_wrote_is_replaced_without_force(drafted, capsys):
    assert "The project" not in document_text(drafted / REPORT_FILE)
    assert main(["report", str(drafted), "--lang", "en"]) == 0
    text = document_text(drafted / REPORT_FILE)
    assert "The project" in text and MEMORANDUM in text
    assert main(["report", str(drafted)]) == 0  # and back again


def test_a_report_edited_with_python_docx_is_refused_and_replaced_with_force(drafted, capsys):
    edit_as_a_person(drafted / REPORT_FILE)
    before = contents(drafted)
    assert_refused(drafted, capsys, before, REPORT_FILE)
    assert EDIT in document_text(drafted / REPORT_FILE)

    assert main(["report", str(drafted), "--lang", "en", "--force"]) == 0
    text = document_text(drafted / REPORT_FILE)
    assert EDIT not in text and "The project" in text
    assert main(["report", str(drafted)]) == 0  # visitplan's own again: no --force needed


def test_a_report_saved_by_libreoffice_is_refused_and_replaced_with_force(
    drafted, tmp_path, capsys
):
    program = shutil.which("soffice") or shutil.which("libreoffice")
    if program is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    saved = tmp_path / "saved"
    command = [
        program,
        f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        "docx",
        "--outdir",
        str(saved),
        str(drafted / REPORT_FILE),
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=300)
    shutil.move(saved / REPORT_FILE, drafted / REPORT_FILE)
    before = contents(drafted)
    assert_refused(drafted, capsys, before, REPORT_FILE)

    assert main(["report", str(drafted), "--lang", "en", "--force"]) == 0
    assert "The project" in document_text(drafted / REPORT_FILE)


def test_an_edited_contacts_file_is_refused_and_the_report_kept_too(drafted, capsys):
    contacts = drafted / CONTACTS_FILE
    contacts.write_bytes(contacts.read_bytes().replace(b"FN:", b"FN:Dr. ", 1))
    before = contents(drafted)
    assert_refused(drafted, capsys, before, CONTACTS_FILE)
    assert main(["report", str(drafted), "--force"]) == 0
    assert b"FN:Dr. " not in contacts.read_bytes()


def test_without_the_record_an_existing_report_counts_as_edited(drafted, capsys):
    (drafted / RECORD).unlink()
    assert main(["report", str(drafted)]) == 0  # the very bytes it would write: no loss
    (drafted / RECORD).unlink()
    report = (drafted / REPORT_FILE).read_bytes()
    assert main(["report", str(drafted), "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert f"{drafted / REPORT_FILE}, {drafted / CONTACTS_FILE} were edited since" in err
    assert (drafted / REPORT_FILE).read_bytes() == report


def test_out_writes_the_new_report_elsewhere_and_keeps_the_edited_one(drafted, tmp_path, capsys):
    edit_as_a_person(drafted / REPORT_FILE)
    edited = (drafted / REPORT_FILE).read_bytes()
    elsewhere = tmp_path / "new"
    assert main(["report", str(drafted), "--lang", "en", "--out", str(elsewhere)]) == 0
    assert (drafted / REPORT_FILE).read_bytes() == edited
    assert "The project" in document_text(elsewhere / REPORT_FILE)
