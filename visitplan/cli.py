"""The ``visitplan`` command: validate, plan, check, costs, template, convert.

Exit status (spec section 2): 0 done; 1 anything else (for ``check``: the
plan breaks a rule); 2 invalid input, nothing written; 3 no plan can satisfy
the rules; 4 no plan found within the time limit.
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

EXIT_OK, EXIT_ERROR, EXIT_INVALID, EXIT_INFEASIBLE, EXIT_TIMEOUT = 0, 1, 2, 3, 4

BUNDLED = "latgale-trondelag-2009"


def bundled_visit() -> Path:
    """The bundled Latgale visit: inside the package when installed, else the repo's data/."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "bundled" / BUNDLED, here.parent / "data" / BUNDLED):
        if (candidate / "visit.toml").is_file():
            return candidate
    raise FileNotFoundError(f"the bundled visit {BUNDLED} is not installed")


def _load(path: Path):
    """The visit, or None after printing every problem (exit 2)."""
    from .read import read_visit

    visit, problems = read_visit(path)
    errors = [p for p in problems if p.severity == "error"]
    for problem in problems:
        prefix = "" if problem.severity == "error" else "note: "
        print(f"{prefix}{problem}", file=sys.stderr)
    if errors or visit is None:
        print(f"{len(errors)} problem(s) in {path}; nothing written", file=sys.stderr)
        return None
    return visit


def _read_plan(path: str, prefix: str = ""):
    """The plan in a plan folder (or plan.json), or None after saying why not."""
    from .plan import PlanFormatError, load_plan

    try:
        return load_plan(path)
    except (OSError, PlanFormatError) as error:
        print(f"error: {prefix}{error}", file=sys.stderr)
        return None


def cmd_validate(args) -> int:
    from .preflight import summary, warnings

    visit = _load(Path(args.visit))
    if visit is None:
        return EXIT_INVALID
    for line in summary(visit):
        print(line)
    for line in warnings(visit):
        print(f"warning: {line}")
    return EXIT_OK


def _issued(text: str | None) -> datetime:
    if text is None:
        return datetime.now(UTC).replace(microsecond=0)
    try:
        return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        raise SystemExit(f"--issued: {text!r} is not YYYY-MM-DDTHH:MM:SSZ") from None


def _options(args, previous=None):
    from .solve import SolveOptions

    return SolveOptions(
        time_limit=args.time_limit,
        seed=args.seed,
        workers=args.workers,
        deterministic_time=args.deterministic_time,
        progress=not args.quiet and sys.stderr.isatty(),
        previous=previous,
    )


def _target_ok(out: Path) -> bool:
    from .outputs import OutputError, check_target

    try:
        check_target(out)
    except OutputError as error:
        print(f"error: {error}", file=sys.stderr)
        return False
    return True


def _solved(visit, options, args, verb: str):
    """The plan, or the exit status after saying why there is none (3 or 4)."""
    from .solve import solve

    plan, report = solve(visit, options, _issued(args.issued))
    if report.status == "INFEASIBLE":
        print(f"{visit.id} cannot be {verb}:", file=sys.stderr)
    elif plan is None:
        print(
            f"no plan found for {visit.id} within the time limit ({args.time_limit} s):",
            file=sys.stderr,
        )
    for line in report.diagnosis if plan is None else ():
        print(f"  {line}", file=sys.stderr)
    if plan is None:
        return EXIT_INFEASIBLE if report.status == "INFEASIBLE" else EXIT_TIMEOUT
    return plan


def cmd_plan(args) -> int:
    visit = _load(Path(args.visit) if args.visit else bundled_visit())
    if visit is None:
        return EXIT_INVALID
    out = Path(args.out) if args.out else Path("out") / visit.id
    if not _target_ok(out):
        return EXIT_ERROR
    if not args.quiet:
        print(
            f"planning {visit.id}: {len(visit.delegates)} delegates, {len(visit.sessions)} sessions",
            file=sys.stderr,
        )
    plan = _solved(visit, _options(args), args, "planned")
    if isinstance(plan, int):
        return plan
    _write(visit, plan, out, pages=not args.no_site)
    report = plan.report
    print(f"{report.status} plan in {report.seconds:.1f} s{_gap_words(report)}: {out}")
    _print_goals(report)
    return EXIT_OK


def _gap_words(report) -> str:
    """The gap an organiser can read: that of the first goal not proven best.

    The report's ``gap`` weighs the goals into one number, where the first goal
    dominates: Latgale at 10 s is 0.01% off by it while its interest is 6% below
    its bound.  It is named only when every goal with a bound is proven."""
    for name, value in report.goals.items():
        bound = report.goal_bounds.get(name)
        if bound is not None and bound != value:
            share = abs(bound - value) / max(1, abs(bound), abs(value))
            return f", {name} gap {share:.1%}"
    return "" if report.gap is None else f", gap {report.gap:.2%}"


GOAL_WORDS = {
    "changed_delegates": "delegates whose programme the re-plan changes",
    "changes": "attendances changed and sessions moved",
    "fairness": "least share of their interest a delegate gets, per mille",
    "interest": "Σ weights of the topics delegates get",
    "optional": "optional sessions left out",
    "vehicle_minutes": "minutes the vehicles drive, for this schedule",
    "rider_minutes": "minutes delegates ride, for this schedule",
    "idle_minutes": "idle minutes in delegates' days, for this schedule",
}
"""What each goal of the spec's section 4 counts, for the organiser reading the run."""


def _print_goals(report) -> None:
    """Each goal's value and what it counts; for a goal with a bound, whether it is
    proven or the best it could be.  The ride goals have none: they are minimised
    after the schedule, for it."""
    lines = []
    for name, value in report.goals.items():
        bound = report.goal_bounds.get(name)
        if bound is None:
            status = ""
        elif bound == value:
            status = " (proven best)"
        else:
            status = f" (could be {bound})"
        lines.append((f"  {name}: {value}{status}", GOAL_WORDS.get(name, "")))
    width = max((len(text) for text, _ in lines), default=0)
    for text, words in lines:
        print(f"{text:<{width}}   {words}".rstrip())


def cmd_replan(args) -> int:
    from dataclasses import replace

    from .changes import diff, summary
    from .solve.continuity import Previous

    visit = _load(Path(args.visit))
    if visit is None:
        return EXIT_INVALID
    old = _read_plan(args.previous, "--previous: ")
    if old is None:
        return EXIT_ERROR
    if old.visit_id != visit.id:
        print(f"error: --previous holds a plan of {old.visit_id}, not {visit.id}", file=sys.stderr)
        return EXIT_ERROR
    freeze = None
    if args.freeze_before:
        try:
            freeze = datetime.strptime(args.freeze_before, "%Y-%m-%d %H:%M").replace(
                tzinfo=ZoneInfo(visit.timezone)
            )
        except ValueError:
            print(
                f"--freeze-before: {args.freeze_before!r} is not YYYY-MM-DD HH:MM", file=sys.stderr
            )
            return EXIT_INVALID
    out = Path(args.out)
    if not _target_ok(out):
        return EXIT_ERROR
    plan = _solved(visit, _options(args, Previous(old, freeze)), args, "re-planned")
    if isinstance(plan, int):
        return plan
    plan = replace(plan, changes=diff(visit, old, visit, plan))
    _write(visit, plan, out, previous=Path(args.previous), pages=not args.no_site)
    print(f"{plan.report.status} re-plan in {plan.report.seconds:.1f} s: {out}")
    for line in summary(plan.changes):
        print(line)
    _print_goals(plan.report)
    return EXIT_OK


def _write(visit, plan, out: Path, previous: Path | None = None, pages: bool = True) -> None:
    """Write the plan folder; an output skipped for a missing program is one warning line."""
    from .outputs import write_outputs

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", RuntimeWarning)
        write_outputs(visit, plan, out, previous=previous, pages=pages)
    for warning in caught:
        print(f"warning: {warning.message}", file=sys.stderr)


def cmd_show(args) -> int:
    from .export.site import show

    return show(args.plan_dir)


def cmd_check(args) -> int:
    from .check import check_plan

    visit = _load(Path(args.visit))
    if visit is None:
        return EXIT_INVALID
    plan = _read_plan(args.plan)
    if plan is None:
        return EXIT_ERROR
    violations = check_plan(visit, plan)
    for violation in violations:
        print(violation)
    if violations:
        print(f"{len(violations)} violation(s)", file=sys.stderr)
        return EXIT_ERROR
    print(
        f"the plan keeps every rule ({len(plan.assignments)} attendances, {len(plan.legs)} ride legs)"
    )
    return EXIT_OK


def cmd_costs(args) -> int:
    from .costs import compute_costs

    visit = _load(Path(args.visit))
    if visit is None:
        return EXIT_INVALID
    if not visit.costs:
        print(f"{args.visit} has no costs.csv", file=sys.stderr)
        return EXIT_ERROR
    summary = compute_costs(visit)
    cur = summary.currency
    rows = [
        (c.line.id, c.line.category, c.line.basis, f"{c.quantity}", f"{c.amount:,.2f}")
        for c in summary.lines
    ]
    widths = [
        max(len(r[i]) for r in [("line", "category", "basis", "qty", "amount"), *rows])
        for i in range(5)
    ]
    header = ("line", "category", "basis", "qty", f"amount {cur}")
    print(
        "  ".join(
            h.ljust(w) if i < 4 else h.rjust(w)
            for i, (h, w) in enumerate(zip(header, widths, strict=True))
        )
    )
    for row in rows:
        print(
            "  ".join(
                v.ljust(w) if i < 4 else v.rjust(w)
                for i, (v, w) in enumerate(zip(row, widths, strict=True))
            )
        )
    print()
    print(f"total cost      {summary.total_cost:>14,.2f} {cur}")
    print(f"grant share     {summary.grant_share:>14,.2f} {cur}")
    print(f"co-financing    {summary.cofinancing:>14,.2f} {cur}")
    if summary.budget_remaining is not None:
        print(f"budget remaining{summary.budget_remaining:>14,.2f} {cur}")
    return EXIT_OK


def cmd_template(args) -> int:
    from .export.visit_workbook import write_template

    write_template(Path(args.out))
    print(f"wrote {args.out}")
    return EXIT_OK


def cmd_convert(args) -> int:
    from .export.visit_workbook import write_visit_workbook

    if _load(Path(args.visit)) is None:
        return EXIT_INVALID
    write_visit_workbook(Path(args.visit), Path(args.out))
    print(f"wrote {args.out}")
    return EXIT_OK


def cmd_publish(args) -> int:
    from .publish import PublishError, publish

    password = None
    if args.password_env:
        password = os.environ.get(args.password_env)
        if password is None:
            print(f"error: environment variable {args.password_env} is not set", file=sys.stderr)
            return EXIT_INVALID
    try:
        report = publish(args.plan_dir, args.caldav, args.user, password)
    except PublishError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_ERROR
    for line in report.lines():
        print(line)
    return EXIT_OK


def _solve_arguments(p: argparse.ArgumentParser) -> None:
    """The options `plan` and `replan` share: limits, seed, workers, issue time, output."""
    p.add_argument("--time-limit", type=float, default=60.0, help="seconds (default 60)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--workers", type=int, default=2, help="CP-SAT workers (default 2)")
    p.add_argument(
        "--deterministic-time",
        type=float,
        metavar="UNITS",
        help="limit each solve by CP-SAT's deterministic time instead of seconds: with "
        "--workers 1 and --issued, a rerun writes the same plan (only the measured "
        "seconds in plan.json differ); for small visits, it skips the large-visit shortcuts",
    )
    p.add_argument("--issued", help="issue time YYYY-MM-DDTHH:MM:SSZ (default: now)")
    p.add_argument("--quiet", action="store_true", help="no progress line")
    p.add_argument("--no-site", action="store_true", help="skip site/ and programme.pdf")


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="visitplan", description="Plan study visits of delegations.")
    sub = top.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="read a visit and list its problems, or summarise it")
    p.add_argument("visit", help="visit folder or visit.xlsx")
    p.set_defaults(run=cmd_validate)

    p = sub.add_parser("plan", help="plan a visit and write the plan folder")
    p.add_argument(
        "visit", nargs="?", help="visit folder or visit.xlsx (default: the bundled Latgale visit)"
    )
    p.add_argument("--out", help="plan folder (default: out/<visit id>)")
    _solve_arguments(p)
    p.set_defaults(run=cmd_plan)

    p = sub.add_parser(
        "show", help="open the plan's site/index.html in a browser, or print its path"
    )
    p.add_argument("plan_dir", help="plan folder written by `visitplan plan`")
    p.set_defaults(run=cmd_show)

    p = sub.add_parser("replan", help="plan a changed visit, changing as little as possible")
    p.add_argument("visit", help="the changed visit folder or visit.xlsx")
    p.add_argument("--previous", required=True, help="the plan folder now out")
    p.add_argument("--out", required=True, help="the new plan folder (may be --previous)")
    p.add_argument(
        "--freeze-before",
        metavar="'YYYY-MM-DD HH:MM'",
        help="everything that started before this stays as it was",
    )
    _solve_arguments(p)
    p.set_defaults(run=cmd_replan)

    p = sub.add_parser(
        "check", help="verify a plan against every rule, independently of the solver"
    )
    p.add_argument("visit")
    p.add_argument("plan", help="plan folder or plan.json")
    p.set_defaults(run=cmd_check)

    p = sub.add_parser("publish", help="put every itinerary on a CalDAV server (live updates)")
    p.add_argument("plan_dir", help="plan folder written by `visitplan plan`")
    p.add_argument(
        "--caldav", required=True, metavar="URL", help="collection under which <visit id>/ is made"
    )
    p.add_argument("--user")
    p.add_argument(
        "--password-env", metavar="VAR", help="environment variable holding the password"
    )
    p.set_defaults(run=cmd_publish)

    p = sub.add_parser("costs", help="print the budget summary of a visit")
    p.add_argument("visit")
    p.set_defaults(run=cmd_costs)

    p = sub.add_parser("template", help="write the blank input workbook")
    p.add_argument("out", help="e.g. visit.xlsx")
    p.set_defaults(run=cmd_template)

    p = sub.add_parser("convert", help="write a visit folder as one visit.xlsx")
    p.add_argument("visit")
    p.add_argument("out")
    p.set_defaults(run=cmd_convert)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except KeyboardInterrupt:
        print("interrupted; nothing written", file=sys.stderr)
        return EXIT_ERROR
