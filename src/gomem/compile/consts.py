"""Go constant arithmetic (untyped and typed), enough for constant folding.

Values: ``bool``, ``int``, ``Fraction`` (floats, exact), ``complex``, ``str``.
Kinds: "bool", "int", "rune", "float", "complex", "string" (rune is an int kind
that remembers it came from a rune literal, for the untyped rune type).
"""

from __future__ import annotations

import struct
from fractions import Fraction

from . import types as T

KIND_ORDER = {"int": 0, "rune": 1, "float": 2, "complex": 3}


def untyped_type(kind: str) -> T.Type:
    return {"bool": T.UNTYPED_BOOL, "int": T.UNTYPED_INT, "rune": T.UNTYPED_RUNE, "float": T.UNTYPED_FLOAT,
            "complex": T.UNTYPED_COMPLEX, "string": T.UNTYPED_STRING}[kind]


def kind_of_type(t: T.Type) -> str:
    k = t.u.kind
    if k in ("bool", "untyped bool"):
        return "bool"
    if k in ("string", "untyped string"):
        return "string"
    if k == "untyped rune":
        return "rune"
    if k in T.INTEGER_KINDS or k == "untyped int":
        return "int"
    if k in T.FLOAT_KINDS or k == "untyped float":
        return "float"
    if k in T.COMPLEX_KINDS or k == "untyped complex":
        return "complex"
    return "int"


def larger_kind(a: str, b: str) -> str:
    if a in KIND_ORDER and b in KIND_ORDER:
        return a if KIND_ORDER[a] >= KIND_ORDER[b] else b
    return a


def to_kind(v, kind: str):
    if kind in ("int", "rune"):
        if isinstance(v, complex):
            v = v.real
        if isinstance(v, Fraction):
            return int(v) if v.denominator == 1 else v
        return int(v) if not isinstance(v, bool) else v
    if kind == "float":
        if isinstance(v, complex):
            v = v.real
        return Fraction(v) if not isinstance(v, Fraction) else v
    if kind == "complex":
        if isinstance(v, complex):
            return v
        return complex(float(v), 0.0)
    return v


def binop(op: str, a, ka: str, b, kb: str, int_div: bool):
    """Fold a binary op; returns (value, kind)."""
    if op in ("EQ", "NE", "LT", "LE", "GT", "GE"):
        k = larger_kind(ka, kb)
        x, y = to_kind(a, k), to_kind(b, k)
        r = {"EQ": x == y, "NE": x != y, "LT": x < y if k != "complex" else False, "LE": x <= y if k != "complex" else False,
             "GT": x > y if k != "complex" else False, "GE": x >= y if k != "complex" else False}[op]
        return r, "bool"
    if op in ("ANDAND", "OROR"):
        return (a and b) if op == "ANDAND" else (a or b), "bool"
    if ka == "string":
        if op == "ADD":
            return a + b, "string"
        raise ValueError("bad string op")
    if op in ("LSH", "RSH"):
        s = int(b)
        x = int(a)
        return (x << s) if op == "LSH" else (x >> s), ka if ka in ("int", "rune") else "int"
    k = larger_kind(ka, kb)
    x, y = to_kind(a, k), to_kind(b, k)
    if k in ("int", "rune"):
        x, y = int(x), int(y)
        if op == "ADD":
            return x + y, k
        if op == "SUB":
            return x - y, k
        if op == "MUL":
            return x * y, k
        if op == "DIV":
            if y == 0:
                raise ZeroDivisionError
            if int_div:
                q = abs(x) // abs(y)
                return (q if (x >= 0) == (y >= 0) else -q), k
            return Fraction(x, y), "float"
        if op == "MOD":
            r = abs(x) % abs(y)
            return (r if x >= 0 else -r), k
        if op == "AND":
            return x & y, k
        if op == "OR":
            return x | y, k
        if op == "XOR":
            return x ^ y, k
        if op == "ANDNOT":
            return x & ~y, k
    if k == "float":
        if op == "ADD":
            return x + y, k
        if op == "SUB":
            return x - y, k
        if op == "MUL":
            return x * y, k
        if op == "DIV":
            return x / y, k
    if k == "complex":
        if op == "ADD":
            return x + y, k
        if op == "SUB":
            return x - y, k
        if op == "MUL":
            return x * y, k
        if op == "DIV":
            return x / y, k
    raise ValueError(f"bad constant op {op}")


def unop(op: str, a, ka: str, typ: T.Type | None):
    if op == "NOT":
        return (not a), "bool"
    if op == "NEG":
        return -a, ka
    if op == "PLUS":
        return a, ka
    if op == "BITNOT":
        x = int(a)
        if typ is not None and typ.u.kind in T.UNSIGNED_KINDS:
            bits = typ.u.size() * 8
            return (~x) & ((1 << bits) - 1), ka
        return ~x, ka
    raise ValueError(op)


def represent(v, kind: str, t: T.Type):
    """v converted to a typed constant of type t (rounded for floats); returns (value, kind)."""
    u = t.u.kind
    if u in T.INTEGER_KINDS:
        v = to_kind(v, "int")
        if isinstance(v, Fraction):
            v = int(v)
        bits = T.BASIC_INFO[u][0] * 8
        if u in T.UNSIGNED_KINDS:
            v &= (1 << bits) - 1
        else:
            v &= (1 << bits) - 1
            if v >= 1 << (bits - 1):
                v -= 1 << bits
        return v, "int"
    if u == "float64":
        return Fraction(float(to_kind(v, "float"))), "float"
    if u == "float32":
        f = struct.unpack("f", struct.pack("f", float(to_kind(v, "float"))))[0]
        return Fraction(f), "float"
    if u in T.COMPLEX_KINDS:
        return to_kind(v, "complex"), "complex"
    if u == "string":
        if kind in ("int", "rune"):
            iv = int(v)
            return (chr(iv) if 0 <= iv < 0x110000 and not (0xD800 <= iv < 0xE000) else "\ufffd"), "string"
        return v, "string"
    if u == "bool":
        return bool(v), "bool"
    return v, kind
