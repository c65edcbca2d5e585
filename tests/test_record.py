"""`Record` behaves as `typing.NamedTuple` does wherever mbc (or a user of its records) can tell."""

import copy
import pickle
from typing import Any, NamedTuple

import pytest

from mbc_cli.record import Record


class Plain(NamedTuple):
    name: str
    ids: tuple[str, ...]
    number: int = 0
    note: str = ""


class Cheap(Record):
    name: str
    ids: tuple[str, ...]
    number: int = 0
    note: str = ""


CALLS: list[tuple[tuple[Any, ...], dict[str, Any]]] = [
    (("a", ("b",)), {}),
    (("a", ("b",), 3, "n"), {}),
    (("a",), {"ids": (), "note": "n"}),
    ((), {"name": "a", "ids": (), "number": 2}),
    ((), {}),
    (("a",), {}),
    (("a", (), 1, "", "extra"), {}),
    (("a", ()), {"name": "twice"}),
    (("a", ()), {"unknown": 1}),
    ((), {"ids": ()}),
]


def outcome(cls: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[str, Any]:
    try:
        made = cls(*args, **kwargs)
    except TypeError as error:
        return "error", str(error).replace(cls.__name__, "C")
    return "made", (tuple(made), repr(made).replace(cls.__name__, "C", 1))


@pytest.mark.parametrize(("args", "kwargs"), CALLS)
def test_construction_and_its_errors_are_namedtuple_s(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    assert outcome(Cheap, args, kwargs) == outcome(Plain, args, kwargs)


def test_the_namedtuple_api_mbc_uses() -> None:
    plain, cheap = Plain("a", ("b",), note="n"), Cheap("a", ("b",), note="n")
    assert tuple(cheap) == tuple(plain) and hash(cheap) == hash(plain) and isinstance(cheap, tuple)
    assert (cheap.name, cheap.ids, cheap.number, cheap.note) == ("a", ("b",), 0, "n")
    assert Cheap._fields == Plain._fields and Cheap.__match_args__ == Plain.__match_args__
    assert Cheap._field_defaults == Plain._field_defaults
    assert (
        tuple(cheap._replace(number=2)) == tuple(plain._replace(number=2)) and type(cheap._replace(number=2)) is Cheap
    )
    assert cheap._asdict() == plain._asdict()
    assert tuple(Cheap._make(["x", (), 1, ""])) == tuple(Plain._make(["x", (), 1, ""]))
    with pytest.raises(TypeError):
        cheap._replace(unknown=1)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Cheap._make(["x"])
    with pytest.raises(AttributeError):
        cheap.name = "b"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        cheap.other = 1  # type: ignore[attr-defined]


def test_records_pickle_copy_and_match() -> None:
    cheap = Cheap("a", ("b",), 2)
    for twin in (pickle.loads(pickle.dumps(cheap)), copy.copy(cheap), copy.deepcopy(cheap)):
        assert twin == cheap and type(twin) is Cheap
    match cheap:
        case Cheap(name, ids, number=number):
            assert (name, ids, number) == ("a", ("b",), 2)
        case _:
            pytest.fail("no match")


def test_a_default_before_a_required_field_is_refused() -> None:
    with pytest.raises(TypeError, match="defaults"):

        class Wrong(Record):
            first: int = 0
            second: int  # type: ignore[misc]
