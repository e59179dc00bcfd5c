"""Reviewing claim mentions in the workspace, in Debian's Chromium (headless):
the keys a and r on the focused mention, the buttons, and what the claims
list and the public page then show."""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

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

TEXT = (
    "The port handled 12,800 containers in 2023. "
    "Rents in the city rose by 9% last year. "
    "The mayor promised 400 new homes."
)


def suggestions(editor):
    """A published claim and proposed ones, each mentioned by a suggestion."""
    document = services.document_ingest(title="City report", text=TEXT)
    port, rents, homes = document.statements.all()
    published = services.claim_create(
        text="The port handled 12,800 containers in 2023", created_by=editor
    )
    review = services.claim_review_create(
        claim=published, reviewer=editor, rating=5, summary="Port records agree."
    )
    services.claim_review_publish(review=review)
    links = {}
    for name, claim, statement in [
        ("published", published, port),
        ("port record", None, port),
        ("rents", None, rents),
        ("homes", None, homes),
    ]:
        claim = claim or services.claim_create(text=f"Proposed: {name}", proposed=True)
        links[name] = services.claim_mention_create(
            claim=claim, statement=statement, origin="suggested"
        )
    return document, links


def status(mention):
    row = ClaimMention.objects.filter(pk=mention.pk).first()
    return row.status if row else None


def test_review_mentions_with_keys_and_buttons(browser, live_server):  # noqa: F811
    """a accepts and r rejects the focused mention; the buttons reject and
    unlink; the claims list hides proposed claims until asked; the public page
    lists the accepted appearance."""
    call_command("loaddata", "fixtures/demo_users.json", verbosity=0)
    document, links = suggestions(get_user_model().objects.get(username="editor"))
    port = document.statements.get(index=0)
    page = sign_in(
        browser,
        live_server,
        "reviewer",
        f"/admin/claims/document/{document.pk}/change/",
    )
    public = (
        f"{live_server.url}{reverse('claim-page', args=[links['published'].claim_id])}"
    )
    before = page.context.request.get(public).text()
    assert "Where the claim appears" not in before

    # Keys: the focus starts on the first suggestion waiting (the published
    # claim's mention); a accepts it and the focus moves on; r rejects that.
    page.click(f"#statement-{port.pk}")
    focused = ".ws-mention.focused .claim"
    assert page.text_content(focused) == links["published"].claim.text
    page.keyboard.press("a")
    page.wait_for_function(
        "() => document.querySelector('.ws-mention.focused .claim')"
        "?.textContent === 'Proposed: port record'"
    )
    assert status(links["published"]) == "accepted"
    page.keyboard.press("r")
    page.wait_for_selector(".ws-mention.status-rejected")
    assert status(links["port record"]) == "rejected"
    assert page.text_content(".ws-mention.status-accepted .status") == (
        "accepted (reviewer)"
    )

    # Buttons: reject the rents mention, unlink the homes one.
    page.keyboard.press("j")
    page.wait_for_selector(".ws-mention.status-suggested >> text=Proposed: rents")
    page.click(".ws-mention.status-suggested button[data-action=reject]")
    page.wait_for_selector(".ws-mention.status-rejected")
    page.keyboard.press("j")
    page.wait_for_selector(".ws-mention >> text=Proposed: homes")
    page.click(".ws-mention button[data-action=unlink]")
    page.wait_for_function("() => !document.querySelector('.ws-mention')")
    assert status(links["rents"]) == "rejected"
    assert status(links["homes"]) is None
    assert not Claim.objects.filter(text="Proposed: homes").exists()

    # The claims list: no proposed claim until asked for.
    page.goto(f"{live_server.url}/admin/claims/claim/")
    listed = page.text_content("#result_list")
    assert links["published"].claim.text in listed
    assert "Proposed:" not in listed
    page.click("#changelist-filter >> text=Proposed, waiting for a reviewer")
    listed = page.text_content("#result_list")
    assert "Proposed: port record" in listed and "Proposed: rents" in listed
    api = page.context.request
    assert [
        c["text"] for c in api.get(f"{live_server.url}/api/claims/").json()["results"]
    ] == [links["published"].claim.text]

    # The public page lists the appearance now accepted.
    after = api.get(public).text()
    assert "Where the claim appears" in after
    assert port.text in after and "City report" in after
    page.close()
