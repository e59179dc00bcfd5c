"""Finding a quoted stretch of text again after the text has changed.

Plain Python over ``str`` and code point offsets; no Django here. A quote
selector (W3C's ``TextQuoteSelector``) records the words themselves
(``exact``) and a little of the text on either side (``prefix``,
``suffix``). When the offsets recorded beside it no longer read the words
(the text was edited above them), the words are looked for again: of the
places where they occur, the one whose surroundings agree with most of the
prefix and suffix wins, and of those the nearest to where they were.
"""


def reanchor_quote(
    text: str, exact: str, *, prefix: str = "", suffix: str = "", near: int = 0
) -> int | None:
    """Where ``exact`` begins in ``text``, or None if it is not there.

    ``near`` is where the quote was expected to begin; it breaks ties
    between places whose surroundings fit equally well.
    """
    matches = []
    index = text.find(exact)
    while index != -1:
        matches.append(index)
        index = text.find(exact, index + 1)
    if not matches:
        return None

    def fit(i: int) -> tuple[int, int]:
        before = _common_suffix(text[max(0, i - len(prefix)) : i], prefix)
        after = _common_prefix(text[i + len(exact) :][: len(suffix)], suffix)
        return (before + after, -abs(i - near))

    return max(matches, key=fit)


def _common_prefix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def _common_suffix(a: str, b: str) -> int:
    return _common_prefix(a[::-1], b[::-1])
