"""What a collection changed, in lines for the organiser's terminal.

Every text from the input (ids, names, topics, needs) goes through
:func:`.answers.terminal`: on one line, control characters escaped.
"""

from __future__ import annotations

from .answers import quoted, terminal
from .collect import Change, Collected


def lines(collected: Collected) -> list[str]:
    """One line per answering delegate, then who did not answer."""
    out = [f"{len(collected.changes)} answer(s) for {len(collected.delegates)} delegate(s)"]
    for change in collected.changes:
        out.append(f"  {_who(change)}: {_what(change)}")
    if collected.silent:
        out.append(f"did not answer (they keep what they had): {len(collected.silent)}")
        out += [f"  {_name(d.id, d.name)}" for d in collected.silent]
    return out


def _who(change: Change) -> str:
    return _name(change.delegate.id, change.delegate.name)


def _name(delegate_id: str, name: str) -> str:
    return f"{terminal(delegate_id)} ({terminal(name)})" if name else terminal(delegate_id)


def _what(change: Change) -> str:
    if not change.any:
        return "no change"
    parts = []
    if change.added:
        parts.append("interests added " + ", ".join(f"{terminal(t)}:{w}" for t, w in change.added))
    if change.removed:
        parts.append("removed " + ", ".join(terminal(t) for t, _ in change.removed))
    if change.changed:
        parts.append("changed " + ", ".join(f"{terminal(t)} {a}→{b}" for t, a, b in change.changed))
    if change.must_added:
        parts.append("must_attend added " + ", ".join(map(terminal, change.must_added)))
    if change.must_removed:
        parts.append("must_attend removed " + ", ".join(map(terminal, change.must_removed)))
    if change.needs is not None:
        old, new = change.needs
        parts.append(f"needs {quoted(old)} → {quoted(new)}")
    return "; ".join(parts)
