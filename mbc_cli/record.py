"""`Record`: `typing.NamedTuple` as the type checker sees it, built more cheaply at run time.

Every run of `mbc` defines its ~70 record and view classes before it can answer. `typing.NamedTuple`
compiles a constructor for each one (`collections.namedtuple` runs `eval`) and type-checks every
annotation: 56 us for a class of six fields, up to 140 us for the model's, some 5 ms of mbc's own
11 ms of imports in a 55 ms run (measured 2026-12-01, Python 3.11; benchmarks/startup.py: site
liver 1.17x -> 1.05x of `import typer`). This base makes the same kind of class, a tuple subclass
with named fields, without compiling or checking anything: 14 us for the six fields.

What the classes keep from NamedTuple, and tests/test_record.py checks against it: construction by
position and by keyword with defaults, the same errors for missing, repeated or unknown arguments,
`_fields`, `_field_defaults`, `_replace`, `_asdict`, `_make`, `__match_args__` (so `match` works),
equality and hashing as tuples, a NamedTuple-style repr, and pickling and copying. Annotations stay
on the class for `typing.get_type_hints` (schema.py reads them).
A record class is declared exactly like a NamedTuple: `class Site(Record):` with annotated fields,
defaults after the required ones, methods and docstrings as usual; no inheritance between records.
"""

from operator import itemgetter
from typing import TYPE_CHECKING, Any

__all__ = ["Record"]

if TYPE_CHECKING:
    from typing import NamedTuple as Record
else:

    class _Fields(type):
        """Turns the annotated fields of a class body into properties over the tuple's items."""

        def __new__(mcls, name: str, bases: tuple[type, ...], body: dict[str, Any]) -> type:
            fields = tuple(body.get("__annotations__", {}))
            defaults = {field: body[field] for field in fields if field in body}
            if list(defaults) != list(fields[len(fields) - len(defaults) :]):
                raise TypeError(f"{name}: fields with defaults must come after those without")
            for index, field in enumerate(fields):  # the class attribute was the default
                body[field] = property(itemgetter(index), doc=f"Alias for field number {index}")
            body.update(_fields=fields, __match_args__=fields, _field_defaults=defaults)
            body["__slots__"] = ()
            return super().__new__(mcls, name, bases, body)

    class Record(tuple, metaclass=_Fields):
        def __new__(cls, *args: Any, **kwargs: Any) -> Any:
            fields = cls._fields
            if kwargs or len(args) != len(fields):
                args = _bind(cls, args, kwargs)
            return tuple.__new__(cls, args)

        @classmethod
        def _make(cls, iterable: Any) -> Any:
            values = tuple(iterable)
            if len(values) != len(cls._fields):
                raise TypeError(f"Expected {len(cls._fields)} arguments, got {len(values)}")
            return tuple.__new__(cls, values)

        def _replace(self, **changes: Any) -> Any:
            values = [changes.pop(name, value) for name, value in zip(self._fields, self, strict=True)]
            if changes:
                raise TypeError(f"Got unexpected field names: {list(changes)!r}")
            return tuple.__new__(type(self), values)

        def _asdict(self) -> dict[str, Any]:
            return dict(zip(self._fields, self, strict=True))

        def __repr__(self) -> str:
            inner = ", ".join(f"{name}={value!r}" for name, value in zip(self._fields, self, strict=True))
            return f"{type(self).__name__}({inner})"

        def __getnewargs__(self) -> tuple[Any, ...]:  # pickle and copy rebuild from the values
            return tuple(self)

    def _bind(cls: type, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, ...]:
        """The values of a record built from `args` and `kwargs`, or NamedTuple's TypeError."""
        fields: tuple[str, ...] = cls._fields  # type: ignore[attr-defined]
        name = cls.__name__
        defaults: dict[str, Any] = cls._field_defaults  # type: ignore[attr-defined]
        if len(args) > len(fields):
            least = len(fields) - len(defaults) + 1
            takes = f"from {least} to {len(fields) + 1}" if defaults else str(len(fields) + 1)
            raise TypeError(f"{name}.__new__() takes {takes} positional arguments but {len(args) + 1} were given")
        values = list(args)
        for field in fields[: len(args)]:
            if field in kwargs:
                raise TypeError(f"{name}.__new__() got multiple values for argument '{field}'")
        missing = []
        for field in fields[len(args) :]:
            if field in kwargs:
                values.append(kwargs.pop(field))
            elif field in defaults:
                values.append(defaults[field])
            else:
                missing.append(field)
        if kwargs:
            raise TypeError(f"{name}.__new__() got an unexpected keyword argument '{next(iter(kwargs))}'")
        if missing:
            names = " and ".join(", ".join(repr(m) for m in missing).rsplit(", ", 1))
            plural = "s" if len(missing) > 1 else ""
            raise TypeError(f"{name}.__new__() missing {len(missing)} required positional argument{plural}: {names}")
        return tuple(values)
