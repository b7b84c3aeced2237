"""contacts.vcf as RFC 6350 writes it: escaped text values, CRLF lines folded at 75
octets without splitting a UTF-8 character, one card per host visited (an institution's
own card where no contact person is known), read back by vobject."""

from __future__ import annotations

from dataclasses import replace

import pytest
import vobject

from visitplan.report.vcard import contacts_vcf, escape, fold
from visitplan.views import build_views

from .kitplans import tiny

TRICKY = {
    "name": "Høgskole, Trøndelag; avd. \\ Ærø",
    "address": "Røstad 1,\n7600 Levanger",
    "contact": "Åse Ødegård; prosjektleder",
    "email": "ase@example.no",
    "phone": "+47 (74) 02-80 00",
}


def unfold(folded: str) -> str:
    first, *rest = folded.split("\r\n")
    assert all(line.startswith(" ") for line in rest)
    return first + "".join(line[1:] for line in rest)


@pytest.mark.parametrize(
    "value",
    [
        "x" * 200,
        "ā" * 100,
        "x" * 69 + "ā" * 10,  # a two-octet letter across the 75th octet
        "€" * 60,  # three octets each
        "😀" * 40,  # four octets each
        "Ævar Ødegård, Åsen — ģēņš " * 8,
    ],
)
def test_fold_keeps_whole_characters_within_75_octets(value):
    line = f"NOTE:{value}"
    folded = fold(line)
    parts = folded.split("\r\n")
    assert len(parts) > 1
    for part in parts:
        assert len(part.encode("utf-8")) <= 75
    assert unfold(folded) == line


def test_a_line_of_75_octets_is_not_folded_and_76_is():
    assert fold("N" * 75) == "N" * 75
    assert fold("N" * 76) == "N" * 75 + "\r\n N"
    assert fold("N" * 74 + "ā") == "N" * 74 + "\r\n ā"


def test_escape_backslash_comma_semicolon_and_line_breaks():
    assert escape("a\\b,c;d\ne\r\nf") == "a\\\\b\\,c\\;d\\ne\\nf"


def visited_cards(**changes: str) -> list:
    """The tiny plan's cards, the NTNU host changed by ``changes``."""
    visit, plan = tiny()
    hosts = tuple(replace(h, **changes) if h.id == "ntnu" else h for h in visit.hosts)
    views = build_views(replace(visit, hosts=hosts), plan)
    data = contacts_vcf(views, "nb")
    lines = data.split(b"\r\n")
    assert lines[-1] == b"" and b"\n" not in b"".join(lines)
    assert max(len(line) for line in lines) <= 75
    return list(vobject.readComponents(data.decode("utf-8")))


def test_escaped_values_read_back_as_the_hosts_own():
    visit, plan = tiny()
    (card,) = [c for c in visited_cards(**TRICKY) if c.org.value == [TRICKY["name"]]]
    assert card.version.value == "4.0"
    assert card.kind.value == "individual"
    assert card.fn.value == TRICKY["contact"]
    assert card.email.value == TRICKY["email"]
    assert card.tel.value == TRICKY["phone"]
    assert card.adr.value.street == TRICKY["address"]
    held = [visit.session(s.session_id).title for s in plan.sessions if s.host_id == "ntnu"]
    assert held and all(title in card.note.value for title in held)


def test_a_host_without_contact_person_gets_the_institutions_card():
    (card,) = [c for c in visited_cards(contact="") if c.org.value == ["NTNU Gløshaugen"]]
    assert card.kind.value == "org"
    assert card.fn.value == "NTNU Gløshaugen"
    assert card.email.value == "kari@example.no"


def test_only_hosts_with_a_session_in_the_plan_get_a_card():
    visit, plan = tiny()
    visited = {s.host_id for s in plan.sessions} - {"base"}
    cards = visited_cards()
    names = sorted(c.org.value[0] for c in cards)
    assert names == sorted(visit.host(h).name for h in visited)
    assert {c.uid.value for c in cards} == {c.uid.value for c in visited_cards()}
    assert len({c.uid.value for c in cards}) == len(cards)
