"""The reviewer's workspace in a real browser: Debian's Chromium, headless.

Skipped, with the reason, only where that browser is not installed (CI
installs it: see .ci/run). Set WORKSPACE_SCREENSHOT to keep the screenshot of
the document page somewhere else than the test's temporary directory.
"""

import json
import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connections

from claims.models import Attribution, Document

CHROMIUM = "/usr/bin/chromium"

pytestmark = [
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(),
        reason=f"no browser at {CHROMIUM} (apt-get install chromium)",
    ),
    pytest.mark.django_db(transaction=True),
]

# The ship is outside the Basic Multilingual Plane: one code point, two UTF-16
# units, so every offset after it tells the two counts apart.
TEXT = (
    "🚢 Dock workers walked out on Monday, the union said. "
    "“We will not go back until the offer improves,” said union leader Ana Ruiz. "
    "The company called the strike illegal."
)


def suggestion(kind, source, cue):
    start = TEXT.index(cue)
    return {
        "kind": kind,
        "source": source,
        "cue": {"start": start, "end": start + len(cue)},
        "origin": "suggested",
        "status": "suggested",
        "confidence": 0.6,
    }


def second_article(tmp_path) -> Path:
    """A second article whose first two statements carry suggestions."""
    first_end = TEXT.index(" “We")
    second_start = first_end + 1
    second_end = TEXT.index(" The company")
    record = {
        "title": "Dock workers strike",
        "text": TEXT,
        "published_at": "2024-06-03",
        "statements": [
            {"start": 0, "end": first_end, "attributions": [suggestion(
                "indirect", {"name": "Dockers’ Union", "kind": "organization"}, "said"
            )]},
            {"start": second_start, "end": second_end, "attributions": [
                suggestion("indirect", "Dockers’ Union", "said union"),
            ]},
            {"start": second_end + 1, "end": len(TEXT)},
        ],
    }  # fmt: skip
    path = tmp_path / "second.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", "utf-8")
    return path


@pytest.fixture
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in this thread; the ORM calls
    # that check the database between steps are safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync",
            ],
        )  # fmt: skip
        try:
            yield browser
            browser.close()
        finally:
            # With that loop running, Django keeps this thread's connections
            # apart from the ones it has outside it (its connections are
            # per thread, and per task once a loop runs): the test's queries
            # opened a connection of their own, which pytest-django never
            # closes. Left open it outlived the session, and the test
            # database could not be dropped ("being accessed by other users").
            connections.close_all()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


def sign_in(browser, live_server, username, path):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{live_server.url}/admin/login/?next={path}")
    page.fill("#id_username", username)
    page.fill("#id_password", f"{username}-demo")
    page.click("input[type=submit]")
    page.wait_for_selector(".st")
    return page


def select_words(page, statement_id, words):
    """Select words in the text the way a mouse would: a DOM range over them."""
    page.evaluate(
        """([id, words]) => {
            const walker = document.createTreeWalker(
                document.getElementById("statement-" + id), NodeFilter.SHOW_TEXT);
            for (let node; (node = walker.nextNode());) {
                const at = node.data.indexOf(words);
                if (at < 0) continue;
                const range = document.createRange();
                range.setStart(node, at);
                range.setEnd(node, at + words.length);
                const selection = window.getSelection();
                selection.removeAllRanges();
                selection.addRange(range);
                return;
            }
            throw new Error("words not found: " + words);
        }""",
        [statement_id, words],
    )


def test_review_suggestions_in_the_browser(browser, live_server, tmp_path):
    """Accept one suggestion, correct another on the text; an editor revises it."""
    call_command("loaddata", "fixtures/demo_users.json", "fixtures/seed_article.json",
                 verbosity=0)  # fmt: skip
    call_command("import_documents", str(second_article(tmp_path)), stdout=None)
    document = Document.objects.get(title="Dock workers strike")
    first, second, _ = document.statements.all()
    path = f"/admin/claims/document/{document.pk}/change/"

    page = sign_in(browser, live_server, "reviewer", path)
    # Accept the first suggestion as it stands.
    page.click(f"#statement-{first.pk}")
    page.click(".ws-attr button[data-action=accept]")
    page.wait_for_selector(".ws-attr.status-accepted")
    assert first.attributions.get().status == "accepted"

    # Correct the second: the quote is Ana Ruiz's, word for word.
    page.click(f"#statement-{second.pk}")
    page.click(".ws-attr button[data-action=edit]")
    select_words(page, second.pk, "Ana Ruiz")
    page.click("button[data-span=source_span]")
    assert "“Ana Ruiz”" in page.text_content("output[name=source_span]")
    page.fill("input[name=source]", "Ana Ruiz")
    page.select_option("select[name=kind]", "direct")
    page.click("#ws-form button[type=submit]")
    page.wait_for_selector(f"#statement-{second.pk}.kind-direct")

    corrected = second.attributions.get()
    assert (corrected.kind, corrected.status, corrected.source.name) == (
        "direct", "accepted", "Ana Ruiz",
    )  # fmt: skip
    assert TEXT[corrected.source_start : corrected.source_end] == "Ana Ruiz"
    screenshot = tmp_path / "workspace.png"
    page.screenshot(path=str(screenshot), full_page=True)
    page.close()

    # The editor changes the reviewer's attribution; the history shows who.
    page = sign_in(browser, live_server, "editor", path)
    page.click(f"#statement-{second.pk}")
    page.click(".ws-attr button[data-action=edit]")
    page.select_option("select[name=kind]", "mixed")
    page.click("#ws-form button[type=submit]")
    page.wait_for_selector(f"#statement-{second.pk}.kind-mixed")
    corrected.refresh_from_db()
    assert corrected.kind == "mixed"
    history = [
        (record.kind, record.history_user.username if record.history_user else None)
        for record in corrected.history.order_by("history_date")
    ]
    assert history[-2:] == [("direct", "reviewer"), ("mixed", "editor")]
    page.goto(f"{live_server.url}/admin/claims/attribution/{corrected.pk}/history/")
    assert "editor" in page.text_content("#change-history")
    page.close()

    if os.environ.get("WORKSPACE_SCREENSHOT"):
        shutil.copy(screenshot, os.environ["WORKSPACE_SCREENSHOT"])
    assert screenshot.stat().st_size > 10_000
    assert Attribution.objects.filter(statement__document=document).count() == 2
