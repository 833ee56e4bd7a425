"""What the domain writes for students, in each language: grading feedback, answer hints, and why a
response cannot be graded as it stands.

Each text is defined once, in English, where the domain writes it (``grading.CORRECT``,
``ShortAnswer.hint``, ...); that English text is what a verdict carries and a quiz item keeps, and
the key of its wording in the other languages here. The view words it in the reader's language with
:func:`in_language`, so a stored answer's feedback reads in whatever language the student reads now.
"""

from __future__ import annotations

from collections.abc import Mapping

from quizapp.domain import grading
from quizapp.domain.dates import DatePrecision
from quizapp.domain.languages import Language
from quizapp.domain.question_types import base, choice, matching, timeline
from quizapp.domain.question_types.numerical import Numerical
from quizapp.domain.question_types.typed import Date, ShortAnswer

SPANISH: Mapping[str, str] = {
    grading.CORRECT: "Correcto",
    grading.PARTIALLY_CORRECT: "Parcialmente correcto",
    grading.CORRECT_WITH_TYPO: "Aceptada con una pequeña diferencia de ortografía",
    grading.INCORRECT: "Incorrecto",
    grading.NO_ANSWER: "No diste ninguna respuesta",
    grading.WRONG_DATE: "No es la fecha correcta",
    grading.UNREADABLE_DATE: (
        "No se pudo leer una fecha; escríbela como 20 de octubre de 1883, 20/10/1883 o 1883-10-20"
    ),
    grading.FULL_YEAR_NEEDED: "Escribe el año completo, por ejemplo 1883",
    grading.UNREADABLE_NUMBER: "No se pudo leer un número; escríbelo en cifras, por ejemplo 1883 o 2,5",
    grading.YEAR_RIGHT_MONTH_WRONG: "El año es correcto, pero el mes no",
    grading.MONTH_RIGHT_DAY_WRONG: "El mes es correcto, pero el día no",
    grading.NOT_PRECISE_ENOUGH[DatePrecision.YEAR, DatePrecision.MONTH]: (
        "Tu fecha es correcta hasta el año, pero la pregunta pide también el mes"
    ),
    grading.NOT_PRECISE_ENOUGH[DatePrecision.YEAR, DatePrecision.DAY]: (
        "Tu fecha es correcta hasta el año, pero la pregunta pide también el mes y el día"
    ),
    grading.NOT_PRECISE_ENOUGH[DatePrecision.MONTH, DatePrecision.DAY]: (
        "Tu fecha es correcta hasta el mes, pero la pregunta pide también el día"
    ),
    timeline.INCOMPLETE_ORDER: "Da a cada acontecimiento su propio lugar en el orden",
    base.TYPE_AN_ANSWER: "Escribe una respuesta, o elige «No sé».",
    choice.CHOOSE_ONE: "Elige una de las respuestas.",
    choice.CHOOSE_SOME: "Elige al menos una de las respuestas, o «No sé».",
    matching.CHOOSE_EACH_MATCH: "Elige la pareja de cada elemento.",
    matching.CHOOSE_A_MATCH: "Elige la pareja de al menos un elemento, o «No sé».",
    timeline.PLACE_EACH_EVENT: (
        "Pon cada acontecimiento en su lugar: cada lugar necesita un acontecimiento, y cada uno se usa una vez."
    ),
    ShortAnswer.hint: "Las tildes y las mayúsculas no importan; se perdona un pequeño error de ortografía.",
    Date.hint: (
        "Escribe una fecha como 12 de marzo de 1881, 12/03/1881 o 1881-03-12, tan precisa como pide la pregunta."
    ),
    Numerical.hint: "Un número en cifras, por ejemplo 1883.",
}

_WORDINGS: Mapping[Language, Mapping[str, str]] = {Language.SPANISH: SPANISH}


def in_language(text: str, language: Language) -> str:
    """A text the domain wrote (in English) in ``language``; any other text (an author's) as it is."""
    return _WORDINGS.get(language, {}).get(text, text)
