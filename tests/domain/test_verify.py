"""The bank verifier: each rule, on a small hand-built fact set that breaks it and one that keeps it."""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from pathlib import Path

import pytest

from quizapp.domain.facts import Event, EventKind, FactBank, Government, Office, Person, Place, Recognition, Stance
from quizapp.domain.generate_common import FactRef, Generated
from quizapp.domain.knowledge import Claim, Relation, Value, event, person, place
from quizapp.domain.questions import TRUE_FALSE_OPTIONS, BankTopic, QuestionDraft, QuestionType
from quizapp.domain.verify import Finding, Rule, Severity, check_teacher_questions, verify_bank
from quizapp.domain.when import When

EVENTS_FILE = Path("/bank/questions/events.yaml")


def facts(*, events=(), people=(), places=(), governments=(), recognitions=()) -> FactBank:
    built = FactBank(
        places=tuple(places), people=tuple(people), events=tuple(events), governments=tuple(governments),
        recognitions=tuple(recognitions), files={("events", e.key): EVENTS_FILE for e in events},
    )  # fmt: skip
    return built


LIMA = Place("lima", "Lima", "city", "A city.")
CALLAO = Place("callao", "Callao", "port", "A port.", near=("lima",))
CUSCO = Place("cusco", "Cusco", "city", "A city.")
PUNO = Place("puno", "Puno", "city", "A city.")
TACNA = Place("tacna", "Tacna", "city", "A city.")
PLACES = (LIMA, CALLAO, CUSCO, PUNO, TACNA)


def dated(key: str, when: str, name: str | None = None, **fields: object) -> Event:
    return Event(
        key, name or f"the {key.replace('-', ' ')}", EventKind.OTHER, "Something happened.", When.parse(when), **fields
    )


def choice(
    item_facts: FactBank,
    relation: Relation,
    subject: str,
    answer: Value,
    wrong: list[Value],
    prompt: str = "Which of these?",
    explanation: str = "It was so.",
) -> Generated:
    """A multiple-choice question with its claim, labelled as the generator would."""
    from quizapp.domain.knowledge import Knowledge

    knowledge = Knowledge(item_facts)
    values = (answer, *wrong)
    draft = QuestionDraft(
        id="event:x:choice", topic=BankTopic.EVENTS, type=QuestionType.MULTIPLE_CHOICE, prompt=prompt,
        answer=knowledge.label(answer), options=tuple(knowledge.label(v) for v in values), explanation=explanation,
        source="event:x",
    )  # fmt: skip
    return Generated(draft, Claim(relation, subject, answer, values), FactRef("event", "x"), "choice")


def statement(relation: Relation, subject: str, value: Value, truth: bool, prompt: str = "It was so.") -> Generated:
    draft = QuestionDraft(
        id="event:x:statement", topic=BankTopic.EVENTS, type=QuestionType.TRUE_FALSE, prompt=prompt,
        answer=TRUE_FALSE_OPTIONS[0] if truth else TRUE_FALSE_OPTIONS[1], options=TRUE_FALSE_OPTIONS,
        explanation="It was so.", source="event:x",
    )  # fmt: skip
    return Generated(draft, Claim(relation, subject, value, truth=truth), FactRef("event", "x"), "statement")


def typed(
    item_facts: FactBank, relation: Relation, subject: str, answer: Value, accepted=(), prompt="Who?"
) -> Generated:
    from quizapp.domain.knowledge import Knowledge

    draft = QuestionDraft(
        id="event:x:typed", topic=BankTopic.PEOPLE, type=QuestionType.SHORT_ANSWER, prompt=prompt,
        answer=Knowledge(item_facts).label(answer), accepted_answers=tuple(accepted), explanation="It was so.",
        source="event:x",
    )  # fmt: skip
    return Generated(draft, Claim(relation, subject, answer), FactRef("event", "x"), "typed")


def rules(item_facts: FactBank, *items: Generated) -> list[Rule]:
    return [finding.rule for finding in verify_bank(item_facts, items)]


# -- the keyed answer follows from the facts --------------------------------------

WAR = dated("x", "1879-04-05", "the declaration of war")


def test_answer_not_proved():
    bank = facts(events=[WAR])
    when = partial(Value, "when")
    wrong_key = choice(
        bank, Relation.DATE, "event:x", when("1879-05-05"), [when("1879-04-05"), when("1880-04-05"), when("1881-04-05")]
    )
    right_key = choice(
        bank, Relation.DATE, "event:x", when("1879-04-05"), [when("1879-05-05"), when("1880-04-05"), when("1881-04-05")]
    )
    assert Rule.ANSWER_NOT_PROVED in rules(bank, wrong_key)
    assert rules(bank, right_key) == []


def test_a_finding_names_the_file_the_fact_the_template_and_the_rule():
    bank = facts(events=[WAR])
    item = choice(bank, Relation.DATE, "event:x", Value("when", "1880"), [Value("when", "1879")] * 3)
    finding = verify_bank(bank, [item])[0]
    assert (finding.fact, finding.template, finding.file, finding.severity) == (
        "event:x",
        "choice",
        EVENTS_FILE,
        Severity.ERROR,
    )
    assert str(finding).startswith("questions/events.yaml: event 'x', template 'choice', rule answer-not-proved: ")


# -- every distractor is false -------------------------------------------------------


def test_a_date_inside_the_facts_uncertainty_is_not_a_wrong_option():
    bank = facts(events=[dated("x", "by 1882-07 within 1882")])
    when = partial(Value, "when")
    inside = statement(Relation.DATE, "event:x", when("1882-06"), truth=False)
    outside = statement(Relation.DATE, "event:x", when("1882-09"), truth=False)
    assert rules(bank, inside) == [Rule.STATEMENT_UNDECIDED]
    assert rules(bank, outside) == []
    exact = facts(events=[dated("x", "1882-07-18")])
    options = [when("1882-07-17"), when("1882-07-19"), when("1882-07-20")]
    assert rules(exact, choice(exact, Relation.DATE, "event:x", when("1882-07-18"), options)) == []
    vague_options = [when("1882-07"), *options[1:]]
    assert rules(exact, choice(exact, Relation.DATE, "event:x", when("1882-07-18"), vague_options)) == [
        Rule.DISTRACTOR_NOT_FALSE
    ]


def test_another_holder_of_the_office_at_that_time_is_not_a_wrong_option():
    president = Office("President of Peru", start=When.parse("1881"), end=When.parse("1883"))
    people = [
        Person("montero", "Lizardo Montero", "Peruvian", "", roles=(president,)),
        Person(
            "calderon",
            "Francisco García Calderón",
            "Peruvian",
            "",
            roles=(replace(president, start=When.parse("1881-03")),),
        ),
        Person("mas", "Pedro Mas", "Peruvian", "", roles=(Office("commander at Chincha Baja"),)),
        Person("erice", "Manuel de Erice", "Peruvian", "", roles=(Office("envoy to Villavicencio"),)),
        Person("pachas", "Andrés Pachas", "Peruvian", "", roles=(Office("leader of the men from Sunampe"),)),
        Person("tagle", "Leoncio Tagle", "Peruvian", "", roles=(Office("backer of an expedition"),)),
    ]
    bank = facts(people=people)
    overlapping = choice(
        bank, Relation.HOLDER, "role:montero:0", person("montero"), [person("calderon"), person("mas"), person("erice")]
    )
    others = choice(
        bank, Relation.HOLDER, "role:montero:0", person("montero"), [person("pachas"), person("mas"), person("erice")]
    )
    assert rules(bank, overlapping) == [Rule.DISTRACTOR_NOT_FALSE]
    assert rules(bank, others) == []


def test_a_place_the_facts_allow_is_not_a_wrong_option():
    bank = facts(places=PLACES, events=[dated("x", "1881", place="lima")])
    allowed = choice(bank, Relation.PLACE, "event:x", place("lima"), [place("callao"), place("cusco"), place("puno")])
    ruled_out = choice(bank, Relation.PLACE, "event:x", place("lima"), [place("tacna"), place("cusco"), place("puno")])
    assert rules(bank, allowed) == [Rule.DISTRACTOR_NOT_FALSE]  # Callao lies by Lima
    assert rules(bank, ruled_out) == []


def test_an_event_without_a_recorded_place_is_never_said_to_be_elsewhere():
    bank = facts(places=PLACES, events=[dated("x", "1881"), dated("y", "1882", place="lima")])
    assert rules(bank, statement(Relation.PLACE, "event:x", place("cusco"), truth=False)) == [Rule.STATEMENT_UNDECIDED]
    assert rules(bank, statement(Relation.PLACE, "event:y", place("cusco"), truth=False)) == []


# -- order only between facts whose dates cannot overlap ------------------------------


def test_which_came_first_needs_dates_that_cannot_overlap():
    bank = facts(events=[dated("x", "by 1882-07"), dated("y", "1882-06"), dated("z", "1882-09-01")])
    overlapping = statement(Relation.EARLIER, "event:x", event("y"), truth=True, prompt="Y came before X.")
    apart = statement(Relation.EARLIER, "event:z", event("x"), truth=True, prompt="X came before Z.")
    assert rules(bank, overlapping) == [Rule.ORDER_OVERLAP]
    assert rules(bank, apart) == []
    later = choice(bank, Relation.LATER, "event:y", event("z"), [event("x"), event("y"), event("z")])
    assert Rule.ORDER_OVERLAP in rules(bank, later)


# -- true/false statements are decidable, and keyed as the facts decide --------------


def test_statements_must_be_decided_and_keyed_right():
    bank = facts(events=[dated("x", "1881-11-28")])
    wrong_key = statement(Relation.DATE, "event:x", Value("when", "1881-11-28"), truth=False)
    right_key = statement(Relation.DATE, "event:x", Value("when", "1881-11-28"), truth=True)
    assert rules(bank, wrong_key) == [Rule.STATEMENT_WRONG]
    assert rules(bank, right_key) == []
    undated = facts(events=[Event("x", "the x", EventKind.OTHER, "No date.")])
    assert rules(undated, statement(Relation.DATE, "event:x", Value("when", "1881"), truth=True)) == [
        Rule.STATEMENT_UNDECIDED
    ]


# -- no give-away ---------------------------------------------------------------------


def test_a_name_only_the_answer_shares_with_the_stem_gives_it_away():
    events = [
        dated("a", "1882-08-31", "Montero's arrival in Arequipa"),
        dated("b", "1883-10-29", "the occupation of Arequipa"),
        dated("c", "1879-04-05", "the declaration of war"),
        dated("d", "1883-10-20", "the Treaty of Ancón"),
        dated("e", "1881-01-01", "the arrival in Lima"),
    ]
    arequipa = Place("arequipa", "Arequipa", "city", "A city.")
    bank = facts(events=events, places=[arequipa])
    prompt = "Which of these events took place in Arequipa on 31 August 1882?"
    telling = choice(
        bank, Relation.AT_DATE, "when:1882-08-31", event("a"), [event("c"), event("d"), event("e")], prompt
    )
    assert rules(bank, telling) == [Rule.GIVE_AWAY]
    fair = choice(
        bank,
        Relation.AT_DATE,
        "when:1882-08-31",
        event("a"),
        [event("c"), event("d"), event("e")],
        "Which of these events took place on 31 August 1882?",
    )
    assert rules(bank, fair) == []


def test_a_typed_answer_in_its_own_stem_gives_it_away():
    people = [Person("lynch", "Patricio Lynch", "Chilean", "", aliases=("Lynch",))]
    bank = facts(
        people=people, governments=[Government("occupation", "the occupation", "occupation", "", leaders=("lynch",))]
    )
    telling = typed(
        bank, Relation.LEADER, "government:occupation", person("lynch"), ("Lynch",), "Who led Lynch's occupation?"
    )
    fair = typed(bank, Relation.LEADER, "government:occupation", person("lynch"), ("Lynch",), "Who led the occupation?")
    assert rules(bank, telling) == [Rule.GIVE_AWAY]
    assert rules(bank, fair) == []


# -- no stem that fits several facts --------------------------------------------------


def test_a_typed_answer_must_be_the_only_one_the_facts_allow():
    montero = Person("montero", "Lizardo Montero", "Peruvian", "", aliases=("Montero",))
    caceres = Person(
        "caceres",
        "Andrés Cáceres",
        "Peruvian",
        "",
        aliases=("Cáceres",),
        roles=(Office("head once powerless", "arequipa"),),
    )
    government = Government("arequipa", "the Arequipa government", "provisional", "", leaders=("montero",))
    with_post = facts(people=[montero, caceres], governments=[government])
    without = facts(people=[montero, replace(caceres, roles=())], governments=[government])

    def question(bank):
        return typed(
            bank,
            Relation.LEADER,
            "government:arequipa",
            person("montero"),
            ("Montero",),
            "Who led the Arequipa government?",
        )

    assert rules(with_post, question(with_post)) == [Rule.AMBIGUOUS_STEM]
    assert rules(without, question(without)) == []


def test_two_facts_may_not_share_a_stem():
    bank = facts(events=[dated("x", "1881"), dated("y", "1882")])
    first = statement(Relation.DATE, "event:x", Value("when", "1881"), truth=True, prompt="It happened in 1881.")
    second = replace(
        first,
        draft=replace(first.draft, id="event:y:statement", answer="False"),
        claim=Claim(Relation.DATE, "event:y", Value("when", "1881"), truth=False),
    )
    assert rules(bank, first, second) == [Rule.AMBIGUOUS_STEM, Rule.AMBIGUOUS_STEM]
    assert rules(bank, first) == []


# -- text written for students --------------------------------------------------------


@pytest.mark.parametrize(
    "explanation",
    [
        "According to the infobox, it was so.",
        "The article says it was so.",
        "The main text gives only the year.",
        "Source fact: event:x.",
        "See event:treaty-of-ancon for more.",
    ],
)
def test_student_text_never_speaks_about_the_source(explanation):
    bank = facts(events=[WAR])
    item = statement(Relation.DATE, "event:x", Value("when", "1879-04-05"), truth=True)
    assert set(rules(bank, replace(item, draft=replace(item.draft, explanation=explanation)))) == {Rule.EDITORIAL_TEXT}
    assert rules(bank, item) == []


# -- names students type ------------------------------------------------------------------


def test_a_typed_name_within_a_slip_of_another_known_person_is_refused():
    prado = Person("prado", "Mariano Ignacio Prado", "Peruvian", "", aliases=("Prado",))
    pardo = Person("pardo", "Manuel Pardo", "Peruvian", "", aliases=("Pardo",))
    grau = Person("grau", "Miguel Grau", "Peruvian", "", aliases=("Grau",))
    government = Government("g", "the government", "resistance", "", leaders=("prado",))
    near = facts(people=[prado, pardo], governments=[government])
    far = facts(people=[prado, grau], governments=[government])

    def question(bank):
        return typed(bank, Relation.LEADER, "government:g", person("prado"), ("Prado",), "Who led the government?")

    assert set(rules(near, question(near))) == {Rule.NEAR_MISS_NAME}  # "Pardo" is one swap from "Prado"
    assert rules(far, question(far)) == []


# -- the draft says what its claim says, within the sizes forms accept ------------------------


def test_claim_mismatch_and_too_long():
    bank = facts(events=[WAR])
    item = statement(Relation.DATE, "event:x", Value("when", "1879-04-05"), truth=True)
    assert rules(bank, replace(item, draft=replace(item.draft, answer="False"))) == [Rule.CLAIM_MISMATCH]
    assert rules(bank, replace(item, draft=replace(item.draft, prompt="It was so. " * 50))) == [Rule.TOO_LONG]


# -- teachers' questions: warnings ------------------------------------------------------------


def teacher(
    prompt: str, answer: str, options=(), question_type=QuestionType.MULTIPLE_CHOICE, question_id="t-1"
) -> QuestionDraft:
    return QuestionDraft(question_id, BankTopic.EVENTS, question_type, prompt, answer, options=tuple(options))


def test_teacher_questions_get_duplicate_and_give_away_warnings():
    mine = teacher(
        "Which event took place in Arequipa?",
        "Montero's arrival in Arequipa",
        ["Montero's arrival in Arequipa", "The Battle of Huamachuco", "The Treaty of Ancón"],
    )
    twin = teacher(
        "which event took place in  Arequipa", "x", question_type=QuestionType.SHORT_ANSWER, question_id="event:y:z"
    )
    found = check_teacher_questions([mine], [mine, twin], ["Arequipa", "Huamachuco"])
    assert [(f.rule, f.severity, f.question_id) for f in found] == [
        (Rule.DUPLICATE, Severity.WARNING, "t-1"),
        (Rule.GIVE_AWAY, Severity.WARNING, "t-1"),
    ]
    assert found[0].message == "another active question asks the same: event:y:z"
    assert str(found[1]) == (
        "question 't-1', rule give-away: the question names 'Arequipa', "
        "which the correct option shares and a wrong one does not"
    )
    fine = teacher("Where did Montero go in 1882?", "Arequipa", question_type=QuestionType.SHORT_ANSWER)
    assert check_teacher_questions([fine], [fine, twin], ["Arequipa"]) == []


def test_finding_text_without_a_file():
    finding = Finding(Rule.TOO_LONG, "t-1", "", "", "too long", severity=Severity.WARNING)
    assert str(finding) == "question 't-1', rule too-long: too long"


def test_recognition_statements_about_a_continuing_government_are_undecided():
    people = [Person("montero", "Lizardo Montero", "Peruvian", "", roles=(Office("Vice President", "magdalena"),))]
    governments = [
        Government("magdalena", "the La Magdalena government", "collaborationist", "", leaders=("calderon",)),
        Government("arequipa", "the Arequipa government", "provisional", "", leaders=("montero",)),
        Government("ayacucho", "the Ayacucho government", "parallel", "", leaders=("pierola",)),
    ]
    people += [
        Person("calderon", "Francisco García Calderón", "Peruvian", ""),
        Person("pierola", "Nicolás de Piérola", "Peruvian", ""),
    ]
    recognitions = [Recognition("cr", "Costa Rica", Stance.RECOGNIZED, "", government="magdalena")]
    bank = facts(people=people, governments=governments, recognitions=recognitions)

    def stance(government: str) -> Value:
        return Value("stance", f"recognized|{government}")

    assert rules(bank, statement(Relation.STANCE, "country:Costa Rica", stance("arequipa"), truth=False)) == [
        Rule.STATEMENT_UNDECIDED
    ]
    assert rules(bank, statement(Relation.STANCE, "country:Costa Rica", stance("ayacucho"), truth=False)) == []
