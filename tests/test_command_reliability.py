"""The commands on bad input (issue 19): each bad line a ``FILE:LINE: reason``,
the other lines loaded, every error one line and exit status 1, never a
traceback."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from claims.models import Claim, Document, Source
from tests.test_commands import GOOD, _Buffer, record, run_import, write_lines

pytestmark = pytest.mark.django_db

DEEP = '{"a": ' * 10_000 + "1" + "}" * 10_000


def with_claim(text: str) -> dict:
    return {
        "title": "Claims",
        "text": "Rents rose. Wages fell.",
        "statements": [{"start": 0, "end": 11, "claims": [text]}],
    }


BAD_LINES = [
    # The cases, each once a traceback that stopped the file.
    (record(publisher="Daily\u0000News"), "publisher: holds a NUL character"),
    (record(tags=["Hou\u0000sing"]), "tags[0]: holds a NUL character"),
    (
        json.dumps(with_claim("Rents\u0000rose")).encode(),
        "statements[0].claims[0]: holds a NUL character",
    ),
    (
        b'{"title": "T", "text": "Lone \\ud800 here."}',
        "text: holds a lone surrogate (U+D800)",
    ),
    (b'{"title": "T\\udfff", "text": "Fine."}', "title: holds a lone surrogate"),
    (
        b'{"title": "T", "text": "Fine.", "publisher": "P\\ud834"}',
        "publisher: holds a lone surrogate",
    ),
    (
        b'{"title": "T", "text": "Fine.", "metadata": ' + DEEP.encode() + b"}",
        "it nests deeper than 64 levels",
    ),
    (
        b'{"title": "First", "title": "Second", "text": "Fine."}',
        "duplicate key 'title'",
    ),
    (b'{"title": "T", "text": "Fine.", "metadata": {"x": NaN}}', "NaN is not"),
]


@pytest.mark.parametrize(("line", "reason"), BAD_LINES)
def test_a_bad_line_is_named_and_the_file_goes_on(tmp_path, line, reason):
    good = [
        json.dumps({"title": f"T{n}", "text": f"Text {n}."}).encode() for n in (1, 2)
    ]
    path = write_lines(tmp_path / "in.jsonl", good[0], line, good[1])
    _, err, error = run_import(path)
    assert error is not None
    assert "2 imported, 0 already present, 1 failed" in str(error)
    assert f"{path}:2: {reason}" in err, err
    assert sorted(Document.objects.values_list("title", flat=True)) == ["T1", "T2"]
    assert not Source.objects.exists()


def _thousand_lines(tmp_path, bad: bytes):
    """The good lines are text alone, written in bulk around the bad one."""
    lines = [
        json.dumps({"title": f"T{n}", "text": f"Rents rose {n}. Wages fell."}).encode()
        for n in range(1000)
    ]
    lines[499] = bad
    return write_lines(tmp_path / "thousand.jsonl", *lines)


def test_one_bad_line_of_a_thousand_leaves_the_other_999(tmp_path):
    """The audit's file: a bad line at 500 kept 400 documents and lost 599."""
    path = _thousand_lines(tmp_path, json.dumps(with_claim("Rents\u0000rose")).encode())
    _, err, error = run_import(path)
    assert "999 imported, 0 already present, 1 failed" in str(error)
    assert f"{path}:500: statements[0].claims[0]: holds a NUL character" in err
    assert Document.objects.count() == 999
    assert not Claim.objects.exists()


@pytest.mark.postgres
def test_a_record_the_database_refuses_rolls_back_alone(tmp_path):
    """PostgreSQL's jsonb refuses \\u0000: that record alone is rolled back,
    never its batch's good records (with claims, so one at a time)."""
    bad = json.dumps(with_claim("Refused") | {"metadata": {"k": "a\u0000b"}}).encode()
    path = _thousand_lines(tmp_path, bad)
    _, err, error = run_import(path)
    assert "999 imported, 0 already present, 1 failed" in str(error)
    assert f"{path}:500: the database refused a value" in err
    assert Document.objects.count() == 999
    assert not Claim.objects.filter(text="Refused").exists()


def test_import_claims_reads_lines_strictly_too(tmp_path, editor):
    bridge = {"text": "The bridge was built in 1990"}
    path = write_lines(
        tmp_path / "claims.jsonl",
        b'{"text": "A", "text": "B"}',
        b'{"text": "Deep", "tags": ' + b"[" * 5000 + b"]" * 5000 + b"}",
        json.dumps(bridge).encode(),
    )
    err = _Buffer()
    with pytest.raises(CommandError, match="claims: 1 created"):
        call_command(
            "import_claims", str(path), user="editor", stdout=_Buffer(), stderr=err
        )
    assert f"{path}:1: duplicate key 'text'" in err.value
    assert f"{path}:2: it nests deeper than 64 levels" in err.value
    assert list(Claim.objects.values_list("text", flat=True)) == [bridge["text"]]


def test_a_whole_file_json_document_is_read_strictly(tmp_path, editor):
    """A ClaimReview feed (the locating decoder recurses in Python)."""
    deep = tmp_path / "deep.json"
    deep.write_text('{"@graph": ' + "[" * 5000 + "]" * 5000 + "}", "utf-8")
    twice = tmp_path / "twice.json"
    twice.write_text('{"@type": "ClaimReview", "@type": "Claim"}', "utf-8")
    err = _Buffer()
    with pytest.raises(CommandError):
        call_command(
            "import_claims",
            str(deep),
            str(twice),
            user="editor",
            stdout=_Buffer(),
            stderr=err,
        )
    assert f"{deep}: it nests deeper than 64 levels" in err.value
    assert f"{twice}: duplicate key '@type'" in err.value


# Output paths ----------------------------------------------------------------


def test_export_into_a_missing_folder_is_one_line(tmp_path):
    target = tmp_path / "no" / "such" / "folder" / "out.jsonl"
    with pytest.raises(CommandError) as raised:
        call_command("export_documents", "-o", str(target), stderr=_Buffer())
    message = str(raised.value)
    assert "\n" not in message
    assert f"-o {target}: the folder {target.parent} does not exist" in message


def test_export_into_something_that_is_no_folder_is_one_line(tmp_path):
    """Cannot be written (a file where the folder should be; root writes
    everywhere else)."""
    (tmp_path / "file").write_text("x")
    target = tmp_path / "file" / "out.jsonl"
    with pytest.raises(CommandError) as raised:
        call_command("export_documents", "-o", str(target), stderr=_Buffer())
    assert f"-o {target}: cannot write there" in str(raised.value)
    assert not list(tmp_path.glob("file*/*"))


def test_a_command_error_is_one_line_and_exit_status_1(tmp_path):
    """As run: no traceback, the message alone, exit status 1."""
    target = tmp_path / "missing" / "out.jsonl"
    result = subprocess.run(
        [sys.executable, "manage.py", "export_documents", "-o", str(target)],
        cwd=settings.BASE_DIR,
        env=os.environ | {"DJANGO_SETTINGS_MODULE": "tests.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        f"CommandError: -o {target}: the folder {target.parent} does not exist"
    ]


def test_good_records_still_load_beside_bad_ones(tmp_path):
    """GOOD itself goes in (a control for the tests above)."""
    path = write_lines(tmp_path / "good.jsonl", record())
    _, err, error = run_import(path)
    assert error is None, err
    assert Document.objects.get().title == GOOD["title"]
