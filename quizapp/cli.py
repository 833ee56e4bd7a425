"""Command-line interface: thin wrappers over the services.

flask --app quizapp bank build|check|export|import|stats
flask --app quizapp users create NAME --role teacher|student [--timezone America/Lima]
flask --app quizapp users promote NAME

Messages follow the language of the environment (LC_ALL, LC_MESSAGES, LANG:
``es_PE.UTF-8`` gives Spanish, anything else English), as the shell's own
commands do.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from flask_babel import force_locale, gettext, ngettext

from quizapp import clock
from quizapp.domain.facts import FactsError, load_facts
from quizapp.domain.formats import (
    ALL_LANGUAGE_FORMATS,
    FORMATS,
    ImportFormatError,
    ImportOptions,
    Problem,
    decode_upload,
    worded_in,
)
from quizapp.domain.generate import generate_bank
from quizapp.domain.generate_common import Generated
from quizapp.domain.languages import DEFAULT_LANGUAGE, Language, language_of
from quizapp.domain.topics import slug_problem
from quizapp.domain.verify import Finding, verify_bank
from quizapp.extensions import db
from quizapp.i18n import error_text, problem_text
from quizapp.models import Role, User
from quizapp.services import DomainError, accounts, bank

P = ParamSpec("P")
R = TypeVar("R")

# POSIX order: the first of these that is set names the language of messages.
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")


def environment_language(environ: Mapping[str, str] = os.environ) -> Language:
    """The language the environment asks messages in: ``LANG=es_PE.UTF-8`` is Spanish; ``C`` or none, English."""
    for name in LOCALE_VARIABLES:
        if value := environ.get(name):
            return language_of(value.split(".", 1)[0]) or DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


def in_environment_language(command: Callable[P, R]) -> Callable[P, R]:
    """Run a command (inside the app context) with its messages in :func:`environment_language`."""

    @functools.wraps(command)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        with force_locale(environment_language().value):
            return command(*args, **kwargs)

    return wrapped


class LocalizedGroup(AppGroup):
    """An :class:`AppGroup` whose commands speak the language of the environment."""

    def command(self, *args: Any, **kwargs: Any) -> Callable[[Callable[..., Any]], click.Command]:  # type: ignore[override]
        register = super().command(*args, **kwargs)
        return lambda command: register(in_environment_language(command))


bank_cli = LocalizedGroup("bank", help="Build, import, export and count the question bank.")
users_cli = LocalizedGroup("users", help="Manage accounts.")


SEED_OPTION = click.option("--seed", default=0, show_default=True, help="Seed for the order of distractors.")


def _verified_bank(seed: int) -> tuple[list[Generated], list[Finding]]:
    """The questions generated from questions/, and the verifier's findings on them."""
    try:
        facts = load_facts(Path(current_app.config["QUESTIONS_DIR"]))
    except FactsError as error:
        raise click.ClickException(error_text(error)) from None
    generated = generate_bank(facts, seed=seed)
    return generated, verify_bank(facts, generated)


def _findings_text(findings: Sequence[Finding], heading: str) -> str:
    return "\n".join([heading, *(f"  {item}" for item in findings)])


@bank_cli.command("build")
@SEED_OPTION
def bank_build(seed: int) -> None:
    """Generate questions from questions/, verify them and upsert them into the database.

    A bank that fails the verifier is not written: the findings are listed and
    the command exits with an error.
    """
    generated, findings = _verified_bank(seed)
    if findings:
        heading = ngettext(
            "the bank fails the verifier with %(num)d finding, nothing was written:",
            "the bank fails the verifier with %(num)d findings, nothing was written:",
            len(findings),
        )
        raise click.ClickException(_findings_text(findings, heading))
    report = bank.build_bank(db.session, [item.draft for item in generated], clock.now())
    db.session.commit()
    click.echo(
        gettext(
            "created %(created)d, updated %(updated)d, retired %(retired)d, restored %(restored)d, "
            "unchanged %(unchanged)d, kept teacher's version %(kept)d, students' cards restarted %(restarted)d",
            created=len(report.created),
            updated=len(report.updated),
            retired=len(report.retired),
            restored=len(report.restored),
            unchanged=report.unchanged,
            kept=len(report.kept_teacher_version),
            restarted=report.cards_restarted,
        )
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
        click.echo(gettext("warning: %(warning)s", warning=warning))
    if findings:
        heading = ngettext(
            "the bank fails the verifier with %(num)d finding, bank build would refuse it:",
            "the bank fails the verifier with %(num)d findings, bank build would refuse it:",
            len(findings),
        )
        raise click.ClickException(_findings_text(findings, heading))
    passed = ngettext(
        "%(num)d generated question passes every rule;",
        "%(num)d generated questions pass every rule;",
        len(generated),
    )
    warned = ngettext(
        "%(num)d warning on teachers' questions.", "%(num)d warnings on teachers' questions.", len(warnings)
    )
    click.echo(f"{passed} {warned}")


ANKI = "anki"


def _language_option(help_text: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``--language en|es`` (English by default), given to the command as a Language."""
    return click.option(
        "--language",
        type=click.Choice([language.value for language in Language]),
        default=DEFAULT_LANGUAGE.value,
        show_default=True,
        callback=lambda _context, _parameter, value: Language(value),
        help=help_text,
    )


@bank_cli.command("export")
@click.option("--format", "format_name", type=click.Choice([*sorted(FORMATS), ANKI]), default="json", show_default=True)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    help="File to write (default: stdout; anki needs one).",
)
@_language_option(
    "GIFT, Moodle XML and Anki files hold one language: the questions worded in it. CSV and JSON hold every "
    "language of each question."
)
def bank_export(format_name: str, output: str | None, language: Language) -> None:
    """Write every active question in the chosen format (anki: an .apkg deck)."""
    drafts = bank.drafts_of(bank.active_questions(db.session))
    if format_name not in ALL_LANGUAGE_FORMATS:
        drafts = worded_in(drafts, language)
    if format_name == ANKI:
        if not output:
            raise click.UsageError(gettext("the anki format writes a binary .apkg file: give it with -o FILE"))
        from quizapp.domain.formats.anki import build_apkg  # genanki only when a deck is written

        build_apkg(drafts, output, language=language)
        click.echo(
            ngettext("Wrote %(num)d note to %(file)s.", "Wrote %(num)d notes to %(file)s.", len(drafts), file=output)
        )
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
@_language_option(
    "The language of a GIFT or Moodle XML file's questions (one language a file), and of CSV or JSON "
    "questions that do not name theirs. A question already in the bank in the other language gains this one."
)
def bank_import(
    file: str, format_name: str | None, dry_run: bool, topic: str, skip_unsupported: bool, language: Language
) -> None:
    """Import questions from a CSV, GIFT, Moodle XML or JSON file: every one of them or none.

    A question whose id is in the bank updates it (a new version); one with a
    new id is added as written by a teacher. Topics the file names that the
    bank lacks are created.
    """
    name = Path(file).name
    format_name = format_name or bank.format_for_filename(name)
    if format_name is None:
        raise click.UsageError(
            gettext("cannot tell the format of %(file)s from its extension; give --format", file=repr(name))
        )
    if topic and (problem := slug_problem(topic)):
        raise click.UsageError(f"--topic: {problem}")
    options = ImportOptions(default_topic=topic, skip_unsupported=skip_unsupported, language=language)
    try:
        parsed = FORMATS[format_name].read(decode_upload(Path(file).read_bytes(), name), name, options)
    except ImportFormatError as error:
        raise click.ClickException(_problems_text(name, error.problems)) from None
    plan = bank.plan_import(db.session, parsed.drafts, skipped=parsed.skipped)
    if not plan.ok:
        raise click.ClickException(_problems_text(name, plan.problems))
    for slug, topic_name in plan.new_topics:
        click.echo(gettext("new topic %(slug)s (%(name)s)", slug=slug, name=topic_name))
    for what in plan.skipped:
        click.echo(gettext("skipped %(what)s", what=_located(what)))
    for item in plan.questions:
        if item.action != bank.ImportAction.UNCHANGED:
            changes = f" ({', '.join(item.changes)})" if item.changes else ""
            restart = gettext("; the answer changes: students' cards start afresh") if item.restarts_cards else ""
            click.echo(f"{item.action.value:<7} {item.draft.id}{changes}{restart}")
    counts = gettext(
        "%(added)d to add, %(updated)d to update, %(unchanged)d unchanged",
        added=len(plan.added),
        updated=len(plan.updated),
        unchanged=len(plan.unchanged),
    )
    if dry_run:
        click.echo(gettext("Dry run: %(counts)s. Nothing was written.", counts=counts))
        return
    report = bank.apply_import(db.session, plan, None, clock.now())
    db.session.commit()
    click.echo(
        gettext(
            "Imported: %(added)d added, %(updated)d updated, %(unchanged)d unchanged, "
            "%(restarted)d students' cards restarted.",
            added=len(report.added),
            updated=len(report.updated),
            unchanged=report.unchanged,
            restarted=report.cards_restarted,
        )
    )


def _problems_text(name: str, problems: Sequence[Problem]) -> str:
    heading = ngettext(
        "%(file)s: %(num)d problem, nothing was imported:",
        "%(file)s: %(num)d problems, nothing was imported:",
        len(problems),
        file=name,
    )
    lines = [heading]
    lines += [f"  {_located(problem)}" for problem in problems]
    return "\n".join(lines)


def _located(problem: Problem) -> str:
    """A problem in the reader's language, after its line (``line 12: ...``) when it has one."""
    if problem.line is None:
        return problem_text(problem)
    return gettext("line %(line)s: %(problem)s", line=problem.line, problem=problem_text(problem))


@bank_cli.command("stats")
def bank_stats() -> None:
    """Count active questions by topic and type."""
    rows = bank.counts_by_topic_and_type(db.session)
    for topic, kind, count in rows:
        click.echo(f"{topic:<14}{kind:<17}{count:>5}")
    total = gettext("total")
    click.echo(f"{total:<31}{sum(count for *_, count in rows):>5}")


def _read_password() -> str:
    if sys.stdin.isatty():
        return click.prompt(gettext("Password"), hide_input=True, confirmation_prompt=True)
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
        raise click.ClickException(error_text(error)) from None
    db.session.commit()
    if user.role == Role.TEACHER:
        created = gettext("Created teacher %(name)s (%(zone)s).", name=repr(user.username), zone=user.timezone)
    else:
        created = gettext("Created student %(name)s (%(zone)s).", name=repr(user.username), zone=user.timezone)
    click.echo(created)


def _existing_user(username: str) -> User:
    user = accounts.find_user(db.session, username)
    if user is None:
        raise click.ClickException(
            gettext("there is no user named %(name)s", name=repr(accounts.canonical_username(username)))
        )
    return user


@users_cli.command("promote")
@click.argument("username")
def users_promote(username: str) -> None:
    """Make a student a teacher."""
    user = _existing_user(username)
    if user.role == Role.TEACHER:
        click.echo(gettext("%(name)s is already a teacher.", name=repr(user.username)))
        return
    user.role = Role.TEACHER
    db.session.commit()
    click.echo(gettext("%(name)s is now a teacher.", name=repr(user.username)))


@users_cli.command("reset-password")
@click.argument("username")
def users_reset_password(username: str) -> None:
    """Set a new password (prompted, or read from stdin) and sign the user out everywhere."""
    user = _existing_user(username)
    try:
        accounts.set_password(user, _read_password())
    except DomainError as error:
        raise click.ClickException(error_text(error)) from None
    db.session.commit()
    click.echo(gettext("Password of %(name)s changed; their old sessions are ended.", name=repr(user.username)))


def register_cli(app: Flask) -> None:
    app.cli.add_command(bank_cli)
    app.cli.add_command(users_cli)
