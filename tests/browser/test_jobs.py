"""Jobs in Debian's Chromium (headless) with a real Celery worker on Redis
(tests/worker.py; not the in-process mode): a reviewer uploads a JSON Lines
file of 200 documents from the admin with "suggest" on, watches the progress
bar advance to the end, opens an imported document with its suggestions,
then exports the corpus as W3C annotations and downloads the file.

On PostgreSQL only: the worker must see what the live server commits, which
pytest-django's in-memory SQLite test database does not allow.
"""

import json
import threading
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from playwright.sync_api import Error as PlaywrightError

from claims import services
from claims.models import Attribution, ClaimMention, Document, Job
from tests.browser.test_workspace import CHROMIUM, browser  # noqa: F401  (fixture)
from tests.worker import wait_for

pytestmark = [
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(),
        reason=f"no browser at {CHROMIUM} (apt-get install chromium)",
    ),
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

DOCUMENTS = 200
TEXT = (
    "Officials said the bridge cost {n} million euros in 2021. "
    "“We will finish it by spring,” said mayor Ana Ruiz. The council disagreed."
)


# The document the job is held at: another transaction stores the same text
# and does not commit, so the job's insert of it waits on the unique content
# hash, with the chunks before it committed, until that transaction rolls
# back. On a quiet machine the job is otherwise over between two of the
# page's reads (one a second), and the bar would be seen only at the end.
HELD_AT = 150


class HeldDocument(threading.Thread):
    """A transaction, on a connection of its own, holding the text of
    document ``HELD_AT`` uncommitted until ``release``; then rolled back."""

    def __init__(self):
        super().__init__(daemon=True)
        self.holding = threading.Event()
        self.released = threading.Event()

    def run(self):
        try:
            with transaction.atomic():
                services.document_ingest(title="held", text=TEXT.format(n=HELD_AT))
                self.holding.set()
                self.released.wait(timeout=300)
                transaction.set_rollback(True)
        finally:
            connection.close()

    def release(self):
        self.released.set()
        self.join(timeout=30)


@pytest.fixture
def held(transactional_db):
    """Document ``HELD_AT`` held, released at the latest when the test ends
    (the tables are emptied after it, which would wait on the held row)."""
    holder = HeldDocument()
    holder.start()
    assert holder.holding.wait(timeout=60)
    yield holder
    holder.release()


def corpus(folder: Path) -> Path:
    path = folder / "articles.jsonl"
    path.write_text(
        "".join(
            json.dumps({"title": f"Bridge report {n}", "text": TEXT.format(n=n)}) + "\n"
            for n in range(DOCUMENTS)
        )
    )
    return path


def test_import_with_suggestions_watch_progress_then_export_w3c(
    browser,  # noqa: F811
    live_server,
    celery_worker,
    held,
    settings,
    tmp_path,
):
    settings.CELERY_BROKER_URL = celery_worker
    call_command("loaddata", "fixtures/demo_users.json", verbosity=0)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{live_server.url}/admin/login/?next=/admin/claims/document/")
    page.fill("#id_username", "reviewer")
    page.fill("#id_password", "reviewer-demo")
    page.click("input[type=submit]")

    page.click("text=Import a file")
    page.set_input_files("#id_file", str(corpus(tmp_path)))
    page.check("#id_suggest")
    page.click("#import-form input[type=submit]")
    page.wait_for_selector("#job-progress")
    job = Job.objects.get()
    assert page.url.endswith(f"/admin/claims/job/{job.pk}/change/")

    # The bar, read as the page updates it: it moves on before the end.
    seen = []

    def read_bar():
        try:
            if page.query_selector("#job-errors, #job-documents"):
                return True  # reloaded: the job is over
            value = page.eval_on_selector(
                "#job-progress", "bar => bar.hasAttribute('value') ? bar.value : null"
            )
        except PlaywrightError:  # read while the page reloads: read again
            return False
        if value is not None and (not seen or seen[-1] != value):
            seen.append(value)
        return False

    # Held at document HELD_AT, the bar shows the chunks before it.
    wait_for(lambda: read_bar() or any(0 < v < DOCUMENTS for v in seen), 300)
    held.release()
    wait_for(read_bar, timeout=300, every=0.25)
    assert any(0 < value < DOCUMENTS for value in seen), seen
    assert page.eval_on_selector("#job-progress", "bar => bar.value") == DOCUMENTS
    assert page.text_content("#job-status") == "Done"
    assert "200 imported, 0 already present, 0 failed" in page.text_content(
        "#job-summary"
    )
    assert Document.objects.count() == DOCUMENTS

    page.click("#job-documents a >> nth=0")
    page.wait_for_selector(".st.suggested")
    document = Document.objects.get(title="Bridge report 0")
    assert page.url.endswith(f"/admin/claims/document/{document.pk}/change/")
    suggested = Attribution.objects.filter(
        statement__document=document, status="suggested"
    )
    assert page.locator(".st.suggested").count() == (
        suggested.values("statement").distinct().count()
    )

    page.goto(f"{live_server.url}/admin/claims/document/")
    page.click("text=Export everything")
    page.select_option("#id_format", "w3c")
    page.click("#export-form input[type=submit]")
    page.wait_for_selector("#job-download", timeout=120_000)
    with page.expect_download() as download:
        page.click("#job-download")
    collection = json.loads(Path(download.value.path()).read_text())
    assert collection["type"] == "AnnotationCollection"
    # Every attribution and claim mention, each an annotation.
    annotations = Attribution.objects.count() + ClaimMention.objects.count()
    assert collection["total"] == annotations > DOCUMENTS
    page.close()
