"""Static files: URLs carrying a hash of the content, kept a year by browsers, and sent compressed.

``url_for("static", filename="app.css")`` gives ``/static/app.css?v=<hash>``: a changed file gets
a new URL, so a copy may be kept for a year without ever going stale. A request without the
current hash (an old page, a hand-typed URL) gets the file with Flask's usual ``no-cache``.

Only static files are compressed: pages carry CSRF tokens and echo what users typed, which
compression would leak to an attacker who can watch response sizes (BREACH).
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import Flask, Response, current_app, request
from flask_compress import Compress

VERSION_ARG = "v"
ONE_YEAR = 365 * 24 * 60 * 60
COMPRESSED_TYPES = ["text/css", "text/javascript", "application/javascript", "image/svg+xml"]

compress = Compress()


@lru_cache(maxsize=256)
def _digest(path: Path, modified_ns: int, size: int) -> str:
    """The first 12 hex digits of the file's SHA-256 (mtime and size only key the cache)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def content_hash(filename: str) -> str | None:
    """The version of a file under the static folder; None when there is no such file."""
    folder = Path(current_app.static_folder or "")
    path = (folder / filename).resolve()
    if not path.is_relative_to(folder.resolve()) or not path.is_file():
        return None
    status = path.stat()
    return _digest(path, status.st_mtime_ns, status.st_size)


def add_version(endpoint: str | None, values: dict[str, object]) -> None:
    """url_for's hook: a static file's URL carries its content hash."""
    if endpoint != "static" or VERSION_ARG in values or not isinstance(values.get("filename"), str):
        return
    if version := content_hash(str(values["filename"])):
        values[VERSION_ARG] = version


def cache_and_compress(response: Response) -> Response:
    """A static file asked for by its current hash is kept a year; every static file is compressed."""
    if request.endpoint != "static" or response.status_code != 200:
        return response
    filename = (request.view_args or {}).get("filename")
    asked_version = request.args.get(VERSION_ARG)
    if asked_version and isinstance(filename, str) and asked_version == content_hash(filename):
        response.cache_control.no_cache = None
        response.cache_control.public = True
        response.cache_control.max_age = ONE_YEAR
        response.cache_control.immutable = True
    # A file is sent in chunks straight from disk; read it whole so it is compressed with the
    # algorithms every client knows (gzip too) and keeps a correct Content-Length.
    response.direct_passthrough = False
    response.make_sequence()
    return compress.after_request(response)


def install(app: Flask) -> None:
    app.config.setdefault("COMPRESS_REGISTER", False)  # only cache_and_compress calls it
    app.config.setdefault("COMPRESS_MIMETYPES", COMPRESSED_TYPES)
    compress.init_app(app)
    app.url_defaults(add_version)
    app.after_request(cache_and_compress)
