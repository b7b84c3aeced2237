"""Text from the input keeps spec "Ranges and text": no control characters, no
line break in a one-line value, bounded lengths, and messages that quote at most
60 characters with control characters escaped (issue 15 items 5, 6 and 18)."""

from __future__ import annotations

from pathlib import Path

import pytest

from visitplan.cli import main
from visitplan.read import Problem, load_visit, read_visit

from .test_read import TINY, build_workbook, errors_of, replace, tiny_copy, tiny_workbook

COLLAPSED = "line break or tab replaced by a space"


def notes_of(problems: list[Problem]) -> list[str]:
    return [str(problem) for problem in problems if not problem.is_error]


# -- item 5: line breaks and tabs in one-line values ---------------------------------

ONE_LINE = [
    (
        "delegate name",
        replace("delegates.csv", "d1,Jānis Bērziņš,", 'd1,"Jānis\r\nBērziņš",'),
        "delegates.csv:2: name:",
        lambda visit: visit.delegate("d1").name == "Jānis Bērziņš",
    ),
    (
        "organisation",
        replace("delegates.csv", "Daugavpils City Council", '"Daugavpils\nCity  \n Council"'),
        "delegates.csv:2: organisation:",
        lambda visit: visit.delegate("d1").organisation == "Daugavpils City Council",
    ),
    (
        "host name",
        replace("hosts.csv", "NTNU Gløshaugen", '"NTNU\nGløshaugen"'),
        "hosts.csv:2: name:",
        lambda visit: visit.host("ntnu").name == "NTNU Gløshaugen",
    ),
    (
        "host address with a tab",
        replace("hosts.csv", "Høgskoleringen 1", "Høgskoleringen\t1"),
        "hosts.csv:2: address:",
        lambda visit: visit.host("ntnu").address == "Høgskoleringen 1",
    ),
    (
        "session title",
        replace("sessions.csv", "Welcome and programme", '"Welcome\nand programme"'),
        "sessions.csv:2: title:",
        lambda visit: visit.session("welcome").title == "Welcome and programme",
    ),
    (
        "visit title",
        replace("visit.toml", 'a tiny visit to Trøndelag"', 'a tiny visit\\nto Trøndelag"'),
        "visit.toml:3: title:",
        lambda visit: visit.title == "Latgales plānošanas reģions: a tiny visit to Trøndelag",
    ),
    (
        "short title",
        replace("visit.toml", 'short_title = "Trøndelag"', 'short_title = "Trøndelag\\n2009"'),
        "visit.toml:4: short_title:",
        lambda visit: visit.short_title == "Trøndelag 2009",
    ),
    (
        "base address",
        replace("visit.toml", "Havnegata 1-3, 7010", "Havnegata 1-3,\\n7010"),
        "visit.toml:28: base.address:",
        lambda visit: visit.base.address == "Havnegata 1-3, 7010 Trondheim",
    ),
]


@pytest.mark.parametrize(
    ("edit", "where", "collapsed"), [pytest.param(e, w, c, id=n) for n, e, w, c in ONE_LINE]
)
def test_a_line_break_in_a_one_line_value_becomes_a_space_with_a_warning(
    tmp_path, edit, where, collapsed
):
    visit, problems = read_visit(tiny_copy(tmp_path, edit))
    assert errors_of(problems) == []
    assert notes_of(problems) == [f"{where} {COLLAPSED}"]
    assert collapsed(visit)


def test_descriptions_and_needs_keep_their_line_breaks(tmp_path):
    folder = tiny_copy(
        tmp_path,
        replace("sessions.csv", "Sveiki Trøndelagā", '"Sveiki\r\nTrøndelagā,\tdraugi"'),
    )
    visit, problems = read_visit(folder)
    assert problems == []
    assert visit.session("welcome").description == "Sveiki\nTrøndelagā,\tdraugi"
    assert visit.delegate("d1").needs == "vegetarian;\nneeds a step-free entrance"


def test_a_line_break_in_an_id_leaves_an_invalid_id(tmp_path):
    visit, problems = read_visit(tiny_copy(tmp_path, replace("delegates.csv", "d3,", '"d\n3",')))
    assert visit is None
    assert errors_of(problems) == [
        "delegates.csv:6: id: 'd 3' is not an id: use letters A-Z, digits, _ and -"
    ]


def test_a_line_break_typed_into_a_workbook_cell_becomes_a_space(tmp_path):
    folder = tiny_copy(tmp_path, replace("hosts.csv", "NTNU Gløshaugen", '"NTNU\nGløshaugen"'))
    build_workbook(folder, tmp_path / "visit.xlsx")
    visit, problems = read_visit(tmp_path / "visit.xlsx")
    assert notes_of(problems) == [f"visit.xlsx[hosts]:2: name: {COLLAPSED}"]
    assert visit.host("ntnu").name == "NTNU Gløshaugen"


# -- item 6: control characters and lengths ------------------------------------------

INVALID_TEXT = [
    (
        "bell in the visit title",
        replace("visit.toml", 'a tiny visit to Trøndelag"', 'a tiny\\u0007 visit to Trøndelag"'),
        "visit.toml:3: title: control character U+0007 at character 36 of "
        "'Latgales plānošanas reģions: a tiny\\x07 visit to Trøndelag'",
    ),
    (
        "escape in a session title",
        replace("sessions.csv", "Welcome and programme", "Welcome \x1b[31mand programme"),
        "sessions.csv:2: title: control character U+001B at character 9 of "
        "'Welcome \\x1b[31mand programme'",
    ),
    (
        "delete in a delegate name",
        replace("delegates.csv", "Jānis Bērziņš", "Jānis\x7fBērziņš"),
        "delegates.csv:2: name: control character U+007F at character 6 of 'Jānis\\x7fBērziņš'",
    ),
    (
        "NUL in a description",
        replace("sessions.csv", "Sveiki Trøndelagā", "Sveiki\x00Trøndelagā"),
        "sessions.csv:2: description: control character U+0000 at character 7 of "
        "'Sveiki\\x00Trøndelagā'",
    ),
    (
        "unit separator at the end of a cell",
        replace("hosts.csv", "Stjørdal kommune,", "Stjørdal kommune\x1f,"),
        "hosts.csv:3: name: control character U+001F at character 17 of 'Stjørdal kommune\\x1f'",
    ),
    (
        "a name of 2,001 characters",
        replace("delegates.csv", "Jānis Bērziņš", "J" * 2_001),
        f"delegates.csv:2: name: 2,001 characters, more than 2,000: '{'J' * 60}…'",
    ),
    (
        "a description of 10,001 characters",
        replace("sessions.csv", "Sveiki Trøndelagā", "S" * 10_001),
        f"sessions.csv:2: description: 10,001 characters, more than 10,000: '{'S' * 60}…'",
    ),
]


@pytest.mark.parametrize(
    ("edit", "expected"), [pytest.param(e, x, id=name) for name, e, x in INVALID_TEXT]
)
def test_a_control_character_or_an_overlong_value_is_invalid(tmp_path, edit, expected):
    visit, problems = read_visit(tiny_copy(tmp_path, edit))
    assert visit is None
    assert errors_of(problems) == [expected]


def test_a_description_of_10000_characters_is_valid(tmp_path):
    folder = tiny_copy(tmp_path, replace("sessions.csv", "Sveiki Trøndelagā", "S" * 10_000))
    assert load_visit(folder).session("welcome").description == "S" * 10_000


# -- item 18: messages quote at most 60 characters, escaped -----------------------------


def test_a_message_quotes_at_most_60_characters_of_a_huge_value(tmp_path):
    huge = "ja" + "\x07" * 50 + "x" * 99_948
    bells = "\\x07" * 50
    folder = tiny_copy(
        tmp_path,
        replace("sessions.csv", ",yes,", f",{huge},"),
        replace("delegates.csv", "janis@example.lv", "y" * 1_999),
    )
    _, problems = read_visit(folder)
    errors = errors_of(problems)
    assert errors == [
        f"delegates.csv:2: email: '{'y' * 60}…' is not an email address",
        "sessions.csv:3: required: control character U+0007 at character 3 of "
        f"'ja{bells}{'x' * 8}…'",
    ]
    assert all(len(error) < 300 for error in errors)


def test_a_bad_value_under_its_limit_is_quoted_to_60_characters(tmp_path):
    folder = tiny_copy(tmp_path, replace("sessions.csv", ",yes,", f",{'maybe ' * 200},"))
    _, problems = read_visit(folder)
    assert errors_of(problems) == [
        f"sessions.csv:3: required: {('maybe ' * 10)[:60]}… is not yes or no"
    ]


def test_a_column_name_is_quoted_and_escaped_like_a_value(tmp_path):
    name = "park\x1bing" + "p" * 100
    folder = tiny_copy(tmp_path, replace("hosts.csv", ",phone\n", f",phone,{name}\n"))
    _, problems = read_visit(folder)
    assert [str(problem) for problem in problems] == [
        f"hosts.csv:1: park\\x1bing{'p' * 52}…: unknown column: ignored"
    ]


def test_validate_prints_no_raw_control_character(tmp_path, capsys):
    folder = tiny_copy(
        tmp_path,
        replace("sessions.csv", "Welcome and programme", "Welcome \x1b[2J\x07"),
        replace("delegates.csv", "Jānis Bērziņš", '"Jānis\nBērziņš"'),
    )
    assert main(["validate", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "sessions.csv:2: title: control character U+001B at character 9" in err
    assert f"note: delegates.csv:2: name: {COLLAPSED}" in err
    assert not any(char in err for char in "\x1b\x07\r")
    assert all(len(line) < 300 for line in err.splitlines())


# -- item 18: columns with an empty header ---------------------------------------------


def test_trailing_columns_with_empty_headers_are_ignored(tmp_path):
    def trailing_separators(folder: Path) -> None:
        path = folder / "hosts.csv"
        lines = path.read_text("utf-8").splitlines()
        path.write_text("\n".join(line + ",," for line in lines) + "\n", "utf-8")

    visit, problems = read_visit(tiny_copy(tmp_path, trailing_separators))
    assert problems == []
    assert visit == load_visit(TINY)


def test_a_value_under_an_empty_header_names_its_column(tmp_path):
    folder = tiny_copy(
        tmp_path,
        replace("hosts.csv", "address,lat", "address,,lat"),
        replace("hosts.csv", "Høgskoleringen 1,", "Høgskoleringen 1,,"),
        replace("hosts.csv", "Kjøpmannsgata 9,", "Kjøpmannsgata 9,parking,"),
    )
    _, problems = read_visit(folder)
    assert errors_of(problems) == ["hosts.csv:3: column 4 holds a value, but has no header"]


def test_a_cell_past_the_header_names_its_column(tmp_path):
    folder = tiny_copy(
        tmp_path,
        replace("hosts.csv", ",phone\n", ",phone,,\n"),
        replace("hosts.csv", "Ola Nordmann,,", "Ola Nordmann,,,,x"),
    )
    _, problems = read_visit(folder)
    assert errors_of(problems) == [
        "hosts.csv:3: more cells than the header's 9 columns: a value in column 11"
    ]


def test_workbook_columns_with_empty_headers_are_ignored_while_empty(tmp_path):
    path = tiny_workbook(tmp_path, "hosts", J1="", K1=" ", K2="")
    visit, problems = read_visit(path)
    assert problems == []
    assert visit == load_visit(TINY)


def test_a_workbook_value_under_an_empty_header_names_its_cell(tmp_path):
    _, problems = read_visit(tiny_workbook(tmp_path, "hosts", L3="parking"))
    assert errors_of(problems) == [
        "visit.xlsx[hosts]:3: cell L3 holds a value, but its column has no header"
    ]


# -- ids become file names: at most 64 characters ------------------------------------


def test_an_id_longer_than_64_characters_is_invalid(tmp_path: Path) -> None:
    long_id = "d" * 65
    folder = tiny_copy(tmp_path, replace("delegates.csv", "\nd1,", f"\n{long_id},"))
    assert any(
        line.startswith("delegates.csv:2: id:") and "at most 64" in line
        for line in errors_of(read_visit(folder)[1])
    )


def test_a_visit_id_longer_than_64_characters_is_invalid(tmp_path: Path) -> None:
    folder = tiny_copy(tmp_path, replace("visit.toml", 'id = "', 'id = "' + "x" * 60))
    problems = errors_of(read_visit(folder)[1])
    assert any("id:" in line and "at most 64" in line for line in problems)
