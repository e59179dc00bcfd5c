"""Re-anchoring a quote in a text that has changed (no database)."""

from claims.quote_anchoring import reanchor_quote

TEXT = "The mayor said taxes rise. Later the mayor said taxes rise again."


def test_a_quote_that_occurs_once_is_found_wherever_it_moved():
    moved = "A new first line. " + TEXT
    assert reanchor_quote(moved, "Later the mayor") == TEXT.index("Later") + 18


def test_a_quote_that_is_not_there_is_none():
    assert reanchor_quote(TEXT, "the governor said") is None


def test_the_surroundings_choose_between_occurrences():
    """The second "said taxes rise" is the one followed by " again"."""
    second = TEXT.rindex("said taxes rise")
    found = reanchor_quote(
        TEXT, "said taxes rise", prefix="the mayor ", suffix=" again"
    )
    assert found == second
    first = TEXT.index("said taxes rise")
    found = reanchor_quote(TEXT, "said taxes rise", prefix="The mayor ", suffix=". ")
    assert found == first


def test_between_equal_fits_the_nearest_to_the_old_place_wins():
    first, second = TEXT.index("mayor"), TEXT.rindex("mayor")
    assert first != second
    assert reanchor_quote(TEXT, "mayor", near=second - 3) == second
    assert reanchor_quote(TEXT, "mayor", near=first + 3) == first
