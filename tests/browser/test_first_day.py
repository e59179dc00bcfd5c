"""A first day in Debian's Chromium (issue 17's "Done when"), with every
request off the machine blocked and no console error: a reviewer corrects a
document's date, finds a claim by a source's alias and reviews it with a
pasted evidence URL; an editor reverts the seed's first edit."""

import datetime
import io
from pathlib import Path

import pytest
from django.core.management import call_command

from claims.models import Attribution, Claim, ClaimReview, Document
from tests.browser.test_api_docs import offline_page
from tests.browser.test_workspace import CHROMIUM, browser  # noqa: F401  (the browser fixture)

pytestmark = [
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(),
        reason=f"no browser at {CHROMIUM} (apt-get install chromium)",
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def demo(db):
    """The demo as `make run` loads it, history from the start included."""
    call_command("load_demo", stdout=io.StringIO())
    return Document.objects.get()


def signed_in(browser, live_server, username):  # noqa: F811
    page = offline_page(browser, live_server)
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", f"{username}-demo")
    page.click("input[type=submit]")
    page.wait_for_selector("#site-name")
    return page


def submit(page):
    with page.expect_navigation():
        page.click("input[name=_save]")


def test_a_reviewers_first_day(browser, live_server, demo):  # noqa: F811
    page = signed_in(browser, live_server, "reviewer")

    # The seed article is undated: the reviewer gives it its date, a date alone.
    page.goto(f"{live_server.url}/admin/claims/document/{demo.pk}/change/")
    page.wait_for_selector(".st")
    with page.expect_navigation():
        page.click("text=correct the details")
    page.fill("input[name=published_at]", "2020-10-10")
    submit(page)
    assert "were saved" in page.text_content(".messagelist")
    demo.refresh_from_db()
    assert demo.published_at == datetime.datetime(2020, 10, 10, tzinfo=datetime.UTC)

    # "Suleimani" is how the tags spell him; the claim says "Soleimani".
    page.goto(f"{live_server.url}/admin/claims/claim/")
    page.fill("#searchbar", "Suleimani")
    with page.expect_navigation():
        page.press("#searchbar", "Enter")
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 1
    assert "Qassem Soleimani" in rows.first.text_content()
    with page.expect_navigation():
        rows.first.locator("th a").click()
    claim = Claim.objects.get(pk=int(page.url.split("/claim/")[1].split("/")[0]))
    assert "Soleimani" in claim.text

    # Its review, with evidence pasted as a URL and a title, not as JSON.
    page.goto(f"{live_server.url}/admin/claims/claimreview/add/?claim={claim.pk}")
    page.select_option("select[name=rating]", "5")
    page.fill("textarea[name=summary]", "Pentagon statement of 3 January 2020.")
    page.fill(
        "textarea[name=evidence]",
        "https://archive.example/pentagon-2020-01-03 Pentagon statement",
    )
    submit(page)
    assert "errornote" not in page.content()
    review = ClaimReview.objects.get(claim=claim, status="draft")
    assert review.evidence == [
        {
            "url": "https://archive.example/pentagon-2020-01-03",
            "title": "Pentagon statement",
        }
    ]
    assert page.blocked == []
    assert page.errors == []
    page.close()


def test_an_editor_reverts_the_seeds_first_edit(browser, live_server, demo):  # noqa: F811
    attribution = Attribution.objects.order_by("pk").first()
    assert attribution.kind == "indirect"
    loaded = attribution.history.get()  # recorded when the demo was loaded
    page = signed_in(browser, live_server, "editor")
    change = f"{live_server.url}/admin/claims/attribution/{attribution.pk}/change/"

    page.goto(change)
    page.select_option("select[name=kind]", "mixed")
    submit(page)
    attribution.refresh_from_db()
    assert attribution.kind == "mixed"

    page.goto(f"{change.removesuffix('change/')}history/")
    with page.expect_navigation():
        page.click(f"a[href$='/history/{loaded.pk}/']")
    assert page.input_value("select[name=kind]") == "indirect"
    submit(page)  # "Revert"
    attribution.refresh_from_db()
    assert attribution.kind == "indirect"
    assert [r.kind for r in attribution.history.order_by("history_date")] == [
        "indirect", "mixed", "indirect"
    ]  # fmt: skip
    assert page.blocked == []
    assert page.errors == []
    page.close()
