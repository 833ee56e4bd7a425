"""Moodle XML question banks, read and written.

Moodle XML is Moodle's richest exchange format: a ``<quiz>`` of
``<question type="...">`` elements. The file is read with defusedxml, which
refuses any document type declaration (so no entities, no "billion laughs",
no external entity or DTD is ever fetched), and only up to
:data:`MAX_XML_CHARACTERS`. What is read, as Moodle reads it:

* ``<question type="category">`` with ``<category><text>$course$/top/War/Leaders``
  sets the topic of the questions after it: the last part of the path names
  it (see :func:`.moodle_text.category_topic`). Questions in no category go to
  the default topic (:class:`~quizapp.domain.formats.base.ImportOptions`).
* Every question: ``<idnumber>`` (Moodle's "ID number") is its id, or when
  it has none ``<name><text>``, ``<questiontext format="...">``
  its prompt, ``<generalfeedback>`` its explanation, ``<tags><tag><text>`` its
  tags. A ``format`` of ``html`` or ``markdown`` makes an HTML question
  (sanitized; see :mod:`.moodle_text`), ``moodle_auto_format`` and
  ``plain_text`` a plain one. Text in CDATA sections reads as any text.
* ``multichoice``: ``<single>true</single>`` is multiple choice (the first
  answer with ``fraction="100"`` is the answer, other non-zero fractions are
  weights), ``false`` multiple response (every non-zero fraction a weight).
* ``truefalse``: the answer ``true`` or ``false`` with fraction 100.
* ``shortanswer``: answers with fraction 100 are the answer and accepted
  answers, others weighted; ``usecase`` is ignored (grading ignores case).
* ``numerical``: each ``<answer>`` with its ``<tolerance>`` and fraction
  (``*``, any other number, is left out); units are not read.
* ``matching``: each ``<subquestion>`` a pair of its text and
  ``<answer><text>``; a subquestion without text adds a distractor.
* ``ordering`` (Moodle's ordering question): a timeline, its answers in
  their order.
* Per-answer ``<feedback>`` is kept for that answer; ``shuffleanswers`` is
  read and ignored (quizapp shuffles options, never true/false).
* Essays, descriptions and the types quizapp cannot grade (``cloze``,
  ``calculated``, drag and drop, ...) are refused, or skipped and listed
  with ``skip_unsupported``.

A file holds the questions of one language, the one the import is told
(:class:`~quizapp.domain.formats.base.ImportOptions`); the Spanish file of
questions the bank has in English gives them their Spanish wording when the
ids match (the import matches by id).

Every problem names the question (counted from 1, categories not counted)
and its element path, e.g. ``question 3 (quiz/question[4]/answer[2])``.

quizapp extension: a ``<quizapp>`` element (Moodle ignores it) holds a JSON
object with what Moodle XML has no place for: ``"type": "date"`` on a short
answer, ``"source"``, ``"labels"`` of a timeline and ``"accepted_answers"`` of
multiple choice and true/false. :func:`emit` writes every type so that
:func:`read` gives the drafts back unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from quizapp.domain.formats.base import ImportOptions, ParsedFile
from quizapp.domain.formats.moodle_text import (
    HTML_FORMAT,
    MARKDOWN_FORMAT,
    MOODLE_FORMAT,
    PLAIN_FORMAT,
    category_leaf,
    category_topic,
    is_rich,
    percent,
    plain_text,
    share_of,
    shown_text,
)
from quizapp.domain.problems import N_, ImportFormatError, Problem, Words, quoted
from quizapp.domain.question_rules import DraftCollector
from quizapp.domain.question_types.base import feedback, is_html, texts, weights
from quizapp.domain.question_types.matching import pairs_of
from quizapp.domain.question_types.numerical import numerical_answers
from quizapp.domain.questions import TRUE_FALSE_WORDS, QuestionDraft, QuestionType

# Twice the largest upload: a longer text is refused before any parsing.
MAX_XML_CHARACTERS = 2 * 1024 * 1024
CATEGORY_ROOT = "quizapp"
UNSORTED_TOPIC = "unsorted"
METADATA_ELEMENT = "quizapp"

# Moodle's names of text formats, and ours (those of GIFT's markers).
_FORMATS = {
    "html": HTML_FORMAT,
    "markdown": MARKDOWN_FORMAT,
    "moodle_auto_format": MOODLE_FORMAT,
    "plain_text": PLAIN_FORMAT,
}
_UNSUPPORTED = {
    "essay": Words(N_("an essay")),
    "description": Words(N_("a description")),
    "multianswer": Words(N_("an embedded answers (cloze) question")),
    "calculated": Words(N_("a calculated question")),
    "calculatedsimple": Words(N_("a calculated question")),
    "calculatedmulti": Words(N_("a calculated question")),
    "ddwtos": Words(N_("a drag and drop question")),
    "ddimageortext": Words(N_("a drag and drop question")),
    "ddmarker": Words(N_("a drag and drop question")),
    "gapselect": Words(N_("a select missing words question")),
    "randomsamatch": Words(N_("a random short-answer matching question")),
    "random": Words(N_("a random question")),
}
_TRUE = frozenset({"true", "1"})


class _Refused(Exception):
    """One problem with one question, at an element path; ``reason`` keeps its wording for translation."""

    def __init__(self, path: str, template: str, **params: object) -> None:
        self.reason = Problem.of(None, template, **params)
        super().__init__(self.reason.message)
        self.path = path


@dataclass
class _Question:
    """One ``<question>`` element being read."""

    element: ElementTree.Element
    path: str
    text_format: str = MOODLE_FORMAT
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def rich(self) -> bool:
        return is_rich(self.text_format)

    def children(self, tag: str) -> list[tuple[str, ElementTree.Element]]:
        return [(f"{self.path}/{tag}[{index}]", child) for index, child in enumerate(self.element.findall(tag), 1)]

    def shown(self, element: ElementTree.Element | None) -> str:
        """A prompt, explanation or feedback element's text (see :func:`.moodle_text.shown_text`)."""
        if element is None:
            return ""
        text_format = _FORMATS.get(element.get("format", ""), self.text_format)
        return shown_text((element.findtext("text") or "").strip(), text_format, rich=self.rich)

    def choice(self, element: ElementTree.Element) -> str:
        """An answer or subquestion shown as a choice: plain text."""
        text_format = _FORMATS.get(element.get("format", ""), self.text_format)
        return plain_text((element.findtext("text") or "").strip(), text_format).strip()

    def comment(self, text: str, answer: ElementTree.Element) -> None:
        if comment := self.shown(answer.find("feedback")):
            self.details.setdefault("feedback", {})[text] = comment


def _share(path: str, answer: ElementTree.Element) -> float:
    try:
        return share_of(answer.get("fraction", "0"))
    except ValueError:
        raise _Refused(
            path, N_("fraction %(fraction)s is not a number"), fraction=quoted(answer.get("fraction", ""))
        ) from None


def read(text: str, source_name: str = "<upload>", options: ImportOptions | None = None) -> ParsedFile:
    """Read a Moodle XML file (see the module documentation).

    Raises:
        ImportFormatError: the XML is malformed or hostile, or lists of problems of its questions.
    """
    options = options or ImportOptions()
    root = _parse_xml(text, source_name)
    collector = DraftCollector(source_name)
    skipped: list[Problem] = []
    topic: tuple[str, str] | None = None
    topic_problem_reported = False
    number = 0
    for position, element in enumerate(root, start=1):
        path = f"quiz/question[{position}]"
        if element.tag != "question":
            collector.problem(
                None, Problem.of(None, N_("%(path)s: expected <question>, found <%(tag)s>"), path=path, tag=element.tag)
            )
            continue
        question_type = element.get("type", "")
        if question_type == "category":
            category = element.findtext("category/text") or ""
            topic = category_topic(category)
            if topic is not None and not topic[0]:
                collector.problem(
                    None,
                    Problem.of(
                        None,
                        N_("%(path)s: category %(category)s gives no topic (no letter or digit)"),
                        path=path,
                        category=quoted(topic[1]),
                    ),
                )
                topic = (UNSORTED_TOPIC, "")
            continue
        number += 1
        label = Problem.of(None, N_("question %(number)d (%(path)s)"), number=number, path=path)
        if question_type in _UNSUPPORTED or question_type not in _READERS:
            kind = _UNSUPPORTED.get(question_type) or Problem.of(
                None, N_("the question type %(type)s"), type=quoted(question_type)
            )
            name = element.findtext("name/text") or ""
            what = (
                Problem.of(None, N_("%(label)s: %(kind)s %(name)s"), label=label, kind=kind, name=quoted(name))
                if name
                else Problem.of(None, N_("%(label)s: %(kind)s"), label=label, kind=kind)
            )
            if options.skip_unsupported:
                skipped.append(what)
            else:
                collector.problem(
                    None,
                    Problem.of(
                        None,
                        N_(
                            "%(question)s cannot be graded automatically, so it cannot be imported: remove it, "
                            "or import with the option to skip such questions (--skip-unsupported)"
                        ),
                        question=what,
                    ),
                )
            continue
        try:
            fields = _read_question(element, path, question_type)
        except _Refused as refused:
            collector.problem(
                None,
                Problem.of(
                    None,
                    N_("question %(number)d (%(path)s): %(reason)s"),
                    number=number,
                    path=refused.path,
                    reason=refused.reason,
                ),
            )
            continue
        if topic is not None:
            fields["topic"], fields["topic_name"] = topic
        elif options.default_topic:
            fields["topic"] = options.default_topic
        else:
            fields["topic"] = UNSORTED_TOPIC
            if not topic_problem_reported:
                topic_problem_reported = True
                collector.problem(
                    None,
                    Problem.of(
                        None,
                        N_(
                            "%(label)s: this question and those after it are in no category: choose the topic they "
                            "go to (on the upload form, or --topic SLUG), or put a category question above them"
                        ),
                        label=label,
                    ),
                )
        fields["language"] = options.language.value
        collector.add(fields, None, label)
    return ParsedFile(collector.finish(), skipped)


def parse(text: str, source_name: str = "<upload>", options: ImportOptions | None = None) -> list[QuestionDraft]:
    """The questions of a Moodle XML file (see :func:`read`)."""
    return read(text, source_name, options).drafts


def _parse_xml(text: str, source_name: str) -> ElementTree.Element:
    def refuse(line: int | None, template: str, **params: object) -> ImportFormatError:
        return ImportFormatError([Problem.of(line, template, **params)], source_name)

    if len(text) > MAX_XML_CHARACTERS:
        raise refuse(
            None, N_("the file is larger than %(megabytes)d MB; split it"), megabytes=MAX_XML_CHARACTERS // 1024 // 1024
        )
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        root = fromstring(text, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise refuse(
            None,
            N_(
                "the XML declares a document type or entities, which a Moodle XML file never needs: "
                "refused for safety (remove the <!DOCTYPE ...> part)"
            ),
        ) from None
    except ElementTree.ParseError as error:
        line, column = error.position
        reason = str(error).split(":")[0]  # "not well-formed (invalid token): line 1, column 5"
        raise refuse(
            line, N_("the XML cannot be read: %(reason)s (column %(column)d)"), reason=reason, column=column + 1
        ) from None
    if root.tag != "quiz":
        raise refuse(None, N_("a Moodle XML file holds one <quiz> element, not <%(tag)s>"), tag=root.tag)
    return root


def _read_question(element: ElementTree.Element, path: str, question_type: str) -> dict[str, Any]:
    text_element = element.find("questiontext")
    question = _Question(element, path)
    if text_element is not None:
        question.text_format = _FORMATS.get(text_element.get("format", ""), MOODLE_FORMAT)
    metadata = _metadata(element, path)
    fields = _READERS[question_type](question, metadata)
    if question.rich:
        question.details["format"] = HTML_FORMAT
    return {
        # Moodle's own question id (its "ID number") when it has one, else the name (ours: our id).
        "id": (element.findtext("idnumber") or "").strip() or (element.findtext("name/text") or "").strip(),
        "prompt": question.shown(text_element),
        "explanation": question.shown(element.find("generalfeedback")),
        "source": metadata.get("source", ""),
        "tags": [tag.strip() for tag in (item.text or "" for item in element.findall("tags/tag/text")) if tag.strip()],
        "details": question.details,
        "accepted_answers": metadata.get("accepted_answers", []),
        "options": [],
        **fields,
    }


def _metadata(element: ElementTree.Element, path: str) -> dict[str, Any]:
    text = element.findtext(METADATA_ELEMENT)
    if text is None:
        return {}
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        value = None
    if not isinstance(value, dict):
        raise _Refused(f"{path}/{METADATA_ELEMENT}", N_('must hold a JSON object such as {"source": "x"}'))
    return value


def _read_choices(question: _Question, metadata: dict[str, Any]) -> dict[str, Any]:
    single = (question.element.findtext("single") or "true").strip().lower() in _TRUE
    options, answer, shares = [], "", {}
    for path, element in question.children("answer"):
        text = question.choice(element)
        if not text:
            raise _Refused(path, N_("an answer is empty"))
        share = _share(path, element)
        options.append(text)
        if single and share == 1 and not answer:
            answer = text
        elif share:
            shares[text] = share
        question.comment(text, element)
    if shares:
        question.details["weights"] = shares
    if single and not answer:
        raise _Refused(question.path, N_('a single-answer multiple choice needs an answer with fraction="100"'))
    question_type = QuestionType.MULTIPLE_CHOICE if single else QuestionType.MULTIPLE_RESPONSE
    return {"type": question_type.value, "answer": answer, "options": options}


def _read_true_false(question: _Question, metadata: dict[str, Any]) -> dict[str, Any]:
    answer = ""
    for path, element in question.children("answer"):
        word = question.choice(element).lower()
        if word not in ("true", "false"):
            raise _Refused(path, N_("a true/false answer is true or false, not %(word)s"), word=quoted(word))
        text = word.capitalize()
        if _share(path, element) == 1:
            answer = text
        question.comment(text, element)
    if not answer:
        raise _Refused(question.path, N_('give the right answer, true or false, fraction="100"'))
    return {"type": QuestionType.TRUE_FALSE.value, "answer": answer}


def _read_short_answer(question: _Question, metadata: dict[str, Any]) -> dict[str, Any]:
    full, shares = [], {}
    for path, element in question.children("answer"):
        text = (element.findtext("text") or "").strip()
        if not text:
            raise _Refused(path, N_("an answer is empty"))
        share = _share(path, element)
        if share == 1:
            full.append(text)
        else:
            shares[text] = share
        question.comment(text, element)
    if not full:
        raise _Refused(question.path, N_('a short answer needs an answer with fraction="100"'))
    if shares:
        question.details["weights"] = shares
    is_date = metadata.get("type") == QuestionType.DATE
    question_type = QuestionType.DATE if is_date else QuestionType.SHORT_ANSWER
    return {"type": question_type.value, "answer": full[0], "accepted_answers": full[1:]}


def _read_numerical(question: _Question, metadata: dict[str, Any]) -> dict[str, Any]:
    answers = []
    for path, element in question.children("answer"):
        value = (element.findtext("text") or "").strip()
        if value == "*":  # any other number: no place for its feedback
            continue
        try:
            number = float(value)
            tolerance = abs(float((element.findtext("tolerance") or "0").strip() or "0"))
        except ValueError:
            raise _Refused(
                path, N_("the answer %(value)s or its tolerance is not a number"), value=quoted(value)
            ) from None
        entry: dict[str, Any] = {"value": number, "tolerance": tolerance, "share": _share(path, element)}
        if comment := question.shown(element.find("feedback")):
            entry["feedback"] = comment
        answers.append(entry)
    question.details["answers"] = answers
    return {"type": QuestionType.NUMERICAL.value, "answer": ""}


def _read_matching(question: _Question, metadata: dict[str, Any]) -> dict[str, Any]:
    pairs, distractors = [], []
    for _, element in question.children("subquestion"):
        item = question.choice(element)
        match = (element.findtext("answer/text") or "").strip()
        if item:
            pairs.append([item, match])
        elif match:
            distractors.append(match)
    question.details["pairs"] = pairs
    if distractors:
        question.details["distractors"] = distractors
    return {"type": QuestionType.MATCHING.value, "answer": ""}


def _read_ordering(question: _Question, metadata: dict[str, Any]) -> dict[str, Any]:
    ordered = []
    for path, element in question.children("answer"):
        try:
            place = float(element.get("fraction", "0"))
        except ValueError:
            raise _Refused(
                path, N_("fraction %(fraction)s is not a number"), fraction=quoted(element.get("fraction", ""))
            ) from None
        ordered.append((place, question.choice(element)))
    question.details["items"] = [text for _, text in sorted(ordered, key=lambda entry: entry[0])]
    if labels := metadata.get("labels"):
        question.details["labels"] = labels
    return {"type": QuestionType.TIMELINE.value, "answer": ""}


_READERS: dict[str, Callable[[_Question, dict[str, Any]], dict[str, Any]]] = {
    "multichoice": _read_choices,
    "truefalse": _read_true_false,
    "shortanswer": _read_short_answer,
    "numerical": _read_numerical,
    "matching": _read_matching,
    "ordering": _read_ordering,
}


# ---------------------------------------------------------------------------
# Writing

_MOODLE_TYPES = {
    QuestionType.MULTIPLE_CHOICE: "multichoice",
    QuestionType.MULTIPLE_RESPONSE: "multichoice",
    QuestionType.TRUE_FALSE: "truefalse",
    QuestionType.SHORT_ANSWER: "shortanswer",
    QuestionType.DATE: "shortanswer",
    QuestionType.NUMERICAL: "numerical",
    QuestionType.MATCHING: "matching",
    QuestionType.TIMELINE: "ordering",
}


def emit(drafts: Sequence[QuestionDraft]) -> str:
    """Write drafts as Moodle XML that Moodle imports and :func:`read` reads back unchanged."""
    root = ElementTree.Element("quiz")
    topic = None
    for draft in drafts:
        if draft.topic != topic:
            topic = draft.topic
            category = ElementTree.SubElement(ElementTree.SubElement(root, "question", type="category"), "category")
            _text(category, f"$course$/top/{CATEGORY_ROOT}/{category_leaf(topic, draft.topic_name)}")
        _emit_question(root, draft)
    ElementTree.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(root, encoding="unicode") + "\n"


def _text(parent: ElementTree.Element, text: str) -> ElementTree.Element:
    ElementTree.SubElement(parent, "text").text = text
    return parent


def _formatted(parent: ElementTree.Element, tag: str, text: str, text_format: str) -> ElementTree.Element:
    return _text(ElementTree.SubElement(parent, tag, format=text_format), text)


def _emit_question(root: ElementTree.Element, draft: QuestionDraft) -> None:
    question = ElementTree.SubElement(root, "question", type=_MOODLE_TYPES[draft.type])
    text_format = "html" if is_html(draft) else "plain_text"
    _text(ElementTree.SubElement(question, "name"), draft.id)
    _formatted(question, "questiontext", draft.prompt, text_format)
    _formatted(question, "generalfeedback", draft.explanation, text_format)
    comments = feedback(draft)

    def answer(text: str, share: float, comment: str = "", **extra: str) -> ElementTree.Element:
        element = _formatted(question, "answer", text, "plain_text")
        element.set("fraction", percent(share))
        for tag, value in extra.items():
            ElementTree.SubElement(element, tag).text = value
        if comment:
            _formatted(element, "feedback", comment, text_format)
        return element

    metadata: dict[str, Any] = {}
    shares = weights(draft)
    if draft.type in (QuestionType.MULTIPLE_CHOICE, QuestionType.MULTIPLE_RESPONSE):
        single = draft.type == QuestionType.MULTIPLE_CHOICE
        ElementTree.SubElement(question, "single").text = "true" if single else "false"
        ElementTree.SubElement(question, "shuffleanswers").text = "true"
        for option in draft.options:
            share = 1.0 if single and option == draft.answer else shares.get(option, 0.0)
            answer(option, share, comments.get(option, ""))
    elif draft.type == QuestionType.TRUE_FALSE:
        # Moodle writes "true" and "false" whatever the language; comments are keyed by the draft's words.
        for moodle_word, word in zip(("true", "false"), TRUE_FALSE_WORDS[draft.language], strict=True):
            answer(moodle_word, 1.0 if word == draft.answer else 0.0, comments.get(word, ""))
    elif draft.type in (QuestionType.SHORT_ANSWER, QuestionType.DATE):
        full = [draft.answer, *draft.accepted_answers]
        for text in full:
            answer(text, 1.0, comments.get(text, ""))
        for text, share in shares.items():
            if text not in full:
                answer(text, share, comments.get(text, ""))
        if draft.type == QuestionType.DATE:
            metadata["type"] = QuestionType.DATE.value
    elif draft.type == QuestionType.NUMERICAL:
        for entry in numerical_answers(draft.details):
            answer(repr(entry.value), entry.share, entry.feedback, tolerance=repr(entry.tolerance))
    elif draft.type == QuestionType.MATCHING:
        ElementTree.SubElement(question, "shuffleanswers").text = "true"
        pairs = [*pairs_of(draft.details), *(("", text) for text in texts(draft.details, "distractors"))]
        for item, match in pairs:
            subquestion = _formatted(question, "subquestion", item, "plain_text")
            _text(ElementTree.SubElement(subquestion, "answer"), match)
    elif draft.type == QuestionType.TIMELINE:
        for place, item in enumerate(texts(draft.details, "items"), start=1):
            answer(item, place / 100)  # the ordering question's fraction is the place
        if labels := texts(draft.details, "labels"):
            metadata["labels"] = labels
    if draft.source:
        metadata["source"] = draft.source
    if draft.accepted_answers and draft.type in (QuestionType.MULTIPLE_CHOICE, QuestionType.TRUE_FALSE):
        metadata["accepted_answers"] = list(draft.accepted_answers)
    if draft.tags:
        tags = ElementTree.SubElement(question, "tags")
        for tag in draft.tags:
            _text(ElementTree.SubElement(tags, "tag"), tag)
    if metadata:
        ElementTree.SubElement(question, METADATA_ELEMENT).text = json.dumps(metadata, ensure_ascii=False)
