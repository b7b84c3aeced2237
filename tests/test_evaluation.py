"""`visitplan evaluation`: a form per delegate listing exactly the sessions they
attended, filled in as a person would and collected, with the figures worked out here
from what was filled in; the online form's CSV reads back; every bad answer gets its
message and nothing is written.

The plan is the kit's Vidzeme plan (tests/kitplans.py: solved once, checked clean);
the plan folder holds the Vidzeme visit's copy, which `visitplan evaluation` reads.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from visitplan.cli import main
from visitplan.export import site
from visitplan.export.cells import text
from visitplan.export.words import Words
from visitplan.outputs import write_outputs
from visitplan.views import build_views

from .kitplans import DATA, vidzeme

VIDZEME = DATA / "vidzeme-ostfold-2009"
SCALE = range(1, 6)
RATING_LABEL = Words("lv")("evaluation_rating")
COMMENT_LABEL = Words("lv")("evaluation_comment")
FORMULA = '=HYPERLINK("http://example.org/x","klikšķini")'


@pytest.fixture
def plan_dir(tmp_path) -> Path:
    """A plan folder of the Vidzeme plan, with its site (no PDFs: fast)."""
    visit, plan = vidzeme()
    out = tmp_path / "plan"
    write_outputs(visit, plan, out, pages=False, source=VIDZEME)
    site.write(build_views(visit, plan), out)
    return out


@pytest.fixture
def forms(plan_dir, tmp_path) -> Path:
    out = tmp_path / "forms"
    assert main(["evaluation", str(plan_dir), str(out)]) == 0
    return out


def attendances() -> dict[str, set[str]]:
    _, plan = vidzeme()
    attended: dict[str, set[str]] = defaultdict(set)
    for a in plan.assignments:
        attended[a.delegate_id].add(a.session_id)
    return attended


def mean(values: list[int]) -> float | None:
    if not values:
        return None
    exact = Decimal(sum(values)) / Decimal(len(values))
    return float(exact.quantize(Decimal("0.01"), ROUND_HALF_UP))


def header_columns(ws) -> tuple[int, dict[str, int]]:
    """The row of the sessions' labels and each label's column, as a person finds them."""
    for row in ws.iter_rows():
        labels = {c.value: c.column for c in row if isinstance(c.value, str)}
        if RATING_LABEL in labels:
            return row[0].row, labels
    raise AssertionError("no rating column in the form")


def session_rows(ws) -> dict[str, int]:
    """Each listed session's row, found by its title as a person reads it."""
    visit, _ = vidzeme()
    titles = {s.title: s.id for s in visit.sessions}
    header, labels = header_columns(ws)
    title_column = labels[Words("lv")("session")]
    rows = {}
    for row in range(header + 1, ws.max_row + 1):
        title = ws.cell(row, title_column).value
        if title is None:
            break
        rows[titles[title]] = row
    return rows


def question_rows(ws) -> dict[str, int]:
    words = Words("lv")
    texts = {
        words(f"evaluation_q_{q}"): q for q in ("usefulness", "organisation", "apply", "contacts")
    }
    return {texts[c.value]: c.row for c in ws["A"] if c.value in texts}


# -- the forms -----------------------------------------------------------------------------


def test_each_delegates_form_lists_exactly_the_sessions_they_attended(forms):
    attended = attendances()
    visit, plan = vidzeme()
    scheduled = {s.session_id: s for s in plan.sessions}
    assert sorted(p.name for p in forms.glob("*.xlsx")) == sorted(f"{d}.xlsx" for d in attended)
    for delegate_id, sessions in attended.items():
        ws = load_workbook(forms / f"{delegate_id}.xlsx").worksheets[0]
        rows = session_rows(ws)
        assert set(rows) == sessions, delegate_id
        header, labels = header_columns(ws)
        for session_id, row in rows.items():
            held = scheduled[session_id]
            assert ws.cell(row, labels[Words("lv")("time")]).value == (
                f"{held.start:%H:%M}–{held.end:%H:%M}"
            )
            assert ws.cell(row, labels[Words("lv")("date")]).value == Words("lv").day(held.date)
        assert visit.delegate(delegate_id).name in ws["A2"].value


def test_rating_cells_take_whole_numbers_1_to_5_and_the_ids_are_hidden_and_protected(forms):
    ws = load_workbook(forms / "p01.xlsx").worksheets[0]
    _, labels = header_columns(ws)
    rating_column = labels[RATING_LABEL]
    rating_cells = {ws.cell(row, rating_column).coordinate for row in session_rows(ws).values()}
    rating_cells |= {
        ws.cell(row, rating_column).coordinate
        for q, row in question_rows(ws).items()
        if q in ("usefulness", "organisation")
    }
    (validation,) = ws.data_validations.dataValidation
    assert (validation.type, validation.operator) == ("whole", "between")
    assert (validation.formula1, validation.formula2) == ("1", "5")
    assert {str(r) for r in validation.sqref.ranges} == rating_cells
    assert ws.protection.sheet
    hidden = [letter for letter, d in ws.column_dimensions.items() if d.hidden]
    ids = [c.value for letter in hidden for c in ws[letter] if c.value]
    assert "delegate:p01" in ids
    assert {i.removeprefix("session:") for i in ids if i.startswith("session:")} == attendances()[
        "p01"
    ]
    for coordinate in rating_cells:
        assert not ws[coordinate].protection.locked


def test_the_online_forms_header_names_every_session_and_question(forms):
    _, plan = vidzeme()
    with (forms / "evaluation.csv").open(encoding="utf-8-sig", newline="") as f:
        (header,) = list(csv.reader(f))
    expected = ["delegate_id"]
    for s in sorted(plan.sessions, key=lambda s: (s.date, s.start, s.session_id)):
        expected += [f"rating: {s.session_id} (1-5)", f"comment: {s.session_id}"]
    expected += [f"visit: {q}" for q in ("usefulness", "organisation", "apply", "contacts")]
    assert header == expected


def test_a_folder_holding_something_else_is_not_replaced(plan_dir, tmp_path, capsys):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep", encoding="utf-8")
    assert main(["evaluation", str(plan_dir), str(out)]) == 1
    assert "holds no earlier evaluation forms" in capsys.readouterr().err
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]


# -- filled in and collected ---------------------------------------------------------------


def fill_forms(forms: Path, who: list[str]) -> dict[str, dict]:
    """Fill the forms of ``who`` as a person would: a rating on most sessions (one left
    blank), a comment on some, the questions on the whole visit.  Returns what was filled."""
    filled = {}
    for n, delegate_id in enumerate(who):
        path = forms / f"{delegate_id}.xlsx"
        workbook = load_workbook(path)
        ws = workbook.worksheets[0]
        _, labels = header_columns(ws)
        ratings, comments = {}, {}
        for k, (session_id, row) in enumerate(sorted(session_rows(ws).items())):
            if k == n % 4:
                continue  # skipped this one
            rating = (n * 3 + k * 2) % 5 + 1
            ws.cell(row, labels[RATING_LABEL]).value = rating
            ratings[session_id] = rating
            if (n + k) % 5 == 0:
                comment = f"Komentārs {delegate_id}/{session_id}: ļoti noderīgi"
                ws.cell(row, labels[COMMENT_LABEL]).value = comment
                comments[session_id] = comment
        questions = question_rows(ws)
        visit = {"usefulness": n % 5 + 1, "organisation": (n + 2) % 5 + 1}
        for q, value in visit.items():
            ws.cell(questions[q], labels[RATING_LABEL]).value = value
        ws.cell(questions["apply"], labels[RATING_LABEL]).value = f"Pieredzi, ko guva {delegate_id}"
        filled[delegate_id] = {"ratings": ratings, "comments": comments, "visit": visit}
        workbook.save(path)
    return filled


def expected_sessions(filled: dict[str, dict]) -> dict[str, list[int]]:
    given: dict[str, list[int]] = defaultdict(list)
    for answers in filled.values():
        for session_id, rating in answers["ratings"].items():
            given[session_id].append(rating)
    return given


def test_forms_filled_in_and_collected_give_the_means_and_counts(plan_dir, forms, capsys):
    who = ["p01", "p02", "p03", "p05", "p06", "p08", "p10"]
    filled = fill_forms(forms, who)
    files = [str(forms / f"{d}.xlsx") for d in who] + [str(forms / "p04.xlsx")]  # p04: untouched
    assert main(["evaluation", "--collect", str(plan_dir), *files]) == 0
    out = capsys.readouterr().out
    assert f"{len(who)} of {len(attendances())} evaluation form(s) returned" in out

    data = json.loads((plan_dir / "evaluation.json").read_text(encoding="utf-8"))
    assert set(data) == {
        "schema_version",
        "forms",
        "responses",
        "sessions",
        "hosts",
        "questions",
        "comments",
    }
    assert (data["schema_version"], data["forms"], data["responses"]) == (1, 10, len(who))
    given = expected_sessions(filled)
    visit, plan = vidzeme()
    assert [s["session_id"] for s in data["sessions"]] == [
        s.session_id for s in sorted(plan.sessions, key=lambda s: (s.date, s.start))
    ]
    for entry in data["sessions"]:
        ratings = given[entry["session_id"]]
        assert set(entry) == {"session_id", "title", "host_id", "responses", "mean", "counts"}
        assert entry["responses"] == len(ratings)
        assert entry["mean"] == mean(ratings)
        assert entry["counts"] == {str(n): ratings.count(n) for n in SCALE}
        if ratings:
            assert f"{entry['session_id']}: " in out and f"mean {mean(ratings):.2f}" in out
    host_of = {s.session_id: s.host_id for s in plan.sessions}
    for entry in data["hosts"]:
        ratings = [r for s, rs in given.items() if host_of[s] == entry["host_id"] for r in rs]
        assert set(entry) == {"host_id", "name", "responses", "mean"}
        assert (entry["responses"], entry["mean"]) == (len(ratings), mean(ratings))
    assert {e["host_id"] for e in data["hosts"]} == set(host_of.values())
    questions = {q["id"]: q for q in data["questions"]}
    for q in ("usefulness", "organisation"):
        values = [answers["visit"][q] for answers in filled.values()]
        assert (questions[q]["responses"], questions[q]["mean"]) == (len(values), mean(values))
    assert questions["apply"]["responses"] == len(who)
    assert questions["contacts"]["responses"] == 0
    comments = [(c["session_id"], c["text"]) for c in data["comments"]]
    for answers in filled.values():
        for session_id, comment in answers["comments"].items():
            assert (session_id, comment) in comments
    assert (None, "Pieredzi, ko guva p01") in comments

    # evaluation.xlsx holds the same figures, and its charts point at them
    workbook = load_workbook(plan_dir / "evaluation.xlsx")
    ws = workbook["Sessions"]
    header = [c.value for c in ws[1]]
    mean_column = header.index(Words("lv")("evaluation_mean")) + 1
    by_id = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
    for entry in data["sessions"]:
        assert ws.cell(by_id[entry["session_id"]], mean_column).value == entry["mean"]
    assert_charts_read(ws, mean_column, len(data["sessions"]))
    hosts = workbook["Hosts"]
    host_mean = [c.value for c in hosts[1]].index(Words("lv")("evaluation_mean")) + 1
    assert_charts_read(hosts, host_mean, len(data["hosts"]))


def assert_charts_read(ws, mean_column: int, rows: int) -> None:
    """A chart of the means over the mean cells, and one of the counts over the 1..5 cells."""
    from openpyxl.utils import get_column_letter

    assert len(ws._charts) == 2
    means, counts = ws._charts
    title = ws.title
    letter = get_column_letter(mean_column)
    (series,) = means.series
    assert series.val.numRef.f == f"'{title}'!${letter}$2:${letter}${rows + 1}"
    references = [s.val.numRef.f for s in counts.series]
    assert references == [
        f"'{title}'!${get_column_letter(mean_column + n)}$2:${get_column_letter(mean_column + n)}${rows + 1}"
        for n in SCALE
    ]
    assert [ws.cell(1, mean_column + n).value for n in SCALE] == [str(n) for n in SCALE]


def test_the_site_gets_an_evaluation_page_with_the_means_linked_from_the_index(plan_dir, forms):
    filled = fill_forms(forms, ["p01", "p02", "p07"])
    assert "evaluation.html" not in (plan_dir / "site" / "index.html").read_text(encoding="utf-8")
    files = [str(forms / f"{d}.xlsx") for d in filled]
    assert main(["evaluation", "--collect", str(plan_dir), *files]) == 0
    index = (plan_dir / "site" / "index.html").read_text(encoding="utf-8")
    assert 'href="evaluation.html"' in index
    assert 'href="../evaluation.xlsx"' in index
    page = (plan_dir / "site" / "evaluation.html").read_text(encoding="utf-8")
    for session_id, ratings in expected_sessions(filled).items():
        shown = f"{mean(ratings):.2f}".replace(".", ",")  # Latvian decimals
        row = page.split(f'data-session="{session_id}"')[1].split("</tr>")[0]
        assert f'<td class="num mean">{shown}</td>' in row
    assert Words("lv")("evaluation_returned", returned=3, sent=10) in page
    assert not list(plan_dir.glob(".site.tmp-*"))

    # any later site writing into the folder keeps the page and the link
    visit, plan = vidzeme()
    (plan_dir / "site" / "evaluation.html").unlink()
    site.write(build_views(visit, plan), plan_dir)
    assert (plan_dir / "site" / "evaluation.html").read_text(encoding="utf-8") == page


def test_a_site_without_an_evaluation_has_no_page_and_no_link():
    visit, plan = vidzeme()
    pages = site.render_site(build_views(visit, plan))
    assert "evaluation.html" not in pages
    assert "evaluation.html" not in pages["index.html"]


# -- the online form's export ----------------------------------------------------------------


def export_rows(forms: Path, rows: list[dict[str, str]], *, delimiter: str = ",") -> Path:
    """A form tool's export: its own columns around evaluation.csv's, and the answers."""
    with (forms / "evaluation.csv").open(encoding="utf-8-sig", newline="") as f:
        (labels,) = list(csv.reader(f))
    header = ["ID", "Start time", "Completion time", "Email", "Name", *reversed(labels)]
    path = forms.parent / "export.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f, delimiter=delimiter)
        writer.writerow(header)
        for n, row in enumerate(rows, start=1):
            extra = {"ID": str(n), "Start time": "10/26/2009 9:00:00", "Name": "Anonymous"}
            writer.writerow([row.get(label, extra.get(label, "")) for label in header])
    return path


def test_a_csv_export_reads_back_and_a_formula_like_comment_lands_as_text(plan_dir, forms):
    attended = sorted(attendances()["p03"])
    rows = [
        {
            "delegate_id": "p03",
            f"rating: {attended[0]} (1-5)": "4",
            f"comment: {attended[0]}": FORMULA,
            f"rating: {attended[1]} (1-5)": "2",
            "visit: usefulness": "5",
            "visit: contacts": "Gro Nilsen\nHøgskolen i Østfold",
        },
        {"delegate_id": "p05", f"rating: {attended[0]} (1-5)": "5"},
    ]
    path = export_rows(forms, rows, delimiter=";")
    assert main(["evaluation", "--collect", str(plan_dir), str(path)]) == 0
    data = json.loads((plan_dir / "evaluation.json").read_text(encoding="utf-8"))
    first = next(s for s in data["sessions"] if s["session_id"] == attended[0])
    assert (first["responses"], first["mean"]) == (2, 4.5)
    assert {"session_id": attended[0], "text": FORMULA} in data["comments"]
    assert {"session_id": None, "text": "Gro Nilsen\nHøgskolen i Østfold"} in data["comments"]
    ws = load_workbook(plan_dir / "evaluation.xlsx")["Comments"]
    cells = [c for row in ws.iter_rows() for c in row if c.value == FORMULA]
    assert len(cells) == 1 and cells[0].data_type == "s"


def test_a_formula_typed_into_a_forms_comment_lands_as_text(plan_dir, forms):
    path = forms / "p02.xlsx"
    workbook = load_workbook(path)
    ws = workbook.worksheets[0]
    _, labels = header_columns(ws)
    row = next(iter(session_rows(ws).values()))
    text(ws.cell(row, labels[COMMENT_LABEL]), FORMULA)  # the cell is formatted as text
    workbook.save(path)
    assert main(["evaluation", "--collect", str(plan_dir), str(path)]) == 0
    ws = load_workbook(plan_dir / "evaluation.xlsx")["Comments"]
    cells = [c for row in ws.iter_rows() for c in row if c.value == FORMULA]
    assert len(cells) == 1 and cells[0].data_type == "s"


# -- bad answers -----------------------------------------------------------------------------


def test_every_bad_answer_gets_its_message_exit_2_and_nothing_written(plan_dir, forms, capsys):
    attended = attendances()
    everyone = {s for sessions in attended.values() for s in sessions}
    missed = sorted(everyone - attended["p03"])[0]
    mine = sorted(attended["p01"])[0]
    rows = [
        {"delegate_id": "p99", f"rating: {mine} (1-5)": "4"},  # row 2
        {"delegate_id": "p01", f"rating: {mine} (1-5)": "6"},  # row 3
        {"delegate_id": "p03", f"rating: {missed} (1-5)": "3"},  # row 4
        {"delegate_id": "p01", f"rating: {mine} (1-5)": "4"},  # row 5: p01 again
        {"delegate_id": "p05", "visit: usefulness": "4.5"},  # row 6
    ]
    path = export_rows(forms, rows)
    form = forms / "p02.xlsx"
    workbook = load_workbook(form)
    ws = workbook.worksheets[0]
    _, labels = header_columns(ws)
    first, row = sorted(session_rows(ws).items())[0]
    ws.cell(row, labels[RATING_LABEL]).value = 0
    workbook.save(form)
    site_before = (plan_dir / "site" / "index.html").read_bytes()
    before = sorted(p.name for p in plan_dir.iterdir())

    assert main(["evaluation", "--collect", str(plan_dir), str(path), str(form)]) == 2
    err = capsys.readouterr().err
    assert f"{path}:2: delegate_id: unknown delegate 'p99'" in err
    assert f"{path}:3: rating: {mine} (1-5): '6' is not a whole number from 1 to 5" in err
    assert f"{path}:4: rating: {missed} (1-5): 'p03' did not attend '{missed}' in the plan" in err
    assert f"{path}:5: delegate_id: a second answer from 'p01' (the first: {path}:3)" in err
    assert f"{path}:6: visit: usefulness: '4.5' is not a whole number from 1 to 5" in err
    assert f"{form}:{row}: rating: {first} (1-5): 0 is not a whole number from 1 to 5" in err
    assert "6 problem(s) in the answers; nothing written" in err
    assert sorted(p.name for p in plan_dir.iterdir()) == before
    assert (plan_dir / "site" / "index.html").read_bytes() == site_before
    assert not (plan_dir / "site" / "evaluation.html").exists()


def test_an_export_without_the_delegate_column_is_refused(plan_dir, tmp_path, capsys):
    path = tmp_path / "export.csv"
    path.write_text("Timestamp,rating: pbl (1-5)\n2009-10-26,4\n", encoding="utf-8")
    assert main(["evaluation", "--collect", str(plan_dir), str(path)]) == 2
    assert f"{path}:1: delegate_id: no such column" in capsys.readouterr().err
    assert not (plan_dir / "evaluation.json").exists()


def test_forms_written_again_replace_the_earlier_forms_as_a_whole(plan_dir, forms):
    (forms / "p99.xlsx").write_bytes(b"an earlier run's form")
    assert main(["evaluation", str(plan_dir), str(forms)]) == 0
    assert not (forms / "p99.xlsx").exists()
    assert (forms / "p01.xlsx").is_file()
    assert not list(forms.parent.glob(f".{forms.name}.tmp-*"))


def test_the_summary_escapes_text_from_the_input():
    from dataclasses import replace

    from visitplan.evaluation import summarise
    from visitplan.evaluation.summary import summary_lines

    visit, plan = vidzeme()
    first = plan.sessions[0].session_id
    sessions = tuple(
        replace(s, title="Sesija\x1b[2J\nar vadības zīmēm") if s.id == first else s
        for s in visit.sessions
    )
    lines = summary_lines(summarise(build_views(replace(visit, sessions=sessions), plan), []))
    assert lines[0] == "0 of 10 evaluation form(s) returned"
    shown = next(line for line in lines if f" {first}: " in line)
    assert "Sesija\\x1b[2J\\nar vadības zīmēm: no ratings" in shown
    assert not any("\x1b" in line or "\n" in line for line in lines)


def test_a_failure_while_writing_the_results_leaves_the_plan_folder_as_it_was(
    plan_dir, forms, monkeypatch
):
    from visitplan.evaluation import folders

    fill_forms(forms, ["p01"])
    before = {p.relative_to(plan_dir): p.read_bytes() for p in plan_dir.rglob("*") if p.is_file()}

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(folders.site, "write_pages", broken)
    assert main(["evaluation", "--collect", str(plan_dir), str(forms / "p01.xlsx")]) == 1
    after = {p.relative_to(plan_dir): p.read_bytes() for p in plan_dir.rglob("*") if p.is_file()}
    assert after == before
