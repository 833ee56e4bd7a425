"""Command-line interface: thin wrappers over the services.

flask --app quizapp bank build|check|export|import|stats
flask --app quizapp users create NAME --role teacher|student [--timezone America/Lima]
flask --app quizapp users promote NAME
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from quizapp import clock
from quizapp.domain.facts import FactsError, load_facts
from quizapp.domain.formats import FORMATS, ImportFormatError, ImportOptions, Problem, decode_upload
from quizapp.domain.formats.anki import build_apkg
from quizapp.domain.generate import generate_bank
from quizapp.domain.generate_common import Generated
from quizapp.domain.topics import slug_problem
from quizapp.domain.verify import Finding, verify_bank
from quizapp.extensions import db
from quizapp.models import Role, User
from quizapp.services import DomainError, accounts, bank

bank_cli = AppGroup("bank", help="Build, import, export and count the question bank.")
users_cli = AppGroup("users", help="Manage accounts.")


SEED_OPTION = click.option("--seed", default=0, show_default=True, help="Seed for the order of distractors.")


def _verified_bank(seed: int) -> tuple[list[Generated], list[Finding]]:
    """The questions generated from questions/, and the verifier's findings on them."""
    try:
        facts = load_facts(Path(current_app.config["QUESTIONS_DIR"]))
    except FactsError as error:
        raise click.ClickException(str(error)) from None
    generated = generate_bank(facts, seed=seed)
    return generated, verify_bank(facts, generated)


def _findings_text(findings: Sequence[Finding], outcome: str) -> str:
    count = f"{len(findings)} finding{'s' if len(findings) != 1 else ''}"
    return "\n".join([f"the bank fails the verifier with {count}, {outcome}:", *(f"  {item}" for item in findings)])


@bank_cli.command("build")
@SEED_OPTION
def bank_build(seed: int) -> None:
    """Generate questions from questions/, verify them and upsert them into the database.

    A bank that fails the verifier is not written: the findings are listed and
    the command exits with an error.
    """
    generated, findings = _verified_bank(seed)
    if findings:
        raise click.ClickException(_findings_text(findings, "nothing was written"))
    report = bank.build_bank(db.session, [item.draft for item in generated], clock.now())
    db.session.commit()
    click.echo(
        f"created {len(report.created)}, updated {len(report.updated)}, "
        f"retired {len(report.retired)}, restored {len(report.restored)}, "
        f"unchanged {report.unchanged}, kept teacher's version {len(report.kept_teacher_version)}, "
        f"students' cards restarted {report.cards_restarted}"
    )


@bank_cli.command("check")
@SEED_OPTION
def bank_check(seed: int) -> None:
    """Verify the questions questions/ generates, and warn about teacher-written ones; writes nothing.

    Exits with an error when the generated bank has findings; warnings about
    teachers' questions (duplicates, give-aways) are listed but do not fail.
    """
    generated, findings = _verified_bank(seed)
    warnings = bank.teacher_warnings(db.session, bank.known_names(Path(current_app.config["QUESTIONS_DIR"])))
    for warning in warnings:
        click.echo(f"warning: {warning}")
    if findings:
        raise click.ClickException(_findings_text(findings, "bank build would refuse it"))
    click.echo(
        f"{len(generated)} generated questions pass every rule; "
        f"{len(warnings)} warning{'s' if len(warnings) != 1 else ''} on teachers' questions."
    )


ANKI = "anki"


@bank_cli.command("export")
@click.option("--format", "format_name", type=click.Choice([*sorted(FORMATS), ANKI]), default="json", show_default=True)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    help="File to write (default: stdout; anki needs one).",
)
def bank_export(format_name: str, output: str | None) -> None:
    """Write every active question in the chosen format (anki: an .apkg deck)."""
    drafts = bank.drafts_of(bank.active_questions(db.session))
    if format_name == ANKI:
        if not output:
            raise click.UsageError("the anki format writes a binary .apkg file: give it with -o FILE")
        build_apkg(drafts, output)
        click.echo(f"Wrote {len(drafts)} notes to {output}.")
        return
    text = FORMATS[format_name].emit(drafts)
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=not text.endswith("\n"))


@bank_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--format",
    "format_name",
    type=click.Choice(sorted(FORMATS)),
    help="The file's format (default: from its extension: .csv, .gift or .txt, .xml (Moodle XML), .json).",
)
@click.option(
    "--dry-run", is_flag=True, help="Only show what the import would do and the problems in the file (the first 100)."
)
@click.option("--topic", default="", help="The topic SLUG of questions a Moodle file puts in no category.")
@click.option(
    "--skip-unsupported",
    is_flag=True,
    help="Skip (and list) questions that cannot be graded automatically, such as essays, instead of refusing the file.",
)
def bank_import(file: str, format_name: str | None, dry_run: bool, topic: str, skip_unsupported: bool) -> None:
    """Import questions from a CSV, GIFT, Moodle XML or JSON file: every one of them or none.

    A question whose id is in the bank updates it (a new version); one with a
    new id is added as written by a teacher. Topics the file names that the
    bank lacks are created.
    """
    name = Path(file).name
    format_name = format_name or bank.format_for_filename(name)
    if format_name is None:
        raise click.UsageError(f"cannot tell the format of {name!r} from its extension; give --format")
    if topic and (problem := slug_problem(topic)):
        raise click.UsageError(f"--topic: {problem}")
    options = ImportOptions(default_topic=topic, skip_unsupported=skip_unsupported)
    try:
        parsed = FORMATS[format_name].read(decode_upload(Path(file).read_bytes(), name), name, options)
    except ImportFormatError as error:
        raise click.ClickException(_problems_text(name, error.problems)) from None
    plan = bank.plan_import(db.session, parsed.drafts, skipped=parsed.skipped)
    if not plan.ok:
        raise click.ClickException(_problems_text(name, plan.problems))
    for slug, topic_name in plan.new_topics:
        click.echo(f"new topic {slug} ({topic_name})")
    for what in plan.skipped:
        click.echo(f"skipped {what}")
    for item in plan.questions:
        if item.action != bank.ImportAction.UNCHANGED:
            changes = f" ({', '.join(item.changes)})" if item.changes else ""
            restart = "; the answer changes: students' cards start afresh" if item.restarts_cards else ""
            click.echo(f"{item.action.value:<7} {item.draft.id}{changes}{restart}")
    counts = f"{len(plan.added)} to add, {len(plan.updated)} to update, {len(plan.unchanged)} unchanged"
    if dry_run:
        click.echo(f"Dry run: {counts}. Nothing was written.")
        return
    report = bank.apply_import(db.session, plan, None, clock.now())
    db.session.commit()
    click.echo(
        f"Imported: {len(report.added)} added, {len(report.updated)} updated, {report.unchanged} unchanged, "
        f"{report.cards_restarted} students' cards restarted."
    )


def _problems_text(name: str, problems: Sequence[Problem]) -> str:
    lines = [f"{name}: {len(problems)} problem{'s' if len(problems) != 1 else ''}, nothing was imported:"]
    lines += [f"  {problem}" for problem in problems]
    return "\n".join(lines)


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
@click.option(
    "--timezone",
    default="UTC",
    show_default=True,
    help="IANA time zone, e.g. America/Lima: due dates and days follow it. Users change it in Settings.",
)
def users_create(username: str, role: str, timezone: str) -> None:
    """Create an account. The password is prompted for, or read from stdin."""
    try:
        user = accounts.create_user(db.session, username, _read_password(), Role(role), timezone)
    except DomainError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Created {user.role.value} {user.username!r} ({user.timezone}).")


def _existing_user(username: str) -> User:
    user = accounts.find_user(db.session, username)
    if user is None:
        raise click.ClickException(f"there is no user named {accounts.canonical_username(username)!r}")
    return user


@users_cli.command("promote")
@click.argument("username")
def users_promote(username: str) -> None:
    """Make a student a teacher."""
    user = _existing_user(username)
    if user.role == Role.TEACHER:
        click.echo(f"{user.username!r} is already a teacher.")
        return
    user.role = Role.TEACHER
    db.session.commit()
    click.echo(f"{user.username!r} is now a teacher.")


@users_cli.command("reset-password")
@click.argument("username")
def users_reset_password(username: str) -> None:
    """Set a new password (prompted, or read from stdin) and sign the user out everywhere."""
    user = _existing_user(username)
    try:
        accounts.set_password(user, _read_password())
    except DomainError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Password of {user.username!r} changed; their old sessions are ended.")


def register_cli(app: Flask) -> None:
    app.cli.add_command(bank_cli)
    app.cli.add_command(users_cli)
