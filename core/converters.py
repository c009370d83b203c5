"""URL converters. `<id:…>`: a database id, at most 18 digits so it always fits a 64-bit
column (Django's `<int:…>` matches any length, and 2**70 then overflows the query: a 500)."""
from django.urls import register_converter


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))


register_converter(IdConverter, "id")
