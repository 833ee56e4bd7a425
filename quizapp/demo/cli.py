"""``flask demo seed``: a synthetic school with months of study, for demos and benchmarks.

flask --app quizapp demo seed --students 2000 --questions 1500 --reviews 1000000
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import click
from flask import Flask, current_app
from flask_babel import format_decimal, gettext
from sqlalchemy import func, select

from quizapp import clock, demo
from quizapp.cli import LocalizedGroup
from quizapp.domain.facts import FactsError, load_facts
from quizapp.domain.generate import generate_questions
from quizapp.extensions import db
from quizapp.i18n import error_text
from quizapp.models import Question
from quizapp.services import DomainError, bank

demo_cli = LocalizedGroup("demo", help="Synthetic demo data: a school with months of study history.")


@demo_cli.command("seed")
@click.option("--students", type=click.IntRange(min=0), default=100, show_default=True)
@click.option(
    "--questions",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Active questions wanted; teacher-written ones are added beyond the generated bank.",
)
@click.option("--reviews", type=click.IntRange(min=0), default=10_000, show_default=True, help="Review logs in all.")
@click.option("--seed", type=int, default=0, show_default=True, help="The same seed gives the same data.")
@click.option("--class-size", type=click.IntRange(min=1), default=25, show_default=True)
@click.option("--days", type=click.IntRange(min=1), default=120, show_default=True, help="How far back histories go.")
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=os.cpu_count() or 1,
    show_default="the number of CPUs",
    help="Processes simulating the students.",
)
def demo_seed(students: int, questions: int, reviews: int, seed: int, class_size: int, days: int, workers: int) -> None:
    """Add teachers, classes, students and their study history to the database.

    Builds the question bank first when it is empty. Every demo account's
    password is printed at the end.
    """
    started = time.perf_counter()
    if db.session.scalar(select(func.count(Question.id))) == 0:
        try:
            facts = load_facts(Path(current_app.config["QUESTIONS_DIR"]))
        except FactsError as error:
            raise click.ClickException(error_text(error)) from None
        built = bank.build_bank(db.session, generate_questions(facts), clock.now())
        click.echo(gettext("Built the question bank: %(num)d questions.", num=len(built.created)))
    try:
        spec = demo.DemoSpec(
            students=students, questions=questions, reviews=reviews, seed=seed, class_size=class_size, days=days
        )
        report = demo.seed_demo(db.session, spec, clock.now(), workers=workers, progress=click.echo)
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(error_text(error)) from None
    db.session.commit()
    click.echo(
        gettext(
            "Added %(teachers)d teachers, %(students)d students in %(classes)d classes, %(questions)d questions, "
            "%(assignments)d assignments, %(cards)d cards, %(reviews)d reviews, %(attempts)d quiz attempts "
            "with %(items)d items in %(seconds)s s.",
            teachers=report.teachers,
            students=report.students,
            classes=report.classes,
            questions=report.questions_added,
            assignments=report.assignments,
            cards=report.cards,
            reviews=report.reviews,
            attempts=report.attempts,
            items=report.items,
            seconds=format_decimal(time.perf_counter() - started, format="0.0"),
        )
    )
    names = [name for name in (report.first_teacher, report.first_student) if name]
    who = gettext("%(first)s or %(second)s", first=names[0], second=names[1]) if len(names) == 2 else "".join(names)
    click.echo(
        gettext(
            "Sign in as %(who)s (and so on) with the password %(password)s.", who=who, password=repr(report.password)
        )
    )


def register_demo_cli(app: Flask) -> None:
    """Add the ``flask demo`` commands."""
    app.cli.add_command(demo_cli)
