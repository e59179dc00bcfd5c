"""The admin, the workspace and /api/docs/ in Chromium under the
Content-Security-Policy: each page works, and the browser reports no
violation (neither a ``securitypolicyviolation`` event nor a console error)."""

from pathlib import Path

import pytest
from django.core.management import call_command

from claims.models import Document, Job
from tests.browser.test_workspace import (  # noqa: F401  (the browser fixture)
    CHROMIUM,
    browser,
    second_article,
)

pytestmark = [
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(),
        reason=f"no browser at {CHROMIUM} (apt-get install chromium)",
    ),
    pytest.mark.django_db(transaction=True),
]

# Added by the browser driver, outside the page's policy: every violation the
# page's own scripts, styles and images cause is recorded.
WATCH_VIOLATIONS = """
window.violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const where = event.blockedURI || "inline";
  window.violations.push(event.violatedDirective + " " + where);
});
"""


def watched_page(browser):  # noqa: F811
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.add_init_script(WATCH_VIOLATIONS)
    # The service has no favicon; the browser's 404 for it is no error here.
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    page.errors = []
    page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    return page


def visit(page, url):
    response = page.goto(url)
    assert "script-src 'self'" in response.headers["content-security-policy"]
    return response


def assert_no_violation(page):
    assert page.evaluate("window.violations") == []
    assert page.errors == []


def test_the_admin_and_the_workspace_work_under_the_policy(
    browser,  # noqa: F811
    live_server,
    tmp_path,
):
    """Sign in, lists, a change form, a job's page; choose a statement and
    accept its suggestion in the workspace."""
    call_command("loaddata", "fixtures/demo_users.json", "fixtures/seed_article.json",
                 verbosity=0)  # fmt: skip
    call_command("import_documents", str(second_article(tmp_path)), stdout=None)
    document = Document.objects.get(title="Dock workers strike")
    first = document.statements.first()
    page = watched_page(browser)

    visit(page, f"{live_server.url}/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "editor-demo")
    page.click("input[type=submit]")
    page.wait_for_selector("#site-name")
    assert_no_violation(page)

    for path in [
        "/admin/claims/document/",
        "/admin/claims/claim/",
        "/admin/claims/source/1/change/",
        "/admin/claims/attribution/1/change/",
        "/admin/claims/claimreview/add/",
        "/admin/claims/document/import/",
    ]:
        visit(page, f"{live_server.url}{path}")
        page.wait_for_load_state("load")
        assert page.locator("#content").count() == 1, path
        assert_no_violation(page)

    visit(page, f"{live_server.url}/admin/claims/document/{document.pk}/change/")
    page.click(f"#statement-{first.pk}")
    page.click(".ws-attr button[data-action=accept]")
    page.wait_for_selector(".ws-attr.status-accepted")
    assert first.attributions.get().status == "accepted"
    assert_no_violation(page)

    # The job page's script polls the job's API until it is over.
    job = Job.objects.create(kind="suggest", created_by=None)
    visit(page, f"{live_server.url}/admin/claims/job/{job.pk}/change/")
    page.wait_for_selector("#job-progress")
    page.wait_for_timeout(1500)  # one poll, which the policy must let through
    assert_no_violation(page)
    page.close()


def test_swagger_ui_works_under_the_policy(browser, live_server):  # noqa: F811
    page = watched_page(browser)
    visit(page, f"{live_server.url}/api/docs/")
    page.wait_for_selector(".opblock", timeout=15000)
    page.click(".opblock-summary >> nth=0")
    page.wait_for_selector(".opblock-body")
    assert_no_violation(page)
    page.close()


def test_the_public_pages_work_under_the_policy(browser, live_server):  # noqa: F811
    call_command("loaddata", "fixtures/demo_users.json", "fixtures/seed_article.json",
                 verbosity=0)  # fmt: skip
    page = watched_page(browser)
    visit(page, f"{live_server.url}/claims/")
    page.click("main li a >> nth=0")
    page.wait_for_selector("h1")
    # The stylesheet applied: the page's measure is public.css's.
    assert page.evaluate("getComputedStyle(document.body).maxWidth") != "none"
    assert_no_violation(page)
    page.close()
