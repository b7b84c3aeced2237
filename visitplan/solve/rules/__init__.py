"""The hard rules of the spec's section 3, in the order they are added.

``host_windows`` creates the session variables and ``attendance`` the
attendance literals, so they come before the rules that read them.  ``access``
keeps the access needs named in delegates' ``needs`` (``check`` reports it
under rules 4 and 6)."""

from . import (
    access,
    after,
    attendance,
    delegate_travel,
    host_windows,
    lunch,
    presence,
    rooms,
    sessions_once,
)

RULES = (
    host_windows,
    sessions_once,
    rooms,
    after,
    attendance,
    access,
    presence,
    delegate_travel,
    lunch,
)
