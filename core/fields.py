"""Serializer fields with the bounds the database has: an unbounded IntegerField lets 2**70
through validation and the query then overflows the column (a 500)."""
from rest_framework import serializers

ID_MAX = 2**63 - 1  # bigint primary keys
COUNT_MAX = 2**31 - 1  # PositiveIntegerField is a 32-bit integer on PostgreSQL


def IdField(**kwargs) -> serializers.IntegerField:  # noqa: N802 - used like a field class
    return serializers.IntegerField(min_value=1, max_value=ID_MAX, **kwargs)


def CountField(**kwargs) -> serializers.IntegerField:  # noqa: N802
    kwargs.setdefault("min_value", 0)
    return serializers.IntegerField(max_value=COUNT_MAX, **kwargs)
