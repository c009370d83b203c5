"""core/parsers.py at its boundaries: the last accepted and the first refused body for each limit
(size, depth, integer range, floats, constants, encoding)."""
import io
import json

import pytest
from rest_framework.exceptions import ParseError

from core.parsers import INT64_MAX, BoundedJSONParser, RequestTooLarge, nesting_depth


def parse(body: bytes | str, **context):
    raw = body.encode() if isinstance(body, str) else body
    return BoundedJSONParser().parse(io.BytesIO(raw), parser_context=context)


@pytest.fixture(autouse=True)
def small_limits(settings):
    settings.VISAGE_MAX_JSON_BYTES = 64
    settings.VISAGE_MAX_JSON_DEPTH = 3


def test_the_size_limit_is_the_last_byte_allowed():
    at_limit = json.dumps({"k": "x" * 55})
    assert len(at_limit) == 64 and parse(at_limit) == {"k": "x" * 55}
    with pytest.raises(RequestTooLarge, match="larger than 64 bytes"):
        parse(at_limit + " ")


def test_the_depth_limit_is_the_last_level_allowed():
    assert parse("[[[1]]]") == [[[1]]]
    with pytest.raises(ParseError, match="nested deeper than 3 levels"):
        parse("[[[[1]]]]")
    with pytest.raises(ParseError, match="deeper than 3"):
        parse('{"a": {"b": {"c": {}}}}')


def test_brackets_inside_strings_do_not_count_as_nesting():
    assert nesting_depth('{"a": "[[[[{{{{"}') == 1
    assert nesting_depth(r'["\"[[[[", 1]') == 1
    assert nesting_depth('"unterminated [[[[') == 0
    assert nesting_depth("") == 0 and nesting_depth("[]") == 1 and nesting_depth("[[], [[]]]") == 3
    assert parse('{"a": "[[[[[[[["}') == {"a": "[[[[[[[["}


def test_integers_are_64_bit_at_most():
    assert parse(str(INT64_MAX)) == INT64_MAX and parse(str(-INT64_MAX)) == -INT64_MAX
    for out_of_range in (INT64_MAX + 1, -INT64_MAX - 1, 10**20):
        with pytest.raises(ParseError, match="out of range"):
            parse(str(out_of_range))


def test_floats_must_be_finite_and_constants_are_refused(settings):
    assert parse("1e308") == 1e308 and parse("-0.5") == -0.5
    with pytest.raises(ParseError, match="1e999 is out of range"):
        parse("1e999")
    for constant in ("NaN", "Infinity", "-Infinity"):
        with pytest.raises(ParseError, match="is not allowed"):
            parse(f"[{constant}]")


def test_an_empty_body_is_an_empty_object_and_bad_bytes_are_a_400():
    assert parse(b"") == {} and parse(b"  \n") == {}
    with pytest.raises(ParseError, match="not valid UTF-8"):
        parse(b'{"a": "\xff"}')
    assert parse('{"a": "\u00e9"}'.encode("latin-1"), encoding="latin-1") == {"a": "\u00e9"}
    with pytest.raises(ParseError, match="The JSON body is not valid: "):
        parse("{'single': 1}")


def test_a_large_body_is_read_one_byte_past_the_limit_and_no_further():
    stream = io.BytesIO(b"x" * 1000)  # a client's huge body is never read into memory whole
    with pytest.raises(RequestTooLarge):
        BoundedJSONParser().parse(stream)
    assert stream.tell() == 65


def test_no_stream_is_an_empty_object():
    assert BoundedJSONParser().parse(None) == {}


def test_the_error_for_bad_bytes_is_exactly_its_sentence():
    with pytest.raises(ParseError) as refused:
        parse(b'{"a": "\xff"}')
    assert str(refused.value.detail) == "The JSON body is not valid UTF-8."


def test_a_refused_number_is_quoted_by_its_first_24_characters_only():
    digits = "123456789012345678901234567890"  # the error never echoes a hostile number whole
    with pytest.raises(ParseError) as refused:
        parse(digits)
    assert str(refused.value.detail) == f"The JSON body is not valid: integer {digits[:24]}… is out of range (64-bit)"
    with pytest.raises(ParseError) as refused:
        parse(digits + "e999")
    assert str(refused.value.detail) == f"The JSON body is not valid: {digits[:24]} is out of range"
