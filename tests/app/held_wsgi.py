"""quizapp as the graceful-shutdown test serves it through gunicorn.

The test's database (DATABASE_URL), the test settings, and one thing more: a
request with an ``X-Hold-Seconds`` header waits that long before the app
handles it, so the test can stop gunicorn while it is in flight.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from typing import Any

from quizapp import create_app
from tests.conftest import config_for_tests

quizapp = create_app(config_for_tests(os.environ["DATABASE_URL"]))


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    time.sleep(float(environ.get("HTTP_X_HOLD_SECONDS") or 0))
    return quizapp(environ, start_response)
