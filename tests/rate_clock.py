"""A hand-moved clock for core.ratelimit (its windows are stored in epoch seconds); the `clock`
fixture (tests/conftest.py) puts one in place of core.ratelimit.now."""


class RateClock:
    START = 1_900_000_000.0

    def __init__(self):
        self.now = self.START

    def __call__(self) -> float:
        return self.now
