"""The fixed words, dates and counts of the outputs, in the languages a visit may ask for.

Delegates read their outputs in the visit's ``language``, hosts in its
``host_language``.  Every exporter (calendars, workbooks, pages, the PDF)
takes its fixed words and its dates from here, so they all call the same
thing by the same name and write a date the same way.  Keys are plain
English identifiers; the session kinds of the visit format are keys too
(``word("site_visit", "nb") == "Befaring"``).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

__all__ = [
    "CATEGORY_WORDS",
    "LANGUAGES",
    "MONTHS",
    "NOUNS",
    "WEEKDAYS",
    "WORDS",
    "Words",
    "date_span",
    "date_text",
    "kind_word",
    "moment_text",
    "ride_word",
    "short_date",
    "word",
]

LANGUAGES = ("lv", "en", "nb")
FALLBACK = "en"

WORDS: dict[str, dict[str, str]] = {
    # interest questionnaire (item 1, visitplan survey)
    "survey_title": {
        "en": "Interest questionnaire",
        "lv": "Interešu anketa",
        "nb": "Interesseskjema",
    },
    "survey_delegate": {"en": "Participant", "lv": "Dalībnieks", "nb": "Deltaker"},
    "survey_delegate_id": {
        "en": "Your participant code (as given in the invitation)",
        "lv": "Jūsu dalībnieka kods (norādīts uzaicinājumā)",
        "nb": "Din deltakerkode (oppgitt i invitasjonen)",
    },
    "survey_topics_sheet": {"en": "Topics", "lv": "Tēmas", "nb": "Temaer"},
    "survey_topic": {"en": "Topic", "lv": "Tēma", "nb": "Tema"},
    "survey_interest": {"en": "Interest (0–10)", "lv": "Interese (0–10)", "nb": "Interesse (0–10)"},
    "survey_interest_help": {
        "en": "How much does each topic interest you? 0 = not interested, 10 = very interested.",
        "lv": "Cik lielā mērā jūs interesē katra tēma? 0 = neinteresē, 10 = ļoti interesē.",
        "nb": "Hvor interessert er du i hvert tema? 0 = ikke interessert, 10 = svært interessert.",
    },
    "survey_interest_question": {
        "en": "How much does the topic “{topic}” interest you? "
        "0 = not interested, 10 = very interested",
        "lv": "Cik lielā mērā jūs interesē tēma “{topic}”? 0 = neinteresē, 10 = ļoti interesē",
        "nb": "Hvor interessert er du i temaet «{topic}»? "
        "0 = ikke interessert, 10 = svært interessert",
    },
    "survey_whole_0_10": {
        "en": "Enter a whole number from 0 to 10.",
        "lv": "Ievadiet veselu skaitli no 0 līdz 10.",
        "nb": "Skriv et heltall fra 0 til 10.",
    },
    "survey_about": {"en": "About", "lv": "Apraksts", "nb": "Beskrivelse"},
    "survey_sessions_sheet": {"en": "Sessions", "lv": "Pasākumi", "nb": "Programpunkter"},
    "survey_must_attend": {"en": "I must attend", "lv": "Noteikti apmeklēšu", "nb": "Jeg må delta"},
    "survey_must_attend_help": {
        "en": "Choose “yes” only for a session you must attend (it will be planned for you); "
        "leave the rest blank.",
        "lv": "Izvēlieties “jā” tikai pasākumam, kas jums noteikti jāapmeklē (tas tiks iekļauts "
        "jūsu programmā); pārējos atstājiet tukšus.",
        "nb": "Velg «ja» bare for programpunkter du må delta på (de blir satt opp for deg); "
        "la resten stå tomme.",
    },
    "survey_must_attend_question": {
        "en": "Must you attend “{title}”?",
        "lv": "Vai jums noteikti jāapmeklē “{title}”?",
        "nb": "Må du delta på «{title}»?",
    },
    "survey_yes": {"en": "yes", "lv": "jā", "nb": "ja"},
    "survey_yes_or_blank": {
        "en": "“{yes}” or blank",
        "lv": "“{yes}” vai tukšs",
        "nb": "«{yes}» eller tomt",
    },
    "survey_needs_sheet": {"en": "Needs", "lv": "Vajadzības", "nb": "Behov"},
    "survey_needs_help": {
        "en": "Tell us what the hosts should know: diet, access or other needs.",
        "lv": "Norādiet, kas jāzina uzņēmējiem: uztura, piekļūstamības vai citas vajadzības.",
        "nb": "Fortell hva vertene bør vite: kosthold, tilgjengelighet eller andre behov.",
    },
    "survey_diet": {"en": "Dietary requirements", "lv": "Uztura prasības", "nb": "Kostholdsbehov"},
    "survey_needs": {
        "en": "Access or other needs",
        "lv": "Piekļūstamības vai citas vajadzības",
        "nb": "Tilgjengelighet eller andre behov",
    },
    "survey_diet_examples": {
        "en": "Counted for the caterers when written as: {codes}. Separate several with a "
        "semicolon.",
        "lv": "Ēdinātājiem tiek saskaitīti šādi apzīmējumi: {codes}. Vairākus atdaliet ar "
        "semikolu.",
        "nb": "Disse ordene telles for kjøkkenet: {codes}. Skill flere med semikolon.",
    },
    # the final report (item 5)
    "report_title": {"en": "Final report", "lv": "Noslēguma atskaite", "nb": "Sluttrapport"},
    "report_draft_note": {
        "en": "Draft made from the plan: check and complete it before sending it to the funder.",
        "lv": "Melnraksts, sagatavots no plāna: pirms iesniegšanas finansētājam pārbaudiet un "
        "papildiniet to.",
        "nb": "Utkast laget fra planen: kontroller og fullfør det før det sendes til "
        "finansieringskilden.",
    },
    "report_project": {"en": "The project", "lv": "Projekts", "nb": "Prosjektet"},
    "report_project_title": {
        "en": "Project title",
        "lv": "Projekta nosaukums",
        "nb": "Prosjektets tittel",
    },
    "report_applicant": {"en": "Applicant", "lv": "Projekta iesniedzējs", "nb": "Søker"},
    "report_funding_programme": {"en": "Programme", "lv": "Programma", "nb": "Program"},
    "report_period": {"en": "Project period", "lv": "Projekta periods", "nb": "Prosjektperiode"},
    "report_visit_dates": {
        "en": "Study visit",
        "lv": "Pieredzes apmaiņas vizīte",
        "nb": "Studiebesøk",
    },
    "report_aims": {"en": "Aims", "lv": "Mērķi", "nb": "Mål"},
    "report_planned_results": {
        "en": "Planned results",
        "lv": "Plānotie rezultāti",
        "nb": "Planlagte resultater",
    },
    "report_participants": {"en": "Participants", "lv": "Dalībnieki", "nb": "Deltakere"},
    "report_programme_held": {
        "en": "The programme day by day",
        "lv": "Programma pa dienām",
        "nb": "Programmet dag for dag",
    },
    "report_attendances_line": {
        "en": "Attendances (a participant at a session): {planned} planned, {actual} actual.",
        "lv": "Dalības reizes (dalībnieks pasākumā): plānotas {planned}, faktiski {actual}.",
        "nb": "Deltakelser (en deltaker på et programpunkt): {planned} planlagt, {actual} faktisk.",
    },
    "report_hosts": {
        "en": "Hosts visited and contacts made",
        "lv": "Apmeklētās iestādes un nodibinātie kontakti",
        "nb": "Besøkte vertskap og kontakter",
    },
    "report_results": {
        "en": "Planned results and what was achieved",
        "lv": "Plānotie un sasniegtie rezultāti",
        "nb": "Planlagte og oppnådde resultater",
    },
    "report_outcomes": {
        "en": "Outcomes of the sessions",
        "lv": "Pasākumu rezultāti",
        "nb": "Resultater av programpunktene",
    },
    "report_outcome": {"en": "Outcome", "lv": "Rezultāts", "nb": "Resultat"},
    "report_no_outcomes": {
        "en": "No session outcomes are recorded.",
        "lv": "Pasākumu rezultāti nav norādīti.",
        "nb": "Ingen resultater er registrert for programpunktene.",
    },
    "report_budget": {
        "en": "Budget: planned and actual",
        "lv": "Budžets: plānotais un faktiskais",
        "nb": "Budsjett: planlagt og faktisk",
    },
    "report_no_costs": {
        "en": "The visit has no cost lines.",
        "lv": "Vizītei nav norādītas izmaksas.",
        "nb": "Besøket har ingen kostnadslinjer.",
    },
    "report_item": {"en": "Item", "lv": "Pozīcija", "nb": "Post"},
    "report_planned": {"en": "Planned", "lv": "Plānots", "nb": "Planlagt"},
    "report_actual": {"en": "Actual", "lv": "Faktiski", "nb": "Faktisk"},
    "report_total_cost": {"en": "Total cost", "lv": "Kopējās izmaksas", "nb": "Totale kostnader"},
    "report_eligible": {
        "en": "Eligible costs",
        "lv": "Attiecināmās izmaksas",
        "nb": "Støtteberettigede kostnader",
    },
    "report_ineligible": {
        "en": "Ineligible costs",
        "lv": "Neattiecināmās izmaksas",
        "nb": "Ikke støtteberettigede kostnader",
    },
    "report_budget_remaining": {
        "en": "Budget remaining",
        "lv": "Budžeta atlikums",
        "nb": "Gjenstående budsjett",
    },
    "report_per_diem_total": {"en": "Per diems", "lv": "Dienas naudas", "nb": "Diett"},
    "report_grant_share": {"en": "Grant share", "lv": "Finansējums", "nb": "Tilskudd"},
    "report_cofinancing": {"en": "Co-financing", "lv": "Līdzfinansējums", "nb": "Egenandel"},
    "report_figures_from": {
        "en": "Figures as computed in {files}.",
        "lv": "Summas no {files}.",
        "nb": "Beløp slik de er beregnet i {files}.",
    },
    "report_evaluation": {"en": "Evaluation", "lv": "Novērtējums", "nb": "Evaluering"},
    "report_forms_line": {
        "en": "Evaluation forms returned: {responses} of {forms}.",
        "lv": "Atgrieztas novērtējuma anketas: {responses} no {forms}.",
        "nb": "Returnerte evalueringsskjemaer: {responses} av {forms}.",
    },
    "report_responses": {"en": "Responses", "lv": "Atbildes", "nb": "Svar"},
    "report_mean": {
        "en": "Mean rating (1–5)",
        "lv": "Vidējais vērtējums (1–5)",
        "nb": "Gjennomsnittlig vurdering (1–5)",
    },
    "report_whole_visit": {
        "en": "The visit as a whole",
        "lv": "Vizīte kopumā",
        "nb": "Besøket som helhet",
    },
    "report_question": {"en": "Question", "lv": "Jautājums", "nb": "Spørsmål"},
    "report_annexes": {"en": "Annexes", "lv": "Pielikumi", "nb": "Vedlegg"},
    "report_annex_sign_in": {
        "en": "Sign-in sheets",
        "lv": "Dalībnieku reģistrācijas lapas",
        "nb": "Deltakerlister med signatur",
    },
    "report_annex_participants": {
        "en": "List of participants",
        "lv": "Dalībnieku saraksts",
        "nb": "Deltakerliste",
    },
    "report_annex_certificates": {
        "en": "Certificates of attendance",
        "lv": "Dalības apliecinājumi",
        "nb": "Deltakerbevis",
    },
    "report_annex_kit_workbook": {
        "en": "Sign-in and participant tables",
        "lv": "Reģistrācijas un dalībnieku tabulas",
        "nb": "Tabeller over signaturer og deltakere",
    },
    "report_annex_costs": {"en": "Cost sheet", "lv": "Izmaksu tabula", "nb": "Kostnadsark"},
    "report_annex_actuals": {
        "en": "Actual attendance and costs",
        "lv": "Faktiskā dalība un izmaksas",
        "nb": "Faktisk deltakelse og kostnader",
    },
    "report_annex_evaluation": {
        "en": "Evaluation results",
        "lv": "Novērtējuma rezultāti",
        "nb": "Evalueringsresultater",
    },
    "report_annex_contacts": {
        "en": "Contacts of the host institutions",
        "lv": "Uzņemošo iestāžu kontakti",
        "nb": "Kontaktinformasjon til vertskapene",
    },
    # evaluation after the visit (item 2)
    "evaluation": {"en": "Evaluation", "lv": "Novērtējums", "nb": "Evaluering"},
    "evaluation_form": {
        "en": "Evaluation form",
        "lv": "Novērtējuma anketa",
        "nb": "Evalueringsskjema",
    },
    "evaluation_intro": {
        "en": "Please rate each session you attended from 1 (poor) to 5 (excellent), add a "
        "comment if you wish, and answer the questions on the whole visit.",
        "lv": "Lūdzu, novērtējiet katru apmeklēto pasākumu no 1 (slikti) līdz 5 (izcili), ja "
        "vēlaties, pievienojiet komentāru un atbildiet uz jautājumiem par vizīti kopumā.",
        "nb": "Gi hvert programpunkt du deltok på en karakter fra 1 (dårlig) til 5 (utmerket), "
        "skriv gjerne en kommentar, og svar på spørsmålene om besøket som helhet.",
    },
    "evaluation_rating": {"en": "Rating (1–5)", "lv": "Vērtējums (1–5)", "nb": "Karakter (1–5)"},
    "evaluation_comment": {"en": "Comment", "lv": "Komentārs", "nb": "Kommentar"},
    "evaluation_comments": {"en": "Comments", "lv": "Komentāri", "nb": "Kommentarer"},
    "evaluation_whole_visit": {
        "en": "The whole visit",
        "lv": "Vizīte kopumā",
        "nb": "Besøket som helhet",
    },
    "evaluation_question": {"en": "Question", "lv": "Jautājums", "nb": "Spørsmål"},
    "evaluation_answer": {"en": "Answer", "lv": "Atbilde", "nb": "Svar"},
    "evaluation_q_usefulness": {
        "en": "How useful was the visit for your work? (1–5)",
        "lv": "Cik noderīga jūsu darbam bija vizīte? (1–5)",
        "nb": "Hvor nyttig var besøket for arbeidet ditt? (1–5)",
    },
    "evaluation_q_organisation": {
        "en": "How well was the visit organised? (1–5)",
        "lv": "Cik labi bija organizēta vizīte? (1–5)",
        "nb": "Hvor godt var besøket organisert? (1–5)",
    },
    "evaluation_q_apply": {
        "en": "What will you apply in your work at home?",
        "lv": "Ko no redzētā izmantosiet savā darbā mājās?",
        "nb": "Hva vil du ta i bruk i ditt eget arbeid hjemme?",
    },
    "evaluation_q_contacts": {
        "en": "Which contacts did you make with the hosts?",
        "lv": "Kādus kontaktus nodibinājāt ar uzņemošajām organizācijām?",
        "nb": "Hvilke kontakter knyttet du med vertene?",
    },
    "evaluation_invalid_rating": {
        "en": "Enter a whole number from 1 to 5.",
        "lv": "Ievadiet veselu skaitli no 1 līdz 5.",
        "nb": "Skriv inn et heltall fra 1 til 5.",
    },
    "evaluation_mean": {"en": "Mean", "lv": "Vidējais vērtējums", "nb": "Gjennomsnitt"},
    "evaluation_responses": {"en": "Responses", "lv": "Atbilžu skaits", "nb": "Antall svar"},
    "evaluation_returned": {
        "en": "{returned} of {sent} forms returned",
        "lv": "Atgrieztas {returned} no {sent} anketām",
        "nb": "{returned} av {sent} skjemaer returnert",
    },
    "evaluation_by_session": {
        "en": "Ratings per session",
        "lv": "Vērtējumi pa pasākumiem",
        "nb": "Karakterer per programpunkt",
    },
    "evaluation_by_host": {
        "en": "Ratings per host",
        "lv": "Vērtējumi pa uzņemošajām organizācijām",
        "nb": "Karakterer per vert",
    },
    "evaluation_returned_from": {"en": "Returned", "lv": "Atgriezta", "nb": "Returnert"},
    # rides and breaks
    "walk": {"en": "Walk", "lv": "Kājām", "nb": "Til fots"},
    "lunch": {"en": "Lunch", "lv": "Pusdienas", "nb": "Lunsj"},
    "lunch_break": {"en": "Lunch break", "lv": "Pusdienu pārtraukums", "nb": "Lunsjpause"},
    "vehicle": {"en": "Vehicle", "lv": "Transportlīdzeklis", "nb": "Kjøretøy"},
    "vehicle_n": {"en": "Vehicle {n}", "lv": "Transportlīdzeklis {n}", "nb": "Kjøretøy {n}"},
    "transport": {"en": "Transport", "lv": "Transports", "nb": "Transport"},
    "by_vehicle": {"en": "By vehicle", "lv": "Ar transportu", "nb": "Med kjøretøy"},
    "from": {"en": "From", "lv": "No", "nb": "Fra"},
    "to": {"en": "To", "lv": "Uz", "nb": "Til"},
    "depart": {"en": "Departure", "lv": "Izbraukšana", "nb": "Avgang"},
    "arrive": {"en": "Arrival", "lv": "Ierašanās", "nb": "Ankomst"},
    "together_with": {"en": "Together with", "lv": "Kopā ar", "nb": "Sammen med"},
    "travellers": {"en": "People", "lv": "Cilvēki", "nb": "Personer"},
    "how": {"en": "How", "lv": "Kā", "nb": "Hvordan"},
    "leaves_at": {
        "en": "Leaves {place} at {time}",
        "lv": "Izbraukšana: {place}, plkst. {time}",
        "nb": "Avgang fra {place} kl. {time}",
    },
    "back_at": {
        "en": "back at {place} at {time}",
        "lv": "atpakaļ: {place}, plkst. {time}",
        "nb": "tilbake på {place} kl. {time}",
    },
    "walks_from": {
        "en": "Walk from {place} at {time}",
        "lv": "Kājām no: {place}, plkst. {time}",
        "nb": "Gå fra {place} kl. {time}",
    },
    "no_rides": {"en": "No rides.", "lv": "Nav braucienu.", "nb": "Ingen turer."},
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
    "sessions": {"en": "Sessions", "lv": "Pasākumi", "nb": "Programpunkter"},
    "session": {"en": "Session", "lv": "Pasākums", "nb": "Programpunkt"},
    "no_sessions": {
        "en": "No sessions scheduled.",
        "lv": "Nav ieplānotu pasākumu.",
        "nb": "Ingen planlagte programpunkter.",
    },
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
    # pages and the booklet
    "timeline": {"en": "Timeline", "lv": "Laika grafiks", "nb": "Tidslinje"},
    "map": {"en": "Map", "lv": "Karte", "nb": "Kart"},
    "map_of": {"en": "Map of {what}", "lv": "Karte: {what}", "nb": "Kart: {what}"},
    "city_centre": {"en": "Close by", "lv": "Tuvumā", "nb": "I nærheten"},
    "not_on_map": {
        "en": "Not on the map (no coordinates)",
        "lv": "Nav kartē (nav koordinātu)",
        "nb": "Ikke på kartet (mangler koordinater)",
    },
    "days": {"en": "Day by day", "lv": "Pa dienām", "nb": "Dag for dag"},
    "day_n": {"en": "Day {n}", "lv": "{n}. diena", "nb": "Dag {n}"},
    "no_programme": {"en": "No programme", "lv": "Nav programmas", "nb": "Ikke program"},
    "time": {"en": "Time", "lv": "Laiks", "nb": "Tid"},
    "what": {"en": "What", "lv": "Kas", "nb": "Hva"},
    "where": {"en": "Where", "lv": "Kur", "nb": "Hvor"},
    "with_whom": {"en": "With whom", "lv": "Ar ko", "nb": "Med hvem"},
    "hosts": {"en": "Hosts", "lv": "Uzņemošās organizācijas", "nb": "Vertskap"},
    "base": {"en": "Accommodation", "lv": "Naktsmītne", "nb": "Overnatting"},
    "delegates": {"en": "Delegates", "lv": "Dalībnieki", "nb": "Delegater"},
    "group": {"en": "Group", "lv": "Grupa", "nb": "Gruppe"},
    "groups": {
        "en": "Groups of delegates with the same programme that day",
        "lv": "Dalībnieku grupas ar vienādu dienas programmu",
        "nb": "Grupper av delegater med samme program den dagen",
    },
    "roster": {"en": "Roster", "lv": "Dalībnieku saraksts", "nb": "Deltakerliste"},
    "name": {"en": "Name", "lv": "Vārds, uzvārds", "nb": "Navn"},
    "role": {"en": "Role", "lv": "Loma", "nb": "Rolle"},
    "organisation": {"en": "Organisation", "lv": "Organizācija", "nb": "Organisasjon"},
    "stay": {"en": "Stay", "lv": "Uzturēšanās", "nb": "Opphold"},
    "arrives_on": {"en": "Arrives", "lv": "Ierodas", "nb": "Ankommer"},
    "departs_on": {"en": "Leaves", "lv": "Aizbrauc", "nb": "Reiser"},
    "calendar": {"en": "Calendar (.ics)", "lv": "Kalendārs (.ics)", "nb": "Kalender (.ics)"},
    "downloads": {"en": "Downloads", "lv": "Lejupielādes", "nb": "Nedlastinger"},
    "workbook": {
        "en": "Programme workbook (.xlsx)",
        "lv": "Programmas tabula (.xlsx)",
        "nb": "Programregneark (.xlsx)",
    },
    "pdf": {"en": "Booklet (PDF)", "lv": "Buklets (PDF)", "nb": "Hefte (PDF)"},
    "cost_sheet": {
        "en": "Cost sheet (.xlsx)",
        "lv": "Izmaksu tabula (.xlsx)",
        "nb": "Kostnadsark (.xlsx)",
    },
    "booklet": {
        "en": "Printable booklet",
        "lv": "Drukājams buklets",
        "nb": "Utskriftsvennlig hefte",
    },
    "back": {"en": "Whole programme", "lv": "Visa programma", "nb": "Hele programmet"},
    "personal": {
        "en": "Personal programme",
        "lv": "Personīgā programma",
        "nb": "Personlig program",
    },
    "budget": {"en": "Budget", "lv": "Budžets", "nb": "Budsjett"},
    "category": {"en": "Category", "lv": "Kategorija", "nb": "Kategori"},
    "amount": {"en": "Amount", "lv": "Summa", "nb": "Beløp"},
    "total_cost": {"en": "Total cost", "lv": "Kopējās izmaksas", "nb": "Totale kostnader"},
    "eligible": {
        "en": "Eligible costs",
        "lv": "Attiecināmās izmaksas",
        "nb": "Støtteberettigede kostnader",
    },
    "grant_share": {"en": "Grant share", "lv": "Finansējums", "nb": "Tilskudd"},
    "cofinancing": {"en": "Co-financing", "lv": "Līdzfinansējums", "nb": "Egenandel"},
    "budget_total": {"en": "Budget", "lv": "Budžets", "nb": "Budsjett"},
    "remaining": {"en": "Remaining", "lv": "Atlikums", "nb": "Gjenstår"},
    "contents": {"en": "Contents", "lv": "Saturs", "nb": "Innhold"},
    "legend": {"en": "Legend", "lv": "Apzīmējumi", "nb": "Tegnforklaring"},
    "date": {"en": "Date", "lv": "Datums", "nb": "Dato"},
    # needs that are counted (model.NEED_CODES)
    "vegetarian": {"en": "Vegetarian", "lv": "Veģetārs", "nb": "Vegetar"},
    "vegan": {"en": "Vegan", "lv": "Vegānisks", "nb": "Vegansk"},
    "gluten_free": {"en": "Gluten-free", "lv": "Bez glutēna", "nb": "Glutenfri"},
    "lactose_free": {"en": "Lactose-free", "lv": "Bez laktozes", "nb": "Laktosefri"},
    "nut_allergy": {"en": "Nut allergy", "lv": "Alerģija pret riekstiem", "nb": "Nøtteallergi"},
    "halal": {"en": "Halal", "lv": "Halāls", "nb": "Halal"},
    "kosher": {"en": "Kosher", "lv": "Košers", "nb": "Kosher"},
    "step_free": {
        "en": "Step-free access",
        "lv": "Piekļuve bez pakāpieniem",
        "nb": "Trinnfri adkomst",
    },
    "no_walking": {"en": "No walking", "lv": "Bez iešanas kājām", "nb": "Ikke gå"},
    "lunch_sittings": {"en": "Lunch", "lv": "Pusdienas", "nb": "Lunsj"},
    "diners": {"en": "Diners", "lv": "Ēdāji", "nb": "Spisende"},
    "no_special_needs": {"en": "none", "lv": "nav", "nb": "ingen"},
    # the field kit
    "sign_in_sheet": {
        "en": "Attendance sheet",
        "lv": "Dalībnieku reģistrācijas lapa",
        "nb": "Deltakerliste med signatur",
    },
    "sheet_n": {
        "en": "Sheet {n} of {total}",
        "lv": "Lapa {n} no {total}",
        "nb": "Ark {n} av {total}",
    },
    "signature": {"en": "Signature", "lv": "Paraksts", "nb": "Signatur"},
    "walk_ins": {"en": "Not listed above", "lv": "Sarakstā nav", "nb": "Ikke på listen"},
    "project": {"en": "Project", "lv": "Projekts", "nb": "Prosjekt"},
    "funder": {"en": "Funded by", "lv": "Finansētājs", "nb": "Finansiert av"},
    "project_number": {"en": "Project no.", "lv": "Projekta Nr.", "nb": "Prosjektnr."},
    "participants": {
        "en": "List of participants",
        "lv": "Dalībnieku saraksts",
        "nb": "Deltakerliste",
    },
    "arrival": {"en": "Arrival", "lv": "Ierašanās", "nb": "Ankomst"},
    "departure": {"en": "Departure", "lv": "Aizbraukšana", "nb": "Avreise"},
    "days_count": {"en": "Days", "lv": "Dienas", "nb": "Dager"},
    "nights_count": {"en": "Nights", "lv": "Naktis", "nb": "Netter"},
    "total": {"en": "Total", "lv": "Kopā", "nb": "Totalt"},
    "by_organisation": {
        "en": "By organisation",
        "lv": "Pa organizācijām",
        "nb": "Etter organisasjon",
    },
    "by_role": {"en": "By role", "lv": "Pa lomām", "nb": "Etter rolle"},
    "people_count": {"en": "People", "lv": "Personas", "nb": "Personer"},
    "manifest": {"en": "Passenger list", "lv": "Pasažieru saraksts", "nb": "Passasjerliste"},
    "driver_sheet": {"en": "Driver's sheet", "lv": "Vadītāja lapa", "nb": "Sjåførark"},
    "walks": {"en": "On foot", "lv": "Kājām", "nb": "Til fots"},
    "walkers": {"en": "Who walks", "lv": "Kas iet kājām", "nb": "Hvem går"},
    "riders": {"en": "Passengers", "lv": "Pasažieri", "nb": "Passasjerer"},
    "tick": {"en": "✓", "lv": "✓", "nb": "✓"},
    "seats_used": {"en": "Seats used", "lv": "Aizņemtas vietas", "nb": "Seter brukt"},
    "seats_line": {
        "en": "{seats} seats, {reserved} kept for staff",
        "lv": "{seats} vietas, {reserved} rezervētas personālam",
        "nb": "{seats} seter, {reserved} holdt av til stab",
    },
    "seats_free": {"en": "Seats free", "lv": "Brīvas vietas", "nb": "Ledige seter"},
    "empty_drive": {"en": "Empty drive", "lv": "Brauciens bez pasažieriem", "nb": "Tomkjøring"},
    "leave_by": {
        "en": "leave at {leave}, there by {arrive}",
        "lv": "izbraukt {leave}, ierasties līdz {arrive}",
        "nb": "kjør {leave}, fremme senest {arrive}",
    },
    "minutes_n": {"en": "{n} min", "lv": "{n} min", "nb": "{n} min"},
    "unlimited": {"en": "unlimited", "lv": "neierobežots", "nb": "ubegrenset"},
    "day_brief": {
        "en": "Group leader's day brief",
        "lv": "Grupas vadītāja dienas pārskats",
        "nb": "Dagsoversikt for gruppeleder",
    },
    "splits": {
        "en": "The delegation splits at {time}",
        "lv": "Delegācija sadalās plkst. {time}",
        "nb": "Delegasjonen deler seg kl. {time}",
    },
    "joins": {
        "en": "The delegation is together again at {time} ({place})",
        "lv": "Delegācija atkal kopā plkst. {time} ({place})",
        "nb": "Delegasjonen er samlet igjen kl. {time} ({place})",
    },
    "together_all_day": {
        "en": "The delegation stays together all day.",
        "lv": "Delegācija visu dienu ir kopā.",
        "nb": "Delegasjonen er samlet hele dagen.",
    },
    "departures": {"en": "Departures", "lv": "Izbraukšanas", "nb": "Avganger"},
    "meeting_point": {"en": "Meeting point", "lv": "Tikšanās vieta", "nb": "Møtested"},
    "emergency": {
        "en": "Emergency information",
        "lv": "Ārkārtas informācija",
        "nb": "Nødinformasjon",
    },
    "emergency_contact": {
        "en": "Emergency contact",
        "lv": "Kontaktpersona ārkārtas gadījumā",
        "nb": "Pårørende",
    },
    "emergency_number": {"en": "Emergency number", "lv": "Ārkārtas tālrunis", "nb": "Nødnummer"},
    "catering": {"en": "Catering counts", "lv": "Ēdināšanas skaits", "nb": "Bevertning: antall"},
    "meals": {"en": "Meals", "lv": "Maltītes", "nb": "Måltider"},
    "place": {"en": "Place", "lv": "Vieta", "nb": "Sted"},
    "count": {"en": "Count", "lv": "Skaits", "nb": "Antall"},
    "certificate": {
        "en": "Certificate of attendance",
        "lv": "Apliecinājums par dalību",
        "nb": "Deltakerbevis",
    },
    "certify": {
        "en": "This is to certify that {name} took part in {title}, {dates}.",
        "lv": "Apliecinām, ka {name} piedalījās: {title}, {dates}.",
        "nb": "Det bekreftes at {name} deltok i {title}, {dates}.",
    },
    "hours": {"en": "Hours", "lv": "Stundas", "nb": "Timer"},
    "total_hours": {"en": "Total hours", "lv": "Kopā stundas", "nb": "Timer totalt"},
    "for_organiser": {
        "en": "For the organiser",
        "lv": "Organizatora vārdā",
        "nb": "For arrangøren",
    },
    "place_and_date": {"en": "Place and date", "lv": "Vieta un datums", "nb": "Sted og dato"},
    "badges": {"en": "Name badges", "lv": "Vārda kartes", "nb": "Navneskilt"},
    "groups_of_day": {"en": "Where everyone is", "lv": "Kur kurš atrodas", "nb": "Hvor alle er"},
    "hotel": {"en": "Hotel", "lv": "Viesnīca", "nb": "Hotell"},
}

CATEGORY_WORDS: dict[str, dict[str, str]] = {
    "flight": {"en": "Flights", "lv": "Lidojumi", "nb": "Fly"},
    "accommodation": {"en": "Accommodation", "lv": "Naktsmītnes", "nb": "Overnatting"},
    "per_diem": {"en": "Per diem", "lv": "Dienas nauda", "nb": "Diett"},
    "transport": {"en": "Transport", "lv": "Transports", "nb": "Transport"},
    "interpreter": {"en": "Interpreting", "lv": "Tulkošana", "nb": "Tolking"},
    "venue": {"en": "Venues", "lv": "Telpas", "nb": "Lokaler"},
    "insurance": {"en": "Insurance", "lv": "Apdrošināšana", "nb": "Forsikring"},
    "other": {"en": "Other", "lv": "Citas", "nb": "Annet"},
}
"""The cost categories of costs.csv, as a budget summary names them."""

WEEKDAYS: dict[str, tuple[str, ...]] = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "lv": (
        "pirmdiena",
        "otrdiena",
        "trešdiena",
        "ceturtdiena",
        "piektdiena",
        "sestdiena",
        "svētdiena",
    ),
    "nb": ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"),
}
MONTHS: dict[str, tuple[str, ...]] = {
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    "lv": (
        "janvāris",
        "februāris",
        "marts",
        "aprīlis",
        "maijs",
        "jūnijs",
        "jūlijs",
        "augusts",
        "septembris",
        "oktobris",
        "novembris",
        "decembris",
    ),
    "nb": (
        "januar",
        "februar",
        "mars",
        "april",
        "mai",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "desember",
    ),
}
NOUNS: dict[str, dict[str, tuple[str, str]]] = {
    "delegate": {
        "en": ("delegate", "delegates"),
        "lv": ("dalībnieks", "dalībnieki"),
        "nb": ("delegat", "delegater"),
    },
    "day": {"en": ("day", "days"), "lv": ("diena", "dienas"), "nb": ("dag", "dager")},
    "session": {
        "en": ("session", "sessions"),
        "lv": ("pasākums", "pasākumi"),
        "nb": ("programpunkt", "programpunkter"),
    },
    "host": {
        "en": ("host", "hosts"),
        "lv": ("uzņemošā organizācija", "uzņemošās organizācijas"),
        "nb": ("vertskap", "vertskap"),
    },
    "ride": {"en": ("ride", "rides"), "lv": ("brauciens", "braucieni"), "nb": ("tur", "turer")},
}
"""Singular and plural of the things outputs count."""


def _language(language: str) -> str:
    return language if language in LANGUAGES else FALLBACK


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


def ride_word(vehicle: str, language: str) -> str:
    """How a ride goes, the same in every output: on foot, in vehicle n, or by transport.

    ``vehicle`` is a plan leg's: ``"walk"``, ``"1"``..``"N"``, or ``""``."""
    if vehicle == "walk":
        return word("walk", language)
    if vehicle:
        return word("vehicle_n", language).format(n=vehicle)
    return word("transport", language)


# -- dates ------------------------------------------------------------------------------


def date_text(on: date, language: str, *, weekday: bool = True, year: bool = True) -> str:
    """A date as people write it: the one date format of every output but the spec's tables.

    ``Monday 24 August 2009``, ``pirmdiena, 2009. gada 24. augusts``,
    ``mandag 24. august 2009``; without the year ``Monday 24 August``,
    ``pirmdiena, 24. augusts``, ``mandag 24. august``.
    """
    language = _language(language)
    month = MONTHS[language][on.month - 1]
    day_name = WEEKDAYS[language][on.weekday()]
    if language == "lv":
        text = f"{on.year}. gada {on.day}. {month}" if year else f"{on.day}. {month}"
        return f"{day_name}, {text}" if weekday else text
    if language == "nb":
        text = f"{on.day}. {month}" + (f" {on.year}" if year else "")
    else:
        text = f"{on.day} {month}" + (f" {on.year}" if year else "")
    return f"{day_name} {text}" if weekday else text


def short_date(on: date, language: str) -> str:
    """Weekday and day of the month, for tight places: ``Mon 24 Aug``, ``pirmdiena, 24. augusts``."""
    language = _language(language)
    if language == "en":
        month = MONTHS[language][on.month - 1]
        return f"{WEEKDAYS[language][on.weekday()][:3]} {on.day} {month[:3]}"
    return date_text(on, language, year=False)


def moment_text(moment: datetime, language: str) -> str:
    """A wall-clock moment: ``Monday 24 August, 12:00``, ``pirmdiena, 24. augusts, plkst. 12:00``."""
    language = _language(language)
    day = date_text(moment.date(), language, year=False)
    clock = f"{moment.hour:02d}:{moment.minute:02d}"
    if language == "lv":
        return f"{day}, plkst. {clock}"
    if language == "nb":
        return f"{day} kl. {clock}"
    return f"{day}, {clock}"


def date_span(first: date, last: date, language: str) -> str:
    """A run of dates: ``24–28 August 2009``, ``2009. gada 24.–28. augusts``, ..."""
    language = _language(language)
    if first == last:
        return date_text(first, language)
    months = MONTHS[language]
    m1, m2 = months[first.month - 1], months[last.month - 1]
    d1, d2, year = first.day, last.day, last.year
    same = first.month == last.month and first.year == last.year
    if language == "lv":
        return f"{year}. gada {d1}.–{d2}. {m2}" if same else f"{year}. gada {d1}. {m1} – {d2}. {m2}"
    if language == "nb":
        return f"{d1}.–{d2}. {m2} {year}" if same else f"{d1}. {m1} – {d2}. {m2} {year}"
    return f"{d1}–{d2} {m2} {year}" if same else f"{d1} {m1} – {d2} {m2} {year}"


# -- one language at hand ------------------------------------------------------------------


class Words:
    """Fixed words, dates, counts and amounts in one language (lv, en or nb), for templates."""

    def __init__(self, language: str) -> None:
        self.language = _language(language)

    def __call__(self, key: str, **values: object) -> str:
        text = word(key, self.language)
        return text.format(**values) if values else text

    def kind(self, kind: str) -> str:
        return kind_word(kind, self.language)

    def whole(self) -> str:
        """The whole delegation in lower case, to stand inside a sentence."""
        return self("whole_delegation").lower()

    def category(self, category: str) -> str:
        words = CATEGORY_WORDS.get(category)
        return words[self.language] if words else category

    def weekday(self, on: date) -> str:
        return WEEKDAYS[self.language][on.weekday()]

    def day(self, on: date) -> str:
        return date_text(on, self.language)

    def short_day(self, on: date) -> str:
        return short_date(on, self.language)

    def moment(self, moment: datetime) -> str:
        return moment_text(moment, self.language)

    def span(self, first: date, last: date) -> str:
        return date_span(first, last, self.language)

    def people(self, n: int) -> str:
        """``1 delegate``, ``25 delegates``."""
        return f"{n} {self.noun(n, 'delegate')}"

    def noun(self, n: int, key: str) -> str:
        """The form of a noun of :data:`NOUNS` that goes with the number n.

        Latvian takes the singular after 1, 21, 31, ... but not after 11.
        """
        one, many = NOUNS[key][self.language]
        if self.language == "lv":
            singular = n % 10 == 1 and n % 100 != 11
        else:
            singular = n == 1
        return one if singular else many

    def money(self, amount: Decimal, currency: str) -> str:
        """``58,800.00 EUR`` in English, ``58 800,00 EUR`` in Latvian and Norwegian."""
        text = f"{amount:,.2f}"
        if self.language != "en":
            text = text.replace(",", "\u00a0").replace(".", ",")
        return f"{text}\u00a0{currency}"

    def vehicle(self, vehicle: str) -> str:
        return ride_word(vehicle, self.language)

    def hours(self, minutes: int) -> str:
        """``1.5`` in English, ``1,5`` in Latvian and Norwegian: hours to one decimal."""
        text = f"{minutes / 60:.1f}".removesuffix(".0")
        return text if self.language == "en" else text.replace(".", ",")

    def need(self, code: str) -> str:
        """A need code (model.NEED_CODES) in words; anything else as written."""
        return word(code, self.language) if code in WORDS else code

    def needs_counted(self, counts: tuple[tuple[str, int], ...]) -> str:
        """``Vegetarian: 2; Gluten-free: 1``, or the word for none."""
        if not counts:
            return self("no_special_needs")
        return "; ".join(f"{self.need(code)}: {n}" for code, n in counts)
