"""Text from the input made safe for every output, in one place.

The reader rejects control characters and collapses line breaks in names
and titles, but the exporters do not rely on it (a visit built in code, an
earlier plan's calendar, a later reader change): every text an exporter
writes passes through here first, and so does input text the solver puts
in a diagnosis line.  It depends on nothing, so every layer may use it.

* :func:`clean` drops what no output can carry: C0 and C1 control
  characters but tab and line breaks, DEL, lone surrogates and the
  non-characters U+FFFE/U+FFFF (XML, RFC 5545 and HTML all refuse them),
  and writes every kind of line break as ``\\n``.
* :func:`one_line` is :func:`clean` for a value that must stay on one line
  (a name, a title, a place, a calendar's name, a parameter): each run of
  line breaks and tabs becomes one space.
"""

from __future__ import annotations

import re

__all__ = ["clean", "one_line"]

_BREAKS = "\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]"
"""Every line boundary Python's ``str.splitlines`` knows."""
_BREAK = re.compile(_BREAKS)
_UNSAFE = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
_FOLDED = re.compile("[ \t]*[\n\t][ \t\n]*")


def clean(value: object) -> str:
    """``value`` as text without unsafe characters, its line breaks as ``\\n``."""
    return _UNSAFE.sub("", _BREAK.sub("\n", str(value)))


def one_line(value: object) -> str:
    """``value`` as :func:`clean` text on one line: line breaks and tabs become one space."""
    return _FOLDED.sub(" ", clean(value)).strip()
