"""A refused stale save in the workspace writes nothing (issue 19): not the
attribution, and not the new source it named, which the page used to create
before the save that was then refused."""

from pathlib import Path

import pytest
from django.core.management import call_command

from claims import services
from claims.models import Document, Source
from tests.browser.test_workspace import (  # noqa: F401  (the browser fixture)
    CHROMIUM,
    browser,
    second_article,
    sign_in,
)

pytestmark = [
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(),
        reason=f"no browser at {CHROMIUM} (apt-get install chromium)",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_a_stale_save_creates_no_source(browser, live_server, tmp_path):  # noqa: F811
    call_command("loaddata", "fixtures/demo_users.json", verbosity=0)
    call_command("import_documents", str(second_article(tmp_path)), stdout=None)
    document = Document.objects.get(title="Dock workers strike")
    first = document.statements.order_by("index").first()
    page = sign_in(
        browser,
        live_server,
        "reviewer",
        f"/admin/claims/document/{document.pk}/change/",
    )
    page.click(f"#statement-{first.pk}")
    page.click(".ws-attr button[data-action=edit]")
    # Someone else saves the attribution after the page read it.
    attribution = first.attributions.get()
    services.attribution_update(attribution=attribution, kind="mixed")
    page.fill("input[name=source]", "A Brand New Source")
    page.click("#ws-form button[type=submit]")
    page.wait_for_selector("#ws-form-error:not([hidden])")
    assert "has changed since it was read" in page.text_content("#ws-form-error")
    assert not Source.objects.filter(name="A Brand New Source").exists()
    attribution.refresh_from_db()
    assert (attribution.kind, attribution.source.name) == ("mixed", "Dockers’ Union")
    page.close()
