"""Maintenance commands: back up and restore the whole database.

flask --app quizapp db-backup FILE [--force]
flask --app quizapp db-restore FILE [--yes]
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext
from flask_babel import format_decimal, gettext

from quizapp.cli import in_environment_language
from quizapp.extensions import db
from quizapp.i18n import error_text
from quizapp.schema_migrations import MIGRATIONS_DIR
from quizapp.services import backup


def _database() -> str:
    """The app's database for messages: its kind and URL, without the password."""
    return gettext(
        "%(kind)s database %(url)s",
        kind=backup.database_kind(db.engine),
        url=db.engine.url.render_as_string(hide_password=True),
    )


def _stdin_is_interactive() -> bool:
    return sys.stdin.isatty()


@click.command("db-backup")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Replace FILE if it already exists.")
@with_appcontext
@in_environment_language
def db_backup(file: Path, force: bool) -> None:
    """Write a backup of the whole database to FILE, safely while the app runs."""
    try:
        size = backup.backup_database(db.engine, file, overwrite=force)
    except backup.BackupError as error:
        raise click.ClickException(error_text(error)) from None
    click.echo(
        gettext(
            "Backed up the %(database)s to %(file)s (%(size)s bytes).",
            database=_database(),
            file=file,
            size=format_decimal(size),
        )
    )


@click.command("db-restore")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation (needed when not run from a terminal).")
@with_appcontext
@in_environment_language
def db_restore(file: Path, yes: bool) -> None:
    """Replace ALL data in the database with the backup in FILE."""
    try:
        backup.inspect_backup(db.engine, file)
        target = _database()
        if not yes:
            if not _stdin_is_interactive():
                raise click.ClickException(
                    gettext(
                        "Restoring replaces every row of the %(database)s. "
                        "Pass --yes to confirm when not at a terminal.",
                        database=target,
                    )
                )
            click.confirm(
                gettext("Replace every row of the %(database)s with the backup %(file)s?", database=target, file=file),
                abort=True,
            )
        db.session.remove()  # the restore must not wait behind this command's own connection
        backup.restore_database(db.engine, file)
        revision = backup.schema_revision(db.engine)
    except backup.BackupError as error:
        raise click.ClickException(error_text(error)) from None
    click.echo(
        gettext(
            "Restored %(file)s into the %(database)s (schema revision %(revision)s).",
            file=file,
            database=target,
            revision=revision,
        )
    )
    from alembic.script import ScriptDirectory  # only here: a server never loads Alembic

    migrations = ScriptDirectory(str(MIGRATIONS_DIR))
    if revision in migrations.get_heads():
        return
    if revision in {script.revision for script in migrations.walk_revisions()}:
        click.echo(
            gettext("The backup predates the latest migrations: run `flask db upgrade` before starting the app.")
        )
    else:
        click.echo(
            gettext(
                "This version of the app does not know schema revision %(revision)s: "
                "the backup comes from a newer version. Run that version, or restore an older backup.",
                revision=revision,
            )
        )


def register_maintenance_cli(app: Flask) -> None:
    app.cli.add_command(db_backup)
    app.cli.add_command(db_restore)
