"""The fixed words of the outputs, in the languages a visit may ask for (lv, en, nb).

Delegates read their outputs in the visit's ``language``, hosts in its
``host_language``.  Every exporter takes its fixed words from here, so a
calendar, a sheet and a page call the same thing by the same name.  Keys are
plain English identifiers; the session kinds of the visit format are keys
too (``word("site_visit", "nb") == "Befaring"``).
"""

from __future__ import annotations

__all__ = ["LANGUAGES", "WORDS", "kind_word", "word"]

LANGUAGES = ("lv", "en", "nb")
FALLBACK = "en"

WORDS: dict[str, dict[str, str]] = {
    # rides and breaks
    "coach": {"en": "Coach", "lv": "Autobuss", "nb": "Buss"},
    "walk": {"en": "Walk", "lv": "Kājām", "nb": "Til fots"},
    "lunch": {"en": "Lunch", "lv": "Pusdienas", "nb": "Lunsj"},
    "vehicle": {"en": "Vehicle", "lv": "Transportlīdzeklis", "nb": "Kjøretøy"},
    "from": {"en": "From", "lv": "No", "nb": "Fra"},
    "to": {"en": "To", "lv": "Uz", "nb": "Til"},
    "depart": {"en": "Departure", "lv": "Izbraukšana", "nb": "Avgang"},
    "arrive": {"en": "Arrival", "lv": "Ierašanās", "nb": "Ankomst"},
    "together_with": {"en": "Together with", "lv": "Kopā ar", "nb": "Sammen med"},
    # sessions
    "kind": {"en": "Kind", "lv": "Veids", "nb": "Type"},
    "host": {"en": "Host", "lv": "Uzņemošā organizācija", "nb": "Vert"},
    "address": {"en": "Address", "lv": "Adrese", "nb": "Adresse"},
    "contact": {"en": "Contact", "lv": "Kontaktpersona", "nb": "Kontaktperson"},
    "phone": {"en": "Phone", "lv": "Tālrunis", "nb": "Telefon"},
    "email": {"en": "Email", "lv": "E-pasts", "nb": "E-post"},
    "attendees": {"en": "Attendees", "lv": "Dalībnieki", "nb": "Deltakere"},
    "group_size": {"en": "Group size", "lv": "Grupas lielums", "nb": "Gruppestørrelse"},
    "needs": {"en": "Needs", "lv": "Īpašas vajadzības", "nb": "Behov"},
    "also_attending": {"en": "Also attending", "lv": "Piedalās arī", "nb": "Deltar også"},
    "whole_delegation": {
        "en": "Whole delegation",
        "lv": "Visa delegācija",
        "nb": "Hele delegasjonen",
    },
    "delegation": {"en": "Delegation", "lv": "Delegācija", "nb": "Delegasjon"},
    "organiser": {"en": "Organiser", "lv": "Organizators", "nb": "Arrangør"},
    "programme": {"en": "Programme", "lv": "Programma", "nb": "Program"},
    # session kinds (the `kind` column of sessions.csv)
    "presentation": {"en": "Presentation", "lv": "Prezentācija", "nb": "Presentasjon"},
    "site_visit": {"en": "Site visit", "lv": "Objekta apmeklējums", "nb": "Befaring"},
    "workshop": {"en": "Workshop", "lv": "Darbnīca", "nb": "Arbeidsmøte"},
    "round_table": {
        "en": "Round table",
        "lv": "Apaļā galda diskusija",
        "nb": "Rundebordsmøte",
    },
    "ceremony": {"en": "Ceremony", "lv": "Ceremonija", "nb": "Seremoni"},
    "meal": {"en": "Meal", "lv": "Maltīte", "nb": "Måltid"},
    "other": {"en": "Other", "lv": "Cits", "nb": "Annet"},
}


def word(key: str, language: str) -> str:
    """The fixed word ``key`` in ``language`` (English for a language not listed).

    Raises
    ------
    KeyError
        For a key that is not in :data:`WORDS`: a missing word is a bug, not a blank.
    """
    forms = WORDS[key]
    return forms.get(language) or forms[FALLBACK]


def kind_word(kind: str, language: str) -> str:
    """A session kind in words; an unknown kind as written."""
    return word(kind, language) if kind in WORDS else kind
