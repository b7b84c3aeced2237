"""The report's input: visit.toml's optional [project] table and sessions.csv's `outcome`.

Both are read and checked like every other value (text rules, dates, every problem at
once); the project period should hold the trip, and a note says when it does not.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from visitplan.export.visit_workbook import write_visit_workbook
from visitplan.model import Project
from visitplan.read import load_visit, read_visit

from .test_read import append, errors_of, replace, tiny_copy

DATA = Path(__file__).resolve().parent.parent / "data"

PROJECT = """
[project]
title = "Pieredzes apmaiņas brauciens uz Trondelāgu"
applicant = "Latgales plānošanas reģions"
period_from = 2009-08-01
period_to = 2009-10-31
aims = ["Uzlabot publiskā sektora pakalpojumu kvalitāti, veicinot pieredzes apmaiņu.",
        "Nodibināt sadarbību; iepazīties ar Trondelāgu."]
results = ["Parakstīts nodomu protokols."]
"""


def with_project(text: str = PROJECT):
    return append("visit.toml", text)


def notes_of(problems) -> list[str]:
    return [str(p) for p in problems if not p.is_error]


def test_project_table_is_read_into_the_visit(tmp_path):
    visit = load_visit(tiny_copy(tmp_path, with_project()))
    assert visit.project == Project(
        title="Pieredzes apmaiņas brauciens uz Trondelāgu",
        applicant="Latgales plānošanas reģions",
        period_from=date(2009, 8, 1),
        period_to=date(2009, 10, 31),
        aims=(
            "Uzlabot publiskā sektora pakalpojumu kvalitāti, veicinot pieredzes apmaiņu.",
            "Nodibināt sadarbību; iepazīties ar Trondelāgu.",
        ),
        results=("Parakstīts nodomu protokols.",),
    )


def test_a_visit_without_project_table_has_no_project(tmp_path):
    assert load_visit(tiny_copy(tmp_path)).project is None


def test_project_problems_are_reported_all_at_once(tmp_path):
    bad = (
        PROJECT.replace("period_to = 2009-10-31", "period_to = 2009-07-31")
        .replace('applicant = "Latgales', 'applicant = "Lat\\u0007gales')
        .replace('results = ["Parakstīts nodomu protokols."]', "results = [1, [2]]")
    )
    visit, problems = read_visit(tiny_copy(tmp_path, with_project(bad)))
    assert visit is None
    errors = errors_of(problems)
    assert any("project.period_to: 2009-07-31 is before project.period_from" in e for e in errors)
    assert any("project.applicant: control character U+0007" in e for e in errors)
    assert any("project.results: must be a list of texts" in e for e in errors)
    assert all(e.startswith("visit.toml:") for e in errors)


def test_an_overlong_aim_is_invalid(tmp_path):
    long_aim = PROJECT.replace("Nodibināt sadarbību", "x" * 2_001)
    _, problems = read_visit(tiny_copy(tmp_path, with_project(long_aim)))
    assert any("project.aims: 2,0" in e and "more than 2,000" in e for e in errors_of(problems))


def test_a_project_period_that_misses_the_trip_is_a_note(tmp_path):
    early = PROJECT.replace("period_to = 2009-10-31", "period_to = 2009-08-25")
    visit, problems = read_visit(tiny_copy(tmp_path, with_project(early)))
    assert visit is not None
    (note,) = notes_of(problems)
    assert "project.period_to: 2009-08-25 is before the trip's last day 2009-08-27" in note


def test_outcome_is_read_with_its_line_breaks(tmp_path):
    folder = tiny_copy(
        tmp_path,
        replace("sessions.csv", "status,description", "status,description,outcome"),
        replace(
            "sessions.csv",
            "confirmed,Sveiki Trøndelagā",
            'confirmed,Sveiki Trøndelagā,"Nodomu protokols parakstīts;\nnākamie soļi"',
        ),
    )
    visit, problems = read_visit(folder)
    assert errors_of(problems) == []
    assert visit.session("welcome").outcome == "Nodomu protokols parakstīts;\nnākamie soļi"
    assert visit.session("ntnu-edu").outcome == ""


def test_a_control_character_in_an_outcome_is_invalid(tmp_path):
    folder = tiny_copy(
        tmp_path,
        replace("sessions.csv", "status,description", "status,description,outcome"),
        replace("sessions.csv", "confirmed,Sveiki Trøndelagā", "confirmed,Sveiki,bad\x1bvalue"),
    )
    _, problems = read_visit(folder)
    assert any("outcome: control character U+001B" in e for e in errors_of(problems))


def test_the_workbook_form_carries_the_project_with_commas_in_its_texts(tmp_path):
    folder = tiny_copy(tmp_path, with_project())
    workbook = write_visit_workbook(folder, tmp_path / "book" / "visit.xlsx")
    assert load_visit(workbook).project == load_visit(folder).project


def test_seed_visits_carry_their_projects_and_the_memorandum():
    latgale = load_visit(DATA / "latgale-trondelag-2009")
    vidzeme = load_visit(DATA / "vidzeme-ostfold-2009")
    assert latgale.project.applicant == "Latgales plānošanas reģions"
    assert len(latgale.project.aims) == 4 and len(latgale.project.results) == 6
    assert any("nodomu protokol" in result for result in latgale.project.results)
    assert latgale.session("sign").outcome.startswith("Memorandum of intent")
    assert vidzeme.project.period_from == date(2009, 7, 1)
    assert vidzeme.project.period_to == date(2009, 12, 31)
    assert len(vidzeme.project.results) == 3
    for visit in (latgale, vidzeme):
        assert visit.project.period_from <= visit.depart_day <= visit.return_day
        assert visit.return_day <= visit.project.period_to
