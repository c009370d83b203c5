"""A JSON parser with limits: size, nesting depth and integer range are checked before any
view sees the data, so hostile JSON is a 400 in the API's error shape, never a 500.

Python's json module recurses per nesting level (deep input → RecursionError) and accepts
integers of any size, which then overflow the database's 64-bit columns.
"""
import json
import re

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from core.errors import DomainError

INT64_MAX = 2**63 - 1
_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKETS = re.compile(r"[\[\]{}]")


class RequestTooLarge(DomainError):
    status, code = 413, "request_too_large"


class BoundedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.VISAGE_MAX_JSON_BYTES
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise RequestTooLarge(f"The JSON body is larger than {limit:,} bytes.")
        try:
            text = raw.decode((parser_context or {}).get("encoding") or settings.DEFAULT_CHARSET)
        except UnicodeDecodeError:
            raise ParseError("The JSON body is not valid UTF-8.") from None
        _check_depth(text, settings.VISAGE_MAX_JSON_DEPTH)
        try:
            return json.loads(text, parse_int=_bounded_int, parse_constant=_no_constant) if text.strip() else {}
        except ValueError as exc:
            raise ParseError(f"The JSON body is not valid: {exc}") from None


def _check_depth(text: str, max_depth: int) -> None:
    depth = 0
    for bracket in _BRACKETS.findall(_STRINGS.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        if depth > max_depth:
            raise ParseError(f"The JSON body is nested deeper than {max_depth} levels.")


def _bounded_int(digits: str) -> int:
    if len(digits) > 20 or abs(int(digits)) > INT64_MAX:
        raise ValueError(f"integer {digits[:24]}… is out of range (64-bit)")
    return int(digits)


def _no_constant(name: str):
    raise ValueError(f"{name} is not allowed")
