"""quizapp: quizzes and spaced-repetition flashcards on the Peruvian resistance (1881-1883)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from quizapp import database, i18n, schema_migrations, security, static_files, templating
from quizapp.config import engine_options, instance_secret_key, settings_from_environment
from quizapp.extensions import csrf, db, limiter, login_manager
from quizapp.schema_migrations import MIGRATIONS_DIR

__all__ = ["MIGRATIONS_DIR", "create_app"]


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the application.

    Args:
        config: overrides applied after the environment's settings, e.g.
            ``{"TESTING": True, "SQLALCHEMY_DATABASE_URI": ...}``.
    """
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(settings_from_environment(Path(app.instance_path)))
    if config:
        app.config.from_mapping(config)
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", engine_options(app.config["SQLALCHEMY_DATABASE_URI"]))
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret_key(Path(app.instance_path))
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if proxies := app.config["TRUSTED_PROXIES"]:
        # The client's address, scheme and host as the last N proxies saw them (docs/DEPLOY.md).
        # Flask's own advice for middleware: wrap wsgi_app, keep the app object.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies
        )

    db.init_app(app)
    database.install(app)
    schema_migrations.install(app)
    csrf.init_app(app)
    # Templates get the lazy current_user proxy (templating.install) instead of Flask-Login's
    # context processor, which loads the user for every page, error pages included.
    login_manager.init_app(app, add_context_processor=False)
    limiter.init_app(app)
    security.install(app)
    static_files.install(app)
    templating.install(app)
    i18n.install(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to see that page."

    from quizapp import models  # noqa: F401  (register the tables on the metadata)
    from quizapp.auth import bp as auth_bp
    from quizapp.cli import register_cli
    from quizapp.demo.cli import register_demo_cli
    from quizapp.main import bp as main_bp
    from quizapp.maintenance_cli import register_maintenance_cli
    from quizapp.quiz import bp as quiz_bp
    from quizapp.study import bp as study_bp
    from quizapp.teach import bp as teach_bp

    for blueprint in (main_bp, auth_bp, quiz_bp, study_bp, teach_bp):
        app.register_blueprint(blueprint)
    for register in (register_cli, register_maintenance_cli, register_demo_cli):
        register(app)
    return app
