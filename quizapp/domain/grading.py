"""Lenient reading and comparing of what a student typed: names, terms, dates and numbers.

The question types (:mod:`quizapp.domain.question_types`) grade with these:
:class:`ShortAnswerGrader` for names and terms, :class:`DateGrader` for dates,
:func:`parse_number_response` for numbers. Each answers with a
:class:`Verdict`, which carries a score (partial credit) besides right or wrong.

Leniency is deliberate but bounded: case, accents, punctuation and markup
never matter; titles and articles such as "General", "Dr.", "el general" or
"la" before a name are optional; initials are read together ("EE. UU.",
"EE.UU." and "EEUU" alike, "U.S.A." and "USA"); a
short-answer response may have a small typo, but never a different number,
and a response exactly another known name, or closer to one than to the
answer, is wrong ("Pardo" is not "Prado"); a number may be written in words
where the answer is a small number ("two" for 2); a date may be written in
the usual English or Spanish forms, with "in"/"on" before it or a full stop
after it, but must be as precise as the answer. A response that cannot be read
as a date (or a number) at all is not wrong: the verdict asks the student to
try again (``retry``), as Moodle does with an invalid answer.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from rapidfuzz.distance import OSA

from quizapp.domain.dates import DatePrecision, PartialDate

MAX_RESPONSE_LENGTH = 500

CORRECT = "Correct"
PARTIALLY_CORRECT = "Partly correct"
CORRECT_WITH_TYPO = "Accepted with a small spelling difference"
INCORRECT = "Incorrect"
NO_ANSWER = "No answer given"
WRONG_DATE = "Not the right date"
UNREADABLE_DATE = "Could not read a date; write it like 20 October 1883, 1883-10-20 or 20/10/1883"
FULL_YEAR_NEEDED = "Write the year in full, e.g. 1883"
UNREADABLE_NUMBER = "Could not read a number; write it in digits, e.g. 1883 or 2.5"
YEAR_RIGHT_MONTH_WRONG = "The year is right, but the month is not"
MONTH_RIGHT_DAY_WRONG = "The month is right, but the day is not"
# A date less precise than the answer but right as far as it goes: (given, asked for) -> feedback.
NOT_PRECISE_ENOUGH = {
    (DatePrecision.YEAR, DatePrecision.MONTH): "Your date is right to the year, but the question asks for the month",
    (DatePrecision.YEAR, DatePrecision.DAY): "Your date is right to the year, but the question asks for the day",
    (DatePrecision.MONTH, DatePrecision.DAY): "Your date is right to the month, but the question asks for the day",
}


class ResponseTooLong(ValueError):
    """A response longer than :data:`MAX_RESPONSE_LENGTH` characters.

    Raised instead of grading it wrong: no honest answer is that long, so the
    caller should reject the submission (the web form limits the length too).
    """


@dataclass(frozen=True)
class Verdict:
    """The result of grading one response.

    Attributes:
        correct: whether the response earns the whole point (``score == 1``).
        feedback: one short sentence for the student, e.g.
            ``"Accepted with a small spelling difference"``.
        matched: the answer or accepted answer (as written in the question)
            the response was matched to, or None when it is wrong.
        score: the share of the point earned, 0 to 1 (partial credit); when
            not given, 1 if correct else 0.
        comment: what the question's author wrote for this response (Moodle's
            per-answer feedback), shown after answering; may be empty.
        retry: the response could not be read at all (no date, no number):
            nothing is to be recorded, the student is asked again.
    """

    correct: bool
    feedback: str
    matched: str | None = None
    score: float = field(default=-1.0)
    comment: str = ""
    retry: bool = False

    def __post_init__(self) -> None:
        if self.score == -1.0:
            object.__setattr__(self, "score", 1.0 if self.correct else 0.0)
        if not 0.0 <= self.score <= 1.0:
            raise ValueError(f"a score is between 0 and 1, not {self.score}")


# As Moodle's question engine: a share within a millionth of the whole point (three weights of
# 0.3333333333) is the whole point, within a millionth of nothing is nothing.
SCORE_TOLERANCE = 1e-6


def scored(score: float, matched: str | None = None, comment: str = "") -> Verdict:
    """The verdict of a response worth ``score`` (clamped to 0..1, as Moodle clamps a question's grade)."""
    if score > 1.0 - SCORE_TOLERANCE:
        return Verdict(True, CORRECT, matched, 1.0, comment)
    if score < SCORE_TOLERANCE:
        return Verdict(False, INCORRECT, matched, 0.0, comment)
    return Verdict(False, PARTIALLY_CORRECT, matched, score, comment)


def normalize(text: str) -> str:
    """Fold text to the form responses are compared in.

    Casefolds, strips accents (NFKD, then drops combining marks), turns every
    character that is not a letter or digit into a space and collapses runs of
    whitespace. ``normalize(normalize(x)) == normalize(x)`` for every string.

    Example: ``normalize("  Nicolás de PIÉROLA!") == "nicolas de pierola"``.

    Every step works a character at a time, so each character is folded once
    and remembered (:func:`_folded_character`); ASCII text takes a shortcut.
    Imports, searches and item analysis fold tens of thousands of texts.
    """
    if text.isascii():
        return " ".join(_NOT_ASCII_ALNUM.sub(" ", text.lower()).split())
    return " ".join("".join(map(_folded_character, text)).split())


_NOT_ASCII_ALNUM = re.compile(r"[^a-z0-9]+")


@functools.lru_cache(maxsize=8192)
def _folded_character(char: str) -> str:
    folded, previous = char, None
    # Casefolding and decomposition can each expose work for the other
    # (e.g. "ℌ" decomposes to "H"), so repeat until nothing changes.
    while folded != previous:
        previous = folded
        decomposed = unicodedata.normalize("NFKD", folded.casefold())
        folded = "".join(c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c))
    return folded


def search_text(*texts: str) -> str:
    """Texts folded as :func:`normalize` folds them, one a line: what a search for words matches.

    Stored with each question version, so a search for "Caceres" finds "Cáceres" on any database.
    """
    return "\n".join(normalize(text) for text in texts)


# ---------------------------------------------------------------------------
# Dates

_MONTHS: Mapping[str, int] = {
    "january": 1, "jan": 1,
    "february": 2, "feb": 2,
    "march": 3, "mar": 3,
    "april": 4, "apr": 4,
    "may": 5,
    "june": 6, "jun": 6,
    "july": 7, "jul": 7,
    "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9,
    "october": 10, "oct": 10,
    "november": 11, "nov": 11,
    "december": 12, "dec": 12,
    # Spanish, as Peruvian students write them: "setiembre" is the usual
    # spelling in Peru, "septiembre" elsewhere.
    "enero": 1, "ene": 1,
    "febrero": 2,
    "marzo": 3,
    "abril": 4, "abr": 4,
    "mayo": 5,
    "junio": 6,
    "julio": 7,
    "agosto": 8, "ago": 8,
    "septiembre": 9, "setiembre": 9, "set": 9,
    "octubre": 10,
    "noviembre": 11,
    "diciembre": 12, "dic": 12,
}  # fmt: skip

_FILLER_WORDS = frozenset({"de", "del", "of", "the"})
_YEAR = r"(\d{1,4})"
_ISO_LIKE = re.compile(r"^(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?$")
_DAY_MONTH_YEAR = re.compile(rf"^(\d{{1,2}})[-/.](\d{{1,2}})[-/.]{_YEAR}$")
_MONTH_YEAR = re.compile(r"^(\d{1,2})[-/.](\d{4})$")  # "12/10" is not December of year 10
_YEAR_ONLY = re.compile(rf"^{_YEAR}$")
_ORDINAL_SUFFIX = re.compile(r"^(\d{1,2})(?:st|nd|rd|th|o|ro|do|to|er)$")
# "1.º de enero", "1° de enero" ("º" folds to "o"): the ordinal mark after a day.
_ORDINAL_MARK = re.compile(r"\b(\d{1,2})\.?\s?[o°](?=\s|$)")
# "primero de enero de 1883": the first of a month, as Spanish often says it.
_DAY_WORDS = {"first": "1", "primero": "1"}
_LEADING_PREPOSITION = re.compile(r"^(?:in|on|en|el)\s+")
_DAY_TOKEN = re.compile(r"^\d{1,2}$")
_YEAR_TOKEN = re.compile(r"^\d{1,4}$")


def parse_date_response(text: str) -> PartialDate | None:
    """Read a date the way a student might type it.

    Accepted forms (case, accents and surrounding spaces do not matter):

    * day precision: ``20 October 1883``, ``October 20, 1883``,
      ``20 Oct 1883``, ``Oct 20 1883``, ``20th October 1883``,
      ``20 de octubre de 1883``, ``20 octubre 1883``, ``primero de enero de 1883``,
      ``1883-10-20``, and the all-numeric
      ``20/10/1883``, ``20.10.1883``, ``20-10-1883``;
    * month precision: ``October 1883``, ``Oct 1883``, ``octubre de 1883``, ``oct. 1883``,
      ``1883-10``, ``10/1883``;
    * year precision: ``1883``.

    All-numeric dates are read **day first** (``05/10/1883`` is 5 October),
    as Peruvian and European students write them; only a leading four-digit
    year (``1883-10-20``, ``1883/10/20``) makes the order year first.

    Month names may be English or Spanish, in full or abbreviated, with or
    without a dot (``oct.``, ``set``, ``setiembre``, ``septiembre``).

    Years are taken literally, never completed: ``20/10/83`` is the year 83
    (the date grader then asks for the year in full). A month and year in
    digits needs the full year (``10/1883``).

    Returns:
        The date with the precision the text gives, or None when the text is
        not one of these forms or names a day that does not exist
        (``31 February 1883``).
    """
    folded = "".join(
        char
        for char in unicodedata.normalize("NFKD", without_markup(text).casefold())
        if not unicodedata.combining(char)
    ).strip()
    # "in 1883.", "on 20 October 1883", "el 20 de octubre": the words and the full stop around a date.
    folded = _LEADING_PREPOSITION.sub("", folded.rstrip(" .")).strip()
    folded = _ORDINAL_MARK.sub(r"\1", folded)
    try:
        return _parse_numeric_date(folded) or _parse_worded_date(folded)
    except ValueError:  # a month or day out of range
        return None


def _parse_numeric_date(text: str) -> PartialDate | None:
    compact = re.sub(r"\s*([-/.])\s*", r"\1", text)
    if match := _ISO_LIKE.match(compact):
        year, month, day = match.groups()
        return PartialDate(int(year), _int_or_none(month), _int_or_none(day))
    if match := _DAY_MONTH_YEAR.match(compact):
        day, month, year = match.groups()
        return PartialDate(int(year), int(month), int(day))
    if match := _MONTH_YEAR.match(compact):
        month, year = match.groups()
        return PartialDate(int(year), int(month))
    if match := _YEAR_ONLY.match(compact):
        return PartialDate(int(match.group(1)))
    return None


def _parse_worded_date(text: str) -> PartialDate | None:
    words = [word for word in re.split(r"[^0-9a-z]+", text) if word and word not in _FILLER_WORDS]
    words = [_DAY_WORDS.get(word, _strip_ordinal(word)) for word in words]
    month_positions = [index for index, word in enumerate(words) if word in _MONTHS]
    if len(month_positions) != 1:
        return None
    month = _MONTHS[words[month_positions[0]]]
    shape = tuple("M" if word in _MONTHS else word for word in words)
    match shape:
        case (day, "M", year) | ("M", day, year) if _is_day(day) and _is_year(year):
            return PartialDate(int(year), month, int(day))
        case ("M", year) if _is_year(year):
            return PartialDate(int(year), month)
    return None


def _strip_ordinal(word: str) -> str:
    match = _ORDINAL_SUFFIX.match(word)
    return match.group(1) if match else word


def _is_day(word: str) -> bool:
    return bool(_DAY_TOKEN.match(word))


def _is_year(word: str) -> bool:
    return bool(_YEAR_TOKEN.match(word))


def _int_or_none(digits: str | None) -> int | None:
    return int(digits) if digits else None


# ---------------------------------------------------------------------------
# Graders


class ShortAnswerGrader:
    """Typed names and terms, forgiving accents, case, titles and a small typo.

    A leading title ("General Cáceres", "Dr. Puga", "President Piérola") is
    optional on both sides. The typo budget is counted in edits (insert,
    delete, substitute or swap two neighbouring letters) per word of the
    expected answer: none for words of up to 4 characters, 1 up to 8
    characters, 2 beyond; and at most 2 for the whole answer
    (:func:`max_typo_distance`). So "Cacers" and "Pierolla" pass, while
    "Montero" for "Moreno" (3 edits) or "Grau" for "Gray" do not. Digits must
    match exactly ("1881" is not "1882"). ``options`` are the other known
    answers (the question's choices, or other people's names): a response that
    is exactly one of them, or no further from one than from the answer, is
    rejected, so "Pardo" never passes for "Prado" when both are known.
    """

    def check(
        self,
        answer: str,
        accepted: Sequence[str],
        response: str,
        *,
        options: Sequence[str] = (),
    ) -> Verdict:
        normalized = without_title(joined_initials(_normalized_response(response)))
        if not normalized:
            return Verdict(False, NO_ANSWER)
        candidates: dict[str, str] = {}
        for text in [answer, *accepted]:
            folded = joined_initials(normalize(text))
            candidates.setdefault(folded, text)
            candidates.setdefault(without_title(folded), text)
        if any(_SMALL_NUMBER.fullmatch(word) for candidate in candidates for word in candidate.split()):
            normalized = " ".join(NUMBER_WORDS.get(word, word) for word in normalized.split())
        if normalized in candidates:
            return Verdict(True, CORRECT, candidates[normalized])
        distractors = {without_title(joined_initials(normalize(text))) for text in options} - candidates.keys()
        if normalized in distractors:
            return Verdict(False, INCORRECT)

        best: tuple[int, str] | None = None
        for candidate in candidates:
            distance = _typo_distance(candidate, normalized)
            if distance is not None and (best is None or distance < best[0]):
                best = (distance, candidate)
        if best is None:
            return Verdict(False, INCORRECT)
        distance, candidate = best
        if any(OSA.distance(other, normalized) <= distance for other in distractors):
            return Verdict(False, INCORRECT)
        return Verdict(True, CORRECT_WITH_TYPO, candidates[candidate])


# Titles and articles a student may put before a name, or leave out ("General Cáceres", "Dr. Puga",
# "el general Cáceres", "la batalla de Huamachuco"), in English and Spanish.
_TITLES = frozenset(
    {
        "the", "el", "la", "los", "las",
        "general", "gen", "dr", "doctor", "colonel", "col", "coronel", "president", "presidente", "admiral",
        "almirante", "rear", "vice", "contralmirante", "vicealmirante", "marshal", "mariscal",
        "captain", "capitan", "lieutenant", "teniente", "commander", "comandante",
        "don", "dona", "mr", "mrs", "sr", "sra", "senor", "senora",
    }
)  # fmt: skip


def joined_initials(normalized: str) -> str:
    """A normalized text with its runs of initials written as one word: ``"ee uu"`` -> ``"eeuu"``.

    An initial is one letter ("u s a") or a doubled one, as Spanish writes plural abbreviations
    ("EE. UU.", "FF. AA."); two or more in a row are joined, so "EE. UU.", "EE.UU." and "EEUU" read
    alike. A lone letter ("a Lima") stays as it is.
    """
    words = normalized.split()
    if len(words) < 2:
        return normalized
    joined: list[str] = []
    for kind, group in itertools.groupby(words, _initial_kind):
        run = list(group)
        joined += ["".join(run)] if kind and len(run) > 1 else run
    return " ".join(joined)


def _initial_kind(word: str) -> str:
    """ "single" for a letter ("u"), "double" for a doubled letter ("ee"), "" for any other word."""
    if not word.isalpha() or len(word) > 2:
        return ""
    if len(word) == 1:
        return "single"
    return "double" if word[0] == word[1] else ""


def without_title(normalized: str) -> str:
    """A normalized name without leading titles and articles: ``"general andres caceres"`` -> ``"andres caceres"``.

    A text that is nothing but titles is kept as it is.
    """
    words = normalized.split()
    start = 0
    while start < len(words) - 1 and words[start] in _TITLES:
        start += 1
    return " ".join(words[start:])


def max_typo_distance(expected: str) -> int:
    """The most edits a response may differ from ``expected`` (normalized) and still count as a slip."""
    by_word = sum(_word_budget(word) for word in expected.split())
    return min(2, max(by_word, _word_budget(expected.replace(" ", ""))))


def _typo_distance(expected: str, response: str) -> int | None:
    """The edit distance when within the typo budget, else None.

    Both arguments are normalized.
    """
    if re.findall(r"\d+", expected) != re.findall(r"\d+", response):
        return None
    expected_words, response_words = expected.split(), response.split()
    if len(expected_words) == len(response_words):
        total = 0
        for want, got in zip(expected_words, response_words, strict=True):
            distance = OSA.distance(want, got)
            if distance > _word_budget(want):
                return None
            total += distance
    else:
        # A space added or lost ("de Pierola" / "dePierola"): compare the
        # letters only, with the budget of the whole answer.
        want = expected.replace(" ", "")
        total = OSA.distance(want, response.replace(" ", ""))
        if total > _word_budget(want):
            return None
    return total if total <= 2 else None


def _word_budget(word: str) -> int:
    if len(word) <= 4:
        return 0
    if len(word) <= 8:
        return 1
    return 2


_PRECISION_RANK = {DatePrecision.YEAR: 0, DatePrecision.MONTH: 1, DatePrecision.DAY: 2}
_PRECISION_FIELDS = ("year", "month", "day")


class DateGrader:
    """Dates in any form :func:`parse_date_response` reads.

    The question asks for the precision of its answer. A response is correct
    when it is at least that precise and agrees with the answer up to it: to a
    year question, "20 October 1883" is correct if the answer is "1883"; to a
    day question, "1883" is wrong, with feedback asking for the day. Each
    accepted answer is another date graded the same way (for events the
    sources date differently).

    Raises:
        ValueError: if the answer or an accepted answer is not a date (a
            broken question, not a wrong response).
    """

    def check(
        self,
        answer: str,
        accepted: Sequence[str],
        response: str,
        *,
        options: Sequence[str] = (),
    ) -> Verdict:
        if not _normalized_response(response):
            return Verdict(False, NO_ANSWER)
        expected = [(text, _parse_answer_date(text)) for text in [answer, *accepted]]
        given = parse_date_response(response)
        if given is None:
            return Verdict(False, UNREADABLE_DATE, retry=True)
        for text, date in expected:
            if _precision_rank(given) >= _precision_rank(date) and _agree(given, date, date):
                return Verdict(True, CORRECT, text)
        return Verdict(False, _date_feedback(given, expected[0][1]))


def _parse_answer_date(text: str) -> PartialDate:
    date = parse_date_response(text)
    if date is None:
        raise ValueError(f"the answer {text!r} of a date question is not a date")
    return date


def _precision_rank(date: PartialDate) -> int:
    return _PRECISION_RANK[date.precision]


def _agree(given: PartialDate, expected: PartialDate, up_to: PartialDate) -> bool:
    """Whether both dates have the same fields down to ``up_to``'s precision."""
    fields = _PRECISION_FIELDS[: _precision_rank(up_to) + 1]
    return all(getattr(given, name) == getattr(expected, name) for name in fields)


def _date_feedback(given: PartialDate, expected: PartialDate) -> str:
    if given.year < 100 <= expected.year and given.year == expected.year % 100:
        return FULL_YEAR_NEEDED
    if _precision_rank(given) < _precision_rank(expected) and _agree(given, expected, given):
        return NOT_PRECISE_ENOUGH[given.precision, expected.precision]
    if given.year == expected.year and expected.month is not None and given.month is not None:
        if given.month != expected.month:
            return YEAR_RIGHT_MONTH_WRONG
        if expected.day is not None and given.day is not None:
            return MONTH_RIGHT_DAY_WRONG
    return WRONG_DATE


def _normalized_response(response: str) -> str:
    check_length(response)
    return normalize(without_markup(response))


def check_length(response: str) -> None:
    """Raise ResponseTooLong for a response over :data:`MAX_RESPONSE_LENGTH` characters."""
    if len(response) > MAX_RESPONSE_LENGTH:
        raise ResponseTooLong(f"a response may be at most {MAX_RESPONSE_LENGTH} characters, got {len(response)}")


def without_markup(text: str) -> str:
    """``text`` without HTML or XML tags: markup pasted into an answer is not part of it."""
    return _MARKUP.sub(" ", text) if "<" in text else text


_MARKUP = re.compile(r"<[a-zA-Z/!?][^<>]*>")

# Number words a student may write for a small number ("two" for 2), English and Spanish.
NUMBER_WORDS: Mapping[str, str] = {
    word: str(number)
    for number, words in enumerate(
        (
            ("zero", "cero"), ("one", "uno", "una"), ("two", "dos"), ("three", "tres"), ("four", "cuatro"),
            ("five", "cinco"), ("six", "seis"), ("seven", "siete"), ("eight", "ocho"), ("nine", "nueve"),
            ("ten", "diez"), ("eleven", "once"), ("twelve", "doce"), ("thirteen", "trece"),
            ("fourteen", "catorce"), ("fifteen", "quince"), ("sixteen", "dieciseis"),
            ("seventeen", "diecisiete"), ("eighteen", "dieciocho"), ("nineteen", "diecinueve"),
            ("twenty", "veinte"),
        )
    )
    for word in words
}  # fmt: skip
_SMALL_NUMBER = re.compile(r"1?[0-9]|20")
_NUMBER = re.compile(r"[-+]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:e[-+]?\d+)?", re.IGNORECASE)


def parse_number_response(text: str) -> float | None:
    """Read a number the way a student might type it, or None.

    Digits with ``.`` or ``,`` as the decimal mark (``2.5``, ``2,5``), a
    sign, an exponent, white space, a full stop after it and markup around it
    are fine; so is a number word up to twenty (``two``, ``dos``). Thousands
    separators are not read (``1,883`` is 1.883), as in Moodle.
    """
    cleaned = " ".join(without_markup(text).split()).rstrip(".").strip()
    if (word := normalize(cleaned)) in NUMBER_WORDS:
        return float(NUMBER_WORDS[word])
    if not _NUMBER.fullmatch(cleaned):
        return None
    try:
        return float(cleaned.replace(",", "."))
    except ValueError:
        return None
