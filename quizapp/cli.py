"""Command-line interface: thin wrappers over the services.

    flask --app quizapp bank build|export|stats
    flask --app quizapp users create NAME --role teacher|student
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from quizapp.domain.facts import FactsError, load_facts
from quizapp.domain.formats import FORMATS
from quizapp.domain.generate import generate_questions
from quizapp.extensions import db
from quizapp.models import Role
from quizapp.services import DomainError, accounts, bank

bank_cli = AppGroup("bank", help="Build, export and count the question bank.")
users_cli = AppGroup("users", help="Manage accounts.")


@bank_cli.command("build")
@click.option("--seed", default=0, show_default=True, help="Seed for the order of distractors.")
def bank_build(seed: int) -> None:
    """Generate questions from questions/ and upsert them into the database."""
    directory = Path(current_app.config["QUESTIONS_DIR"])
    try:
        facts = load_facts(directory)
    except FactsError as error:
        raise click.ClickException(str(error)) from None
    report = bank.build_bank(db.session, generate_questions(facts, seed=seed))
    db.session.commit()
    click.echo(
        f"created {len(report.created)}, updated {len(report.updated)}, "
        f"retired {len(report.retired)}, restored {len(report.restored)}, "
        f"unchanged {report.unchanged}, kept teacher's version {len(report.kept_teacher_version)}"
    )


@bank_cli.command("export")
@click.option("--format", "format_name", type=click.Choice(sorted(FORMATS)), default="json", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="File to write (default: stdout).")
def bank_export(format_name: str, output: str | None) -> None:
    """Write every active question in the chosen format."""
    text = FORMATS[format_name].emit(bank.drafts_of(bank.active_questions(db.session)))
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=not text.endswith("\n"))


@bank_cli.command("stats")
def bank_stats() -> None:
    """Count active questions by topic and type."""
    rows = bank.counts_by_topic_and_type(db.session)
    for topic, kind, count in rows:
        click.echo(f"{topic:<14}{kind:<17}{count:>5}")
    click.echo(f"{'total':<31}{sum(count for _, _, count in rows):>5}")


def _read_password() -> str:
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\r\n")


@users_cli.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice([role.value for role in Role]), default=Role.STUDENT.value, show_default=True)
def users_create(username: str, role: str) -> None:
    """Create an account. The password is prompted for, or read from stdin."""
    try:
        user = accounts.create_user(db.session, username, _read_password(), Role(role))
    except DomainError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Created {user.role.value} {user.username!r}.")


def register_cli(app: Flask) -> None:
    app.cli.add_command(bank_cli)
    app.cli.add_command(users_cli)
