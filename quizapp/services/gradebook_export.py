"""The gradebook as a CSV download, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from zoneinfo import ZoneInfo

from flask_babel import gettext

from quizapp.domain.days import local_date, wall_clock
from quizapp.domain.formats.spreadsheet import formula_safe_cell
from quizapp.services.gradebook import ClassOverview, StudentProgress

# --- the gradebook as CSV -----------------------------------------------------------


def _percent(share: float | None) -> str:
    return "" if share is None else f"{share * 100:.1f}"


def gradebook_csv(overview: ClassOverview, students: list[StudentProgress], tz: ZoneInfo) -> str:
    """The gradebook as CSV: one row per student, in the order given.

    Percentages are numbers from 0 to 100 with one decimal (a point, in every
    language), empty when there is nothing to divide; times are in the
    teacher's zone ``tz``. Each assignment has a column with the score of a
    finished attempt, or "unfinished" / "not started". The header row is the
    same in every language (docs/GRADEBOOK_CSV.md); the at-risk reasons and the
    unfinished / not started words follow the interface's language.
    """
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\r\n")
    writer.writerow(
        [
            "student",
            "reviews_last_7_days",
            "true_retention_30_days_percent",
            "due_reviews_last_30_days",
            "mastery_of_questions_met_percent",
            *(f"mastery_{topic.slug}_percent" for topic in overview.topics),
            "questions_met",
            f"last_active ({tz.key})",
            "at_risk",
            *(
                formula_safe_cell(f"{assignment.title} (due {local_date(assignment.due_at, tz).isoformat()}) percent")
                for assignment in overview.assignments
            ),
        ]
    )
    for row in students:
        assignment_cells = []
        for assignment in overview.assignments:
            score = row.assignments.get(assignment.id)
            if score is None:
                assignment_cells.append(gettext("not started"))
            elif not score.finished:
                assignment_cells.append(gettext("unfinished"))
            else:
                assignment_cells.append(_percent(score.score))
        writer.writerow(
            [
                formula_safe_cell(row.username),
                row.reviews_week,
                _percent(row.retention),
                row.retention_reviews,
                _percent(row.mastery),
                *(_percent(row.topic_share(topic)) for topic in overview.topics),
                row.cards,
                wall_clock(row.last_active, tz).strftime("%Y-%m-%d %H:%M") if row.last_active else "",
                row.at_risk_text,
                *assignment_cells,
            ]
        )
    return output.getvalue()
