"""A backup (export_documents --format backup) restores row for row
(import_documents --format backup), users by username."""

import io
import json
import re
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from claims import services
from claims.exports import export_chunks
from claims.interchange import InterchangeError
from claims.models import (
    Annotation,
    Attribution,
    Claim,
    ClaimMention,
    ClaimReview,
    Document,
    Source,
    SourceAlias,
    Statement,
    Tag,
)

pytestmark = pytest.mark.django_db


def _name(user):
    return None if user is None else user.username


def _time(value):
    return None if value is None else value.isoformat()


def _statement(statement):
    return (statement.document.content_hash, statement.start)


def _tags(row):
    return tuple(sorted(tag.name for tag in row.tags.all()))


# Each table's rows by their natural keys and every column a backup keeps:
# not ids, versions, created_at or updated_at, which a restore writes anew.
ROWS = {
    Tag: lambda t: (t.name,),
    Source: lambda s: (
        s.name, s.normalized_name, s.kind, s.description, s.url, s.wikidata_id,
        s.proposed, _name(s.created_by),
    ),
    SourceAlias: lambda a: (a.source.name, a.name, a.normalized_name),
    Document: lambda d: (
        d.content_hash, d.title, d.text, d.url, d.publisher and d.publisher.name,
        tuple(sorted(a.name for a in d.authors.all())), _time(d.published_at),
        d.language, _tags(d), json.dumps(d.metadata, sort_keys=True),
        _name(d.created_by), d.independent_annotation,
    ),
    Statement: lambda s: (*_statement(s), s.index, s.end, s.text),
    Attribution: lambda a: (
        *_statement(a.statement), a.kind, a.source and a.source.name,
        a.source_start, a.source_end, a.cue_start, a.cue_end, a.content_start,
        a.content_end, a.via and a.via.name, a.primary_source_url, a.origin,
        a.status, a.confidence, _name(a.created_by), a.independent,
    ),
    Claim: lambda c: (c.text, c.status, c.proposed, _tags(c), _name(c.created_by)),
    ClaimMention: lambda m: (
        m.claim.text, *_statement(m.statement), m.origin, m.status,
        _name(m.created_by), _name(m.reviewed_by), _time(m.reviewed_at),
        m.independent,
    ),
    ClaimReview: lambda r: (
        r.claim.text, _name(r.reviewer), r.rating, r.label, r.summary,
        json.dumps(r.evidence, sort_keys=True), r.status, _time(r.published_at),
        r.publisher_name, r.publisher_url, r.url,
    ),
    Annotation: lambda a: (
        a.statement and _statement(a.statement), a.claim and a.claim.text,
        _name(a.reviewer), a.motivation, a.body, _tags(a),
    ),
}  # fmt: skip

# Not in a backup: work in progress (jobs), what is computed again
# (embeddings), credentials (API tokens: a restore signs nobody in), the
# desk's assignments (not yet: README, "Backups"), and the change history,
# which a restore starts afresh.
NOT_BACKED_UP = {"Job", "JobChunk", "ClaimEmbedding", "ApiToken", "Assignment"}


def snapshot() -> dict:
    """Every row of every table of the service, by its natural key."""
    tables: dict[str, list[Any]] = {
        name: sorted(map(row, model._default_manager.all()), key=repr)
        for model, row in ROWS.items()
        if (name := model.__name__)
    }
    # Users by username: those any row names.
    named = {value for rows in tables.values() for row in rows for value in row}
    tables["User"] = sorted(
        u.username for u in get_user_model().objects.all() if u.username in named
    )
    return tables


def test_every_table_of_the_service_is_compared():
    """A new model is either compared or said to be left out of a backup."""
    models = {
        model.__name__
        for model in apps.get_app_config("claims").get_models()
        if not model.__name__.startswith("Historical")
    }
    assert models == {model.__name__ for model in ROWS} | NOT_BACKED_UP


@pytest.fixture
def worked_on(seed, reviewer, editor):
    """The seed after a suggestion run, a published review and some notes."""
    report = services.document_suggest(document=seed, created_by=reviewer)
    assert report.mentions_created
    draft = ClaimReview.objects.get(status=ClaimReview.Status.DRAFT)
    services.claim_review_publish(review=draft)
    source = Source.objects.get(name="Donald Trump")
    services.source_update(
        source=source,
        url="https://www.whitehouse.gov/",
        wikidata_id="Q22686",
        description="45th president of the United States.",
    )
    suggested = ClaimMention.objects.filter(status="suggested").first()
    services.claim_mention_reject(mention=suggested, reviewed_by=editor)
    statement = seed.statements.get(index=2)
    services.annotation_create(
        target=statement, reviewer=editor, motivation="questioning",
        body="Which groups?", tags=["follow-up"],
    )  # fmt: skip
    lonely = services.claim_create(
        text="Nobody has said this yet", tags=["watch"], created_by=editor
    )
    services.annotation_create(target=lonely, reviewer=reviewer, body="Keep an eye")
    return seed


def backup(path):
    call_command(
        "export_documents", "--format", "backup", "-o", str(path), stderr=io.StringIO()
    )
    return path


def restore(path, *options):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(
            "import_documents", "--format", "backup", str(path), *options,
            stdout=out, stderr=err,
        )  # fmt: skip
    except CommandError as error:
        return out.getvalue(), err.getvalue(), error
    return out.getvalue(), err.getvalue(), None


def empty_the_database():
    """Every table emptied (in the test's transaction, which undoes it)."""
    if connection.vendor == "postgresql":
        # PostgreSQL truncates no table with foreign-key checks still to run
        # at commit (deferred): run them now.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
    assert not Document.objects.exists() and not get_user_model().objects.exists()


def test_a_backup_restores_into_an_empty_database_row_for_row(worked_on, tmp_path):
    """Suggested mentions stay suggested, reviews and statuses, sources'
    details and notes come back; a backup of the restore is the same file."""
    before = snapshot()
    assert ("suggested", "suggested") in {row[3:5] for row in before["ClaimMention"]}
    assert {row[6] for row in before["ClaimReview"]} == {"published"}
    first = backup(tmp_path / "first.jsonl")

    empty_the_database()
    out, err, error = restore(first)
    assert error is None, err
    lines = len(first.read_text("utf-8").splitlines())
    assert out.strip() == f"{lines} imported, 0 already present, 0 failed"

    after = snapshot()
    for table, rows in before.items():
        assert after[table] == rows, table
    second = backup(tmp_path / "second.jsonl")
    assert second.read_text("utf-8") == first.read_text("utf-8")


def test_people_no_account_names_are_restored_as_inactive_placeholders(
    worked_on, tmp_path
):
    """Users are matched by username; a name with no account becomes one
    that nobody can sign in as."""
    path = backup(tmp_path / "backup.jsonl")
    empty_the_database()
    _, err, error = restore(path)
    assert error is None, err
    users = get_user_model().objects.order_by("username")
    assert [u.username for u in users] == ["editor", "reviewer"]
    assert not any(u.is_active or u.has_usable_password() for u in users)


def test_a_backup_restored_where_its_rows_are_stored_changes_nothing(
    worked_on, tmp_path
):
    """Documents present by their content hash, sources by name and claims by
    wording are left as they are, with whatever changed since the backup."""
    path = backup(tmp_path / "backup.jsonl")
    mention = ClaimMention.objects.filter(status="suggested").first()
    services.claim_mention_accept(mention=mention, reviewed_by=worked_on.created_by)
    services.source_update(
        source=Source.objects.get(name="Donald Trump"), description="Changed since."
    )
    before = snapshot()
    out, err, error = restore(path)
    assert error is None, err
    lines = len(path.read_text("utf-8").splitlines())
    assert out.strip() == f"0 imported, {lines} already present, 0 failed"
    assert snapshot() == before


def test_a_bad_line_fails_alone_and_says_where(worked_on, tmp_path):
    """A line that breaks the format is reported by file and line; the
    others are restored."""
    path = backup(tmp_path / "backup.jsonl")
    lines = path.read_text("utf-8").splitlines()
    claim = next(i for i, line in enumerate(lines) if '"reviews": [{' in line)
    broken = json.loads(lines[claim])
    broken["claim"]["reviews"][0]["rating"] = 9
    lines[claim] = json.dumps(broken)
    lines.append(json.dumps({"source": {"name": "A"}, "claim": {"text": "B"}}))
    path.write_text("\n".join(lines) + "\n", "utf-8")
    empty_the_database()

    _, err, error = restore(path)
    assert error is not None
    assert err.splitlines() == [
        f"{path}:{claim + 1}: claim.reviews[0].rating: unknown rating 9 "
        "(expected one of -1, 0, 1, 2, 3, 4, 5)",
        f"{path}:{len(lines)}: a backup line is an object with one key: "
        "source, claim or document",
    ]
    assert str(error).endswith(" 2 failed")
    assert Document.objects.count() == 1
    assert not ClaimReview.objects.filter(claim__text=broken["claim"]["text"]).exists()


def test_a_backup_is_of_the_whole_database(seed):
    """Chosen documents are exported in the other formats, not as a backup."""
    with pytest.raises(ValueError, match="whole database"):
        next(export_chunks("backup", documents=[seed.pk]))


def test_a_backup_restores_its_suggestions_and_takes_no_more(seed, tmp_path):
    """--suggest does not go with a backup, which holds its own."""
    path = backup(tmp_path / "backup.jsonl")
    _, _, error = restore(path, "--suggest")
    assert error is not None and "--suggest" in str(error)


def test_notes_in_a_record_are_filed_under_the_importer_alone_unless_trusted(
    reviewer, editor
):
    """Through the API (untrusted), a note may name only the importer."""
    record = {
        "title": "T",
        "text": "One. Two.",
        "statements": [
            {"start": 0, "end": 4, "notes": [{"body": "Check", "reviewer": "editor"}]},
            {"start": 5, "end": 9},
        ],
    }
    with pytest.raises(
        InterchangeError, match=r"statements\[0\]\.notes\[0\]\.reviewer"
    ):
        services.document_import(record=record, created_by=reviewer)
    assert not Document.objects.exists() and not Annotation.objects.exists()

    record["statements"][0]["notes"][0]["reviewer"] = "reviewer"
    document, created = services.document_import(record=record, created_by=reviewer)
    (note,) = Annotation.objects.all()
    assert created and note.statement.document == document
    assert (note.reviewer, note.motivation, note.body) == (
        reviewer,
        "commenting",
        "Check",
    )


def test_a_backup_keeps_independent_annotation(tmp_path, demo_users):
    """The document's mark and each annotator's own rows (which the database
    would refuse as plain manual suggestions) come back as they were."""
    from django.contrib.auth.models import Group

    users = get_user_model().objects
    reviewer, editor = users.get(username="reviewer"), users.get(username="editor")
    second = users.create_user("reviewer2", password="x")
    second.groups.add(Group.objects.get(name="reviewer"))
    document = services.document_ingest(title="Weather", text="Ana said rain.")
    services.documents_assign(
        documents=[document], reviewers=[reviewer, second], assigned_by=editor
    )
    services.document_independent_annotation_set(
        document=document, independent_annotation=True
    )
    statement = document.statements.get()
    claim = services.claim_create(text="Rain comes")
    for user, kind in ((reviewer, "author"), (second, "direct")):
        services.attribution_create(
            statement=statement, kind=kind, source_name="Ana", created_by=user
        )
        services.claim_mention_create(claim=claim, statement=statement, created_by=user)
    before = snapshot()
    first = backup(tmp_path / "first.jsonl")
    empty_the_database()
    _, err, error = restore(first)
    assert error is None, err
    assert Document.objects.get().independent_annotation
    assert Attribution.objects.filter(independent=True).count() == 2
    assert ClaimMention.objects.filter(independent=True).count() == 2
    after = snapshot()
    for table, rows in before.items():
        assert after[table] == rows, table
    # Ids aside: PostgreSQL's sequences move on past rows other tests undid.
    second_file = backup(tmp_path / "second.jsonl")
    ids = re.compile(r'"id": \d+')
    assert ids.sub("", second_file.read_text("utf-8")) == ids.sub(
        "", first.read_text("utf-8")
    )
