"""A browser-like HTTP client for tests against the app served over real sockets (the ``server`` fixture)."""

from __future__ import annotations

import http.client
from contextlib import closing
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from tests.app.factories import DEFAULT_PASSWORD

REQUEST_TIMEOUT = 30  # seconds, for each request: generous for a loaded CI machine


class Visitor:
    """A browser-like HTTP client with its own cookies; safe to share between threads once signed in."""

    def __init__(self, address: tuple[str, int]) -> None:
        self.address = address
        self.cookies: dict[str, str] = {}

    def post(self, path: str, form: dict[str, object]) -> int:
        """POST a form; the status code (redirects are not followed)."""
        return self.request("POST", path, form)

    def get(self, path: str) -> int:
        return self.request("GET", path)

    def request(self, method: str, path: str, form: dict[str, object] | None = None) -> int:
        with closing(http.client.HTTPConnection(*self.address, timeout=REQUEST_TIMEOUT)) as connection:
            headers = {"Content-Type": "application/x-www-form-urlencoded"} if form is not None else {}
            if self.cookies:
                headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
            body = urlencode(form, doseq=True) if form is not None else None
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return response.status

    def sign_in(self, username: str) -> None:
        status = self.post("/login", {"username": username, "password": DEFAULT_PASSWORD})
        assert status == 302 and "session" in self.cookies, status
