"""Import parsers on hostile files: seconds at a tenth of the upload limit and at the limit.

Each case builds a file meant to make one parser slow (thousands of titles,
long runs of escapes, braces, colons or quotes, unterminated constructs, deep
nesting, many columns, many tiny questions, many problems) at two sizes, and
times what an upload goes through: ``decode_upload`` and then
``FORMATS[name].parse``, which for most cases raises ImportFormatError.

Parsing time linear in the size shows as a ratio of about 10 between the two
sizes; a ratio well below 10 means the parser stopped early, at a size limit
of a question or at the most problems or questions a file may have. A
quadratic parser would show about 100. Each time is the best of several runs:
a shared machine only ever adds time.

    .venv/bin/python -m benchmarks.parsers            # prints a Markdown table
    .venv/bin/python -m benchmarks.parsers --runs 9   # more runs a case
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from quizapp.domain.facts import load_facts
from quizapp.domain.formats import FORMATS, ImportFormatError, decode_upload
from quizapp.domain.generate import generate_questions
from quizapp.teach.bank_views import MAX_IMPORT_BYTES

ROOT = Path(__file__).resolve().parent.parent
SIZES = (MAX_IMPORT_BYTES // 10, MAX_IMPORT_BYTES)

GIFT_HEAD = "$CATEGORY: quizapp/dates\n\n"
CSV_HEAD = "id,topic,type,prompt,answer,accepted_answers,options,explanation,source,tags\n"


def _repeat(head: str, unit: Callable[[int], str], tail: str, size: int) -> str:
    """``head``, then ``unit(0)``, ``unit(1)``, ... while it fits in ``size`` bytes, then ``tail``."""
    parts, used, number = [head], len(head.encode()) + len(tail.encode()), 0
    while True:
        piece = unit(number)
        used += len(piece.encode())
        if used > size:
            break
        parts.append(piece)
        number += 1
    return "".join(parts) + tail


def _fill(head: str, piece: str, tail: str, size: int) -> str:
    """``head``, ``piece`` repeated to fill ``size`` bytes, ``tail``."""
    room = size - len(head.encode()) - len(tail.encode())
    return head + piece * (room // len(piece.encode())) + tail


@dataclass(frozen=True)
class Case:
    format: str
    name: str
    build: Callable[[int], str]


ESCAPED_BARS = "\\|" * 400
JSON_ENTRY_HEAD = '[{"id":"q","topic":"people","type":"short_answer","prompt":"Who?","answer":"a"'


def _gift_question(number: int) -> str:
    return f"::q{number}:: Question {number}? {{=a}}\n\n"


def _csv_question(number: int) -> str:
    return f"q{number},dates,date,Q{number:06d},1883,,,,,\n"


def _json_question(number: int) -> str:
    return f'{{"id":"q{number}","topic":"dates","type":"date","prompt":"Q{number:06d}","answer":"1883"}},'


CASES = [
    # GIFT: the title scan was quadratic; every other search is one pass too.
    Case("gift", "many titled questions", lambda n: _repeat(GIFT_HEAD, _gift_question, "", n)),
    Case("gift", "unclosed title full of markup", lambda n: _fill(GIFT_HEAD + "::", "~:=#{", "", n)),
    Case("gift", "many titles never closed", lambda n: _repeat(GIFT_HEAD, lambda i: f"::t{i} ~ : {{\n\n", "", n)),
    Case("gift", "prompt of escapes", lambda n: _fill(GIFT_HEAD + "::t:: ", "\\{\\:\\\\", " {=a}", n)),
    Case("gift", "answer block of options", lambda n: _fill(GIFT_HEAD + "::t:: Who? {=a", " ~b", "}", n)),
    Case("gift", "answer block of answers", lambda n: _fill(GIFT_HEAD + "::t:: Who? {", "=a ", "}", n)),
    Case("gift", "answer block of hashes", lambda n: _fill(GIFT_HEAD + "::t:: Who? {T", "#", "}", n)),
    Case("gift", "unterminated braces", lambda n: _fill(GIFT_HEAD, "{", "", n)),
    Case("gift", "comments and blank lines", lambda n: _fill(GIFT_HEAD, "//\n\n", "", n)),
    Case("gift", "bad // quizapp: lines", lambda n: _fill(GIFT_HEAD, '// quizapp: {"tags": [1]}\n', "", n)),
    # CSV
    Case("csv", "many tiny questions", lambda n: _repeat(CSV_HEAD, _csv_question, "", n)),
    Case("csv", "header of many columns", lambda n: _fill("", "x,", "\n", n)),
    Case("csv", "row of many fields", lambda n: _fill(CSV_HEAD, ",", "\n", n)),
    Case("csv", "blank lines", lambda n: _fill(CSV_HEAD, "\n", "", n)),
    Case("csv", "field of doubled quotes", lambda n: _fill(CSV_HEAD + 'q,dates,date,"', '""', '",1883,,,,,\n', n)),
    Case("csv", "unterminated quote", lambda n: _fill(CSV_HEAD + 'q,dates,date,"', "x", "", n)),
    Case(
        "csv",
        "list cells of escapes",
        lambda n: _repeat(CSV_HEAD, lambda i: f"q{i},people,short_answer,Who {i}?,a,{ESCAPED_BARS},,,,\n", "", n),
    ),
    Case(
        "csv",
        "formula cells",
        lambda n: _repeat(CSV_HEAD, lambda i: f"'=q{i},dates,date,'=Q{i},1883,,,'@x,'+y,'-z\n", "", n),
    ),
    # JSON
    Case("json", "many tiny questions", lambda n: _repeat("[", _json_question, _json_question(-1)[:-1] + "]", n)),
    Case("json", "many empty objects", lambda n: _fill("[", "{},", "{}]", n)),
    Case("json", "deep nesting", lambda n: _fill("", "[", "", n)),
    Case("json", "deep nesting in an entry", lambda n: _fill('[{"id":', '{"a":', "", n)),
    Case(
        "json",
        "many accepted answers",
        lambda n: _fill(JSON_ENTRY_HEAD + ',"accepted_answers":["a"', ',"b"', "]}]", n),
    ),
    Case("json", "many keys", lambda n: _repeat('[{"id":"q"', lambda i: f',"k{i}":1', "}]", n)),
    Case(
        "json",
        "explanation of escapes",
        lambda n: _fill(JSON_ENTRY_HEAD + ',"explanation":"', "\\u00e9\\n", '"}]', n),
    ),
]


@dataclass(frozen=True)
class Result:
    case: Case
    bytes: tuple[int, ...]
    seconds: tuple[float, ...]
    outcome: str  # at the largest size

    @property
    def ratio(self) -> float:
        return self.seconds[-1] / self.seconds[0] if self.seconds[0] else float("inf")


def parse_upload(format_name: str, data: bytes) -> str:
    """What an upload goes through; a short description of how it ended."""
    try:
        drafts = FORMATS[format_name].parse(decode_upload(data, "bench"), "bench")
    except ImportFormatError as error:
        return f"refused: {_counted(len(error.problems), 'problem')}"
    return _counted(len(drafts), "question")


def _counted(number: int, noun: str) -> str:
    return f"{number:,} {noun}" + ("" if number == 1 else "s")


def best_time(format_name: str, data: bytes, runs: int) -> tuple[float, str]:
    times, outcome = [], ""
    for _ in range(runs):
        started = time.perf_counter()
        outcome = parse_upload(format_name, data)
        times.append(time.perf_counter() - started)
    return min(times), outcome


def run(runs: int) -> list[Result]:
    results = []
    for case in CASES:
        sizes, seconds, outcome = [], [], ""
        for size in SIZES:
            data = case.build(size).encode("utf-8")
            sizes.append(len(data))
            took, outcome = best_time(case.format, data, runs)
            seconds.append(took)
        results.append(Result(case, tuple(sizes), tuple(seconds), outcome))
    return results


def generated_bank(runs: int) -> list[tuple[str, int, float, str]]:
    """(format, bytes, seconds, outcome) for an export of the generated bank: a file a teacher really has."""
    drafts = generate_questions(load_facts(ROOT / "questions"))
    rows = []
    for name, chosen in FORMATS.items():
        data = chosen.emit(drafts).encode("utf-8")
        took, outcome = best_time(name, data, runs)
        rows.append((name, len(data), took, outcome))
    return rows


def markdown(results: list[Result], bank: list[tuple[str, int, float, str]]) -> str:
    small, large = (f"{size / 1024:,.0f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:g} MB" for size in SIZES)
    lines = [
        f"| Format | Hostile input | {small} (s) | {large} (s) | Ratio | At {large} |",
        "|---|---|---:|---:|---:|---|",
    ]
    for result in results:
        lines.append(
            f"| {result.case.format} | {result.case.name} | {result.seconds[0]:.3f} | {result.seconds[-1]:.3f} "
            f"| {result.ratio:.1f} | {result.outcome} |"
        )
    worst = max(results, key=lambda result: result.seconds[-1])
    lines += [
        "",
        f"Slowest at {large}: {worst.case.format}, {worst.case.name}, {worst.seconds[-1]:.3f} s. "
        f"Largest ratio: {max(result.ratio for result in results):.1f}.",
        "",
        "| Export of the generated bank | Size | Seconds | Outcome |",
        "|---|---:|---:|---|",
        *(f"| {name} | {size / 1024:,.0f} KB | {took:.3f} | {outcome} |" for name, size, took, outcome in bank),
    ]
    return "\n".join(lines)


def section(runs: int) -> str:
    """The parsers' section of docs/BENCHMARKS.md, measured now."""
    load_before = os.getloadavg()[0]
    table = markdown(run(runs), generated_bank(runs))
    load_after = os.getloadavg()[0]
    return "\n".join(
        [
            "## 6. Import parsers on hostile files",
            "",
            "`benchmarks/parsers.py` (also alone: `.venv/bin/python -m benchmarks.parsers`) builds files meant "
            "to make one parser slow, at a tenth of the upload limit and at the limit (`MAX_IMPORT_BYTES`, "
            "1 MB), and times what an upload goes through: `decode_upload`, then `FORMATS[name].parse`. "
            f"Best of {runs} runs (load average {load_before:.1f} before, {load_after:.1f} after).",
            "",
            table,
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs a case and size; the best counts")
    print(section(parser.parse_args().runs))


if __name__ == "__main__":
    main()
