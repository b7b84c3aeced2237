"""The CP-SAT variables of the schedule, named after the entities they stand for.

Time is one integer axis: ``day index × 1440 + minutes after local midnight``,
so "s1 ends before s2 starts" is one linear inequality whether or not the
two sessions share a day.  Ids stay ids; only this package uses indices.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from ..model import BASE, Delegate, Session, Visit
from ..timegrid import minute_of, round_down, round_up, stay
from ..travel import TravelTable
from .schedule import DAY as DAY  # the time axis, for the rules


@dataclass
class Guards:
    """Assumption literals per rule instance, used only when explaining infeasibility."""

    model: cp_model.CpModel
    enabled: bool
    literals: dict[str, cp_model.IntVar] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)

    def __call__(self, key: str, text: str) -> list[cp_model.IntVar]:
        """Enforcement literals for a rule instance: [] when not explaining."""
        if not self.enabled:
            return []
        if key not in self.literals:
            self.literals[key] = self.model.NewBoolVar(f"assume[{key}]")
            self.texts[key] = text
        return [self.literals[key]]


@dataclass
class Context:
    """Everything a rule module needs: the visit, the model and the variables."""

    visit: Visit
    model: cp_model.CpModel
    travel: TravelTable
    guard: Guards
    day_index: dict = field(default_factory=dict)
    # sessions
    start: dict[str, cp_model.IntVar] = field(default_factory=dict)
    end: dict[str, cp_model.LinearExpr] = field(default_factory=dict)
    on_day: dict[tuple[str, int], cp_model.IntVar] = field(default_factory=dict)
    scheduled: dict[str, cp_model.IntVar] = field(default_factory=dict)
    session_days: dict[str, list[int]] = field(default_factory=dict)
    open_days: dict[str, list[int]] = field(default_factory=dict)
    """The days each session could be held on before ``day_choice`` (section 4's potential)."""
    day_choice: dict[str, int] = field(default_factory=dict)
    """The one day a session may be held on, when a restriction chose it."""
    fixed_start: dict[str, int] = field(default_factory=dict)
    """Sessions whose start a restriction holds: held there, if held at all."""
    held_out: frozenset[str] = frozenset()
    """Sessions a restriction keeps from being held."""
    interval: dict[str, cp_model.IntervalVar] = field(default_factory=dict)
    # attendance
    attends: dict[tuple[str, str], cp_model.IntVar] = field(default_factory=dict)
    candidates: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # lunch per (delegate, day index)
    lunch_start: dict[tuple[str, int], cp_model.IntVar] = field(default_factory=dict)
    lunch_by_meal: dict[tuple[str, int], cp_model.IntVar] = field(default_factory=dict)
    lunch_before: dict[tuple[str, str, int], cp_model.IntVar] = field(default_factory=dict)
    """(delegate, session, day index) to "the lunch break that day comes before it"."""
    lunch_place: dict[tuple[str, int], dict] = field(default_factory=dict)
    """Per (delegate, day index): place id to the literal "lunch is eaten there"."""
    before: dict[tuple[str, str, bool], cp_model.IntVar] = field(default_factory=dict)
    """(first, second, on foot) to "second starts after first plus the ride between"."""
    convoy_days: frozenset[int] = frozenset()
    """Days on which every delegate follows one route (a fallback for tight fleets)."""
    previous_attended: frozenset[tuple[str, str]] = frozenset()
    """For a re-plan: (delegate, session) pairs of the earlier plan, kept as candidates."""
    ranking: dict[str, dict[str, int]] | None = None
    """Per delegate, the tiers in which the shortlist takes their sessions (``ranking``)."""
    every_pair: bool = False
    """Every delegate keen on a session, or able to fill it, is a candidate (no
    shortlist), so that every plan is one of the model's solutions: for a bound, and
    for a visit small enough to be solved whole, whose proofs must hold for all."""
    elsewhere: object | None = None
    """For a model of part of the plan: what the rest adds to the goals (``goals.Elsewhere``)."""
    goals: dict | None = None
    """The goals once made (``goals.all_goals``): made twice, the model would hold both."""
    extra_goals: dict = field(default_factory=dict)
    """For a re-plan: the goals that come before the usual ones (``continuity``)."""
    rule_variables: int = 0
    """How many variables the rules made (fallback constraints add theirs after)."""
    built_in: float = 0.0
    """Seconds ``build`` took: what making the model again would cost."""
    names: list[str] = field(default_factory=list)
    """The model's variable names by index, as far as read (``solution.names``)."""
    _stays: dict = field(default_factory=dict)
    _hops: dict = field(default_factory=dict)
    _needing: dict = field(default_factory=dict)
    potentials: dict[str, int] = field(default_factory=dict)
    """Delegate id to their potential, once counted (``goals.potential``)."""

    @property
    def slot(self) -> int:
        return self.visit.slot_minutes

    def hop(self, a: str, b: str, on_foot: bool = True) -> int:
        """Shortest whole-grid ride between places, by vehicle or, when ``on_foot``, on
        foot (0 when a == b); see ``walks`` for a delegate's own.

        Remembered: the lunch rule asks for the same pairs hundreds of thousands of
        times on a large visit, and each answer is two haversines."""
        key = (a, b, on_foot)
        if key not in self._hops:
            self._hops[key] = self._hop(a, b, on_foot)
        return self._hops[key]

    def _hop(self, a: str, b: str, on_foot: bool) -> int:
        if a == b:
            return 0
        best = round_up(self.travel.vehicle(a, b), self.slot)
        walk = self.travel.walk(a, b) if on_foot else None
        if walk is not None:
            best = min(best, round_up(walk, self.slot))
        return best

    def needing(self, code: str) -> frozenset[str]:
        """The ids of delegates with the access need ``code`` (``model.ACCESS_NEEDS``),
        read from their ``needs`` once."""
        if code not in self._needing:
            self._needing[code] = frozenset(d.id for d in self.visit.delegates if code in d.access)
        return self._needing[code]

    def walks(self, delegate: Delegate) -> bool:
        """Whether the delegate may walk a leg: not with the access need ``no_walking``,
        whose every ride is by vehicle (rule 6's vehicle time)."""
        return delegate.id not in self.needing("no_walking")

    def possible_days(self, session: Session) -> list[int]:
        """The day indices the session can be held on (``host_windows`` made them)."""
        return self.session_days.get(session.id, [])

    def stay_bounds(self, delegate: Delegate, k: int) -> tuple[int, int] | None:
        """The delegate's stay on day k on the grid (up(start), down(end)), or None."""
        key = (delegate.id, k)
        if key not in self._stays:
            self._stays[key] = self._stay_bounds(delegate, k)
        return self._stays[key]

    def _stay_bounds(self, delegate: Delegate, k: int) -> tuple[int, int] | None:
        day = self.visit.days[k]
        bounds = stay(self.visit, delegate, day)
        if bounds is None:
            return None
        lo, hi = round_up(bounds[0], self.slot), round_down(bounds[1], self.slot)
        if hi <= lo:
            return None
        return lo, hi

    def frame(self, k: int) -> tuple[int, int]:
        day = self.visit.days[k]
        return minute_of(day.day_start), minute_of(day.day_end)

    def host_of(self, session_id: str) -> str:
        return self.visit.session(session_id).host_id


def is_base(place: str) -> bool:
    return place == BASE
