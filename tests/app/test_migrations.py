"""The migrations build exactly the schema the models describe, and undo it."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from quizapp import create_app
from quizapp.extensions import db
from quizapp.schema_migrations import MIGRATIONS_DIR, enable_migrations
from tests.conftest import config_for_tests


def _schema_differences() -> list[object]:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def test_upgrade_from_empty_matches_the_models(blank_database_url: str) -> None:
    app = create_app(config_for_tests(blank_database_url))
    enable_migrations(app)
    with app.app_context():
        upgrade()
        assert _schema_differences() == []
        db.engine.dispose()


def test_downgrade_to_base_removes_every_table_and_upgrade_rebuilds(blank_database_url: str) -> None:
    app = create_app(config_for_tests(blank_database_url))
    enable_migrations(app)
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert _schema_differences() == []
        db.engine.dispose()


def test_every_migration_downgrades_one_step_at_a_time(blank_database_url: str) -> None:
    from alembic.script import ScriptDirectory

    app = create_app(config_for_tests(blank_database_url))
    enable_migrations(app)
    with app.app_context():
        upgrade()
        script = ScriptDirectory(str(MIGRATIONS_DIR))
        for revision in script.walk_revisions():  # newest first
            with db.engine.connect() as connection:
                assert MigrationContext.configure(connection).get_current_revision() == revision.revision
            downgrade(revision="-1")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()
