"""The Moodle GIFT format."""

from __future__ import annotations

import pytest

from quizapp.domain.formats import ImportFormatError, Problem
from quizapp.domain.formats.gift import emit, parse
from quizapp.domain.questions import TRUE_FALSE_OPTIONS, BankTopic, QuestionDraft, QuestionType

CATEGORY = "$CATEGORY: $course$/top/War of the Pacific/Leaders\n\n"


def only(text: str) -> QuestionDraft:
    [draft] = parse(text)
    return draft


def problems_of(text: str) -> list[Problem]:
    with pytest.raises(ImportFormatError) as caught:
        parse(text)
    return caught.value.problems


def test_multiple_choice_with_title_feedback_and_general_feedback() -> None:
    text = CATEGORY + (
        "// A comment line.\n"
        "::breña-leader:: Who led the Breña campaign? {\n"
        "  ~Miguel Iglesias#No: he signed the peace.\n"
        "  =Andrés A. Cáceres#Yes.\n"
        "  ~Lizardo Montero\n"
        "  ####He fought on in the central highlands.\n"
        "}\n"
    )
    assert only(text) == QuestionDraft(
        id="breña-leader",
        topic=BankTopic.LEADERS,
        type=QuestionType.MULTIPLE_CHOICE,
        prompt="Who led the Breña campaign?",
        answer="Andrés A. Cáceres",
        options=("Miguel Iglesias", "Andrés A. Cáceres", "Lizardo Montero"),
        explanation="He fought on in the central highlands.",
        details={"feedback": {"Miguel Iglesias": "No: he signed the peace.", "Andrés A. Cáceres": "Yes."}},
    )


@pytest.mark.parametrize(
    ("block", "answer"),
    [("{T}", "True"), ("{TRUE}", "True"), ("{F}", "False"), ("{FALSE}", "False"), ("{ false }", "False")],
)
def test_true_false(block: str, answer: str) -> None:
    draft = only(CATEGORY + f"::tf:: Lima was occupied in 1881. {block}")
    assert (draft.type, draft.answer, draft.options) == (QuestionType.TRUE_FALSE, answer, TRUE_FALSE_OPTIONS)


def test_true_false_keeps_the_feedback_on_each_answer() -> None:
    # Moodle: {T#feedback when the student is wrong#feedback when right}
    draft = only(CATEGORY + "::tf:: Lima was occupied in 1881. {T#Look again.#Yes, in January.}")
    assert (draft.explanation, draft.details) == (
        "",
        {"feedback": {"False": "Look again.", "True": "Yes, in January."}},
    )


def test_short_answer_first_is_answer_others_accepted() -> None:
    draft = only(
        CATEGORY + "::sa:: Who led the Breña campaign? {=Andrés A. Cáceres =Cáceres =El Brujo de los Andes#Nickname}"
    )
    assert draft.type == QuestionType.SHORT_ANSWER
    assert draft.answer == "Andrés A. Cáceres"
    assert draft.accepted_answers == ("Cáceres", "El Brujo de los Andes")
    assert draft.explanation == ""


def test_short_answer_without_equals_sign_as_moodle_reads_it() -> None:
    assert only(CATEGORY + "Which port was Peru's main port? {Callao}").answer == "Callao"


@pytest.mark.parametrize(
    ("block", "answers"),
    [
        ("{#1883}", [(1883.0, 0.0, 1.0)]),
        ("{#=1883}", [(1883.0, 0.0, 1.0)]),
        ("{#1883:2}", [(1883.0, 2.0, 1.0)]),
        ("{#1881..1885}", [(1883.0, 2.0, 1.0)]),
        ("{#18.83}", [(18.83, 0.0, 1.0)]),
        ("{#=1883 =%50%1882:1 ~#Try again}", [(1883.0, 0.0, 1.0), (1882.0, 1.0, 0.5)]),
    ],
)
def test_numerical_with_tolerances_ranges_and_several_answers(
    block: str, answers: list[tuple[float, float, float]]
) -> None:
    draft = only("$CATEGORY: quizapp/dates\n\n::ancon:: In which year was the Treaty of Ancón signed? " + block)
    assert (draft.topic, draft.type) == (BankTopic.DATES, QuestionType.NUMERICAL)
    assert draft.details["answers"] == [
        {"value": value, "tolerance": tolerance, "share": share} for value, tolerance, share in answers
    ]


def test_a_year_marked_as_a_date_is_a_date_question() -> None:
    draft = only(CATEGORY + '// quizapp: {"type": "date"}\n::ancon:: When was the treaty signed? {#1883#Yes}')
    assert (draft.type, draft.answer, draft.details) == (QuestionType.DATE, "1883", {"feedback": {"1883": "Yes"}})


NOT_A_NUMBER = "is not a number, a number with its tolerance (1883:2) or a range (1881..1883)"


@pytest.mark.parametrize(
    ("block", "message"),
    [
        ("{#soon}", f"the numerical answer 'soon' {NOT_A_NUMBER}"),
        ("{#1883:x}", f"the numerical answer '1883:x' {NOT_A_NUMBER}"),
        ("{#}", "a numerical question needs a number, e.g. {#1883}"),
    ],
)
def test_numerical_that_is_no_number(block: str, message: str) -> None:
    assert problems_of(CATEGORY + "::n:: In which year? " + block) == [Problem(3, message)]


def test_escapes_and_format_markers() -> None:
    text = CATEGORY + (
        r"::a\:b:: [html]What does \{x\} \~ \= \# \: mean?\nSecond line \\ done {"
        "\n"
        r"  =[markdown]1 \= 1 #[html]fine"
        "\n"
        r"  ~2 \~ 3"
        "\n}"
    )
    draft = only(text)
    assert draft.id == "a:b"
    assert draft.prompt == "What does {x} ~ = # : mean?\nSecond line \\ done"
    assert draft.options == ("1 = 1", "2 ~ 3")
    assert draft.answer == "1 = 1"
    assert draft.details == {"format": "html", "feedback": {"1 = 1": "fine"}}


def test_missing_word_format() -> None:
    draft = only(CATEGORY + "::mw:: Cáceres fought the {~Brazilians =Chileans ~Bolivians} in the highlands.")
    assert draft.prompt == "Cáceres fought the _____ in the highlands."


def test_question_without_title_gets_a_stable_id() -> None:
    text = CATEGORY + "Who led the Breña campaign? {=Cáceres}"
    first = only(text)
    assert first.id.startswith("gift-") and len(first.id) == len("gift-") + 12
    assert only(text).id == first.id
    assert only(CATEGORY + "Who led the Breña campaign?? {=Cáceres}").id != first.id


def test_moodle_export_style() -> None:
    text = (
        "// question: 0  name: Switch category to $course$/top/Dates\n"
        "$CATEGORY: $course$/top/Dates\n"
        "\n"
        "\n"
        "// question: 12  name: Q1\n"
        "::Q1::[html]<p>When did Lima fall?</p>{\n"
        "\t=%100%January 1881#\n"
        "\t=%100%1881-01#\n"
        "}\n"
        "\n"
        "// question: 13  name: Q2\n"
        "::Q2::[html]Which was the Peruvian capital in 1882?{\n"
        "\t~%0%Lima#\n"
        "\t~%100%Ayacucho#\n"
        "}\n"
    )
    first, second = parse(text)
    assert (first.id, first.topic, first.type, first.prompt) == (
        "Q1",
        BankTopic.DATES,
        QuestionType.SHORT_ANSWER,
        "<p>When did Lima fall?</p>",
    )
    assert (first.answer, first.accepted_answers) == ("January 1881", ("1881-01",))
    assert (second.answer, second.options) == ("Ayacucho", ("Lima", "Ayacucho"))


def test_quizapp_comment_carries_what_gift_cannot() -> None:
    text = CATEGORY + (
        '// quizapp: {"type": "date", "source": "lima-occupation", "tags": ["lima", "1881"]}\n'
        "::d:: When did the Chilean army enter Lima? {=17 January 1881 =1881-01-17}"
    )
    draft = only(text)
    assert (draft.type, draft.answer, draft.accepted_answers) == (QuestionType.DATE, "17 January 1881", ("1881-01-17",))
    assert (draft.source, draft.tags) == ("lima-occupation", ("lima", "1881"))


def test_category_selects_topic_until_the_next_one() -> None:
    text = (
        "$CATEGORY: quizapp/people\n\n::a:: Who was Grau? {=A sailor}\n\n"
        "$CATEGORY: EVENTS\n::b:: What happened in 1883? {=The treaty}\n\n::c:: And in 1881? {=Lima fell}"
    )
    assert [draft.topic for draft in parse(text)] == [BankTopic.PEOPLE, BankTopic.EVENTS, BankTopic.EVENTS]


def test_collects_every_problem_with_its_line() -> None:
    text = (
        "::early:: A question before any category? {=yes}\n"  # 1
        "\n"
        "$CATEGORY: quizapp/battles\n"  # 3
        "\n"
        "::essay:: Describe the Breña campaign. {}\n"  # 5
        "\n"
        "::match:: Match them. {=Cáceres -> Breña =Montero -> Arequipa}\n"  # 7
        "\n"
        "::desc:: Just a description.\n"  # 9
        "\n"
        "// quizapp: not json\n"  # 11
        "::weights:: Who? {~%50%Cáceres ~%50%Montero}\n"  # 12
        "\n"
        "::two:: Who else? {=Cáceres =Montero ~Iglesias}\n"  # 14
        "\n"
        "::open:: Who? {=Cáceres\n"  # 16
        "\n"
        "::title Who? {=Cáceres}\n"  # 18
        "\n"
        "::double:: Who {=a} and {=b}?\n"  # 20
        "\n"
        '// quizapp: {"type": "date"}\n'  # 22
        "\n"
        "::brace:: Who {=a {b}\n"  # 24
    )
    unsupported = (
        " cannot be graded automatically, so it cannot be imported: remove it, "
        "or import with the option to skip such questions (--skip-unsupported)"
    )
    # Any category is a topic now; matching, weights and two right answers read as Moodle reads them.
    assert problems_of(text) == [
        Problem(
            1,
            "this question and those after it are in no category: choose the topic they go to "
            "(on the upload form, or --topic SLUG), or put a line like '$CATEGORY: quizapp/leaders' above them",
        ),
        Problem(5, "the essay question 'essay'" + unsupported),
        Problem(9, "the description 'desc' (text without answers)" + unsupported),
        Problem(11, 'a // quizapp: comment must hold a JSON object such as {"source": "x"}'),
        Problem(16, "the answer block needs both { and } (write \\{ and \\} for literal braces)"),
        Problem(18, "the title ::... is not closed with ::"),
        Problem(20, "a question may have only one answer block (write \\{ and \\} for literal braces)"),
        Problem(22, "a // quizapp: comment must be directly above its question, without a blank line"),
        Problem(24, "a { inside the answer block must be written \\{"),
    ]


@pytest.mark.parametrize(
    ("metadata", "message"),
    [
        (
            '{"colour": "red"}',
            "quizapp: unknown key 'colour' (keys are: type, source, tags, accepted_answers, labels)",
        ),
        ('{"tags": "a"}', "quizapp: tags must be a list of strings"),
        ('{"source": 1}', "quizapp: source must be a string"),
        (
            '{"type": "essay"}',
            "quizapp: type must be one of: multiple_choice, true_false, short_answer, date, "
            "multiple_response, matching, timeline, numerical",
        ),
        ("[1]", 'a // quizapp: comment must hold a JSON object such as {"source": "x"}'),
    ],
)
def test_bad_quizapp_comments(metadata: str, message: str) -> None:
    text = CATEGORY + f"// quizapp: {metadata}\n::q:: Who led Breña? {{=Cáceres}}"
    assert problems_of(text) == [Problem(3, message)]


def test_declared_type_must_match_the_answers() -> None:
    text = CATEGORY + '// quizapp: {"type": "date"}\n::q:: Who led Breña? {=Cáceres ~Montero}'
    assert problems_of(text) == [
        Problem(4, "the // quizapp: comment says type date but the answers are multiple_choice")
    ]


def test_rules_shared_with_other_formats_apply() -> None:
    text = CATEGORY + "::q:: W? {=Cáceres}\n\n::r:: Which? {=Lima ~lima}"
    assert problems_of(text) == [
        Problem(3, "prompt is required and must have at least 3 characters"),
        Problem(5, "options must be distinct (ignoring case, accents and punctuation)"),
    ]


def test_emit() -> None:
    drafts = [
        QuestionDraft(
            id="q:1",
            topic=BankTopic.LEADERS,
            type=QuestionType.MULTIPLE_CHOICE,
            prompt="[html] Who won {most} votes?",
            answer="%50% + 1",
            options=("%50% + 1", "Iglesias ~ Montero"),
            accepted_answers=("half",),
            explanation="Line one\nline # two",
            tags=("a b",),
        ),
        QuestionDraft(
            "t",
            BankTopic.LEADERS,
            QuestionType.TRUE_FALSE,
            "Cáceres fought at Huamachuco.",
            "True",
            options=TRUE_FALSE_OPTIONS,
        ),
        QuestionDraft("y", BankTopic.DATES, QuestionType.DATE, "In which year was Ancón signed?", "1883"),
        QuestionDraft(
            "d", BankTopic.DATES, QuestionType.DATE, "When was Ancón signed?", "20 October 1883", source="ancon"
        ),
    ]
    text = emit(drafts)
    assert text == (
        "// quizapp question bank in Moodle GIFT format.\n"
        "// '// quizapp:' lines hold fields GIFT has no place for; Moodle ignores them.\n"
        "\n"
        "$CATEGORY: quizapp/leaders\n"
        "\n"
        '// quizapp: {"tags": ["a b"], "accepted_answers": ["half"]}\n'
        "::q\\:1:: [plain][html] Who won \\{most\\} votes? {\n"
        "\t=%50% + 1\n"
        "\t~Iglesias \\~ Montero\n"
        "\t####Line one\\nline \\# two\n"
        "}\n"
        "\n"
        "::t:: [plain]Cáceres fought at Huamachuco. {\n"
        "\tTRUE\n"
        "}\n"
        "\n"
        "$CATEGORY: quizapp/dates\n"
        "\n"
        '// quizapp: {"type": "date"}\n'
        "::y:: [plain]In which year was Ancón signed? {\n"
        "\t#1883\n"
        "}\n"
        "\n"
        '// quizapp: {"type": "date", "source": "ancon"}\n'
        "::d:: [plain]When was Ancón signed? {\n"
        "\t=20 October 1883\n"
        "}\n"
    )
    assert parse(text) == drafts


# --- format markers: what a student sees in Moodle -----------------------------------


def test_export_marks_text_as_plain_so_moodle_shows_it_as_written() -> None:
    draft = QuestionDraft(
        "html",
        BankTopic.LEADERS,
        QuestionType.MULTIPLE_CHOICE,
        "Is <b>x</b> &amp; bold?",
        "<i>yes</i>",
        options=("<i>yes</i>", "no &lt;"),
        explanation="<script>alert(1)</script>",
    )
    text = emit([draft])
    assert (
        "::html:: [plain]Is <b>x</b> &amp; bold? {\n\t=<i>yes</i>\n\t~no &lt;\n\t####<script>alert(1)</script>\n}"
        in text
    )
    assert parse(text) == [draft]


def test_html_text_is_kept_as_sanitized_html_and_options_as_their_text() -> None:
    text = CATEGORY + (
        "::q:: [html]Who led the <b>Breña</b> campaign &amp; won?<script>alert(1)</script> {\n"
        "\t=Cáceres &amp; his men#[html]<i onclick\\=x>right</i>\n"
        "\t~[plain]Montero &amp; co#[plain]<no>\n"
        "\t####&quot;General&quot; feedback\n"
        "}"
    )
    draft = only(text)
    assert draft.prompt == "Who led the <b>Breña</b> campaign &amp; won?"
    # Answers and feedback without a marker of their own are in the question text's format.
    assert draft.options == ("Cáceres & his men", "Montero &amp; co")
    assert draft.details == {
        "format": "html",
        "feedback": {"Cáceres & his men": "<i>right</i>", "Montero &amp; co": "&lt;no&gt;"},
    }
    assert draft.explanation == '"General" feedback'


def test_short_answers_are_never_read_as_html() -> None:
    # Moodle compares short answers with what students type; it never shows them as HTML.
    draft = only(CATEGORY + "::q:: [html]Which sign joins &amp; names? {=&amp; =[html]and}")
    assert (draft.prompt, draft.answer, draft.accepted_answers) == (
        "Which sign joins &amp; names?",
        "&amp;",
        ("and",),
    )


@pytest.mark.parametrize("marker", ["[plain]", "[moodle]", ""])
def test_plain_formats_are_kept_as_written(marker: str) -> None:
    draft = only(CATEGORY + f"::q:: {marker}Is **this** &amp; <b>that</b> kept? {{TRUE}}")
    assert draft.prompt == "Is **this** &amp; <b>that</b> kept?"


def test_markdown_becomes_sanitized_html_its_raw_html_shown_as_text() -> None:
    draft = only(CATEGORY + "::q:: [markdown]Is **this** &amp; <b>that</b> kept? {TRUE}")
    assert draft.prompt == "<p>Is <strong>this</strong> &amp; &lt;b&gt;that&lt;/b&gt; kept?</p>"
    assert draft.details == {"format": "html"}


def test_only_the_first_marker_is_a_marker() -> None:
    draft = QuestionDraft("m", BankTopic.EVENTS, QuestionType.SHORT_ANSWER, "[html]&lt; as text", "[plain]x")
    text = emit([draft])
    assert "::m:: [plain][html]&lt; as text {\n\t=[plain][plain]x\n}" in text
    assert parse(text) == [draft]


# --- bounded costs: what used to be slow still reads right ---------------------------


def test_a_title_never_closed_over_a_long_run_of_markup() -> None:
    text = CATEGORY + "::" + "~:=#{" * 20_000
    assert problems_of(text) == [Problem(3, "the title ::... is not closed with ::")]


def test_too_many_answers_are_counted_before_they_are_read() -> None:
    options = CATEGORY + "::o:: Who? {=a" + " ~b" * 100_000 + "}"
    answers = CATEGORY + "::s:: Who? {" + "=a " * 100_000 + "}"
    assert problems_of(options) == [Problem(3, "options: at most 6 are allowed, found 100001")]
    assert problems_of(answers) == [Problem(3, "accepted answers: at most 50 are allowed, found 99999")]


def test_long_runs_of_escapes_are_read_as_before() -> None:
    draft = only(CATEGORY + "::e:: " + "\\{\\}\\\\" * 100 + "? {=" + "x\\=" * 100 + "}")
    assert draft.prompt == "{}\\" * 100 + "?"
    assert draft.answer == "x=" * 100
