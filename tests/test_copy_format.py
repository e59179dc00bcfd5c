"""PostgreSQL COPY's text format, as the bulk insert and the benchmarks write it."""

from claims.copy_format import copy_buffer, copy_field, copy_line


def test_text_is_escaped_and_none_is_null():
    assert copy_field("a\\b\tc\nd\re") == "a\\\\b\\tc\\nd\\re"
    assert copy_field(None) == "\\N"
    assert copy_field("\\N") == "\\\\N"
    assert copy_field(42) == "42"


def test_a_row_is_one_tab_separated_line():
    assert copy_line((1, "two\tparts", None)) == "1\ttwo\\tparts\t\\N\n"


def test_rows_read_back_as_a_file():
    assert copy_buffer([(1, "a"), (2, "b\nc")]).read() == "1\ta\n2\tb\\nc\n"
