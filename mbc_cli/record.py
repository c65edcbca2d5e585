"""`Record`: the base of every value class in mbc: an immutable, typed tuple with named fields.

It does what `typing.NamedTuple` does for us at a fraction of the cost of defining a class: a
NamedTuple class takes about a million machine instructions to create (it compiles code and checks
every annotation), and mbc defines two dozen on every run, some 8% of Typer's own import time. A
Record class is a tuple subclass with no instance dictionary whose fields are read-only properties;
type checkers see it as a frozen dataclass (`dataclass_transform`).
"""

import inspect
from operator import itemgetter
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from typing_extensions import Self, dataclass_transform
else:

    def dataclass_transform(**_: object) -> Any:
        return lambda cls: cls


class _Fields(type):
    """Turns a Record subclass's annotations into fields: positions, defaults and properties."""

    def __new__(mcs, name: str, bases: tuple[type, ...], namespace: dict[str, Any]) -> "_Fields":
        namespace["__slots__"] = ()  # no per-instance dictionary: nothing can be added or changed
        cls = super().__new__(mcs, name, bases, namespace)
        fields = tuple(field for field in inspect.get_annotations(cls) if not field.startswith("_"))
        cls._fields = fields  # type: ignore[attr-defined]
        cls._defaults = {field: namespace[field] for field in fields if field in namespace}  # type: ignore[attr-defined]
        for index, field in enumerate(fields):
            setattr(cls, field, property(itemgetter(index)))
        return cls


@dataclass_transform(frozen_default=True)
class Record(tuple, metaclass=_Fields):  # type: ignore[type-arg]
    """Subclass it with annotated fields, defaults last: `class Point(Record): x: int; y: int = 0`."""

    _fields: ClassVar[tuple[str, ...]]
    _defaults: ClassVar[dict[str, Any]]

    def __new__(cls, *args: Any, **kwargs: Any) -> "Self":
        if not kwargs and len(args) == len(cls._fields):  # the common case, kept fast
            return tuple.__new__(cls, args)
        if len(args) > len(cls._fields):
            raise TypeError(f"{cls.__name__} takes {len(cls._fields)} fields, not {len(args)}")
        values = list(args)
        for field in cls._fields[len(args) :]:
            if field in kwargs:
                values.append(kwargs.pop(field))
            elif field in cls._defaults:
                values.append(cls._defaults[field])
            else:
                raise TypeError(f"{cls.__name__} is missing its field {field!r}")
        if kwargs:
            raise TypeError(f"{cls.__name__} has no field {next(iter(kwargs))!r}")
        return tuple.__new__(cls, values)

    def _replace(self, **changes: Any) -> "Self":
        values = [changes.pop(field, value) for field, value in zip(self._fields, self, strict=True)]
        if changes:
            raise TypeError(f"{type(self).__name__} has no field {next(iter(changes))!r}")
        return type(self)(*values)

    def __repr__(self) -> str:
        fields = ", ".join(f"{field}={value!r}" for field, value in zip(self._fields, self, strict=True))
        return f"{type(self).__name__}({fields})"
