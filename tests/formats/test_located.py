"""Whole-file JSON documents that name the line each object begins on."""

from claims.formats.located import Located


def test_each_object_is_found_on_its_opening_line():
    """Objects of a list, nested or not, by the line of their opening brace."""
    document = Located('[\n  {"a": 1},\n  {\n    "b": {"c": 2}\n  }\n]\n')
    first, second = document.value
    assert [document.line_of(first), document.line_of(second)] == [2, 3]
    assert document.line_of(second["b"]) == 4


def test_an_object_not_of_the_document_is_on_the_first_line():
    """Something the decoder did not make has no line of its own."""
    assert Located("{}").line_of({}) == 1
