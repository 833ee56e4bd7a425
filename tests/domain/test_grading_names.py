"""The names students type: the short and full forms they use pass, another known person never does."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.domain.facts import load_facts
from quizapp.domain.generate import generate_bank
from quizapp.domain.generate_names import accepted_names, name_forms, surname_forms
from quizapp.domain.grading import (
    CORRECT,
    CORRECT_WITH_TYPO,
    INCORRECT,
    ShortAnswerGrader,
    Verdict,
    max_typo_distance,
    without_title,
)
from quizapp.domain.question_types import grade
from quizapp.domain.questions import QuestionType

check = ShortAnswerGrader().check
QUESTIONS_DIR = Path(__file__).parents[2] / "questions"
FACTS = load_facts(QUESTIONS_DIR)
PEOPLE = {person.key: person for person in FACTS.people}
BANK = generate_bank(FACTS)


def grade_person(key: str, response: str) -> Verdict:
    person = PEOPLE[key]
    return check(person.name, accepted_names(person, FACTS.people), response)


@pytest.mark.parametrize(
    ("key", "response"),
    [
        ("iglesias", "Iglesias"),
        ("iglesias", "Miguel Iglesias"),
        ("montero", "Montero"),
        ("montero", "Montero Flores"),
        ("montero", "Lizardo Montero"),
        ("montero", "lizardo montero flores"),
        ("caceres", "Cáceres"),
        ("caceres", "Caceres"),
        ("caceres", "General Cáceres"),
        ("caceres", "Gen. Andrés Avelino Cáceres"),
        ("caceres", "Andrés Cáceres"),
        ("pierola", "Piérola"),
        ("pierola", "de Piérola"),
        ("pierola", "José Nicolás de Piérola"),
        ("pierola", "Nicolás Piérola"),
        ("pierola", "President Piérola"),
        ("puga", "Dr. Puga"),
        ("puga", "Doctor José Mercedes Puga"),
        ("garcia-calderon", "García Calderón"),
        ("garcia-y-garcia", "García y García"),
        ("borgono", "Borgoño"),
        ("borgono", "Borgoño Castañeda"),
        ("guzman-blanco", "Guzmán Blanco"),
        ("pachas", "Pachas"),
        ("pachas", "Picuy Pachas"),
        ("santa-maria", "Santa María"),
        ("lynch", "Admiral Lynch"),
        ("iglesias-brother", "the brother of Miguel Iglesias"),
        ("iglesias-brother", "Iglesias' brother"),
    ],
)
def test_the_forms_students_use_are_accepted(key, response):
    verdict = grade_person(key, response)
    assert verdict.correct, (key, response, verdict)


def test_every_named_person_can_be_answered_with_the_surname_alone():
    for person in FACTS.people:
        if person.name.startswith("the "):
            continue
        surname = surname_forms(person)[0]
        assert grade_person(person.key, surname).correct, (person.key, surname)


@pytest.mark.parametrize(
    ("key", "response"),
    [
        ("iglesias", "García"),  # two Garcías in the bank: no surname to pick
        ("garcia-calderon", "García"),
        ("garcia-y-garcia", "García"),
        ("caceres", "Andrés"),  # a first name three people share
        ("iglesias-brother", "Iglesias"),  # Miguel Iglesias himself
        ("montero", "Moreno"),
        ("pachas", "Pacheco"),
    ],
)
def test_ambiguous_or_other_names_are_refused(key, response):
    assert not grade_person(key, response).correct


def test_a_title_alone_is_not_a_name():
    assert without_title("general") == "general"
    assert without_title("general andres caceres") == "andres caceres"
    assert without_title("dr jose mercedes puga") == "jose mercedes puga"
    assert not check("Andrés Avelino Cáceres", ("Cáceres",), "General").correct


# -- near misses: "Pardo" is not "Prado" ------------------------------------------------


def test_a_close_spelling_of_another_known_person_is_refused():
    known = ("Manuel Pardo", "Pardo")
    assert check("Mariano Ignacio Prado", ("Prado",), "Pardo", options=known) == Verdict(False, INCORRECT)
    assert check("Mariano Ignacio Prado", ("Prado",), "Prado", options=known) == Verdict(True, CORRECT, "Prado")
    # A slip nearer the answer than the other name still passes; one as near the other does not.
    assert check("Mariano Ignacio Prado", ("Prado",), "Pradoo", options=known) == Verdict(
        True, CORRECT_WITH_TYPO, "Prado"
    )
    assert check("Mariano Ignacio Prado", ("Prado",), "Prardo", options=known).correct is False
    # Without the other name known, a swap of two letters is forgiven as a slip.
    assert check("Mariano Ignacio Prado", ("Prado",), "Pardo").correct is True


def test_max_typo_distance():
    assert [max_typo_distance(text) for text in ("mas", "prado", "caceres", "villavicencio", "de pierola")] == [
        0,
        1,
        1,
        2,
        2,
    ]


SHORT_PERSON_QUESTIONS = [
    item for item in BANK if item.draft.type is QuestionType.SHORT_ANSWER and item.claim.answer.type == "person"
]


def _slips(text: str) -> set[str]:
    """Every response one swap, deletion or doubling away from the text."""
    found = {text[:i] + text[i + 1 :] for i in range(len(text))}
    found |= {text[:i] + text[i + 1] + text[i] + text[i + 2 :] for i in range(len(text) - 1)}
    found |= {text[:i] + text[i] + text[i:] for i in range(len(text))}
    return found - {text}


@pytest.mark.parametrize("item", SHORT_PERSON_QUESTIONS, ids=[item.draft.id for item in SHORT_PERSON_QUESTIONS])
def test_no_other_person_of_the_bank_passes_for_the_answer(item):
    """Every other person's every name form, and every slip of it, is wrong for a typed person question.

    Typed questions carry no list of other people at grading time: the bank is
    built so that none is within a slip of the answer (verify: near-miss-name).
    """
    answer_key = item.claim.answer.raw
    assert SHORT_PERSON_QUESTIONS, "the bank has typed questions about people"
    for person in FACTS.people:
        if person.key == answer_key:
            continue
        for form in name_forms(person):
            if form in (item.draft.answer, *item.draft.accepted_answers):
                continue
            for response in {form, *_slips(form)}:
                verdict = grade(item.draft, response)
                own = {text.casefold() for text in (item.draft.answer, *item.draft.accepted_answers)}
                if verdict.correct and response.casefold() not in own:
                    pytest.fail(f"{response!r} (near {person.name}) passes for {item.draft.answer}: {verdict}")
