"""The ``visitplan`` command: validate, plan, replan, kit, show, check, publish, costs,
template, convert; and before and after the visit: survey, evaluation, actuals, report.

Exit status (spec section 2): 0 done; 1 anything else (for ``check``: the
plan breaks a rule); 2 invalid input, nothing written (for ``check``,
``replan``, ``show`` and ``publish`` also a plan folder that cannot be read);
3 no plan can satisfy the rules; 4 no plan found within the time limit.  Every
failure is one line or a list of problems, never a traceback; ``--help`` of
each command says which of these it uses.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import textwrap
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib import metadata
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
    """The plan in a plan folder (or plan.json), or None after saying in one line why
    there is none (the caller exits 2: its input cannot be read)."""
    from .plan import PlanFormatError, load_plan

    try:
        return load_plan(path)
    except PlanFormatError as error:
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


MAX_WORKERS = 64
DEFAULT_WORKERS_CAP = 8
"""More threads than this rarely help CP-SAT and cost memory per thread."""


def default_workers() -> int:
    """The cores this process may run on (a container's share, not the host's), at most
    DEFAULT_WORKERS_CAP: a bigger machine gives a better plan without a flag."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(DEFAULT_WORKERS_CAP, cores))


def _workers(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 1 <= value <= MAX_WORKERS:
        raise argparse.ArgumentTypeError(f"{value} is not between 1 and {MAX_WORKERS}")
    return value


def _options(args, previous=None):
    from .solve import SolveOptions

    return SolveOptions(
        time_limit=args.time_limit,
        seed=args.seed,
        workers=args.workers or default_workers(),
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
    except OSError as error:
        print(f"error: cannot use {out}: {_os_words(error)}", file=sys.stderr)
        return False
    return True


@contextmanager
def _ctrl_c_ends_the_run() -> Iterator[None]:
    """Ctrl-C while the visit is read or planned ends the run at once: exit 1, and
    nothing written, since nothing has been yet.

    CP-SAT takes SIGINT over during each search (a Ctrl-C would only cut that stage
    short, and the run would go on to write a plan), leaves it at the system's
    default afterwards (a Ctrl-C would then kill the process without a word), and
    its handler aborts the process when the signal reaches a thread other than the
    solving one.  So SIGINT is blocked from before the libraries start their threads
    (they inherit the block), and a watcher thread takes it.  Afterwards the handler
    that was there is back: a Ctrl-C while writing raises KeyboardInterrupt in the
    main thread, which removes the half-written staging folder (see ``outputs``).
    A run that started with SIGINT ignored (a background job) keeps ignoring it."""
    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not (
        threading.main_thread()
    ):
        yield
        return
    handler = signal.getsignal(signal.SIGINT)
    done = threading.Event()

    def watch() -> None:
        while True:
            signal.sigwait({signal.SIGINT})
            if done.is_set():
                return
            if handler is not signal.SIG_IGN:
                print("interrupted; nothing written", file=sys.stderr, flush=True)
                os._exit(EXIT_ERROR)

    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    watcher = threading.Thread(target=watch, name="ctrl-c", daemon=True)
    watcher.start()  # inherits the blocked SIGINT, as sigwait needs
    try:
        yield
    finally:
        done.set()
        signal.pthread_kill(watcher.ident, signal.SIGINT)  # wakes it to end
        watcher.join()
        if handler is not None:
            signal.signal(signal.SIGINT, handler)  # CP-SAT left the system default
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _solved(visit, options, args, verb: str):
    """The plan, or the exit status after saying why there is none (3 or 4)."""
    from .solve import solve

    plan, report = solve(visit, options, _issued(args.issued))
    if report.status == "INFEASIBLE":
        print(f"{visit.id} cannot be {verb}:", file=sys.stderr)
    elif plan is None:  # the diagnosis says why: the time limit, or rides the fleet cannot serve
        print(f"no plan found for {visit.id}:", file=sys.stderr)
    for line in report.diagnosis if plan is None else ():
        print(f"  {line}", file=sys.stderr)
    if plan is None:
        return EXIT_INFEASIBLE if report.status == "INFEASIBLE" else EXIT_TIMEOUT
    return plan


def cmd_plan(args) -> int:
    with _ctrl_c_ends_the_run():
        planned = _plan(args)
    if isinstance(planned, int):
        return planned
    visit, plan, out = planned
    source = Path(args.visit) if args.visit else bundled_visit()
    if not _write(visit, plan, out, pages=not args.no_site, source=source):
        return EXIT_ERROR
    _print_headline(plan.report, "plan", out)
    _print_goals(plan.report)
    return EXIT_OK


def _plan(args):
    """The visit, its plan and the plan folder, or the exit status after saying why not."""
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
        _print_advice(visit)
    plan = _solved(visit, _options(args), args, "planned")
    return plan if isinstance(plan, int) else (visit, plan, out)


def _print_advice(visit) -> None:
    """The advice ``validate`` gives (a late arrival who gets no lunch, a step-free
    delegate excused from a session), so an organiser who only plans sees it too."""
    from .preflight import warnings as advice

    for line in advice(visit):
        print(f"warning: {line}", file=sys.stderr)


def _print_headline(report, what: str, out: Path) -> None:
    """The line that says a plan was written: its status, time, workers and proof."""
    print(
        f"{report.status} {what} in {report.seconds:.1f} s on {report.workers} worker(s)"
        f"{_proof_words(report)}: {out}"
    )


def _proof_words(report) -> str:
    """How good the plan is proven to be, in the goals' own counts.

    The report's ``gap`` weighs the goals into one number, where the first goal
    dominates: Latgale at 10 s is 0.01% off by it while its interest is 6% below
    what it could be.  So the headline names the first goal not proven best and
    what it could be, as the goal lines below it do."""
    for name, value in report.goals.items():
        bound = report.goal_bounds.get(name)
        if bound is not None and bound != value:
            direction = "up to" if bound > value else "down to"
            return f", not proven best: {name} {value} could be {direction} {bound}"
    if report.status == "OPTIMAL" or report.goal_bounds:
        return ", proven best"
    return ", not proven best"


GOAL_WORDS = {
    "dropped": "sessions of the earlier plan left out, and attendees a moved one lost",
    "changed_delegates": "delegates still in the visit whose programme the re-plan changes",
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
    from .changes import summary

    with _ctrl_c_ends_the_run():
        planned = _replan(args)
    if isinstance(planned, int):
        return planned
    visit, plan, out = planned
    if not _write(
        visit,
        plan,
        out,
        previous=Path(args.previous),
        pages=not args.no_site,
        source=Path(args.visit),
    ):
        return EXIT_ERROR
    _print_headline(plan.report, "re-plan", out)
    for line in summary(plan.changes):
        print(line)
    for line in plan.report.diagnosis:  # sessions the re-plan left out, and why (continuity)
        if line.startswith("dropped: "):
            print(f"  {line}")
    _print_goals(plan.report)
    return EXIT_OK


def _replan(args):
    """The changed visit, its new plan with the changes, and the plan folder; or the
    exit status after saying why not."""
    from dataclasses import replace

    from .changes import diff, earlier_names
    from .solve.continuity import Previous

    visit = _load(Path(args.visit))
    if visit is None:
        return EXIT_INVALID
    old = _read_plan(args.previous, "--previous: ")
    if old is None:
        return EXIT_INVALID
    if old.visit_id != visit.id:
        print(
            f"error: --previous holds a plan of {old.visit_id!r}, not of {visit.id!r}",
            file=sys.stderr,
        )
        return EXIT_INVALID
    freeze = None
    if args.freeze_before:
        try:
            freeze = datetime.strptime(args.freeze_before, "%Y-%m-%d %H:%M").replace(
                tzinfo=ZoneInfo(visit.timezone)
            )
        except ValueError:
            print(
                f"error: --freeze-before: {args.freeze_before!r} is not YYYY-MM-DD HH:MM",
                file=sys.stderr,
            )
            return EXIT_INVALID
    out = Path(args.out)
    if not _target_ok(out):
        return EXIT_ERROR
    plan = _solved(visit, _options(args, Previous(old, freeze)), args, "re-planned")
    if isinstance(plan, int):
        return plan
    changes = diff(visit, old, visit, plan, earlier_names(args.previous))
    return visit, replace(plan, changes=changes), out


def _write(
    visit,
    plan,
    out: Path,
    previous: Path | None = None,
    pages: bool = True,
    source: Path | None = None,
) -> bool:
    """Write the plan folder, or say in one line why not (False); an output skipped for
    a missing program is one warning line.  Another run writing into ``out`` is waited
    for, and said so."""
    from .outputs import OutputError, write_outputs

    def waiting() -> None:
        print(f"waiting for another visitplan run to finish writing {out}", file=sys.stderr)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", RuntimeWarning)
        try:
            write_outputs(
                visit, plan, out, previous=previous, pages=pages, on_wait=waiting, source=source
            )
        except OutputError as error:
            print(f"error: {error}; nothing written", file=sys.stderr)
            return False
        except OSError as error:
            print(
                f"error: cannot write {out}: {_os_words(error)}; nothing written", file=sys.stderr
            )
            return False
    for warning in caught:
        print(f"warning: {warning.message}", file=sys.stderr)
    return True


def _os_words(error: OSError) -> str:
    """An OS error as an organiser reads it: what went wrong, and with which file."""
    reason = (error.strerror or type(error).__name__).lower()
    return f"{reason} ({error.filename})" if error.filename else reason


def cmd_kit(args) -> int:
    from .kit import NAMES
    from .outputs import OutputError, write_kit

    if args.only is not None and args.only not in NAMES:
        print(f"error: --only: {args.only!r} is not one of {', '.join(NAMES)}", file=sys.stderr)
        return EXIT_INVALID
    found = _plan_and_its_visit(args.plan_dir, args.visit)
    if found is None:
        return EXIT_INVALID
    plan, visit = found

    def waiting() -> None:
        print(
            f"waiting for another visitplan run to finish writing {args.plan_dir}", file=sys.stderr
        )

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", RuntimeWarning)
        try:
            written = write_kit(args.plan_dir, visit, plan, only=args.only, on_wait=waiting)
        except (OutputError, OSError) as error:
            reason = _os_words(error) if isinstance(error, OSError) else str(error)
            print(f"error: cannot write the kit: {reason}; nothing written", file=sys.stderr)
            return EXIT_ERROR
    for warning in caught:
        print(f"warning: {warning.message}", file=sys.stderr)
    print(f"kit written: {written}")
    return EXIT_OK


def cmd_report(args) -> int:
    from .report import EditedFiles, ReportError, write_report

    found = _plan_and_its_visit(args.plan_dir, args.visit)
    if found is None:
        return EXIT_INVALID
    plan, visit = found
    try:
        written = write_report(
            args.plan_dir,
            visit,
            plan,
            actuals=args.actuals,
            language=args.lang,
            out=args.out,
            force=args.force,
        )
    except ReportError as error:
        print(f"error: {error}; nothing written", file=sys.stderr)
        return EXIT_INVALID
    except EditedFiles as error:
        print(
            f"error: {error}; nothing written. To keep the edits, write the new report "
            "elsewhere with --out DIR (or move the file away); to replace it, run again "
            "with --force",
            file=sys.stderr,
        )
        return EXIT_ERROR
    except OSError as error:
        print(f"error: cannot write the report: {_os_words(error)}", file=sys.stderr)
        return EXIT_ERROR
    for path in written:
        print(f"written: {path}")
    return EXIT_OK


def cmd_survey(args) -> int:
    """Write the questionnaires, or (--collect) read them back into the visit."""
    from .survey import collect, write_in_place, write_new_visit, write_survey
    from .survey.folder import FolderError
    from .survey.summary import lines
    from .survey.write_visit import NewProblems

    source = Path(args.visit)
    visit = _load(source)
    if visit is None:
        return EXIT_INVALID
    if not args.collect:
        if len(args.paths) != 1 or args.out or args.in_place:
            print(
                "error: write the questionnaires with: visitplan survey VISIT OUT_DIR "
                "(--out and --in-place go with --collect)",
                file=sys.stderr,
            )
            return EXIT_INVALID
        try:
            out = write_survey(visit, args.paths[0])
        except (FolderError, OSError) as error:
            print(f"error: {error}; nothing written", file=sys.stderr)
            return EXIT_ERROR
        print(f"{len(visit.delegates)} questionnaire(s) and survey.csv written: {out}")
        return EXIT_OK
    if bool(args.out) == bool(args.in_place):
        print(
            "error: --collect writes into --out NEW_VISIT or, with --in-place, into the "
            "visit itself: give one of them",
            file=sys.stderr,
        )
        return EXIT_INVALID
    collected = collect(visit, args.paths)
    if collected.problems:
        for problem in collected.problems:
            print(problem, file=sys.stderr)
        count = len(collected.problems)
        print(f"{count} problem(s) in the answers; nothing written", file=sys.stderr)
        return EXIT_INVALID
    try:
        if args.in_place:
            written = write_in_place(source, visit, collected)
        else:
            written = write_new_visit(source, visit, collected, Path(args.out))
    except NewProblems as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(
            "the visit with these answers would not read as before; nothing written",
            file=sys.stderr,
        )
        return EXIT_INVALID
    except (FolderError, OSError) as error:
        print(f"error: {error}; nothing written", file=sys.stderr)
        return EXIT_ERROR
    for line in lines(collected):
        print(line)
    print(f"written: {written}")
    return EXIT_OK


def cmd_actuals(args) -> int:
    from .actuals import FILE, InvalidActuals, compare, read_actuals, summary_lines
    from .actuals.sheet import write

    found = _plan_and_its_visit(args.plan_dir, args.visit)
    if found is None:
        return EXIT_INVALID
    plan, visit = found
    source = Path(args.actuals)
    if not source.is_file():
        print(f"error: {source}: no such file; nothing written", file=sys.stderr)
        return EXIT_INVALID
    folder = Path(args.plan_dir)
    out = Path(args.out) if args.out else (folder if folder.is_dir() else folder.parent) / FILE
    try:
        comparison = compare(visit, plan, read_actuals(visit, plan, source))
    except InvalidActuals as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(f"{len(error.problems)} problem(s) in {source}; nothing written", file=sys.stderr)
        return EXIT_INVALID
    try:
        write(comparison, out)
    except OSError as error:
        print(f"error: cannot write {out}: {_os_words(error)}; nothing written", file=sys.stderr)
        return EXIT_ERROR
    for line in summary_lines(comparison):
        print(line)
    print(f"wrote {out}")
    return EXIT_OK


def _plan_and_its_visit(plan_dir: str, visit_path: str | None):
    """The plan of a plan folder and the visit it was planned from (the folder's copy
    unless ``visit_path`` is given), or None after saying why not (exit 2)."""
    from .outputs import VISIT_COPY

    plan = _read_plan(plan_dir)
    if plan is None:
        return None
    source = Path(visit_path) if visit_path else Path(plan_dir) / VISIT_COPY
    if visit_path is None and not source.is_dir():
        print(
            f"error: {plan_dir} holds no copy of its visit ({VISIT_COPY}/): "
            "give the visit with --visit",
            file=sys.stderr,
        )
        return None
    visit = _load(source)
    if visit is None:
        return None
    if visit.id != plan.visit_id:
        print(f"error: {source} is the visit {visit.id!r}, not {plan.visit_id!r}", file=sys.stderr)
        return None
    return plan, visit


def cmd_evaluation(args) -> int:
    from .evaluation import check_answers, read_answers, summarise, write_forms, write_results
    from .evaluation.summary import summary_lines
    from .outputs import OutputError
    from .views import build_views

    if not args.collect and len(args.paths) != 1:
        print(
            "error: give one OUT_DIR for the forms, or --collect and the returned files",
            file=sys.stderr,
        )
        return EXIT_INVALID
    found = _plan_and_its_visit(args.plan_dir, args.visit)
    if found is None:
        return EXIT_INVALID
    plan, visit = found
    views = build_views(visit, plan)

    def waiting() -> None:
        print("waiting for another visitplan run to finish writing", file=sys.stderr)

    if args.collect:
        answers, problems = read_answers(args.paths)
        responses, wrong = check_answers(views, answers)
        problems += wrong
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            print(f"{len(problems)} problem(s) in the answers; nothing written", file=sys.stderr)
            return EXIT_INVALID
        summary = summarise(views, responses)
    try:
        if args.collect:
            written = write_results(views, summary, args.plan_dir, _issued(None), waiting)
        else:
            written = write_forms(views, args.paths[0], waiting)
    except (OutputError, OSError) as error:
        reason = _os_words(error) if isinstance(error, OSError) else str(error)
        print(f"error: {reason}; nothing written", file=sys.stderr)
        return EXIT_ERROR
    if args.collect:
        for line in summary_lines(summary):
            print(line)
        print(f"written: {', '.join(str(path) for path in written)}")
    else:
        print(f"{len(written)} evaluation form(s) and evaluation.csv written: {args.paths[0]}")
    return EXIT_OK


def cmd_show(args) -> int:
    from .export.site import show

    if _read_plan(args.plan_dir) is None:
        return EXIT_INVALID
    return show(args.plan_dir)


def cmd_check(args) -> int:
    from .check import check_plan

    visit = _load(Path(args.visit))
    if visit is None:
        return EXIT_INVALID
    plan = _read_plan(args.plan)
    if plan is None:
        return EXIT_INVALID
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
    from .costs import PER_DIEM, compute_costs
    from .per_diem import per_diem_days, planned_stays, visit_stays

    visit = _load(Path(args.visit))
    if visit is None:
        return EXIT_INVALID
    if not visit.costs and not visit.per_diem_rates:
        print(f"{args.visit} has neither costs.csv nor per_diem.csv", file=sys.stderr)
        return EXIT_ERROR
    if args.plan is None:
        stays = visit_stays(visit)
    else:
        plan = _read_plan(args.plan)
        if plan is None:
            return EXIT_INVALID
        if plan.visit_id != visit.id:
            print(
                f"error: {args.plan} is a plan of {plan.visit_id}, not of {visit.id}",
                file=sys.stderr,
            )
            return EXIT_INVALID
        stays = planned_stays(visit, plan)
    per_diems = per_diem_days(visit, stays)
    summary = compute_costs(visit, per_diems)
    cur = summary.currency
    rows = [
        (c.line.id, c.line.category, c.line.basis, f"{c.quantity}", f"{c.amount:,.2f}")
        for c in summary.lines
    ]
    if visit.per_diem_rates:
        days = f"{summary.per_diem_days}"
        rows.append(("per diems", PER_DIEM, "per_diem.csv", days, f"{summary.per_diem_total:,.2f}"))
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
    if visit.per_diem_rates:
        print()
        if args.plan is None:
            print("per diems: no plan given, so only hotel breakfasts are deducted;")
            print("  give the plan folder to deduct the meals of the sessions attended")
        else:
            print("per diems: less the meals of the sessions each delegate attends in the plan")
    return EXIT_OK


def _workbook_target(out: Path, force: bool) -> int | None:
    """None when ``out`` may be written, else the exit status after saying why not:
    2 for a name that is not .xlsx, 1 for a file that exists (without --force) or a
    folder."""
    if out.suffix.lower() != ".xlsx":
        print(f"error: {out}: the workbook's name must end in .xlsx", file=sys.stderr)
        return EXIT_INVALID
    if out.is_dir():
        print(f"error: {out} is a folder; give the workbook's file name", file=sys.stderr)
        return EXIT_ERROR
    if out.exists() and not force:
        print(f"error: {out} exists; not replacing it (--force replaces it)", file=sys.stderr)
        return EXIT_ERROR
    return None


def _save_workbook(write, out: Path, force: bool) -> int:
    """Run ``write(replace=...)`` and say what came of it in one line."""
    try:
        write(replace=force)
    except FileExistsError:  # made meanwhile by someone else
        print(f"error: {out} exists; not replacing it (--force replaces it)", file=sys.stderr)
        return EXIT_ERROR
    except OSError as error:
        print(f"error: cannot write {out}: {_os_words(error)}; nothing written", file=sys.stderr)
        return EXIT_ERROR
    print(f"wrote {out}")
    return EXIT_OK


def cmd_template(args) -> int:
    from .export.visit_workbook import write_template

    out = Path(args.out)
    refused = _workbook_target(out, args.force)
    if refused is not None:
        return refused
    return _save_workbook(lambda replace: write_template(out, replace=replace), out, args.force)


def cmd_convert(args) -> int:
    from .export.visit_workbook import write_visit_workbook

    visit, out = Path(args.visit), Path(args.out)
    if visit.is_file():
        print(
            f"error: {visit} is a file; convert reads a visit folder (visit.toml and CSV files)",
            file=sys.stderr,
        )
        return EXIT_INVALID
    refused = _workbook_target(out, args.force)
    if refused is not None:
        return refused
    if _load(visit) is None:
        return EXIT_INVALID
    return _save_workbook(
        lambda replace: write_visit_workbook(visit, out, replace=replace), out, args.force
    )


def cmd_publish(args) -> int:
    from .publish import PublishError, publish

    password = None
    if args.password_env:
        password = os.environ.get(args.password_env)
        if password is None:
            print(f"error: environment variable {args.password_env} is not set", file=sys.stderr)
            return EXIT_INVALID
    if _read_plan(args.plan_dir) is None:
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
    p.add_argument(
        "--time-limit",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="stop searching after this many seconds and write the best plan found (default 60)",
    )
    p.add_argument(
        "--seed",
        type=int,
        default=0,
        metavar="N",
        help="the solver's random seed (default 0): another seed may find another, "
        "equally good plan",
    )
    p.add_argument(
        "--workers",
        type=_workers,
        default=None,
        metavar="N",
        help=f"solver threads, one per processor core used, 1..{MAX_WORKERS} (default: this "
        f"machine's cores, at most {DEFAULT_WORKERS_CAP}); the plan's report says how many",
    )
    p.add_argument(
        "--deterministic-time",
        type=float,
        metavar="UNITS",
        help="count the planning in CP-SAT's deterministic time instead of seconds (the "
        "same phases, UNITS in all, about a second each on two cores; --time-limit still "
        "caps the run): with the same --seed, --workers and --issued, a rerun writes the "
        "same plan (only the measured seconds in plan.json differ)",
    )
    p.add_argument(
        "--issued",
        metavar="YYYY-MM-DDTHH:MM:SSZ",
        help="the issue time in UTC that the calendars carry (DTSTAMP); default: now. "
        "Give it to make a rerun's files byte-identical",
    )
    p.add_argument(
        "--quiet",
        action="store_true",
        help="print no progress: neither the planning line nor the search's live line",
    )
    p.add_argument(
        "--no-site",
        action="store_true",
        help="skip site/, programme.pdf and the kit's PDFs (the spreadsheets, kit/kit.xlsx "
        "and calendars are still written)",
    )


LIVE_LINE = """\
While it searches, a terminal shows one live line per goal: the seconds so far,
the goal, the best value found so far ("best"), the best value any plan could
still reach ("bound"), and how far apart the two are in per cent ("gap")."""

PLAN_FOLDER = """\
The plan folder (--out) must not exist, be empty, or hold an earlier plan (a
plan.json), which is replaced as a whole: a failed, interrupted or killed run
leaves it as it was.  A second run into the same folder at the same time
waits until the first has finished writing, then replaces its plan."""


def _epilog(codes: str, *examples: str, notes: str = "") -> str:
    """The text under a command's options: notes, exit status, examples."""
    parts = [notes] if notes else []
    parts.append("exit status:\n" + codes)
    parts.append("example" + ("s" if len(examples) > 1 else "") + ":\n" + "\n".join(examples))
    return "\n\n".join(parts)


def _command(sub, name: str, summary: str, description: str, epilog: str, run):
    p = sub.add_parser(
        name,
        help=summary,
        description=textwrap.fill(description, 79),
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.set_defaults(run=run)
    return p


def _version() -> str:
    try:
        return metadata.version("visitplan")
    except metadata.PackageNotFoundError:  # run from a source tree that is not installed
        return "unknown (not installed)"


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="visitplan",
        description=textwrap.fill(
            "Plan study visits of delegations: read a visit folder or visit.xlsx, plan who "
            "attends what when and every ride, and write the programme, calendars and costs.",
            79,
        ),
        epilog=_epilog(
            "  0 done; 1 not done (see the message); 2 invalid input, nothing written;\n"
            "  3 no plan can keep every rule; 4 no plan found within the time limit.\n"
            "  `visitplan COMMAND --help` tells which a command uses.",
            "  visitplan validate data/vidzeme-ostfold-2009",
            "  visitplan plan data/vidzeme-ostfold-2009 --out out/vidzeme",
            "  visitplan check data/vidzeme-ostfold-2009 out/vidzeme",
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    top.add_argument("--version", action="version", version=f"visitplan {_version()}")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = _command(
        sub,
        "validate",
        "read a visit and list its problems, or summarise it",
        "Read a visit and list every problem as `file:row: column: what is wrong`, "
        "or print a summary of it and advice (warnings).",
        _epilog(
            "  0 the visit is valid (summary printed)\n"
            "  2 the visit is invalid or missing (every problem printed)",
            "  visitplan validate data/vidzeme-ostfold-2009",
        ),
        cmd_validate,
    )
    p.add_argument("visit", help="visit folder or visit.xlsx")

    p = _command(
        sub,
        "plan",
        "plan a visit and write the plan folder",
        "Plan a visit and write the plan folder: plan.json, programme.xlsx, costs.xlsx "
        "(with costs.csv), calendars/, site/ and programme.pdf.",
        _epilog(
            "  0 planned: the plan folder is written\n"
            "  1 nothing written: --out holds something other than a plan or cannot be\n"
            "    written, or the run was interrupted (Ctrl-C)\n"
            "  2 the visit is invalid (every problem printed), nothing written\n"
            "  3 no plan can keep every rule (the conflicting rules named)\n"
            "  4 no plan found within the time limit",
            "  visitplan plan data/vidzeme-ostfold-2009 --out out/vidzeme --time-limit 30",
            notes=PLAN_FOLDER + "\n\n" + LIVE_LINE,
        ),
        cmd_plan,
    )
    p.add_argument(
        "visit", nargs="?", help="visit folder or visit.xlsx (default: the bundled Latgale visit)"
    )
    p.add_argument("--out", metavar="DIR", help="the plan folder (default: out/<visit id>)")
    _solve_arguments(p)

    p = _command(
        sub,
        "kit",
        "write the field kit again: sign-in sheets, manifests, certificates ...",
        "Write PLAN_DIR/kit/ again from the plan: sign-in sheets, the participant list, "
        "vehicle manifests and drivers' sheets, the group leader's day brief, caterers' "
        "counts, certificates and name badges (PDFs, where Chromium is installed) and "
        "kit.xlsx.  The visit is PLAN_DIR's copy (visit/) unless --visit gives a changed "
        "one (phones or emergency contacts added later).  Files in kit/ that the kit "
        "does not write are kept.",
        _epilog(
            "  0 written\n"
            "  1 not written: the kit folder cannot be written (the old kit stays)\n"
            "  2 no readable plan at PLAN_DIR, no visit to print it with, or an invalid visit",
            "  visitplan kit out/vidzeme",
            "  visitplan kit out/vidzeme --visit data/vidzeme-ostfold-2009 --only sign_in",
        ),
        cmd_kit,
    )
    p.add_argument("plan_dir", metavar="PLAN_DIR", help="plan folder written by `visitplan plan`")
    p.add_argument(
        "--visit", metavar="VISIT", help="the visit folder or visit.xlsx (default: PLAN_DIR/visit)"
    )
    p.add_argument(
        "--only",
        metavar="NAME",
        help="write only this item: sign_in, participants, manifests, day_brief, catering, "
        "certificates, badges, or workbook (kit.xlsx)",
    )

    p = _command(
        sub,
        "show",
        "open the plan's site/index.html in a browser, or print its path",
        "Open the plan's site (site/index.html) in a browser; without a graphical "
        "browser, print its path.",
        _epilog(
            "  0 opened, or its path printed\n"
            "  1 the plan folder has no site (it was planned with --no-site)\n"
            "  2 no readable plan folder at PLAN_DIR",
            "  visitplan show out/vidzeme",
        ),
        cmd_show,
    )
    p.add_argument("plan_dir", metavar="PLAN_DIR", help="plan folder written by `visitplan plan`")

    p = _command(
        sub,
        "replan",
        "plan a changed visit, changing as little as possible",
        "Plan a changed visit against the plan that is out: confirmed sessions stay, as "
        "few delegates as possible get a changed programme, and the calendars update in "
        "place (same UIDs, higher SEQUENCE, cancellations).  Prints what changed for whom.",
        _epilog(
            "  0 re-planned: the new plan folder is written, the changes printed\n"
            "  1 nothing written: --out holds something other than a plan or cannot be\n"
            "    written, or the run was interrupted (Ctrl-C)\n"
            "  2 the visit is invalid, --previous is not a readable plan of this visit, or\n"
            "    --freeze-before is not a date and time; nothing written\n"
            "  3 no plan can keep every rule and the confirmed sessions\n"
            "  4 no plan found within the time limit",
            "  visitplan replan data/vidzeme-ostfold-2009 --previous out/vidzeme --out out/vidzeme",
            notes=PLAN_FOLDER + "\n\n" + LIVE_LINE,
        ),
        cmd_replan,
    )
    p.add_argument("visit", help="the changed visit folder or visit.xlsx")
    p.add_argument(
        "--previous", required=True, metavar="DIR", help="the plan folder that is out now"
    )
    p.add_argument(
        "--out", required=True, metavar="DIR", help="the new plan folder (may be --previous)"
    )
    p.add_argument(
        "--freeze-before",
        metavar="'YYYY-MM-DD HH:MM'",
        help="everything that started before this moment (the visit's local time) stays as it was",
    )
    _solve_arguments(p)

    p = _command(
        sub,
        "check",
        "verify a plan against every rule, independently of the solver",
        "Verify a plan against every rule of the visit format (section 3), with code "
        "that shares nothing with the solver.",
        _epilog(
            "  0 the plan keeps every rule\n"
            "  1 the plan breaks a rule (each violation printed)\n"
            "  2 the visit or the plan cannot be read: an invalid visit, no plan folder,\n"
            "    or a damaged plan.json",
            "  visitplan check data/vidzeme-ostfold-2009 out/vidzeme",
        ),
        cmd_check,
    )
    p.add_argument("visit", help="visit folder or visit.xlsx the plan was made for")
    p.add_argument("plan", help="plan folder or its plan.json")

    p = _command(
        sub,
        "publish",
        "put every itinerary on a CalDAV server (live updates)",
        "Put each delegate's and host's calendar, and the whole programme, on a CalDAV "
        "server as calendars <visit id>.<delegate id>, <visit id>.host-<host id> and "
        "<visit id>.programme in the calendar home URL; publishing again updates them "
        "in place.",
        _epilog(
            "  0 published\n"
            "  1 the server refused or could not be reached\n"
            "  2 no readable plan folder at PLAN_DIR, or the password variable is not set",
            "  DAV_PASSWORD=... visitplan publish out/vidzeme --caldav "
            "https://dav.example.org/calendars/organiser/ \\\n"
            "      --user organiser --password-env DAV_PASSWORD",
        ),
        cmd_publish,
    )
    p.add_argument("plan_dir", metavar="PLAN_DIR", help="plan folder written by `visitplan plan`")
    p.add_argument(
        "--caldav",
        required=True,
        metavar="URL",
        help="your calendar home: the collection that holds your calendars",
    )
    p.add_argument("--user", metavar="NAME", help="the user name, when the server asks for one")
    p.add_argument(
        "--password-env",
        metavar="VAR",
        help="environment variable holding the password (never given on the command line)",
    )

    p = _command(
        sub,
        "costs",
        "print the budget summary of a visit",
        "Print the cost lines of a visit (costs.csv), its per diems (per_diem.csv) and "
        "its total, grant share, co-financing and the budget remaining. Per diems are "
        "less the meals provided: hotel breakfasts, and with PLAN_DIR the meals of the "
        "sessions each delegate attends in that plan.",
        _epilog(
            "  0 printed\n  1 the visit has neither costs.csv nor per_diem.csv\n"
            "  2 the visit is invalid, or PLAN_DIR is not a readable plan of it",
            "  visitplan costs data/vidzeme-ostfold-2009",
            "  visitplan costs data/latgale-trondelag-2009 out/latgale-trondelag-2009",
        ),
        cmd_costs,
    )
    p.add_argument("visit", help="visit folder or visit.xlsx")
    p.add_argument(
        "plan",
        nargs="?",
        metavar="PLAN_DIR",
        help="plan folder (or plan.json) whose attendance says who is given which meal",
    )

    p = _command(
        sub,
        "template",
        "write the blank input workbook",
        "Write the blank input workbook: one sheet per table with drop-downs and checks, "
        "the visit's keys, and a help sheet.  An existing file is never replaced "
        "unless --force is given.",
        _epilog(
            "  0 written\n"
            "  1 not written: OUT exists (without --force), is a folder, or cannot be written\n"
            "  2 OUT does not end in .xlsx",
            "  visitplan template my-visit.xlsx",
        ),
        cmd_template,
    )
    p.add_argument("out", metavar="OUT", help="the workbook to write, e.g. visit.xlsx")
    p.add_argument("--force", action="store_true", help="replace OUT if it exists")

    p = _command(
        sub,
        "convert",
        "write a visit folder as one visit.xlsx",
        "Write a visit folder (visit.toml and CSV files) as one workbook, visit.xlsx, "
        "that `plan` reads the same way.  An existing file is never replaced unless "
        "--force is given.",
        _epilog(
            "  0 written\n"
            "  1 not written: OUT exists (without --force), is a folder, or cannot be written\n"
            "  2 the visit is invalid or not a folder, or OUT does not end in .xlsx",
            "  visitplan convert data/vidzeme-ostfold-2009 vidzeme.xlsx",
        ),
        cmd_convert,
    )
    p.add_argument("visit", help="visit folder (visit.toml and CSV files)")
    p.add_argument("out", metavar="OUT", help="the workbook to write, e.g. visit.xlsx")
    p.add_argument("--force", action="store_true", help="replace OUT if it exists")
    p = _command(
        sub,
        "survey",
        "write interest questionnaires, or collect the answers into the visit",
        "Write one questionnaire workbook per delegate into OUT_DIR (topics with a 0-10 "
        "interest each, must-attend sessions, needs and diet, in the visit's language) and "
        "survey.csv, the header an online form is built from.  With --collect, read filled "
        "workbooks and form exports (CSV) and write the answers into the delegates: "
        "interests, must_attend and needs.  A delegate who did not answer keeps what they "
        "had.",
        _epilog(
            "  0 written (with --collect: what changed per delegate printed)\n"
            "  1 not written: OUT_DIR or --out holds something else or cannot be written\n"
            "  2 the visit or an answer is invalid (every problem printed), nothing written",
            "  visitplan survey data/vidzeme-ostfold-2009 out/vidzeme-survey",
            "  visitplan survey --collect data/vidzeme-ostfold-2009 out/vidzeme-survey/*.xlsx \\\n"
            "      answers.csv --out data/vidzeme-answered",
            notes="OUT_DIR must not exist, be empty, or hold an earlier questionnaire, which\n"
            "is replaced as a whole.  --out must not exist or be empty; --in-place\n"
            "replaces the visit's delegates.csv (or the delegates sheet of visit.xlsx)\n"
            "in one step.  Every other column, row and file stays as written.",
        ),
        cmd_survey,
    )
    p.add_argument("visit", help="visit folder or visit.xlsx")
    p.add_argument(
        "paths",
        nargs="+",
        metavar="OUT_DIR | FILES",
        help="the questionnaire folder to write; with --collect, the filled workbooks "
        "and form exports (.xlsx, .csv)",
    )
    p.add_argument(
        "--collect", action="store_true", help="read answers back instead of writing forms"
    )
    where = p.add_mutually_exclusive_group()
    where.add_argument("--out", metavar="NEW_VISIT", help="the new visit folder (with --collect)")
    where.add_argument(
        "--in-place",
        action="store_true",
        help="replace the visit's delegates table (with --collect)",
    )

    p = _command(
        sub,
        "evaluation",
        "write evaluation forms after the visit, or collect the filled ones",
        "Write one evaluation form per delegate into OUT_DIR (a workbook in the visit's "
        "language listing the sessions they attended in the plan: a 1-5 rating and a "
        "comment each, and questions on the whole visit) and evaluation.csv, the header "
        "of an online form.  With --collect, read filled forms and online forms' CSV "
        "exports, and write evaluation.xlsx and evaluation.json into PLAN_DIR and its "
        "site's evaluation page.  The visit is PLAN_DIR's copy (visit/) unless --visit "
        "gives it.",
        _epilog(
            "  0 written (with --collect: the summary printed)\n"
            "  1 not written: OUT_DIR holds something other than evaluation forms, or a\n"
            "    folder cannot be written\n"
            "  2 no readable plan at PLAN_DIR, no visit to go with it, an invalid visit, or\n"
            "    (--collect) a problem in the answers (each printed); nothing written",
            "  visitplan evaluation out/vidzeme out/vidzeme-evaluation",
            "  visitplan evaluation --collect out/vidzeme out/vidzeme-evaluation/*.xlsx "
            "answers.csv",
        ),
        cmd_evaluation,
    )
    p.add_argument("plan_dir", metavar="PLAN_DIR", help="plan folder written by `visitplan plan`")
    p.add_argument(
        "paths",
        nargs="+",
        metavar="OUT_DIR | FILES",
        help="the folder for the forms; with --collect, the filled forms (.xlsx), CSV "
        "exports (.csv) or folders of them",
    )
    p.add_argument(
        "--collect", action="store_true", help="read the returned answers and sum them up"
    )
    p.add_argument(
        "--visit", metavar="VISIT", help="the visit folder or visit.xlsx (default: PLAN_DIR/visit)"
    )

    p = _command(
        sub,
        "actuals",
        "compare the plan with who was really where, and what it cost",
        "Read what happened (an actual.csv of the exceptions, or the kit's kit.xlsx with "
        "its sign-in sheets ticked), hold it against the visit and its plan, and write "
        "actuals.xlsx: planned against actual attendance per delegate, rule 9's costs and "
        "the per diems recounted with the actual days and nights, grant share and "
        "co-financing planned against actual, and every difference with its cost effect.",
        _epilog(
            "  0 written; the differences and totals printed\n"
            "  1 not written: the workbook cannot be written\n"
            "  2 the visit, the plan or the actuals are invalid (every problem printed),\n"
            "    nothing written",
            "  visitplan actuals data/latgale-trondelag-2009 out/latgale "
            "data/latgale-trondelag-2009/actual.csv",
            "  visitplan actuals data/latgale-trondelag-2009 out/latgale out/latgale/kit/kit.xlsx",
            notes="actual.csv lists only what differed: delegate_id, session_id, present "
            "(yes/no),\ntravel_out, travel_home; a planned session it does not name was attended.",
        ),
        cmd_actuals,
    )
    p.add_argument("visit", help="visit folder or visit.xlsx the plan was made for")
    p.add_argument("plan_dir", metavar="PLAN_DIR", help="plan folder written by `visitplan plan`")
    p.add_argument("actuals", metavar="ACTUALS", help="actual.csv, or the kit's kit.xlsx ticked")
    p.add_argument(
        "--out", metavar="FILE", help="the workbook to write (default: PLAN_DIR/actuals.xlsx)"
    )

    p = _command(
        sub,
        "report",
        "draft the funder's final report (report.docx) and the hosts' contacts (contacts.vcf)",
        "Draft the final report from a plan folder as report.docx: the project ([project] "
        "in visit.toml), participants, the programme day by day, hosts and contacts, "
        "planned results against the sessions' outcomes, the budget planned (costs.xlsx) "
        "against actual (--actuals), the evaluation (evaluation.json) and the annexes; "
        "and contacts.vcf, one vCard per host visited.  Every amount is a named cell of "
        "costs.xlsx or actuals.xlsx.",
        _epilog(
            "  0 written\n"
            "  1 not written: the folder cannot be written, or report.docx or\n"
            "    contacts.vcf there was edited since visitplan wrote it (--force)\n"
            "  2 no readable plan at PLAN_DIR, an invalid visit, no costs.xlsx, an\n"
            "    actuals.xlsx of another visit or plan, or an unknown --lang; nothing written",
            "  visitplan report out/latgale",
            "  visitplan report out/latgale --actuals out/latgale/actuals.xlsx --lang en",
        ),
        cmd_report,
    )
    p.add_argument("plan_dir", metavar="PLAN_DIR", help="plan folder written by `visitplan plan`")
    p.add_argument("--actuals", metavar="ACTUALS_XLSX", help="actuals.xlsx (`visitplan actuals`)")
    p.add_argument("--lang", metavar="LANG", help="lv, en or nb (default: the visit's language)")
    p.add_argument("--out", metavar="DIR", help="where to write the two files (default: PLAN_DIR)")
    p.add_argument(
        "--visit", metavar="VISIT", help="the visit folder or visit.xlsx (default: PLAN_DIR/visit)"
    )
    p.add_argument(
        "--force",
        action="store_true",
        help="replace report.docx and contacts.vcf even when edited since visitplan wrote them",
    )

    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except KeyboardInterrupt:
        print("interrupted; nothing written", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:  # `visitplan costs VISIT | head`: the reader has gone
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_ERROR
    except OSError as error:  # a path none of the checks above foresaw: one line, no traceback
        print(f"error: {_os_words(error)}", file=sys.stderr)
        return EXIT_ERROR
