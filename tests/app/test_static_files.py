"""Static files: versioned URLs kept a year, compressed; each page links only the stylesheets it needs."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quizapp.models import Role
from quizapp.static_files import ONE_YEAR
from tests.app.factories import login, make_user

STATIC = Path(__file__).resolve().parents[2] / "quizapp" / "static"


def stylesheets(client: FlaskClient, path: str) -> list[str]:
    page = client.get(path).get_data(as_text=True)
    return re.findall(r'<link rel="stylesheet" href="/static/([\w.]+)\?v=[0-9a-f]{12}">', page)


def test_a_static_url_carries_the_hash_of_the_content(client: FlaskClient, app: Flask, tmp_path: Path) -> None:
    page = client.get("/login").get_data(as_text=True)
    url = re.search(r'href="(/static/app\.css\?v=([0-9a-f]{12}))"', page)
    assert url is not None
    with client.get(url.group(1)) as response:
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == f"public, max-age={ONE_YEAR}, immutable"
    # Another content, another URL: a stale copy is never used.
    app.static_folder = str(tmp_path)
    (tmp_path / "app.css").write_text("body { color: black; }")
    changed = re.search(r'href="/static/app\.css\?v=([0-9a-f]{12})"', client.get("/login").get_data(as_text=True))
    assert changed is not None and changed.group(1) != url.group(2)


@pytest.mark.parametrize("path", ["/static/app.css", "/static/app.css?v=000000000000"])
def test_a_static_url_without_the_current_hash_is_checked_again_each_time(client: FlaskClient, path: str) -> None:
    with client.get(path) as response:
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-cache"


def test_static_files_are_compressed_and_pages_are_not(client: FlaskClient) -> None:
    with client.get("/static/app.css", headers={"Accept-Encoding": "gzip"}) as response:
        assert response.headers["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in response.headers["Vary"]
        assert gzip.decompress(response.data) == (STATIC / "app.css").read_bytes()
        assert int(response.headers["Content-Length"]) == len(response.data) < (STATIC / "app.css").stat().st_size
    with client.get("/static/js/flashcards.js", headers={"Accept-Encoding": "br"}) as response:
        assert response.headers["Content-Encoding"] == "br"
    # Pages carry CSRF tokens and echo input: compressing them would open them to BREACH.
    assert "Content-Encoding" not in client.get("/login", headers={"Accept-Encoding": "gzip"}).headers


def test_each_page_loads_only_the_stylesheets_it_needs(client: FlaskClient) -> None:
    assert stylesheets(client, "/login") == ["app.css"]
    login(client, make_user().username)
    assert stylesheets(client, "/dashboard") == ["app.css", "study.css"]
    assert stylesheets(client, "/study") == ["app.css", "study.css", "types.css"]
    assert stylesheets(client, "/quiz/") == ["app.css"]
    teacher = client.application.test_client()
    login(teacher, make_user(Role.TEACHER).username)
    assert stylesheets(teacher, "/teach/questions") == ["app.css"]
