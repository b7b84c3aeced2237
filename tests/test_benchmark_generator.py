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


@pytest.mark.parametrize("name", ["M", "L"])
def test_larger_sizes_read_without_problems(benchmark, tmp_path, name):
    size = benchmark.SIZES[name]
    visit, problems = read_visit(benchmark.generate(size, 1, tmp_path / name))
    assert [str(p) for p in problems] == []
    assert (len(visit.delegates), len(visit.sessions), len(visit.hosts), len(visit.days)) == (
        size.delegates,
        size.sessions,
        size.hosts,
        size.days,
    )


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
