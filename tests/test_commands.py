import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from claims.models import (
    Attribution,
    Claim,
    ClaimMention,
    ClaimReview,
    Document,
    Source,
    Statement,
)

pytestmark = pytest.mark.django_db

GOOD = {
    "title": "Minister speaks",
    "text": "The minister said the plan works. “It will,” she added.",
    "tags": ["policy"],
    "published_at": "2024-06-02",
    "statements": [
        {
            "start": 0,
            "end": 33,
            "text": "The minister said the plan works.",
            "attributions": [
                {
                    "kind": "indirect",
                    "source": {"name": "Jane Roe", "kind": "person", "aliases": []},
                    "source_span": {"start": 0, "end": 12},
                    "cue": {"start": 13, "end": 17},
                    "status": "accepted",
                    "origin": "manual",
                }
            ],
            "claims": ["The plan works"],
        },
        {
            "start": 34,
            "end": 55,
            "attributions": [
                {
                    "kind": "direct",
                    "source": "Jane Roe",
                    "cue": {"start": 49, "end": 54},
                }
            ],
        },
    ],
}


def write_lines(path, *lines):
    path.write_bytes(b"".join(line + b"\n" for line in lines))
    return path


def record(**changes):
    return json.dumps(GOOD | changes, ensure_ascii=False).encode()


def run_import(*paths, **options):
    """Run import_documents; return (stdout, stderr, error or None)."""
    out, err = _Buffer(), _Buffer()
    try:
        call_command(
            "import_documents", *map(str, paths), stdout=out, stderr=err, **options
        )
    except CommandError as error:
        return out.value, err.value, error
    return out.value, err.value, None


class _Buffer:
    def __init__(self):
        self.value = ""

    def write(self, text):
        self.value += text

    def flush(self):
        pass


def state():
    return (
        Document.objects.count(),
        Statement.objects.count(),
        Attribution.objects.count(),
        Claim.objects.count(),
        Source.objects.count(),
    )


def test_import_a_jsonl_record_with_its_attributions_and_claims(tmp_path):
    """A record is stored with its statements, attributions, sources, claims."""
    out, err, error = run_import(write_lines(tmp_path / "in.jsonl", record()))
    assert error is None, err
    assert "1 imported, 0 already present, 0 failed" in out
    document = Document.objects.get()
    assert document.published_at.isoformat() == "2024-06-02T00:00:00+00:00"
    quote = Attribution.objects.get(kind="direct")
    assert quote.source.name == "Jane Roe"
    assert quote.origin == "imported"
    assert document.text[quote.cue_start : quote.cue_end] == "added"
    assert Claim.objects.get().mentions.get().statement.index == 0


def test_importing_the_same_text_again_changes_nothing(tmp_path):
    """Import is idempotent by content hash."""
    path = write_lines(tmp_path / "in.jsonl", record())
    run_import(path)
    before = state()
    out, _, error = run_import(path)
    assert error is None
    assert "0 imported, 1 already present" in out
    assert state() == before


def test_a_text_file_is_one_document_titled_by_its_first_line(tmp_path):
    """A .txt file is segmented; its first line is the title unless --title."""
    path = tmp_path / "article.txt"
    path.write_text("Headline without a stop\n\nBody one. Body two.\n", "utf-8")
    _, err, error = run_import(path)
    assert error is None, err
    document = Document.objects.get()
    assert document.title == "Headline without a stop"
    assert list(document.statements.values_list("text", flat=True)) == [
        "Headline without a stop",
        "Body one.",
        "Body two.",
    ]
    other = tmp_path / "other.txt"
    other.write_text("Another text.", "utf-8")
    run_import(other, title="Given title")
    assert Document.objects.filter(title="Given title").exists()


BAD_LINES = [
    (b'{"title": "T", "text": "Hi.", ', "malformed JSON"),
    (b'{"title": "T", "text": "caf\xe9"}', "not UTF-8"),
    (record(text=""), "The text is empty"),
    (record(text="   "), "The text is empty"),
    (record(colour="red"), "unknown key colour"),
    (record(statements=[{"start": 0, "end": 999}]), "outside the text"),
    (
        record(statements=[{"start": 0, "end": 33}, {"start": 20, "end": 55}]),
        "overlaps",
    ),
    (
        record(statements=[{"start": 0, "end": 33, "text": "Something else."}]),
        "is not the text at [0, 33)",
    ),
    (
        record(statements=[{"start": 0, "end": 33, "attributions": [{"kind": "x"}]}]),
        "statements[0].attributions[0].kind: unknown kind 'x'",
    ),
    (
        record(
            statements=[
                {"start": 0, "end": 33, "attributions": [{"kind": "author", "mood": 1}]}
            ]
        ),
        "statements[0].attributions[0]: unknown key mood",
    ),
    (
        record(
            statements=[
                {
                    "start": 0,
                    "end": 33,
                    "attributions": [
                        {"kind": "author", "cue": {"start": 50, "end": 90}}
                    ],
                }
            ]
        ),
        "cue: [50, 90) is not a non-empty span of the document",
    ),
    (record(published_at="last June"), "not an ISO 8601 date"),
    (b"[1, 2]", "document: expected an object"),
    (json.dumps({"text": "No title."}).encode(), "document: missing title"),
]


@pytest.mark.parametrize(("line", "reason"), BAD_LINES)
def test_a_bad_line_is_reported_and_leaves_nothing_behind(tmp_path, line, reason):
    """FILE:LINE: reason, no partial document, the other lines still load."""
    good = json.dumps({"title": "Other", "text": "Another text."}).encode()
    path = write_lines(tmp_path / "in.jsonl", good, line)
    _, err, error = run_import(path)
    assert error is not None
    assert "1 imported, 0 already present, 1 failed" in str(error)
    assert f"{path}:2: " in err
    assert reason in err
    assert state()[:4] == (1, 1, 0, 0)
    assert Source.objects.count() == 0


def test_a_text_file_that_is_not_utf8_is_refused(tmp_path):
    """A .txt file in another encoding is named and nothing is stored."""
    path = tmp_path / "latin1.txt"
    path.write_bytes("Café society.".encode("latin-1"))
    _, err, error = run_import(path)
    assert error is not None
    assert f"{path}: not UTF-8" in err
    assert Document.objects.count() == 0


def test_an_unknown_file_format_is_refused(tmp_path):
    """A file whose format cannot be told is reported, not guessed."""
    path = tmp_path / "data.csv"
    path.write_text("a,b\n", "utf-8")
    _, err, error = run_import(path)
    assert error is not None
    assert "unknown format" in err


def test_export_then_import_into_an_empty_database_round_trips(seed, tmp_path):
    """Export, import into an empty database, export: same content but ids."""
    first = tmp_path / "first.jsonl"
    call_command(
        "export_documents", "--format", "jsonl", "-o", str(first), stderr=_Buffer()
    )
    for model in [Attribution, ClaimMention, ClaimReview, Claim, Document, Source]:
        model.objects.all().delete()
    assert state() == (0, 0, 0, 0, 0)

    _, err, error = run_import(first)
    assert error is None, err
    second = tmp_path / "second.jsonl"
    call_command("export_documents", "-o", str(second), stderr=_Buffer())
    assert _without_ids(first) == _without_ids(second)
    assert Statement.objects.count() == 11


def _without_ids(path):
    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k != "id"}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return [strip(json.loads(line)) for line in path.read_text("utf-8").splitlines()]


def test_export_writes_the_interchange_format_to_stdout(seed):
    """Each line is one document with its statements and attributions."""
    out = _Buffer()
    call_command("export_documents", stdout=out, stderr=_Buffer())
    (line,) = out.value.splitlines()
    exported = json.loads(line)
    assert exported["title"].startswith("Iraqi resistance groups announce halt")
    assert exported["tags"] == ["Iraq", "Qasem Suleimani"]
    first = exported["statements"][0]["attributions"][0]
    assert first["source"]["name"] == "Iraqi resistance groups"
    assert (first["cue"]["start"], first["cue"]["end"]) == (48, 58)


def test_load_demo_fills_an_empty_database_once(db, django_user_model):
    """The demo data loads into an empty database and is not loaded again."""
    out = _Buffer()
    call_command("load_demo", stdout=out, stderr=_Buffer())
    assert Document.objects.count() == 1
    assert (
        django_user_model.objects.filter(username__in=["reviewer", "editor"]).count()
        == 2
    )
    Attribution.objects.update(status="rejected")
    call_command("load_demo", stdout=out, stderr=_Buffer())
    assert "not loaded" in out.value
    assert set(Attribution.objects.values_list("status", flat=True)) == {"rejected"}
