"""The kit's input (spec section 5): delegates' phones and emergency contacts, needs as
codes, ``[funder]``, ``[kit]`` and the organiser's phone, read from a folder and a
workbook, every bad value named by file, row and column."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from visitplan.cli import main
from visitplan.export.visit_workbook import write_visit_workbook
from visitplan.model import Delegate, need_code
from visitplan.read import load_visit, read_visit

TINY = Path(__file__).parent / "visits" / "tiny"
LOGO = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'
FUNDER = """
[funder]
name = "EEA and Norway Grants"
programme = "Norwegian Financial Mechanism"
project_number = "LV0078"
credit = "Supported by a grant from Iceland, Liechtenstein and Norway."
logo = "logo.svg"

[kit]
sign_in = "day"
"""


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    folder = tmp_path / "tiny"
    shutil.copytree(TINY, folder)
    return folder


def add_toml(folder: Path, text: str, after: str = "") -> None:
    path = folder / "visit.toml"
    content = path.read_text(encoding="utf-8")
    if after:
        content = content.replace(after, after + text)
    else:
        content += text
    path.write_text(content, encoding="utf-8")


def add_delegate_columns(folder: Path, values: dict[str, tuple[str, str, str]]) -> None:
    """Append phone, emergency_contact and emergency_phone to delegates.csv."""
    path = folder / "delegates.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    out = [lines[0] + ",phone,emergency_contact,emergency_phone"]
    for line in lines[1:]:
        key = line.split(",", 1)[0]
        if key in values:
            line += "," + ",".join(values[key])
        out.append(line)
    path.write_text("\n".join(out), encoding="utf-8")


def errors(problems) -> list[str]:
    return [str(p) for p in problems if p.severity == "error"]


def test_delegates_phones_and_emergency_contacts_are_read(tiny):
    add_delegate_columns(
        tiny,
        {
            "d2": ("+371 2633 0187", "Mārtiņš Kalniņš", "+371 2633 0190"),
            "d3": ("(+47) 73-59.50/00", "", ""),
        },
    )
    visit = load_visit(tiny)
    d2, d3 = visit.delegate("d2"), visit.delegate("d3")
    assert (d2.phone, d2.emergency_contact, d2.emergency_phone) == (
        "+371 2633 0187",
        "Mārtiņš Kalniņš",
        "+371 2633 0190",
    )
    assert d3.phone == "(+47) 73-59.50/00" and d3.emergency_contact == ""
    assert visit.delegate("d1").phone == ""


def test_a_bad_phone_is_named_by_file_row_and_column_all_at_once(tiny):
    add_delegate_columns(tiny, {"d2": ("call me", "", "12"), "d3": ("+371 " + "1" * 40, "", "")})
    visit, problems = read_visit(tiny)
    assert visit is None
    found = errors(problems)
    assert any(
        p.startswith("delegates.csv:4: phone: 'call me' is not a phone number") for p in found
    )
    assert any(p.startswith("delegates.csv:4: emergency_phone: '12'") for p in found)
    assert any(p.startswith("delegates.csv:6: phone:") and "at most 40" in p for p in found)


def test_need_codes_are_counted_and_other_words_stay_free_text():
    person = Delegate(
        "d1", "A", needs="Vegetarian; gluten-free, Nut allergy\nneeds a quiet room; halal food"
    )
    assert person.need_codes == {"vegetarian", "gluten_free", "nut_allergy"}
    assert person.other_needs == ("needs a quiet room", "halal food")
    assert need_code("Step free") == "step_free" and need_code("no walking") == "no_walking"
    assert need_code("vegetarian please") == ""
    assert Delegate("d2", "B", needs="step-free").access == {"step_free"}


def test_funder_kit_and_organiser_phone_are_read_with_the_logo(tiny):
    (tiny / "logo.svg").write_bytes(LOGO)
    add_toml(tiny, 'phone = "+371 6542 3801"\n', after='email = "info@example.lv"\n')
    add_toml(tiny, FUNDER)
    visit = load_visit(tiny)
    funder = visit.funder
    assert funder is not None
    assert (funder.name, funder.programme, funder.project_number) == (
        "EEA and Norway Grants",
        "Norwegian Financial Mechanism",
        "LV0078",
    )
    assert funder.credit.startswith("Supported by a grant")
    assert funder.logo_data == LOGO and funder.logo_type == "image/svg+xml"
    assert visit.kit.sign_in == "day"
    assert visit.organiser is not None and visit.organiser.phone == "+371 6542 3801"


def test_a_visit_without_the_new_tables_has_no_funder_and_signs_in_per_session(tiny):
    visit = load_visit(tiny)
    assert visit.funder is None and visit.kit.sign_in == "session"
    assert visit.organiser is not None and visit.organiser.phone == ""


def test_bad_funder_and_kit_settings_are_all_reported_and_exit_2(tiny, tmp_path, capsys):
    add_toml(tiny, 'phone = "ring"\n', after='email = "info@example.lv"\n')
    add_toml(tiny, '\n[funder]\nprogramme = "X"\nlogo = "../logo.png"\n\n[kit]\nsign_in = "week"\n')
    out = tmp_path / "plan"
    assert main(["plan", str(tiny), "--out", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "visit.toml:20: organiser.phone: 'ring' is not a phone number" in err
    assert "funder.name: missing" in err
    assert "funder.logo: '../logo.png' is not a file name inside the visit folder" in err
    assert "kit.sign_in: week is not one of session, day" in err
    assert not out.exists()


@pytest.mark.parametrize(
    ("logo", "message"),
    [
        ("logo.gif", "is not a .png, .jpg or .svg file"),
        ("missing.png", "no such file in the visit folder"),
        ("big.png", "more than 2,000,000"),
    ],
)
def test_the_logo_must_be_a_small_picture_in_the_visit_folder(tiny, logo, message):
    (tiny / "logo.gif").write_bytes(b"GIF89a")
    (tiny / "big.png").write_bytes(b"\x89PNG" + b"\0" * 2_000_000)
    add_toml(tiny, FUNDER.replace('"logo.svg"', f'"{logo}"'))
    visit, problems = read_visit(tiny)
    assert visit is None
    (found,) = errors(problems)
    assert found.startswith("visit.toml:") and "funder.logo:" in found and message in found


def test_the_workbook_form_reads_the_same_funder_and_contacts(tiny, tmp_path):
    (tiny / "logo.svg").write_bytes(LOGO)
    add_toml(tiny, FUNDER)
    add_delegate_columns(tiny, {"d2": ("+371 2633 0187", "Mārtiņš Kalniņš", "+371 2633 0190")})
    book = write_visit_workbook(tiny, tmp_path / "book" / "visit.xlsx")
    (book.parent / "logo.svg").write_bytes(LOGO)
    assert load_visit(book) == load_visit(tiny)
    # the help sheet documents the additions
    help_rows = list(openpyxl.load_workbook(book.parent / "visit.xlsx").sheetnames)
    assert "visit" in help_rows


def test_the_template_help_sheet_documents_the_kit_columns_and_keys(tmp_path):
    from visitplan.export.visit_workbook import write_template

    book = openpyxl.load_workbook(write_template(tmp_path / "visit.xlsx"))
    rows = {(r[0], r[1]) for r in book["help"].iter_rows(min_row=2, values_only=True)}
    for column in ("phone", "emergency_contact", "emergency_phone", "needs"):
        assert ("delegates", column) in rows
    for key in ("organiser.phone", "funder.name", "funder.credit", "funder.logo", "kit.sign_in"):
        assert ("visit", key) in rows
    meanings = " ".join(str(r[3]) for r in book["help"].iter_rows(min_row=2, values_only=True))
    assert "gluten_free" in meanings and "step_free" in meanings
