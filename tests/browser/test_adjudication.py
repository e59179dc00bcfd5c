"""A desk's independent double annotation, end to end in Chromium: an editor
assigns an article to two reviewers and marks it independent; each annotates
it differently (one in the workspace, one through the API) without seeing
the other's work; both say they are done; the agreement page gives α and
percent per attribute; the editor adjudicates on the Adjudication page; the
final attributions are accepted, reviewed by the editor; each reviewer's
queue shows the document done. ADJUDICATION_SCREENSHOT=FILE keeps a
screenshot of the Adjudication page."""

import os
import time
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from rest_framework.test import APIClient

from claims import services
from claims.models import Attribution, Document
from tests.browser.test_workspace import CHROMIUM, browser  # noqa: F401  (the browser fixture)

pytestmark = [
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(),
        reason=f"no browser at {CHROMIUM} (apt-get install chromium)",
    ),
    pytest.mark.django_db(transaction=True),
]

TEXT = "Ana said rain comes. Sun is out, Ana said. Clouds gather, says Bo."


def sign_in(browser, live_server, username, path):  # noqa: F811
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{live_server.url}/admin/login/?next={path}")
    page.fill("#id_username", username)
    page.fill("#id_password", f"{username}-demo")
    page.click("input[type=submit]")
    page.wait_for_load_state()
    return page


def eventually(check, seconds=5.0):
    """Wait for the live server's write to show in the database."""
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "the page's write never arrived"
        time.sleep(0.05)


def run_action(page, document, action):
    page.check(f"input[name=_selected_action][value='{document.pk}']")
    page.select_option("select[name=action]", action)
    page.click("button[name=index]")
    page.wait_for_load_state()


def test_two_reviewers_annotate_independently_and_the_editor_adjudicates(
    browser,  # noqa: F811
    live_server,
    django_user_model,
):
    call_command("loaddata", "fixtures/demo_users.json", verbosity=0)
    sam = django_user_model.objects.create_user("sam", password="sam-demo")
    sam.is_staff = True
    sam.save()
    sam.groups.add(Group.objects.get(name="reviewer"))
    reviewer = django_user_model.objects.get(username="reviewer")
    editor = django_user_model.objects.get(username="editor")
    document = services.document_ingest(title="Weather", text=TEXT)
    first, middle, last = document.statements.order_by("index")
    for statement in (first, middle):
        services.attribution_create(
            statement=statement, kind="indirect", source_name="Ana", origin="suggested"
        )

    # The editor assigns it to both and marks it for independent annotation.
    page = sign_in(browser, live_server, "editor", "/admin/claims/document/")
    run_action(page, document, "assign")
    page.check(f"input[name=reviewers][value='{reviewer.pk}']")
    page.check(f"input[name=reviewers][value='{sam.pk}']")
    page.click("input[type=submit][value=Assign]")
    page.wait_for_load_state()
    run_action(page, document, "mark_independent")
    assert "1 documents marked for independent annotation" in page.content()
    document.refresh_from_db()
    assert document.independent_annotation

    # Sam, through the API, attributes the last statement; his copies of the
    # suggestions stand as they are.
    api = APIClient()
    api.force_authenticate(sam)
    made = api.post(
        "/api/attributions/",
        {"statement": last.pk, "kind": "author"},
        format="json",
    )
    assert made.status_code == 201, made.json()

    # The reviewer, in the workspace, sees neither Sam's row nor the shared
    # suggestion, and makes the middle statement a direct quote.
    workspace = f"/admin/claims/document/{document.pk}/change/"
    mine = sign_in(browser, live_server, "reviewer", workspace)
    mine.wait_for_selector(".st")
    assert "unattributed" in mine.get_attribute(f"#statement-{last.pk}", "class")
    mine.click(f"#statement-{middle.pk}")
    assert mine.locator(".ws-attr").count() == 1
    mine.click(".ws-attr button[data-action=edit]")
    mine.select_option("select[name=kind]", "direct")
    mine.click("#ws-form button[type=submit]")
    eventually(
        lambda: Attribution.objects.filter(
            statement=middle, created_by=reviewer, kind="direct"
        ).exists()
    )

    # Both are done: the reviewer from My queue, Sam through the API.
    mine.goto(f"{live_server.url}/admin/claims/document/queue/")
    row = f"#queue tr[data-document='{document.pk}']"
    mine.select_option(f"{row} select[name=state]", "done")
    mine.click(f"{row} input[type=submit]")
    mine.wait_for_selector(f"{row}.state-done")
    done = api.post(
        f"/api/documents/{document.pk}/review-state/",
        {"review_state": "done"},
        format="json",
    )
    assert done.status_code == 200

    # The agreement page: α and percent for each attribute.
    page.goto(
        f"{live_server.url}/admin/claims/document/agreement/?document={document.pk}"
    )
    for attribute in ("kind", "source", "source_span", "cue", "claims"):
        cells = f"#agreement tr[data-attribute={attribute}]"
        assert page.text_content(f"{cells} td.alpha").strip()
        assert page.text_content(f"{cells} td.percent").strip()
    # Kind: the first statement agrees (indirect, indirect), the middle not
    # (direct, indirect), the last is Sam's alone: 50%.
    assert page.text_content("#agreement tr[data-attribute=kind] td.percent") == "50%"

    # The editor adjudicates from the workspace's link: the reviewer's direct
    # quote, Sam's author statement, and the agreeing first one in one step.
    page.goto(f"{live_server.url}{workspace}")
    page.click("#ws-adjudication")
    page.wait_for_selector(f"#adj-statement-{middle.pk}")
    assert "Sun is out, Ana said." in page.text_content(f"#adj-statement-{middle.pk}")
    if os.environ.get("ADJUDICATION_SCREENSHOT"):
        page.screenshot(path=os.environ["ADJUDICATION_SCREENSHOT"], full_page=True)
    page.click(
        f"#adj-statement-{middle.pk} [data-annotator=reviewer] "
        "button:has-text('Take reviewer’s')"
    )
    page.wait_for_load_state()
    page.click(f"#adj-statement-{last.pk} button:has-text('Take sam’s')")
    page.wait_for_load_state()
    page.click("button:has-text('Accept all agreeing statements')")
    page.wait_for_selector("#adj-none")

    finals = {
        a.statement_id: a
        for a in Attribution.objects.filter(
            statement__document=document, status="accepted"
        )
    }
    assert {s: (a.kind, a.created_by.username) for s, a in finals.items()} == {
        first.pk: ("indirect", "reviewer"),
        middle.pk: ("direct", "reviewer"),
        last.pk: ("author", "sam"),
    }
    assert all(a.reviewed_by == editor and a.reviewed_at for a in finals.values())
    rejected = Attribution.objects.filter(
        statement__document=document, status="rejected"
    )
    assert rejected.count() == 4  # Sam's two copies, the reviewer's first, the shared
    assert all(a.reviewed_by == editor for a in rejected)

    # Each reviewer's queue shows the document done.
    mine.goto(f"{live_server.url}/admin/claims/document/queue/")
    assert mine.locator(f"{row}.state-done").count() == 1
    theirs = sign_in(browser, live_server, "sam", "/admin/claims/document/queue/")
    assert theirs.locator(f"{row}.state-done").count() == 1
    assert Document.objects.get(pk=document.pk).independent_annotation
