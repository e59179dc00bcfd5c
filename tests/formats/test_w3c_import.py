"""W3C annotations go onto stored documents, re-anchored where the text moved."""

import json

import pytest
from django.core.management import call_command

from claims import services
from claims.formats import FormatError, w3c
from claims.formats.w3c_import import anchor, annotations_in, import_annotations
from claims.models import Annotation, Attribution, ClaimMention
from claims.selectors import documents_for_annotations
from tests.test_commands import _Buffer, run_import

TEXT = "The minister said the plan works. “It will,” she said. The plan works."


def test_a_position_that_reads_the_quote_is_taken():
    """Position and quote agree: the position stands, no shift."""
    chosen = anchor(TEXT, w3c.text_selectors(TEXT, 34, 54), where="t")
    assert chosen == (34, 54, 0)


def test_a_stale_position_is_re_anchored_by_the_quote():
    """Ten characters inserted before: the quote is found ten code points on."""
    moved = "UPDATED: " + " " + TEXT
    assert anchor(moved, w3c.text_selectors(TEXT, 34, 54), where="t") == (44, 64, 10)


def test_prefix_and_suffix_choose_between_repeated_quotes():
    """ "The plan works" twice: the prefix tells the second from the first."""
    chosen = anchor("Note. " + TEXT, w3c.text_selectors(TEXT, 55, 69), where="t")
    assert chosen[:2] == (61, 75)
    assert ("Note. " + TEXT)[61:75] == "The plan works"


def test_a_quote_no_longer_in_the_text_is_an_error():
    """Nothing to anchor to: the error says which quote is missing."""
    with pytest.raises(FormatError, match="'The plan works' is not in the text"):
        anchor("Something else.", w3c.text_selectors(TEXT, 55, 69), where="target")


def test_only_a_position_outside_the_text_is_an_error():
    """A lone position selector must lie inside the text."""
    with pytest.raises(FormatError, match=r"\[5, 90\) is not a span"):
        anchor(TEXT, {"type": "TextPositionSelector", "start": 5, "end": 90}, where="t")


@pytest.fixture
def exported(seed, reviewer):
    statement = seed.statements.get(index=0)
    services.annotation_create(
        target=statement, reviewer=reviewer, body="Which groups?", tags=["who"]
    )
    return w3c.document_annotations(documents_for_annotations().get(pk=seed.pk))


def _attributions(document):
    return sorted(
        (
            a.statement.start - document.statements.get(index=0).start,
            a.kind,
            a.source.name if a.source else None,
            document.text[a.cue_start : a.cue_end] if a.cue_start is not None else None,
        )
        for a in Attribution.objects.filter(statement__document=document)
    )


@pytest.mark.django_db
def test_annotations_move_onto_an_edited_copy_of_the_text(seed, exported, reviewer):
    """Onto a new version of the text found by its URL, every span moves with it."""
    prefix = "Editor's note: this report was updated.\n\n"
    copy = services.document_ingest(
        title="Updated",
        text=prefix + seed.text,
        url="https://example.org/iraq-truce",
        statements=[
            (len(prefix) + s.start, len(prefix) + s.end) for s in seed.statements.all()
        ],
    )
    for item in exported:
        # As a client that knows the article only by its address would send it.
        item["target"]["source"] = "https://example.org/iraq-truce"
    outcomes = list(import_annotations([("x", i) for i in exported]))
    # 12 attributions and notes, 10 claim mentions (exported since mentions
    # carry their review), all stored on the copy.
    assert [o.error for o in outcomes] == [None] * 22
    assert all(o.created for o in outcomes)
    assert sorted(
        copy_mentions := ClaimMention.objects.filter(
            statement__document=copy
        ).values_list("claim__text", "status")
    ) == sorted(
        ClaimMention.objects.filter(statement__document=seed).values_list(
            "claim__text", "status"
        )
    )
    assert len(copy_mentions) == 10
    assert _attributions(copy) == _attributions(seed)
    note = Annotation.objects.get(statement__document=copy)
    assert (note.body, [t.name for t in note.tags.all()]) == ("Which groups?", ["who"])
    assert note.statement.text == seed.statements.get(index=0).text


@pytest.mark.django_db
def test_importing_the_same_annotations_twice_stores_them_once(seed, exported):
    """The second import finds every annotation present and writes nothing."""
    before = Attribution.objects.count(), Annotation.objects.count()
    outcomes = list(import_annotations([("x", i) for i in exported]))
    assert [o.created for o in outcomes] == [False] * 22
    assert (Attribution.objects.count(), Annotation.objects.count()) == before


@pytest.mark.django_db
def test_a_bad_annotation_keeps_its_whole_document_out(seed, exported):
    """One unknown kind: nothing of that document is stored, and it is named."""
    Attribution.objects.all().delete()
    exported[3]["body"]["claims:kind"] = "rumour"
    items = [(f"f:{n}", item) for n, item in enumerate(exported, start=1)]
    outcomes = list(import_annotations(items))
    assert [(o.where, o.error) for o in outcomes if o.error] == [
        ("f:4", "body.claims:kind: unknown kind 'rumour' (expected one of direct, "
         "indirect, mixed, author)")
    ]  # fmt: skip
    assert Attribution.objects.count() == 0


@pytest.mark.django_db
def test_an_unknown_document_is_named(seed, exported):
    """A target nobody stored is an error that says to import the document."""
    exported[0]["target"]["source"] = "https://example.org/elsewhere"
    (outcome, *_) = import_annotations([("f:1", exported[0])])
    assert "no stored document is 'https://example.org/elsewhere'" in outcome.error


def test_annotations_are_found_in_collections_pages_and_lists():
    """A collection's embedded and included pages, a page, a list: all read."""
    note = {"type": "Annotation", "target": "x"}

    def page(n):
        return {"type": "AnnotationPage", "id": f"p{n}", "items": [note] * n}

    collection = {
        "type": "AnnotationCollection",
        "total": 3,
        "first": page(1),
        "@included": [page(2)],
    }
    assert len(annotations_in(collection)) == 3
    assert len(annotations_in([page(2), note])) == 3
    with pytest.raises(FormatError, match="pages are not embedded"):
        annotations_in({"type": "AnnotationCollection", "total": 3, "first": "p1"})


@pytest.mark.django_db
def test_the_command_imports_w3c_and_names_the_line_of_a_bad_one(seed, tmp_path):
    """import_documents --format w3c: FILE:LINE of the annotation at fault."""
    path = tmp_path / "seed.jsonld"
    call_command(
        "export_documents", "--format", "w3c", "-o", str(path), stderr=_Buffer()
    )
    Attribution.objects.all().delete()
    out, err, error = run_import(path)
    assert error is None, err
    # The claim mentions were not deleted: they are found present.
    assert out.strip() == "11 imported, 10 already present, 0 failed"

    broken = json.loads(path.read_text("utf-8"))
    broken["first"]["items"][5]["target"]["selector"][0]["exact"] = "Not in it."
    broken["first"]["items"][5]["target"]["selector"][1]["start"] = 3
    path.write_text(json.dumps(broken, indent=2), "utf-8")
    Attribution.objects.all().delete()
    _, err, error = run_import(path)
    line = _opening_line(path, broken["first"]["items"][5]["id"])
    assert error is not None
    assert err.startswith(f"{path}:{line}: target.selector: the quote 'Not in it.'")
    assert Attribution.objects.count() == 0


def _opening_line(path, annotation_id: str) -> int:
    """The line of the brace that opens the annotation with this id."""
    lines = path.read_text("utf-8").splitlines()
    at = next(n for n, line in enumerate(lines) if f'"id": "{annotation_id}"' in line)
    while lines[at].strip() != "{":
        at -= 1
    return at + 1


@pytest.mark.django_db
def test_a_bad_quote_prefix_is_reported_and_other_documents_still_load(tmp_path):
    """A prefix that is no string: FILE:LINE says so; the other document's loads."""
    for title in ["One", "Two"]:
        document = services.document_ingest(
            title=title, text=f"{title} said the plan works."
        )
        services.attribution_create(
            statement=document.statements.get(),
            kind="indirect",
            source=services.source_get_or_create(name=title),
            source_span=(0, len(title)),
        )
    path = tmp_path / "two.jsonld"
    call_command(
        "export_documents", "--format", "w3c", "-o", str(path), stderr=_Buffer()
    )
    Attribution.objects.all().delete()
    exported = json.loads(path.read_text("utf-8"))
    first = exported["first"]["items"][0]
    first["target"]["selector"][0]["prefix"] = 5
    path.write_text(json.dumps(exported, indent=2), "utf-8")
    _, err, error = run_import(path)
    assert error is not None
    assert err.strip() == (
        f"{path}:{_opening_line(path, first['id'])}: target.selector: the "
        "TextQuoteSelector's prefix must be a string, not 5"
    )
    assert str(error) == "1 imported, 0 already present, 1 failed"
    assert [a.source.name for a in Attribution.objects.all()] == ["Two"]


@pytest.mark.parametrize("key", ["prefix", "suffix"])
def test_anchoring_refuses_a_prefix_or_suffix_that_is_no_string(key):
    """A number where the context text belongs is a format error, not a crash."""
    selected = w3c.text_selectors(TEXT, 34, 54)
    selected[0][key] = ["It"]
    with pytest.raises(FormatError, match=f"{key} must be a string"):
        anchor(TEXT, selected, where="t")


@pytest.mark.django_db
def test_an_unknown_creator_becomes_an_inactive_placeholder():
    """user_get_or_create, shared with the interchange import, keeps an unknown
    name as an inactive placeholder and refuses a name no user can have."""
    from django.core.exceptions import ValidationError

    user = services.user_get_or_create(username="visiting-reviewer")
    assert (user.username, user.is_active, user.has_usable_password()) == (
        "visiting-reviewer", False, False,
    )  # fmt: skip
    with pytest.raises(ValidationError, match="expected a username"):
        services.user_get_or_create(username="")
