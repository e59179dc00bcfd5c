"""/api/docs/ in Debian's Chromium with every request off the machine
blocked: Swagger UI renders from the app's own static files."""

from pathlib import Path

import pytest

from tests.browser.test_workspace import CHROMIUM, browser  # noqa: F401  (the browser fixture)

pytestmark = [
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(),
        reason=f"no browser at {CHROMIUM} (apt-get install chromium)",
    ),
    pytest.mark.django_db(transaction=True),
]


def offline_page(browser, live_server):  # noqa: F811
    """A page that may only reach the live server; what else it asked for,
    and its console errors, are kept to be checked."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.blocked, page.errors = [], []

    def only_here(route):
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            page.blocked.append(route.request.url)
            route.abort()

    page.route("**/*", only_here)
    page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    return page


def test_swagger_ui_renders_its_operations_offline(browser, live_server):  # noqa: F811
    page = offline_page(browser, live_server)
    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".opblock", timeout=15000)
    assert page.locator(".opblock").count() > 20
    assert "/api/documents/{id}/" in page.content()
    assert page.blocked == []
    assert page.errors == []
    page.close()
