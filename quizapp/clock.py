"""The app's one clock.

Everything outside the domain core that needs the current time (views, CLI
commands, column defaults) calls :func:`now`; the domain and the services get
that moment passed in. Tests set the time in one place: the ``clock`` fixture
of tests/conftest.py replaces :func:`now` for the whole app.
"""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)
