"""The workspace names sources and claims by the words a reviewer types, and
the server resolves them (Debian's Chromium, headless): a spelling that only
the server's normalisation matches finds the stored source and claim."""

from pathlib import Path

import pytest

from claims import services
from claims.models import Claim, Source
from tests.browser.test_workspace import CHROMIUM, browser, sign_in  # noqa: F401  (the browser fixture)

pytestmark = [
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(),
        reason=f"no browser at {CHROMIUM} (apt-get install chromium)",
    ),
    pytest.mark.django_db(transaction=True),
]

TEXT = "The militias agreed to a truce, the Hashd said on Sunday."


def test_the_workspace_finds_a_source_and_a_claim_as_the_server_spells_them(
    browser,  # noqa: F811
    live_server,
    demo_users,
):
    """Lower-casing in the browser would have missed "hashd al shaabi" (the
    alias is "Hashd al-Sha’abi") and created a second source."""
    document = services.document_ingest(title="Truce", text=TEXT)
    (statement,) = document.statements.all()
    pmu = services.source_create(
        name="Popular Mobilization Units", kind="group", aliases=["Hashd al-Sha’abi"]
    )
    truce = services.claim_create(text="The militias agreed to a truce")
    sources, claims = Source.objects.count(), Claim.objects.count()
    page = sign_in(
        browser,
        live_server,
        "reviewer",
        f"/admin/claims/document/{document.pk}/change/",
    )
    page.click(f"#statement-{statement.pk}")

    page.fill("input[name=source]", "hashd al shaabi")
    page.select_option("select[name=kind]", "indirect")
    page.click("#ws-form button[type=submit]")
    page.wait_for_selector(f"#statement-{statement.pk}.kind-indirect")
    attribution = statement.attributions.get()
    assert (attribution.source, attribution.kind) == (pmu, "indirect")

    page.fill("#ws-claim-form input[name=claim]", "the militias  AGREED to a truce")
    page.press("#ws-claim-form input[name=claim]", "Enter")
    page.wait_for_selector("#ws-claims .ws-mention")
    assert list(statement.claim_mentions.values_list("claim", flat=True)) == [truce.pk]
    assert (Source.objects.count(), Claim.objects.count()) == (sources, claims)
    page.close()
