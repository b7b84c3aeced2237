"""``visitplan survey VISIT OUT_DIR``: the questionnaire folder, written whole.

OUT_DIR gets one workbook per delegate (:func:`.workbook.file_name`),
``survey.csv`` (the header an online form is built from) and
``survey-questions.csv`` (each question's wording).  OUT_DIR must not exist,
be empty, or hold an earlier questionnaire (a survey.csv), replaced as a whole.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from visitplan.model import Visit

from . import form_csv, workbook
from .folder import staged


def _earlier_survey(folder: Path) -> bool:
    return (folder / form_csv.SURVEY_CSV).is_file()


def write_survey(visit: Visit, out: str | Path, moment: datetime | None = None) -> Path:
    """Write the questionnaire folder; ``moment`` stamps the workbooks (default now).

    Raises ``visitplan.outputs.OutputError`` when OUT_DIR holds something else."""
    out = Path(out)
    moment = moment or datetime.now(UTC).replace(microsecond=0)
    with staged(out, _earlier_survey) as staging:
        for delegate in visit.delegates:
            workbook.write(visit, delegate, staging / workbook.file_name(delegate.id), moment)
        (staging / form_csv.SURVEY_CSV).write_bytes(form_csv.header_bytes(visit))
        (staging / form_csv.QUESTIONS_CSV).write_bytes(form_csv.questions_bytes(visit))
    return out
