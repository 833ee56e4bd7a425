"""Formatting helpers every template can call: times in the viewer's zone, shares, intervals."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import Flask
from flask_login import current_user

from quizapp.domain.scheduling import format_interval

MISSING = "–"


def viewer_zone() -> ZoneInfo:
    """The signed-in user's time zone; UTC for anonymous visitors."""
    return ZoneInfo(current_user.timezone if current_user.is_authenticated else "UTC")


def local_datetime(moment: datetime | None) -> str:
    return MISSING if moment is None else moment.astimezone(viewer_zone()).strftime("%d %b %Y, %H:%M")


def local_day(moment: datetime | None) -> str:
    return MISSING if moment is None else moment.astimezone(viewer_zone()).strftime("%d %b %Y")


def percent(share: float | None) -> str:
    return MISSING if share is None else f"{round(share * 100)}%"


def days_label(days: float | None) -> str:
    return MISSING if days is None else format_interval(timedelta(days=days))


def install(app: Flask) -> None:
    app.jinja_env.globals.update(
        local_datetime=local_datetime, local_day=local_day, percent=percent, days_label=days_label
    )
