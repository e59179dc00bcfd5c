"""The workspace at 800 px, and suggestions beside accepted attributions, in
Debian's Chromium (headless)."""

from pathlib import Path

import pytest
from django.core.management import call_command

from claims import services
from claims.models import Document, Source
from tests.browser.test_workspace import CHROMIUM, browser  # noqa: F401  (the browser fixture)

pytestmark = [
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(),
        reason=f"no browser at {CHROMIUM} (apt-get install chromium)",
    ),
    pytest.mark.django_db(transaction=True),
]


def signed_in(browser, live_server, path, width):  # noqa: F811
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.goto(f"{live_server.url}/admin/login/?next={path}")
    page.fill("#id_username", "reviewer")
    page.fill("#id_password", "reviewer-demo")
    page.click("input[type=submit]")
    page.wait_for_selector(".st")
    return page


@pytest.fixture
def seeded(db):
    call_command("loaddata", "fixtures/demo_users.json", "fixtures/seed_article.json",
                 verbosity=0)  # fmt: skip
    return Document.objects.get()


def test_at_800_px_the_sidebar_is_folded_and_the_text_keeps_its_width(
    browser,  # noqa: F811
    live_server,
    seeded,
):
    path = f"/admin/claims/document/{seeded.pk}/change/"
    page = signed_in(browser, live_server, path, 800)
    assert "shifted" not in (page.get_attribute("#main", "class") or "")
    assert page.evaluate("document.getElementById('ws-text').offsetWidth") > 600
    page.click("#toggle-nav-sidebar")  # still opens on demand
    assert "shifted" in page.get_attribute("#main", "class")
    wide = signed_in(browser, live_server, path, 1400)
    assert "shifted" in wide.get_attribute("#main", "class")
    assert page.errors == wide.errors == []
    page.close()
    wide.close()


def test_a_suggestion_shows_its_kind_and_confidence_and_is_marked_in_the_text(
    browser,  # noqa: F811
    live_server,
    seeded,
):
    """A suggestion on an accepted statement is visible in the text, and
    beside it in the editor its kind's label, its source and its confidence."""
    statement = seeded.statements.get(index=0)
    services.attribution_create(
        statement=statement, kind="direct", origin="suggested",
        source=Source.objects.get(name="Donald Trump"), confidence=0.72,
    )  # fmt: skip
    page = signed_in(
        browser, live_server, f"/admin/claims/document/{seeded.pk}/change/", 1400
    )
    marked = page.locator(f"#statement-{statement.pk}")
    assert "also-suggested" in marked.get_attribute("class")
    assert "kind-indirect" in marked.get_attribute("class")
    other = seeded.statements.get(index=1)
    assert "also-suggested" not in page.get_attribute(f"#statement-{other.pk}", "class")
    marked.click()
    box = page.locator(".ws-attr.status-suggested")
    box.wait_for()
    text = box.text_content()
    assert "Direct quote" in text
    assert "Donald Trump" in text
    assert "72% confident" in text
    assert page.errors == []
    page.close()


def test_a_link_to_a_statement_opens_it(browser, live_server, seeded):  # noqa: F811
    """The claim timeline and the source page link to #statement-<id>."""
    statement = seeded.statements.get(index=4)
    page = signed_in(
        browser,
        live_server,
        f"/admin/claims/document/{seeded.pk}/change/%23statement-{statement.pk}",
        1400,
    )
    page.wait_for_selector(f"#statement-{statement.pk}.selected")
    assert page.text_content("#ws-statement-text") == statement.text
    assert page.errors == []
    page.close()
