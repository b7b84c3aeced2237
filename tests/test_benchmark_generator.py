"""The benchmark generator (scripts/benchmark.py) writes valid, reproducible visits."""

from __future__ import annotations

import importlib.util
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from visitplan.check import check_plan
from visitplan.read import read_visit

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "benchmark.py"
FILES = (
    "visit.toml",
    "delegates.csv",
    "hosts.csv",
    "sessions.csv",
    "availability.csv",
    "travel.csv",
)


@pytest.fixture(scope="module")
def benchmark():
    spec = importlib.util.spec_from_file_location("visitplan_benchmark_script", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.modules.pop(spec.name, None)


def test_size_s_reads_without_problems(benchmark, tmp_path):
    folder = benchmark.generate("S", 7, tmp_path / "s")
    visit, problems = read_visit(folder)
    assert [str(p) for p in problems] == []
    assert visit is not None
    assert (len(visit.delegates), len(visit.sessions), len(visit.hosts), len(visit.days)) == (
        20,
        30,
        8,
        5,
    )
    assert visit.timezone == "Europe/Oslo"
    assert all(day.date.year == 2027 for day in visit.days)
    assert visit.transport.vehicles == 3  # ceil(20 / 8)
    assert visit.transport.seats == 16 and visit.transport.reserved_seats == 1
    assert visit.lunch is not None and visit.lunch.minutes == 45


def test_no_fleet_limit_leaves_the_vehicles_out_and_keeps_the_rest(benchmark, tmp_path):
    """``--delegates-per-vehicle 0``: a visit as the issue's held-out one, vehicles
    unlimited; every other file the same bytes as with a fleet."""
    limited = benchmark.generate("S", 7, tmp_path / "fleet")
    free = benchmark.generate("S", 7, tmp_path / "free", delegates_per_vehicle=0)
    visit, problems = read_visit(free)
    assert [str(p) for p in problems] == []
    assert visit.transport.vehicles is None and visit.transport.seats == 16
    for name in FILES:
        if name != "visit.toml":
            assert (free / name).read_bytes() == (limited / name).read_bytes(), name
    with pytest.raises(SystemExit):
        benchmark._parse(["--delegates-per-vehicle", "-1"])
    assert benchmark._parse(["--delegates-per-vehicle", "0"]).delegates_per_vehicle == 0


def test_size_s_has_the_promised_structure(benchmark, tmp_path):
    visit, _ = read_visit(benchmark.generate("S", 7, tmp_path / "s"))
    alls = [s for s in visit.sessions if s.audience == "all"]
    assert len(alls) == len(visit.days)  # one a day
    assert sorted(s.pin_date for s in alls) == [day.date for day in visit.days]
    assert any(s.required for s in visit.sessions if s.audience == "choice")
    assert all(45 <= s.minutes <= 120 and s.minutes % 15 == 0 for s in visit.sessions)
    topics = {t for s in visit.sessions for t in s.topics}
    assert 1 < len(topics) <= 10
    assert all(2 <= len(d.interests) <= 4 for d in visit.delegates)
    assert all(1 <= w <= 10 for d in visit.delegates for _t, w in d.interests)
    assert all(1 <= h.rooms <= 3 for h in visit.hosts)
    assert visit.windowed_hosts and len(visit.windowed_hosts) < len(visit.hosts)
    assert sum(d.arrives is not None for d in visit.delegates) == 1  # 5 % of 20


def test_same_seed_same_bytes(benchmark, tmp_path):
    first = benchmark.generate("S", 3, tmp_path / "a")
    second = benchmark.generate("S", 3, tmp_path / "b")
    for name in FILES:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    other = benchmark.generate("S", 4, tmp_path / "c")
    assert (other / "sessions.csv").read_bytes() != (first / "sessions.csv").read_bytes()


def assert_read_as_promised(visit, problems, size) -> None:
    """The reader takes the generated visit as it is, with the size's counts."""
    assert [str(p) for p in problems] == []
    counts = (len(visit.delegates), len(visit.sessions), len(visit.hosts), len(visit.days))
    assert counts == (size.delegates, size.sessions, size.hosts, size.days)


@pytest.mark.parametrize("name", ["M", "L"])
def test_larger_sizes_read_without_problems(benchmark, tmp_path, name):
    size = benchmark.SIZES[name]
    visit, problems = read_visit(benchmark.generate(size, 1, tmp_path / name))
    assert_read_as_promised(visit, problems, size)


def test_tiny_visit_solves_and_passes_check(benchmark, tmp_path):
    from visitplan.solve import SolveOptions, solve

    tiny = benchmark.Size("tiny", delegates=4, sessions=4, hosts=2, days=1)
    visit, problems = read_visit(benchmark.generate(tiny, 1, tmp_path / "tiny"))
    assert [str(p) for p in problems] == []
    plan, report = solve(
        visit,
        SolveOptions(workers=1, deterministic_time=2.0),
        datetime(2027, 1, 1, tzinfo=UTC),
    )
    assert plan is not None, report
    assert [str(v) for v in check_plan(visit, plan)] == []


# -- the block family (issue 18) ----------------------------------------------------


def test_block_family_same_seed_same_bytes(benchmark, tmp_path):
    first = benchmark.generate_blocks("S", 3, tmp_path / "a")
    second = benchmark.generate_blocks("S", 3, tmp_path / "b")
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in second.iterdir())
    assert "availability.csv" in names and "travel.csv" not in names
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    other = benchmark.generate_blocks("S", 4, tmp_path / "c")
    assert (other / "sessions.csv").read_bytes() != (first / "sessions.csv").read_bytes()


def test_block_family_s_has_the_promised_structure(benchmark, tmp_path):
    from visitplan.model import BASE
    from visitplan.timegrid import minute_of
    from visitplan.travel import TravelTable

    visit, problems = read_visit(benchmark.generate_blocks("S", 7, tmp_path / "s"))
    assert [str(p) for p in problems] == []
    assert (len(visit.delegates), len(visit.sessions), len(visit.hosts), len(visit.days)) == (
        20,
        30,
        8,
        5,
    )
    assert visit.lunch is None and not visit.transport.numbered
    assert visit.objective_order[0] == "interest"
    assert all(s.audience == "choice" and s.minutes == 90 for s in visit.sessions)
    assert all(s.pin_date is None and s.pin_start is None for s in visit.sessions)
    assert all(1 <= h.rooms <= 2 for h in visit.hosts)
    assert visit.windowed_hosts == {h.id for h in visit.hosts}
    spans = {(minute_of(w.start), minute_of(w.end)) for w in visit.windows}
    assert spans <= {(510, 990), (510, 720), (780, 990)}  # whole day, morning, afternoon
    frames = {(minute_of(d.day_start), minute_of(d.day_end)) for d in visit.days}
    assert frames == {(480, 1020)}
    # any two places within the shortest gap, from 08:00 to the first block, and back
    travel = TravelTable(visit)
    places = [BASE, *(h.id for h in visit.hosts)]
    assert max(travel.vehicle(a, b) for a in places for b in places) <= 30


@pytest.mark.parametrize("name", ["M", "L"])
def test_block_family_larger_sizes_read_without_problems(benchmark, tmp_path, name):
    size = benchmark.SIZES[name]
    visit, problems = read_visit(benchmark.generate_blocks(size, 1, tmp_path / name))
    assert_read_as_promised(visit, problems, size)
    assert any(d.must_attend for d in visit.delegates)
    assert any(d.arrives for d in visit.delegates) and any(d.departs for d in visit.delegates)


def test_block_family_m_reads_back_through_the_script(benchmark, tmp_path, capsys):
    code = benchmark.main(
        ["--family", "blocks", "--sizes", "M", "--no-solve", "--out", str(tmp_path)]
    )
    assert code == 0
    table = capsys.readouterr().out
    header, _rule, row = table.splitlines()[:3]
    assert "planner" in header
    assert row.startswith("| M | visitplan | 200 | 150 | 40 | 5 | generated |")
    assert (tmp_path / "M" / "visit.toml").read_text(encoding="utf-8").count("[lunch]") == 0


def test_the_table_names_the_planner_and_marks_goals_not_reached(benchmark):
    row = {
        "size": "S",
        "planner": "reference",
        "delegates": 20,
        "sessions": 30,
        "hosts": 8,
        "days": 5,
        "status": "FEASIBLE",
        "goals": {"fairness": 48, "interest": 1331, "optional": 0},
        "goal_bounds": {"interest": 1400},
        "unsettled": ["interest", "fairness", "optional"],
    }
    cells = benchmark._row(row)
    assert cells[1] == "reference"
    assert cells[12] == "48 (?) / 1331 (1400) / 0 (?)"
