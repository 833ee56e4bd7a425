"""axe-core in the browser tests: run it on a page, and crawl every page a signed-in user reaches.

axe-core comes from PyPI (axe-playwright-python bundles ``axe.min.js``) and is injected into each
page from disk, never fetched from a CDN. A violation of any rule fails the test that found it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import axe_playwright_python
from flask import Flask
from werkzeug.exceptions import HTTPException

AXE_SCRIPT = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")
PHONE = {"width": 375, "height": 812}
LAPTOP = {"width": 1280, "height": 800}
WIDTHS = (PHONE, LAPTOP)
# Every rule axe has, WCAG 2.1 A and AA and its best practices: a page must pass them all.
AXE_OPTIONS = {"resultTypes": ["violations"]}


def violations(page) -> list[str]:
    """axe's violations on the page as it is now, one line a rule with the elements at fault."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT)
    results = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    return [
        f"{rule['id']} ({rule['impact']}): {rule['help']} at "
        + "; ".join(" ".join(node["target"]) for node in rule["nodes"][:5])
        for rule in results["violations"]
    ]


def check_page(page, where: str, *, dark: bool = False) -> list[str]:
    """Run axe at a phone's width and a laptop's, light (and dark) colours; the failures, labelled."""
    failures = []
    schemes = ("light", "dark") if dark else ("light",)
    for scheme in schemes:
        page.emulate_media(color_scheme=scheme)
        for size in WIDTHS:
            page.set_viewport_size(size)
            failures += [f"{where} at {size['width']} px, {scheme}: {line}" for line in violations(page)]
    page.emulate_media(color_scheme="light")
    return failures


@dataclass
class Crawl:
    """What a crawl saw: the pages checked (one per route and set of query arguments) and the failures."""

    checked: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def route_of(app: Flask, url: str) -> tuple[str, tuple[str, ...]] | None:
    """The endpoint a URL of the app goes to, with its query's argument names; None for a missing page."""
    parts = urlsplit(url)
    try:
        endpoint, _arguments = app.url_map.bind("localhost").match(parts.path, method="GET")
    except HTTPException:
        return None
    names = tuple(sorted({pair.split("=")[0] for pair in parts.query.split("&") if pair}))
    return endpoint, names


def crawl(
    app: Flask,
    page,
    base_url: str,
    start: str,
    *,
    dark_sample: Callable[[str], bool] = lambda _endpoint: False,
) -> Crawl:
    """Follow every same-origin GET link from ``start``, checking one page per route with axe.

    A route is visited once for each set of query arguments its links use (a question bank of
    hundreds of questions is one question page, not hundreds). Files (CSV, JSON) are not pages.
    Routes for which ``dark_sample`` says so are checked in dark colours too.
    """
    result = Crawl()
    seen: set[tuple[str, tuple[str, ...]]] = set()
    queue = [base_url + start]
    while queue:
        url = queue.pop(0)
        route = route_of(app, url)
        if route is None or route in seen or route[0] == "static":
            continue
        seen.add(route)
        response = page.request.get(url, max_redirects=0)
        if response.status != 200 or not response.headers.get("content-type", "").startswith("text/html"):
            continue
        page.goto(url)
        result.checked.append(url.removeprefix(base_url))
        result.failures += check_page(page, url.removeprefix(base_url), dark=dark_sample(route[0]))
        queue += [link for link in _links(page, base_url) if route_of(app, link) not in seen]
    return result


def _links(page, base_url: str) -> Iterator[str]:
    for href in page.eval_on_selector_all("a[href]", "links => links.map(link => link.href)"):
        url, _fragment = urldefrag(href)
        if url.startswith(base_url + "/"):
            yield url
