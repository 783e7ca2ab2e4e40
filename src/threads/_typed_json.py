"""Frozen dataclasses as plain JSON values and back, checked against their type hints.

:func:`encoder` and :func:`decoder` build, once per type, the functions that turn a value of
that type into what :func:`json.dumps` writes and back. Decoding builds only the types the
hint names (dataclasses by their fields, tuples, lists, dicts, frozensets, scalars, literals)
and checks each value's JSON type on the way, so bytes that are not what was encoded raise
:class:`TypedJSONError` instead of giving a wrong record; nothing in the data chooses what is
built (unlike pickle, safe on a folder others can write to).

The encoding: a dataclass is an object of its ``init`` fields; a ``tuple[D, ...]`` of
dataclasses is an object of columns (one list per field: no key repeated per row); tuples,
lists and frozensets (sorted) are arrays; dict keys typed ``int`` are written as strings and
read back as ints. Floats round-trip exactly (``repr``). An ``int`` held where a ``float``
is typed stays an ``int``, so whatever prints it prints the same.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from collections.abc import Callable
from typing import Any, Literal, Union

#: Turns a value into plain JSON values (None: the value is plain already).
Encode = Callable[[Any], Any] | None
Decode = Callable[[Any], Any]


class TypedJSONError(ValueError):
    """JSON data that is not a value of the type it is read as."""


def encode(hint: Any, value: Any) -> Any:
    """``value`` (of type ``hint``) as plain JSON values."""
    found = encoder(hint)
    return value if found is None else found(value)


def decode(hint: Any, data: Any) -> Any:
    """The value of type ``hint`` that :func:`encode` wrote as ``data``."""
    return decoder(hint)(data)


@functools.cache
def _hints(cls: type) -> tuple[tuple[str, Any], ...]:
    """The ``init`` fields of a dataclass with their resolved types, in order."""
    hints = typing.get_type_hints(cls)
    return tuple((f.name, hints[f.name]) for f in dataclasses.fields(cls) if f.init)


def _is_dataclass_type(hint: Any) -> bool:
    return isinstance(hint, type) and dataclasses.is_dataclass(hint)


def _rows_of(hint: Any) -> type | None:
    """The dataclass ``D`` of a ``tuple[D, ...]`` hint (None for any other hint)."""
    args = typing.get_args(hint)
    if typing.get_origin(hint) is tuple and len(args) == 2 and args[1] is Ellipsis:
        return args[0] if _is_dataclass_type(args[0]) else None
    return None


def _members(hint: Any) -> tuple[Any, ...] | None:
    """The types of a union hint (``X | None`` included), None for any other hint."""
    origin = typing.get_origin(hint)
    return typing.get_args(hint) if origin in (Union, types.UnionType) else None


@functools.cache
def encoder(hint: Any) -> Encode:
    """The function that makes a value of type ``hint`` plain (None: it is already)."""
    if _is_dataclass_type(hint):
        fields = [(name, encoder(t)) for name, t in _hints(hint)]
        return lambda value: {
            name: getattr(value, name) if e is None else e(getattr(value, name))
            for name, e in fields
        }
    rows = _rows_of(hint)
    if rows is not None:
        fields = [(name, encoder(t)) for name, t in _hints(rows)]
        return lambda value: {
            name: [getattr(row, name) for row in value]
            if e is None
            else [e(getattr(row, name)) for row in value]
            for name, e in fields
        }
    members = _members(hint)
    if members is not None:
        found = [encoder(m) for m in members if m is not type(None)]
        if all(e is None for e in found):
            return None
        if len(found) != 1:
            raise TypeError(f"cannot encode {hint}: a union of several types to convert")
        inner = found[0]
        return lambda value: None if value is None else _apply(inner, value)
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is frozenset:
        return sorted
    if origin in (tuple, list):
        parts = [encoder(a) for a in args if a is not Ellipsis]
        if all(e is None for e in parts):
            return None  # json writes tuples as arrays
        if origin is list or args[-1] is Ellipsis:
            item = parts[0]
            return lambda value: [_apply(item, v) for v in value]
        return lambda value: [_apply(e, v) for e, v in zip(parts, value, strict=True)]
    if origin is dict:
        item = encoder(args[1])
        if item is None:
            return None  # json writes int keys as strings
        return lambda value: {k: item(v) for k, v in value.items()}
    return None  # scalars, literals, object, Any


def _apply(found: Encode, value: Any) -> Any:
    return value if found is None else found(value)


def _fail(hint: Any, data: Any) -> TypedJSONError:
    shown = repr(data)
    shown = shown if len(shown) <= 40 else shown[:37] + "..."
    return TypedJSONError(f"expected {hint}, got {type(data).__name__} {shown}")


def _scalar(kinds: tuple[type, ...], hint: Any) -> Decode:
    def check(data: Any) -> Any:
        if type(data) not in kinds:
            raise _fail(hint, data)
        return data

    return check


@functools.cache
def decoder(hint: Any) -> Decode:
    """The function that reads a value of type ``hint`` back from plain JSON values."""
    if hint is str:
        return _scalar((str,), hint)
    if hint is bool:
        return _scalar((bool,), hint)
    if hint is int:
        return _scalar((int,), hint)
    if hint is float:
        return _scalar((float, int), hint)  # an int where a float is typed stays an int
    if hint is type(None):
        return _scalar((type(None),), hint)
    if hint is object or hint is Any:
        return lambda data: data
    if _is_dataclass_type(hint):
        return _dataclass_decoder(hint)
    rows = _rows_of(hint)
    if rows is not None:
        return _rows_decoder(rows)
    members = _members(hint)
    if members is not None:
        return _union_decoder(hint, members)
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is Literal:
        allowed = {(type(a), a) for a in args}

        def literal(data: Any) -> Any:
            if (type(data), data) not in allowed:
                raise _fail(hint, data)
            return data

        return literal
    if origin in (tuple, list, frozenset):
        return _sequence_decoder(hint, origin, args)
    if origin is dict:
        return _dict_decoder(hint, args)
    raise TypeError(f"cannot decode {hint}")


def _dataclass_decoder(cls: type) -> Decode:
    fields = [(name, decoder(t)) for name, t in _hints(cls)]
    names = {name for name, _ in fields}

    def read(data: Any) -> Any:
        if type(data) is not dict or data.keys() != names:
            raise _fail(cls.__name__, data)
        return cls(**{name: d(data[name]) for name, d in fields})

    return read


def _rows_decoder(cls: type) -> Decode:
    fields = [(name, decoder(t)) for name, t in _hints(cls)]
    names = {name for name, _ in fields}

    def read(data: Any) -> Any:
        if type(data) is not dict or data.keys() != names:
            raise _fail(f"columns of {cls.__name__}", data)
        columns = [data[name] for name, _ in fields]
        if any(type(c) is not list for c in columns) or len({len(c) for c in columns}) > 1:
            raise _fail(f"columns of {cls.__name__} of one length", data)
        decoded = [list(map(d, column)) for (_, d), column in zip(fields, columns, strict=True)]
        return tuple(cls(*row) for row in zip(*decoded, strict=True))

    return read


def _union_decoder(hint: Any, members: tuple[Any, ...]) -> Decode:
    others = [decoder(m) for m in members if m is not type(None)]
    optional = type(None) in members

    def read(data: Any) -> Any:
        if data is None and optional:
            return None
        for d in others:
            try:
                return d(data)
            except TypedJSONError:
                continue
        raise _fail(hint, data)

    return read


def _sequence_decoder(hint: Any, origin: Any, args: tuple[Any, ...]) -> Decode:
    if origin is tuple and not (len(args) == 2 and args[1] is Ellipsis):
        parts = [decoder(a) for a in args]

        def fixed(data: Any) -> Any:
            if type(data) is not list or len(data) != len(parts):
                raise _fail(hint, data)
            return tuple(d(v) for d, v in zip(parts, data, strict=True))

        return fixed
    item = decoder(args[0])
    build: Callable[[Any], Any] = {tuple: tuple, list: list, frozenset: frozenset}[origin]

    def read(data: Any) -> Any:
        if type(data) is not list:
            raise _fail(hint, data)
        return build(map(item, data))

    return read


def _dict_decoder(hint: Any, args: tuple[Any, ...]) -> Decode:
    key_type, value = args[0], decoder(args[1])
    if key_type not in (str, int):
        raise TypeError(f"cannot decode {hint}: keys must be str or int")

    def key(text: str) -> Any:
        if key_type is str:
            return text
        try:
            number = int(text)
        except ValueError:
            raise _fail(hint, text) from None
        if str(number) != text:  # only the form json writes an int key in
            raise _fail(hint, text)
        return number

    def read(data: Any) -> Any:
        if type(data) is not dict:
            raise _fail(hint, data)
        return {key(k): value(v) for k, v in data.items()}

    return read
