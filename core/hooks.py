"""Typed hooks: how a lower app tells the apps above it that something happened.

A lower app may not import the apps above it (the layering contract), so it declares a Hook in
its own ``hooks.py`` with a frozen dataclass as payload, and sends it; the apps above subscribe
in their ``AppConfig.ready()``, where the wiring can be read in one place. Unlike a Django
signal, a hook has one payload type (checked on send), its subscribers are listed by name, and a
hook marked ``required`` (the key shredder, the ingest waker) stops the stack from starting when
nobody subscribes to it (the system check below, ``core.E010``).

Subscribers run synchronously, in order, inside the sender's transaction: an exception aborts
the sender, which is what ``event_deleting`` needs (no row may go while the data key survives).
A subscriber that wants work after the commit uses ``transaction.on_commit`` itself; one that
feeds another app's queue writes an outbox row (core/outbox.py), never that app's queries.
"""
from collections.abc import Callable
from typing import Generic, TypeVar

from django.core.checks import Error, register

P = TypeVar("P")
Subscriber = Callable[[P], None]

_declared: dict[str, "Hook"] = {}


class Hook(Generic[P]):
    """A named, typed announcement. ``required``: the product is unsafe or stuck without a subscriber."""

    def __init__(self, name: str, payload: type[P], *, required: bool = False, why: str = ""):
        if name in _declared:
            raise ValueError(f"hook {name!r} is declared twice")
        self.name, self.payload, self.required, self.why = name, payload, required, why
        self._subscribers: list[Subscriber] = []
        _declared[name] = self

    def subscribe(self, subscriber: Subscriber) -> Subscriber:
        """Add a subscriber (once: subscribing the same function again changes nothing)."""
        if subscriber not in self._subscribers:
            self._subscribers.append(subscriber)
        return subscriber

    @property
    def subscribers(self) -> tuple[Subscriber, ...]:
        return tuple(self._subscribers)

    def send(self, payload: P) -> None:
        if not isinstance(payload, self.payload):
            raise TypeError(f"hook {self.name} carries {self.payload.__name__}, not {type(payload).__name__}")
        for subscriber in tuple(self._subscribers):
            subscriber(payload)

    def __repr__(self) -> str:
        names = ", ".join(_name(subscriber) for subscriber in self._subscribers) or "no subscriber"
        return f"<Hook {self.name}: {names}>"


def _name(subscriber: Subscriber) -> str:
    return f"{getattr(subscriber, '__module__', '?')}.{getattr(subscriber, '__qualname__', repr(subscriber))}"


def hooks_declared() -> list[Hook]:
    return list(_declared.values())


@register()  # every command that checks (migrate starts the stack), whatever its tags
def required_hooks_subscribed(app_configs, **kwargs) -> list[Error]:
    """A required hook nobody subscribes to is a silent failure waiting (an event deleted with
    its key kept, photos never woken): refuse to start instead."""
    return [Error(f"Required hook {hook.name!r} has no subscriber.", hint=hook.why or None, obj=hook, id="core.E010")
            for hook in hooks_declared() if hook.required and not hook.subscribers]
