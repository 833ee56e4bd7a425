"""Clients that sign in and send forms like a browser: over HTTP (http.client) or in-process (Flask's test client).

Both keep cookies, pick the CSRF token from a page's form and time each
request from sending it to having read the whole body.
"""

from __future__ import annotations

import http.client
import re
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from flask import Flask

CSRF_INPUT = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@dataclass(frozen=True)
class Reply:
    status: int
    location: str
    body: str
    seconds: float


class Client:
    """The interface both clients share."""

    csrf_token: str = ""

    def request(self, method: str, path: str, form: dict[str, object] | None = None) -> Reply:
        raise NotImplementedError

    def get(self, path: str) -> Reply:
        return self.request("GET", path)

    def post(self, path: str, form: dict[str, object]) -> Reply:
        return self.request("POST", path, {**form, "csrf_token": self.csrf_token})

    def refresh_csrf(self, path: str = "/quiz/") -> None:
        """Read a fresh CSRF token from a page with a form; it stays valid for the session."""
        reply = self.get(path)
        match = CSRF_INPUT.search(reply.body)
        if match is None:
            raise RuntimeError(f"no CSRF token on {path} (status {reply.status})")
        self.csrf_token = match.group(1)

    def login(self, username: str, password: str) -> None:
        self.refresh_csrf("/login")
        reply = self.post("/login", {"username": username, "password": password})
        if reply.status != 302:
            raise RuntimeError(f"could not sign in as {username}: status {reply.status}")
        self.refresh_csrf()


class HttpClient(Client):
    """One user's HTTP/1.1 connection to a server on 127.0.0.1, reopened when the server closes it."""

    def __init__(self, port: int, timeout: float = 30.0) -> None:
        self.port = port
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.connection: http.client.HTTPConnection | None = None

    def _connection(self) -> http.client.HTTPConnection:
        if self.connection is None:
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        return self.connection

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def request(self, method: str, path: str, form: dict[str, object] | None = None) -> Reply:
        headers = {"Host": f"127.0.0.1:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            started = time.perf_counter()
            try:
                connection = self._connection()
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                text = response.read().decode("utf-8", "replace")
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # A kept-alive connection the server had closed: nothing was processed, open a new one.
                self.close()
                if attempt == 2:
                    raise
                continue
            seconds = time.perf_counter() - started
            for header in response.headers.get_all("Set-Cookie") or []:
                cookie = SimpleCookie()
                cookie.load(header)
                for name, morsel in cookie.items():
                    if morsel.value and morsel["expires"] != "Thu, 01 Jan 1970 00:00:00 GMT":
                        self.cookies[name] = morsel.value
                    else:
                        self.cookies.pop(name, None)
            if response.getheader("Connection", "").lower() == "close":
                self.close()
            return Reply(response.status, response.getheader("Location", ""), text, seconds)
        raise AssertionError("unreachable")


class InProcessClient(Client):
    """Flask's test client on the app object itself: the request cost without HTTP or a server."""

    def __init__(self, app: Flask) -> None:
        self.client = app.test_client()

    def request(self, method: str, path: str, form: dict[str, object] | None = None) -> Reply:
        started = time.perf_counter()
        response = self.client.open(path, method=method, data=form)
        body = response.get_data(as_text=True)
        seconds = time.perf_counter() - started
        return Reply(response.status_code, response.headers.get("Location", ""), body, seconds)
