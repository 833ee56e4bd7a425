"""The signed-in user's own data as a JSON download."""

from __future__ import annotations

import json

from flask import Response
from flask_login import current_user, login_required

from quizapp import clock
from quizapp.auth import bp
from quizapp.extensions import db
from quizapp.services.data_export import export_user_data


@bp.get("/account/export.json")
@login_required
def export_my_data() -> Response:
    """GET /account/export.json: everything kept about me, as an attachment."""
    user = current_user._get_current_object()
    data = export_user_data(db.session, user, clock.now())
    response = Response(json.dumps(data, ensure_ascii=False, indent=2) + "\n", mimetype="application/json")
    response.headers.set("Content-Disposition", "attachment", filename=f"quizapp-{user.username}.json")
    response.headers["Cache-Control"] = "no-store"  # personal data: never kept by a shared cache
    return response
