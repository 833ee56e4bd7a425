"""Schema migrations (Flask-Migrate over Alembic), loaded only where they run.

Alembic costs a server's every worker about 11 MB and never serves a request, so
the app registers a ``flask db`` command group that imports Flask-Migrate when a
``flask db ...`` command runs; tests and tools that migrate call
:func:`enable_migrations` first.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask

from quizapp.extensions import db

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
COMMAND = "db"


def enable_migrations(app: Flask) -> None:
    """Set up Flask-Migrate on ``app`` (once): its functions (upgrade, ...) and ``flask db`` then work."""
    if "migrate" in app.extensions:
        return
    from flask_migrate import Migrate

    Migrate(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True, command=COMMAND)


class MigrationCommands(click.Group):
    """``flask db ...``: Flask-Migrate's own group, imported when the command line is read.

    Its options (``-d``, ``-x``) and callback are taken over then, so ``flask db`` behaves
    exactly as Flask-Migrate's group does.
    """

    def __init__(self, app: Flask) -> None:
        super().__init__(COMMAND, help="Upgrade, downgrade or write database migrations (Flask-Migrate).")
        self.app = app

    def _commands(self) -> click.Group:
        enable_migrations(self.app)
        from flask_migrate.cli import db as commands

        return commands

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        commands = self._commands()
        self.params, self.callback = commands.params, commands.callback
        return super().parse_args(ctx, args)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return self._commands().list_commands(ctx)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return self._commands().get_command(ctx, cmd_name)


def install(app: Flask) -> None:
    app.cli.add_command(MigrationCommands(app))
