"""Has this been checked? In Debian's Chromium (headless): a reviewer pastes
a text on the admin's page and finds the checked claim with its verdict, then
links that claim to a statement from the workspace's panel."""

from pathlib import Path

import pytest
from django.core.management import call_command

from claims import services
from claims.models import Claim, ClaimMention
from tests.browser.test_workspace import CHROMIUM, browser, sign_in  # noqa: F401  (the browser fixture)

pytestmark = [
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(),
        reason=f"no browser at {CHROMIUM} (apt-get install chromium)",
    ),
    pytest.mark.django_db(transaction=True),
]

VOTE = "Iraqi lawmakers unanimously passed a bill mandating the withdrawal of all foreign troops from Iraq"  # noqa: E501
REPORT = (
    "In January, lawmakers in Iraq unanimously passed a bill mandating that "
    "all foreign troops withdraw. Protests followed in Baghdad."
)


def test_find_a_checked_claim_and_link_it_from_the_workspace(
    browser,  # noqa: F811
    live_server,
):
    """The page ranks the checked claim first with its published verdict; the
    panel beside a statement lists it too, and one click links it."""
    call_command("loaddata", "fixtures/demo_users.json", verbosity=0)
    call_command("loaddata", "fixtures/seed_article.json", verbosity=0)
    document = services.document_ingest(title="Iraq votes", text=REPORT)
    vote = Claim.objects.get(text=VOTE)

    page = sign_in(
        browser,
        live_server,
        "reviewer",
        f"/admin/claims/document/{document.pk}/change/",
    )
    page.goto(f"{live_server.url}/admin/claims/claim/similar/")
    page.fill(
        "#id_text", "Did Iraq's parliament vote unanimously to withdraw foreign troops?"
    )
    page.click("#similar-form input[type=submit]")
    first = page.text_content("#similar-claims tbody tr:first-child")
    assert VOTE in first and "Mostly false" in first

    page.goto(f"{live_server.url}/admin/claims/document/{document.pk}/change/")
    page.wait_for_selector(".st")
    statement = document.statements.get(index=0)
    page.click(f"#statement-{statement.pk}")
    row = f".ws-similar-claim[data-claim='{vote.pk}']"
    page.wait_for_selector(row)
    assert "Mostly false" in page.text_content(f"{row} .verdict")
    page.click(f"{row} button")
    page.wait_for_selector(f".ws-mention >> text={VOTE}")
    mention = ClaimMention.objects.get(claim=vote, statement=statement)
    assert (mention.origin, mention.status, mention.created_by.username) == (
        "manual", "accepted", "reviewer",
    )  # fmt: skip
    assert "linked" in page.text_content(row)
    page.close()
