"""``@frozen_record`` makes exactly the frozen dataclass a class declares, when first used."""

from __future__ import annotations

import copy
import dataclasses
import importlib
import pickle
import pkgutil
import threading
from collections.abc import Mapping

import pytest

import tui
from tui import frozen_record as fr
from tui.frozen_record import frozen_record


def test_a_record_is_made_at_its_first_instance_and_is_then_a_frozen_dataclass() -> None:
    @frozen_record
    class Row:
        phone: str
        name: str | None = None
        tags: Mapping[str, str] = dataclasses.field(default_factory=dict)

        @property
        def title(self) -> str:
            return self.name or self.phone

    assert Row in fr.waiting()
    assert not dataclasses.is_dataclass(Row)
    row = Row("+16502530000", tags={"a": "b"})
    assert Row not in fr.waiting()
    assert dataclasses.is_dataclass(Row)
    assert row == Row("+16502530000", None, {"a": "b"})
    assert row != Row("+16502530001")
    assert row.title == "+16502530000"
    assert repr(row).endswith("Row(phone='+16502530000', name=None, tags={'a': 'b'})")
    assert [f.name for f in dataclasses.fields(row)] == ["phone", "name", "tags"]
    assert dataclasses.replace(row, name="Ann").title == "Ann"
    assert dataclasses.asdict(row) == {"phone": "+16502530000", "name": None, "tags": {"a": "b"}}
    assert Row("x").tags == {} and Row("x").tags is not Row("y").tags
    with pytest.raises(dataclasses.FrozenInstanceError):
        row.phone = "other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        Row()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Row("x", nope=1)  # type: ignore[call-arg]


def test_hash_copy_and_pickle_work_as_for_a_dataclass() -> None:
    row = Picklable("a", 2)
    assert hash(row) == hash(Picklable("a", 2))
    assert len({row, Picklable("a", 2), Picklable("b", 2)}) == 2
    assert copy.copy(row) == row and copy.deepcopy(row) == row
    assert pickle.loads(pickle.dumps(row)) == row


@frozen_record
class Picklable:
    name: str
    count: int = 0


def test_a_record_built_on_another_makes_its_base_first() -> None:
    @frozen_record
    class Base:
        phone: str

    @frozen_record
    class Derived(Base):
        count: int = 0

        def __post_init__(self) -> None:
            if self.count < 0:
                raise ValueError("negative")

    derived = Derived("+1", 3)
    assert (derived.phone, derived.count) == ("+1", 3)
    assert Base not in fr.waiting() and Base("+2").phone == "+2"
    with pytest.raises(ValueError):
        Derived("+1", -1)
    assert isinstance(derived, Base)


def test_threads_making_the_same_record_at_once_all_get_whole_instances() -> None:
    @frozen_record
    class Shared:
        value: int
        label: str = "x"

    start = threading.Barrier(8)
    made: list[Shared] = []
    failures: list[BaseException] = []

    def build(n: int) -> None:
        start.wait()
        try:
            made.extend(Shared(n * 1000 + i, label=str(i)) for i in range(200))
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=build, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert len(made) == 1600 and all(m.label == str(m.value % 1000) for m in made)


def test_a_record_may_not_define_its_own_new() -> None:
    with pytest.raises(TypeError, match="__new__"):
        @frozen_record
        class Odd:
            def __new__(cls) -> Odd:
                return object.__new__(cls)


def test_every_record_in_the_app_is_a_valid_frozen_dataclass() -> None:
    """Made all at once: a declaration dataclasses refuses (a field without a default after
    one with a default, a mutable default) fails here, not at the first instance in use."""
    for module in pkgutil.walk_packages(tui.__path__, "tui."):
        if ".sandbox" not in module.name:
            importlib.import_module(module.name)
    declared = fr.waiting()
    fr.make_all()
    assert fr.waiting() == ()
    for cls in declared:
        assert dataclasses.is_dataclass(cls)
        params = cls.__dataclass_params__  # type: ignore[attr-defined]
        assert params.frozen and params.eq, cls
