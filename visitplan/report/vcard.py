"""contacts.vcf: the host institutions visited, one vCard 4.0 each (RFC 6350).

Every host with a session in the plan gets a card, in host id order: with a contact
person, the card is theirs (``FN`` the contact, ``ORG`` the host); without one it is the
institution's own card (``KIND:org``, ``FN`` and ``ORG`` the host), so the address book
still holds its address, email and phone.  Hosts the plan does not visit, and the
hotel, get none.  ``NOTE`` lists the sessions held there.

Text values are escaped (backslash, comma, semicolon, line break), lines end in CRLF
and are folded at 75 octets without splitting a UTF-8 character.  The ``UID`` is made
from the visit id and the host id, so the same host keeps its card across reports.
"""

from __future__ import annotations

import uuid

from visitplan.export.words import Words
from visitplan.model import BASE
from visitplan.views import HostRoster, Views

LINE_OCTETS = 75
"""The longest line RFC 6350 allows, in octets, without the CRLF."""
NAMESPACE = uuid.UUID("8f4f6c1e-5b1e-4c56-9d1a-2f8a1b7c4e10")
"""The namespace of the cards' UIDs (uuid5 of ``<visit id>/<host id>``)."""


def contacts_vcf(views: Views, language: str) -> bytes:
    """The cards of every host visited, as the bytes of a .vcf file (UTF-8)."""
    w = Words(language)
    cards = [
        _card(views.visit.id, roster, w)
        for host_id, roster in views.hosts.items()
        if host_id != BASE and roster.sessions
    ]
    return "".join(cards).encode("utf-8")


def _card(visit_id: str, roster: HostRoster, w: Words) -> str:
    person = roster.contact
    lines = ["BEGIN:VCARD", "VERSION:4.0"]
    lines.append(f"UID:urn:uuid:{uuid.uuid5(NAMESPACE, f'{visit_id}/{roster.host_id}')}")
    lines.append("KIND:individual" if person else "KIND:org")
    lines.append(f"FN:{escape(person or roster.name)}")
    lines.append(f"ORG:{escape(roster.name)}")
    if roster.email:
        lines.append(f"EMAIL;TYPE=work:{escape(roster.email)}")
    if roster.phone:
        lines.append(f"TEL;TYPE=work;VALUE=text:{escape(roster.phone)}")
    if roster.address:
        lines.append(f"ADR;TYPE=work:;;{escape(roster.address)};;;;")
    held = "\n".join(f"{w.short_day(s.date)} {s.start:%H:%M}: {s.title}" for s in roster.sessions)
    lines.append(f"NOTE:{escape(w('sessions') + ':' + chr(10) + held)}")
    lines.append("END:VCARD")
    return "".join(fold(line) + "\r\n" for line in lines)


def escape(text: str) -> str:
    """A text value as RFC 6350 section 3.4 writes it: ``\\``, ``,``, ``;`` and line
    breaks escaped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")


def fold(line: str) -> str:
    """The line folded (RFC 6350 section 3.2): at most 75 octets a line, each continuation
    starting with a space, never inside a UTF-8 character; joined by CRLF."""
    parts: list[str] = []
    current, size, limit = "", 0, LINE_OCTETS
    for char in line:
        octets = len(char.encode("utf-8"))
        if size + octets > limit:
            parts.append(current)
            current, size, limit = "", 0, LINE_OCTETS - 1  # the leading space counts
        current += char
        size += octets
    parts.append(current)
    return "\r\n ".join(parts)
