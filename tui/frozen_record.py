"""``@frozen_record``: a frozen dataclass whose methods are made when the class is first used.

``dataclasses`` writes each class's ``__init__``, ``__repr__``, ``__eq__``, ``__hash__``,
``__setattr__`` and ``__delattr__`` as source text and compiles it with ``exec``: about 0.4 ms
a frozen class. The store's records, the desk's events and the status all load before the
first screen is drawn, thirty-odd classes and a tenth of the cold start, while the first
screen builds only a handful of them. A ``frozen_record`` class is an ordinary class until
its first instance is made; then ``dataclasses.dataclass(frozen=True)`` turns it into exactly
the frozen dataclass it declares (``replace``, ``asdict``, ``fields`` on an instance, equality,
hashing, the FrozenInstanceError all as usual). Type checkers see a frozen dataclass
(``dataclass_transform``). ``make_all()`` makes every class still waiting (the tests make
every record of the app at once, so a declaration ``dataclasses`` refuses fails there).

Not for classes whose class object is inspected before any instance exists
(``dataclasses.fields(cls)``); no ``slots`` (a class cannot gain slots in place).
"""

from __future__ import annotations

import dataclasses
import threading
from typing import Any, TypeVar, dataclass_transform

_T = TypeVar("_T")

# The store builds records on its thread while the loop builds events: one maker at a time.
_MAKING = threading.RLock()
_WAITING: list[type] = []


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field, dataclasses.Field))
def frozen_record(cls: type[_T]) -> type[_T]:
    """Declare ``cls`` a frozen dataclass, made when first instantiated (or by make_all)."""
    if "__new__" in cls.__dict__:
        raise TypeError(f"{cls.__qualname__}: a frozen_record cannot define __new__")
    setattr(cls, "__new__", staticmethod(_first_instance))  # noqa: B010 (a slot)
    with _MAKING:
        _WAITING.append(cls)
    return cls


def _first_instance(cls: type, *args: Any, **kwargs: Any) -> Any:
    # Python calls __new__, then looks __init__ up: by then it is the dataclass's own.
    _make(cls)
    return object.__new__(cls)


def _new(cls: type, *args: Any, **kwargs: Any) -> Any:
    # A class that once had its own __new__ cannot go back to object.__new__ (CPython keeps
    # the Python-level slot, which then refuses the arguments): this one ignores them,
    # about 0.2 µs an instance.
    return object.__new__(cls)


def _make(cls: type) -> None:
    with _MAKING:
        for klass in reversed(cls.__mro__):  # a base record before the records built on it
            if klass in _WAITING:
                _WAITING.remove(klass)
                dataclasses.dataclass(frozen=True)(klass)
                setattr(klass, "__new__", staticmethod(_new))  # noqa: B010 (a slot)


def make_all() -> None:
    """Make every record class still waiting (they are few; about 0.4 ms each)."""
    with _MAKING:
        while _WAITING:
            _make(_WAITING[0])


def waiting() -> tuple[type, ...]:
    """The classes not made yet (for tests and the start-up bench)."""
    with _MAKING:
        return tuple(_WAITING)
