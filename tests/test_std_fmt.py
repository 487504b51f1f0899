"""gomem.std.fmt against the real fmt package, byte for byte.

Every case is described once here (an operand is a Go expression plus the ``(type, value)``
pair the code generator would hand over); the Go side is generated from the same
description into one program that prints each result hex-encoded on its own line.
"""

from __future__ import annotations

import math
import subprocess
from pathlib import Path

import pytest

from gomem.cmd import realgo
from gomem.compile import types as T
from gomem.std import fmt as F
from gomem.std import strconv as SC

requires_go = pytest.mark.skipif(realgo.find_go() is None, reason=realgo.NO_GO_REASON)


# -- the program's types, on both sides -------------------------------------------------------------


def named(name, under, pkg="main"):
    n = T.Named(name, pkg, pkg, pkg == "main")
    n.under = under
    return n


B = T.PREDECLARED_TYPES
POINT = named("Point", T.Struct([T.Field("X", T.INT), T.Field("Y", T.INT)]))
MYINT = named("MyInt", T.INT)
ERR = named("Err", T.Struct([T.Field("Msg", T.STRING)]))
BOOM = named("Boom", T.INT)
NILOK = named("NilOK", T.Struct([T.Field("N", T.INT)]))
GOSTR = named("GoStr", T.INT)
BOTH = named("Both", T.INT)
FM = named("Fm", T.INT)
CELSIUS = named("Celsius", T.FLOAT64)
STR = named("Str", T.STRING)
INNER = named("Inner", T.Struct([T.Field("A", T.INT), T.Field("b", T.STRING)]))
WRAP = named("Wrap", T.Struct([T.Field("V", MYINT), T.Field("v", MYINT)]))
OUTER = named("Outer", T.Struct([
    T.Field("In", INNER), T.Field("P", T.Pointer(POINT)), T.Field("Any", T.ANY), T.Field("Err", T.ERROR),
    T.Field("M", T.Map(T.STRING, T.INT)), T.Field("S", T.Slice(T.INT))]))
EMB = named("Emb", T.Struct([T.Field("Inner", INNER, embedded=True), T.Field("N", T.INT)]))
BYTES = named("Bytes", T.Slice(T.BYTE))
TREE = named("Tree", None)
TREE.under = T.Struct([T.Field("L", T.Pointer(TREE)), T.Field("R", T.Pointer(TREE)), T.Field("V", T.INT)])
PAIR = named("Pair", None)


def pair_type(k, v):
    t = named(f"Pair[{T.fmt_type(k)},{T.fmt_type(v)}]",
              T.Struct([T.Field("Key", k), T.Field("Val", v)]))
    t.origin, t.targs = PAIR, [k, v]
    return t


ERRSTR = named("errorString", T.Struct([T.Field("s", T.STRING)]), pkg="errors")

GO_PRELUDE = r'''package main

import (
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"os"
	"strconv"
	"unsafe"
)

var _ = errors.New
var _ = math.NaN
var _ unsafe.Pointer

type Point struct{ X, Y int }
type MyInt int

func (m MyInt) String() string { return "MyInt<" + strconv.Itoa(int(m)) + ">" }

type Err struct{ Msg string }

func (e *Err) Error() string { return "err:" + e.Msg }

type Boom int

func (Boom) String() string { panic("boom") }

type NilOK struct{ N int }

func (p *NilOK) String() string { return "n=" + strconv.Itoa(p.N) }

type GoStr int

func (GoStr) GoString() string { return "GoStr!" }
func (GoStr) String() string   { return "gostr" }

type Both int

func (Both) Error() string  { return "E" }
func (Both) String() string { return "S" }

type Fm int

func (f Fm) Format(s fmt.State, c rune) { fmt.Fprintf(s, "Fm[%c %s]", c, fmt.FormatString(s, c)) }

type Celsius float64
type Str string
type Inner struct {
	A int
	b string
}
type Wrap struct{ V, v MyInt }
type Outer struct {
	In  Inner
	P   *Point
	Any any
	Err error
	M   map[string]int
	S   []int
}
type Emb struct {
	Inner
	N int
}
type Bytes []byte
type Tree struct {
	L, R *Tree
	V    int
}
type Pair[K comparable, V any] struct {
	Key K
	Val V
}

func ptrTo[T any](v T) *T { return &v }

func wraps(err error) string {
	switch u := err.(type) {
	case interface{ Unwrap() []error }:
		s := "multi:"
		for _, e := range u.Unwrap() {
			s += e.Error() + ";"
		}
		return s
	case interface{ Unwrap() error }:
		if w := u.Unwrap(); w != nil {
			return "one:" + w.Error()
		}
		return "one:nil"
	}
	return "none"
}

func out(s string) { os.Stdout.WriteString(hex.EncodeToString([]byte(s)) + "\n") }

func main() {
'''


class Panic(Exception):
    def __init__(self, text: str):
        super().__init__(text)
        self.value_text = text.encode()


NIL_DEREF = "runtime error: invalid memory address or nil pointer dereference"


class Host:
    """The running program as fmt sees it: a heap of pointees and the methods above."""

    Panic = Panic

    def __init__(self):
        self.mem: dict[int, object] = {}
        self.next = 0xc000010000

    def new(self, value) -> int:
        addr = self.next
        self.next += 0x40
        self.mem[addr] = value
        return addr

    def deref(self, addr, elem_type):
        return self.mem[addr]

    def has_method(self, t, name):
        return (F.type_string(t), name) in METHODS

    def method(self, t, v, name, *extra):
        impl = METHODS.get((F.type_string(t), name))
        return None if impl is None else impl(self, v, *extra)


def _nonnil(h, v):
    if not v:
        raise Panic(NIL_DEREF)
    return h.deref(v, None)


def _boom(h, v):
    raise Panic("boom")


METHODS = {
    ("main.MyInt", "String"): lambda h, v: b"MyInt<" + str(v).encode() + b">",
    ("*main.MyInt", "String"): lambda h, v: b"MyInt<" + str(_nonnil(h, v)).encode() + b">",
    ("*main.Err", "Error"): lambda h, v: b"err:" + _nonnil(h, v)[0],
    ("main.Boom", "String"): _boom,
    ("*main.Boom", "String"): _boom,
    ("*main.NilOK", "String"): lambda h, v: b"n=" + str(_nonnil(h, v)[0]).encode(),
    ("main.GoStr", "GoString"): lambda h, v: b"GoStr!",
    ("main.GoStr", "String"): lambda h, v: b"gostr",
    ("main.Both", "Error"): lambda h, v: b"E",
    ("main.Both", "String"): lambda h, v: b"S",
    ("main.Fm", "Format"): lambda h, v, st: b"Fm[" + st.verb.encode() + b" " + st.format_string() + b"]",
    ("*errors.errorString", "Error"): lambda h, v: _nonnil(h, v)[0],
}

HOST = Host()


# -- operands: a Go expression and the (type, value) pair -------------------------------------------------


class A:
    def __init__(self, go: str, t, v):
        self.go, self.t, self.v = go, t, v

    @property
    def pair(self):
        return (self.t, self.v)


def golit(b: bytes) -> str:
    out = []
    for c in b:
        ch = chr(c)
        if 0x20 <= c < 0x7F and ch not in '"\\':
            out.append(ch)
        else:
            out.append("\\x%02x" % c)
    return '"' + "".join(out) + '"'


def num(v, kind="int"):
    return A(f"{kind}({v})", B[kind], v)


def f64(x: float):
    bits = SC.float64_bits(x)
    return A(f"math.Float64frombits(0x{bits:016x})", T.FLOAT64, x)


def f32(x: float):
    x = SC.float32_round(x)
    bits = SC.float32_bits(x)
    return A(f"math.Float32frombits(0x{bits:08x})", T.FLOAT32, x)


def c128(re: float, im: float):
    return A(f"complex({f64(re).go}, {f64(im).go})", T.COMPLEX128, complex(re, im))


def c64(re: float, im: float):
    re, im = SC.float32_round(re), SC.float32_round(im)
    return A(f"complex({f32(re).go}, {f32(im).go})", T.COMPLEX64, complex(re, im))


def s(b):
    b = b.encode() if isinstance(b, str) else b
    return A(golit(b), T.STRING, b)


def boolean(b):
    return A("true" if b else "false", T.BOOL, b)


def conv(t, gotype: str, a: A):
    """A value of a named type: Go ``T(x)``."""
    return A(f"{gotype}({a.go})", t, a.v)


def iface(a: A | None):
    """An interface-typed part (field/element): the value is the nested pair."""
    if a is None:
        return A("nil", None, (None, None))
    return A(a.go, a.t, (a.t, a.v))


def struct(t, goname: str, *fields: A):
    return A(f"{goname}{{{', '.join(f.go for f in fields)}}}", t, tuple(f.v for f in fields))


def slice_(elem_t, elem_go: str, *items: A):
    return A(f"[]{elem_go}{{{', '.join(i.go for i in items)}}}", T.Slice(elem_t), [i.v for i in items])


def array(elem_t, elem_go: str, *items: A):
    return A(f"[{len(items)}]{elem_go}{{{', '.join(i.go for i in items)}}}", T.Array(elem_t, len(items)),
             [i.v for i in items])


def map_(kt, vt, kgo: str, vgo: str, *pairs):
    return A(f"map[{kgo}]{vgo}{{{', '.join(k.go + ': ' + v.go for k, v in pairs)}}}", T.Map(kt, vt),
             [(k.v, v.v) for k, v in pairs])


def ptr(a: A):
    """&composite literal: a real pointer (its address never printed)."""
    return A(f"ptrTo({a.go})", T.Pointer(a.t), HOST.new(a.v))


def fake(addr: int, elem_t, elem_go: str):
    """A pointer with a known address (never dereferenced)."""
    return A(f"(*{elem_go})(unsafe.Pointer(uintptr(0x{addr:x})))", T.Pointer(elem_t), addr)


def nilptr(elem_t, elem_go: str):
    return A(f"(*{elem_go})(nil)", T.Pointer(elem_t), 0)


NIL = A("nil", None, None)


def errors_new(msg: bytes):
    return A(f"errors.New({golit(msg)})", T.Pointer(ERRSTR), HOST.new((msg,)))


# -- the cases ---------------------------------------------------------------------------------------------

INT_VERBS = ["%v", "%d", "%b", "%o", "%O", "%x", "%X", "%c", "%q", "%U", "%#U", "%+d", "% d", "%5d", "%-5d|",
             "%05d", "%#x", "%#X", "%#o", "%#b", "%.3d", "%8.3d", "%+.3x", "%.0d", "%08.3d", "%-08d|", "%#v",
             "%+q", "%t", "%s", "%e", "%T", "%x %X", "%+v", "%#08x", "% x", "%6.2U", "%-#9U|", "%010c", "%p"]
INT_VALUES = {
    "int": [0, 1, -1, 42, -42, 65, 0x1F600, -(1 << 63), (1 << 63) - 1, 0xD800, 0x110000],
    "int8": [-128, 127, 0, -5],
    "int16": [-32768, 1000],
    "int32": [0x4E16, -1, 0x7F, 0x10FFFF],
    "int64": [1 << 40, -(1 << 40)],
    "uint": [0, 7],
    "uint8": [255, 0, 10],
    "uint16": [65535],
    "uint32": [(1 << 32) - 1, 0xE9],
    "uint64": [(1 << 64) - 1, 1 << 63],
    "uintptr": [0xc000012345],
}

FLOAT_VERBS = ["%v", "%g", "%G", "%e", "%E", "%f", "%F", "%.2f", "%.0f", "%8.3f", "%-8.2f|", "%08.3f", "%+f",
               "% f", "%+.3e", "%#g", "%#.3g", "%#v", "%b", "%x", "%X", "%.3x", "%#x", "%10v", "%.3g", "%.10g",
               "%.20f", "%+v", "%d", "%s", "%5.1f", "%#.0f", "%#.0e", "%#e", "%010.3e", "%-10v|", "%+010v",
               "% .3g", "%.1e", "%#.4x", "%.17g", "%T"]
FLOAT64_VALUES = [0.0, -0.0, 1.0, -1.0, 0.1, 1.0 / 3, 1e21, 1e20, 1e-7, 1e-4, 123456789.0, 1e6, 100000.0,
                  3.14159, math.nan, math.inf, -math.inf, 5e-324, 1.7976931348623157e308, 2.5, 0.000123,
                  0.5, 1.5, 2.675, 1e100, 123.456, -9.99999]
FLOAT32_VALUES = [0.1, 1.0 / 3, 16777216.0, 3.4028234663852886e38, 1.401298464324817e-45, 1.5, -2.75, 1e10,
                  0.3, 1e-7, 7.0e-45, 3.14159]
STRING_VERBS = ["%s", "%v", "%q", "%+q", "%#q", "%x", "%X", "% x", "%#x", "%# x", "%10s|", "%-10s|", "%.3s",
                "%.2q", "%010s", "%5.1s|", "%#v", "%d", "%T", "%c", "%.0x|", "%12x|", "%-12X|", "%.2x", "%#+q",
                "%U", "% #X", "%8q|"]
STRING_VALUES = [b"", b"hello", "h\u00e9llo \u4e16\u754c".encode(), b"bad\xff\xfe", b"tab\tnl\n",
                 b'quote"back\\', b"`tick`", b"\xe2\x82", "\U0001F600 emoji".encode(), b"\x00\x7f\x1b",
                 b"\xef\xbb\xbf bom", b"\xc2\xa0nbsp\xe2\x80\x8b", b"\xed\xa0\x80 surrogate", b"\xf4\x90\x80\x80",
                 "\u0378\u00ad".encode()]


def basic_cases():
    cases = []
    for kind, vals in INT_VALUES.items():
        for v in vals:
            for verb in INT_VERBS:
                cases.append((verb, [num(v, kind)]))
    for x in FLOAT64_VALUES:
        for verb in FLOAT_VERBS:
            cases.append((verb, [f64(x)]))
    for x in FLOAT32_VALUES:
        for verb in FLOAT_VERBS:
            cases.append((verb, [f32(x)]))
    for c in [c128(1, 2), c128(-1.5, -0.0), c128(math.inf, math.nan), c64(0.1, 1e20)]:
        for verb in ["%v", "%.2f", "%+.1e", "%g", "%8.2f", "%#v", "%d", "%T", "%x"]:
            cases.append((verb, [c]))
    for b in STRING_VALUES:
        for verb in STRING_VERBS:
            cases.append((verb, [s(b)]))
    for b in (True, False):
        for verb in ["%t", "%v", "%5t|", "%-6t|", "%d", "%s", "%q", "%#v", "%T", "%06t"]:
            cases.append((verb, [boolean(b)]))
    byte_vals = [A("[]byte(nil)", T.Slice(T.BYTE), None), A("[]byte{}", T.Slice(T.BYTE), b""),
                 A("[]byte(\"abc\")", T.Slice(T.BYTE), b"abc"), A("[]byte{0, 255, 10}", T.Slice(T.BYTE), b"\x00\xff\n"),
                 A("Bytes(\"hi\")", BYTES, b"hi"), A("[3]byte{65, 66, 67}", T.Array(T.BYTE, 3), [65, 66, 67]),
                 A("[]uint8{1, 2}", T.Slice(T.UINT8), [1, 2])]
    for bv in byte_vals:
        for verb in ["%s", "%x", "%X", "% x", "%q", "%v", "%d", "%#v", "%c", "%o", "%T", "%10s|", "%.1x", "%5v",
                     "%#x", "%+q", "%p" if bv.v is not None and not isinstance(bv.t, T.Array) else "%t"]:
            if verb == "%p":
                continue  # the address of the backing array differs between runs
            cases.append((verb, [bv]))
    return cases


def composite_cases():
    p12 = struct(POINT, "Point", num(1), num(2))
    inner = struct(INNER, "Inner", num(7), s("in"))
    outer = struct(OUTER, "Outer", inner, fake(0x1234, POINT, "Point"), iface(num(5)),
                   iface(ptr(struct(ERR, "Err", s("bad")))), map_(T.STRING, T.INT, "string", "int", (s("b"), num(2)),
                                                                 (s("a"), num(1))),
                   slice_(T.INT, "int", num(1), num(2)))
    outer_nil = struct(OUTER, "Outer", struct(INNER, "Inner", num(0), s("")), nilptr(POINT, "Point"), iface(None),
                       iface(None), A("nil", T.Map(T.STRING, T.INT), None), A("nil", T.Slice(T.INT), None))
    tree = struct(TREE, "Tree", nilptr(TREE, "Tree"), fake(0x5678, TREE, "Tree"), num(3))
    # a bad verb prints its operand at depth 0, where fmt dereferences pointers to structs:
    # operands holding made-up struct pointers get only verbs that never do that
    safe_verbs = ["%v", "%+v", "%#v", "%T", "%d", "%x", "%10v|", "%-8v|", "%X", "%#x", "%5.2v", "%o"]
    # real pointers (their addresses differ between runs) only where a method prints them
    method_verbs = ["%v", "%+v", "%s", "%q", "%x", "%X", "%10v|", "%-8v|", "%T", "%+q"]
    cases = [(verb, [a]) for a in (tree, ptr(tree)) for verb in safe_verbs]
    cases += [(verb, [outer]) for verb in safe_verbs if verb in method_verbs]
    cases += [(verb, [a]) for a in (
        struct(OUTER, "Outer", inner, nilptr(POINT, "Point"), iface(num(5)),
               iface(ptr(struct(ERR, "Err", s("bad")))),
               map_(T.STRING, T.INT, "string", "int", (s("b"), num(2)), (s("a"), num(1))),
               slice_(T.INT, "int", num(1), num(2))),
        ptr(conv(MYINT, "MyInt", num(8))),
        slice_(T.ERROR, "error", iface(errors_new(b"e1")), iface(None)),
    ) for verb in method_verbs]
    outer = struct(OUTER, "Outer", inner, nilptr(POINT, "Point"), iface(num(5)),
                   iface(conv(BOTH, "Both", num(2))),
                   map_(T.STRING, T.INT, "string", "int", (s("b"), num(2)), (s("a"), num(1))),
                   slice_(T.INT, "int", num(1), num(2)))
    tree = struct(TREE, "Tree", nilptr(TREE, "Tree"), nilptr(TREE, "Tree"), num(3))
    operands = [
        p12, ptr(p12), inner, outer, outer_nil, tree, ptr(tree),
        nilptr(POINT, "Point"), nilptr(T.INT, "int"), fake(0xdead0, T.INT, "int"),
        A("unsafe.Pointer(uintptr(0x1234))", T.UNSAFE_POINTER, 0x1234), A("unsafe.Pointer(nil)", T.UNSAFE_POINTER, 0),
        A("(func())(nil)", T.Signature([], []), 0), A("(chan int)(nil)", T.Chan(T.INT), 0),
        A("(map[string]int)(nil)", T.Map(T.STRING, T.INT), None), A("[]int(nil)", T.Slice(T.INT), None),
        slice_(T.INT, "int", num(1), num(2), num(3)), slice_(T.INT, "int"),
        slice_(T.Slice(T.INT), "[]int", slice_(T.INT, "int", num(1)), slice_(T.INT, "int", num(2), num(3)),
               A("nil", T.Slice(T.INT), None)),
        slice_(T.STRING, "string", s("a"), s("b c"), s("")),
        slice_(T.ANY, "any", iface(num(1)), iface(s("x")), iface(None), iface(p12), iface(fake(0xbeef0, T.INT, "int")),
               iface(conv(MYINT, "MyInt", num(4)))),
        array(T.INT, "int", num(1), num(2), num(3)), array(T.FLOAT64, "float64", f64(0.5), f64(1e21)),
        map_(T.STRING, T.INT, "string", "int", (s("z"), num(26)), (s("a"), num(1)), (s("m"), num(13))),
        map_(T.INT, T.STRING, "int", "string", (num(10), s("ten")), (num(-1), s("neg")), (num(2), s("two"))),
        map_(T.FLOAT64, T.INT, "float64", "int", (A("math.NaN()", T.FLOAT64, math.nan), num(1)),
             (f64(1.0), num(2)), (f64(-math.inf), num(3))),
        map_(T.BOOL, T.INT, "bool", "int", (boolean(True), num(1)), (boolean(False), num(0))),
        map_(POINT, T.STRING, "Point", "string", (struct(POINT, "Point", num(2), num(1)), s("b")),
             (struct(POINT, "Point", num(1), num(9)), s("a"))),
        map_(T.STRING, T.ANY, "string", "any", (s("k"), iface(num(1))), (s("j"), iface(None)),
             (s("s"), iface(s("v")))),
        map_(T.ANY, T.INT, "any", "int", (iface(num(2)), num(1)), (iface(num(1)), num(2)), (iface(None), num(3))),
        map_(T.STRING, MYINT, "string", "MyInt", (s("b"), conv(MYINT, "MyInt", num(2))),
             (s("a"), conv(MYINT, "MyInt", num(1)))),
        ptr(slice_(T.INT, "int", num(4), num(5))), ptr(map_(T.STRING, T.INT, "string", "int", (s("x"), num(1)))),
        ptr(array(T.STRING, "string", s("p"), s("q"))),
        conv(MYINT, "MyInt", num(42)), conv(MYINT, "MyInt", num(-3)),
        ptr(struct(ERR, "Err", s("oops"))), nilptr(ERR, "Err"), conv(BOOM, "Boom", num(1)),
        ptr(struct(NILOK, "NilOK", num(5))), nilptr(NILOK, "NilOK"), conv(GOSTR, "GoStr", num(1)),
        conv(BOTH, "Both", num(1)), conv(FM, "Fm", num(1)), conv(CELSIUS, "Celsius", f64(36.6)),
        conv(STR, "Str", s("named\n")), struct(WRAP, "Wrap", conv(MYINT, "MyInt", num(1)),
                                               conv(MYINT, "MyInt", num(2))),
        struct(EMB, "Emb", struct(INNER, "Inner", num(1), s("e")), num(2)),
        slice_(BOOM, "Boom", conv(BOOM, "Boom", num(1))),
        slice_(T.Pointer(NILOK), "*NilOK", nilptr(NILOK, "NilOK")),
        NIL,
        A("struct{ A int; B string }{1, \"x\"}", T.Struct([T.Field("A", T.INT), T.Field("B", T.STRING)]),
          (1, b"x")),
        A("[]struct{}{{}}", T.Slice(T.Struct([])), [()]),
        A("[][]string{{\"a\"}, nil}", T.Slice(T.Slice(T.STRING)), [[b"a"], None]),
        A("[]*Point{nil}", T.Slice(T.Pointer(POINT)), [0]),
        A("[]float32{0.5, 0.1}", T.Slice(T.FLOAT32), [0.5, SC.float32_round(0.1)]),
        A("map[string][]int{\"a\": {1}, \"b\": nil}", T.Map(T.STRING, T.Slice(T.INT)), [(b"b", None), (b"a", [1])]),
    ]
    verbs = ["%v", "%+v", "%#v", "%T", "%s", "%d", "%x", "%q", "%10v|", "%-8v|", "%.1f", "%t", "%X", "%+q",
             "%#x", "%5.2v"]
    cases += [(verb, [a]) for a in operands for verb in verbs]
    for verb in ["%p", "%#p", "%20p|", "%-20p|", "%T", "%-#20p|"]:
        cases.append((verb, [fake(0x1234, POINT, "Point")]))
    for a in [fake(0xdead0, T.INT, "int"), nilptr(T.INT, "int"),
              A("unsafe.Pointer(uintptr(0xabc))", T.UNSAFE_POINTER, 0xabc), num(5), s("x"), NIL,
              A("(func())(nil)", T.Signature([], []), 0)]:
        for verb in ["%p", "%#p", "%v", "%x", "%d", "%o", "%b", "%s", "%20p|", "%-20p|", "%#v", "%T", "%c"]:
            cases.append((verb, [a]))
    return cases


def directive_cases():
    p12 = struct(POINT, "Point", num(1), num(2))
    one, two, three = num(1), num(2), num(3)
    return [
        ("%", []), ("abc%", []), ("%-", [one]), ("%d", []), ("%d %d", [one]), ("%d", [one, two]),
        ("x", [one, s("s"), NIL]), ("%d", [one, errors_new(b"E!"), conv(MYINT, "MyInt", num(9))]),
        ("%[2]d %[1]d", [one, two]), ("%[3]d", [one, two]), ("%[0]d", [one]), ("%[x]d", [one]),
        ("%[2]d %d", [one, two, three]), ("%[1]d %[1]x %[1]q", [num(65)]), ("%[5]d %d", [one]),
        ("%*d|", [num(5), num(42)]), ("%-*d|", [num(5), num(42)]), ("%*d|", [num(-5), num(42)]),
        ("%*d", [s("w"), num(42)]), ("%.*f", [num(2), f64(math.pi)]), ("%.*d", [num(-1), num(42)]),
        ("%[2]*[1]d|", [num(12), num(5)]), ("%[1]*d|", [num(3), num(4)]), ("%.[2]d", [one, two]),
        ("%3[1]d", [one]), ("%[1]3d", [one]), ("%[2].[1]*d", [num(1), num(2)]), ("%1000001d", [one]),
        ("%.1000001d", [one]), ("%*d", [num(10000000), one]), ("%*d", [num((1 << 64) - 1, "uint64"), one]),
        ("%*d", [num(3, "uint8"), one]), ("%*d", [conv(MYINT, "MyInt", num(4)), one]), ("%z", [one]),
        ("%\xc3\xa9", [one]), ("%\xc3\xa4", []), ("%\xff", [one]), ("%!", [one]), ("%5%", []),
        ("%-+# 0d", [num(7)]), ("%10.4v|", [s("abcdefgh")]), ("%v", [NIL]), ("%d", [NIL]), ("%T", [NIL]),
        ("%5v|", [NIL]), ("%w", [errors_new(b"w")]), ("%w", [one]), ("%v %v", [one]), ("%.", [one]),
        ("%5.", [one]), ("%.d", [num(0)]), ("%.x", [s("")]), ("%#.3v", [p12]), ("%+#v", [p12]),
        ("%v and %v", [p12, ptr(p12)]), ("%s %d %v", [conv(BOTH, "Both", num(1))] * 3),
        ("%x %X % X", [conv(MYINT, "MyInt", num(255))] * 3), ("%q %d", [conv(MYINT, "MyInt", num(65))] * 2),
        ("%-10s|%10s", [conv(MYINT, "MyInt", num(1)), ptr(struct(ERR, "Err", s("e")))]),
        ("%d %s", [conv(BOOM, "Boom", num(1))] * 2), ("%10v|", [conv(BOOM, "Boom", num(1))]),
        ("%v %+v %#v %s %d %x % 5.2q", [conv(FM, "Fm", num(1))] * 7), ("%[1]v %[1]T", [conv(FM, "Fm", num(1))]),
        ("%v", [ptr(conv(BOOM, "Boom", num(1)))]), ("%s", [nilptr(NILOK, "NilOK")]),
        ("%v %v", [nilptr(ERR, "Err"), NIL]), ("%d%%", [num(50)]),
        ("%3c|%-4c|", [num(0x4E16), num(65)]), ("%08.3f|%-08.3f|%+08.3f", [f64(-3.14159)] * 3),
        ("%x", [slice_(T.STRING, "string", s("ab"), s("c"))]), ("% x", [slice_(T.INT, "int", num(10), num(255))]),
        ("%6.2f", [slice_(T.FLOAT64, "float64", f64(1), f64(22.5))]), ("%q", [slice_(T.INT32, "rune", num(65, "int32"))]),
        ("%v", [array(T.BOOL, "bool", boolean(True), boolean(False))]),
        ("%s", [slice_(T.ANY, "any", iface(s("a")), iface(num(1)))]),
        ("%05d|%-05d|%+05d", [num(-42)] * 3), ("%#o %#o %O", [num(0), num(8), num(-8)]),
        ("%#x %#X %#b", [num(0)] * 3), ("%+.0d|% .0d|%5.0d|", [num(0)] * 3), ("%#8.4x|", [num(255)]),
        ("%.3q|%.1q", [s("\u4e16\u754c!".encode()), s(b"\xffa")]), ("%#10q|%-#10q|", [s("a`b"), s("ab")]),
        ("%U %#U %#U", [num(0x1F600), num(0x7F), num(-1)]), ("%.6U|%#.6U", [num(65), num(65)]),
        ("%e %E", [f64(0), f64(0)]), ("%g %G", [f64(1e-5), f64(1e-5)]), ("%.0e %.0g %.0f", [f64(2.5)] * 3),
        ("%#.0x %#.0X", [f64(1.5), f64(1.5)]), ("%#b", [f64(1)]), ("%#g %#g %#g", [f64(0), f64(100000), f64(1e6)]),
        ("%#.3e %#.3g %#.3f", [f64(1)] * 3), ("%010v %010v %-010v|", [f64(math.inf), f64(math.nan), f64(-1.5)]),
        ("% v %+v % +v", [f64(math.nan)] * 3), ("%x %X", [f64(-0.0), f32(0.1)]),
        ("%v %.3v %10.3v|", [c128(1.5, -2.25)] * 3), ("%+v", [c64(0, 0)]),
        ("%v %s", [slice_(T.ERROR, "error", iface(ptr(struct(ERR, "Err", s("x"))))),
                   slice_(T.ERROR, "error", iface(ptr(struct(ERR, "Err", s("x")))))]),
    ]


def type_cases():
    sig = T.Signature
    prm = T.Param
    typed_nils = [
        ("(func(int) string)(nil)", sig([prm("", T.INT)], [prm("", T.STRING)])),
        ("(func(...int))(nil)", sig([prm("", T.Slice(T.INT))], [], variadic=True)),
        ("(func() (int, error))(nil)", sig([], [prm("", T.INT), prm("", T.ERROR)])),
        ("(func(Point, *MyInt) []any)(nil)", sig([prm("", POINT), prm("", T.Pointer(MYINT))],
                                                [prm("", T.Slice(T.ANY))])),
        ("(chan<- int)(nil)", T.Chan(T.INT, "send")), ("(<-chan int)(nil)", T.Chan(T.INT, "recv")),
        ("(chan (<-chan int))(nil)", T.Chan(T.Chan(T.INT, "recv"))), ("(chan []byte)(nil)", T.Chan(T.Slice(T.BYTE))),
        ("(*[]int)(nil)", T.Pointer(T.Slice(T.INT))), ("(**Point)(nil)", T.Pointer(T.Pointer(POINT))),
        ("(*error)(nil)", T.Pointer(T.ERROR)), ("(*any)(nil)", T.Pointer(T.ANY)),
        ("(*rune)(nil)", T.Pointer(T.RUNE)), ("(*byte)(nil)", T.Pointer(T.BYTE)),
        ("(*func())(nil)", T.Pointer(sig([], []))), ("(*[3]uintptr)(nil)", T.Pointer(T.Array(T.UINTPTR, 3))),
        ("(*map[Point][]*Tree)(nil)", T.Pointer(T.Map(POINT, T.Slice(T.Pointer(TREE))))),
        ("(*interface{ M() })(nil)", T.Pointer(T.Interface([T.IMethod("M", sig([], []))]))),
        ("(*interface{ String() string; Error() string })(nil)", T.Pointer(T.Interface(
            [T.IMethod("String", sig([], [prm("", T.STRING)])), T.IMethod("Error", sig([], [prm("", T.STRING)]))]))),
        ("(*struct{})(nil)", T.Pointer(T.Struct([]))),
        ("(*struct{ A int \"json:\\\"a\\\"\"; B []string; Point })(nil)", T.Pointer(T.Struct([
            T.Field("A", T.INT, tag='json:"a"'), T.Field("B", T.Slice(T.STRING)), T.Field("Point", POINT, embedded=True)]))),
        ("(*Pair[int, string])(nil)", T.Pointer(pair_type(T.INT, T.STRING))),
        ("(*Pair[Point, []MyInt])(nil)", T.Pointer(pair_type(POINT, T.Slice(MYINT)))),
        ("(*unsafe.Pointer)(nil)", T.Pointer(T.UNSAFE_POINTER)), ("(*complex64)(nil)", T.Pointer(T.COMPLEX64)),
    ]
    cases = []
    for go, t in typed_nils:
        a = A(go, t, 0)
        for verb in ["%T", "%v", "%#v", "%10T|", "%.5T", "%d", "%s"]:
            cases.append((verb, [a]))
    pr = struct(pair_type(T.STRING, T.ANY), "Pair[string, any]", s("k"), iface(num(1)))
    pr2 = struct(pair_type(POINT, MYINT), "Pair[Point, MyInt]", struct(POINT, "Point", num(1), num(2)),
                 conv(MYINT, "MyInt", num(3)))
    for a in (pr, pr2, ptr(pr)):
        for verb in ["%T", "%v", "%+v", "%#v", "%s"]:
            cases.append((verb, [a]))
    return cases


def float_cases():
    import random
    rnd = random.Random(99)
    cases = []
    for _ in range(150):
        x = SC._frombits64(rnd.getrandbits(64)) if rnd.random() < 0.5 else round(rnd.uniform(-1e5, 1e5),
                                                                                 rnd.randint(0, 7))
        y = SC._frombits32(rnd.getrandbits(32)) if rnd.random() < 0.5 else round(rnd.uniform(-1e3, 1e3),
                                                                                rnd.randint(0, 5))
        for verb in ["%v", "%.3g", "%e", "%.4f", "%#g", "%x"]:
            cases.append((verb, [f64(x)]))
            cases.append((verb, [f32(y)]))
    return cases


def flag_matrix_cases():
    """Every flag combination with a few width/precision pairs over each kind of verb."""
    import itertools
    flag_sets = ["".join(c) for n in range(6) for c in itertools.combinations("+- #0", n)]
    sizes = ["", "8", "8.3", ".0", "1"]
    groups = [
        ("dxXobcqUv", [num(42), num(-7), num(0)]),
        ("efgGxv", [f64(-3.5), f64(1e-3), f64(0.0)]),
        ("sqxv", [s("h\u00e9llo".encode().decode("unicode_escape").encode()), s(b"")]),
        ("vd", [slice_(T.INT, "int", num(1), num(-2))]),
    ]
    cases = []
    for verbs, vals in groups:
        for verb in verbs:
            for fl in flag_sets:
                for sz in sizes:
                    for v in vals:
                        cases.append((f"[%{fl}{sz}{verb}]", [v]))
    return cases


def random_directive_cases():
    """Formats assembled at random from directive pieces, over random operand lists."""
    import random
    rnd = random.Random(4242)
    pool = [num(5), num(-3, "int8"), num(300, "uint16"), s("ab"), s(b"\xe4\xb8\x96x"), f64(2.5), f64(-1e-9), f32(0.1), NIL, conv(MYINT, "MyInt", num(7)),
        struct(POINT, "Point", num(1), num(2)), slice_(T.INT, "int", num(3)), boolean(True), num(-12),
        conv(BOOM, "Boom", num(0)), conv(FM, "Fm", num(2)), conv(BOTH, "Both", num(0)), num(0x263A, "int32")]
    pieces = ["%", "#", "0", "+", "-", " ", "[1]", "[2]", "[3]", "[9]", "[]", "*", ".", ".*", "3", "12", "0", "[1]*",
              "v", "d", "s", "q", "x", "X", "e", "g", "T", "c", "U", "t", "w", "%", "b", "o", "O", "f", "E", "z",
              " lit ", "!", "[", "]", "5", "\xc3\xa9"]
    cases = []  # (no %p: a slice's address differs between runs)
    for _ in range(1500):
        fmt_ = "".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 10)))
        if rnd.random() < 0.7:
            fmt_ = "%" + fmt_
        fmt_ = fmt_.encode().decode("unicode_escape")  # \xc3\xa9 -> two latin-1 chars = UTF-8 bytes of e-acute
        args = [rnd.choice(pool) for _ in range(rnd.randint(0, 4))]
        cases.append((fmt_, args))
    return cases


def all_printf_cases():
    return (basic_cases() + composite_cases() + directive_cases() + type_cases() + float_cases()
            + flag_matrix_cases() + random_directive_cases())


PRINT_CASES = [
    [s("a"), num(1), num(2), s("b"), s("c"), f64(3.5), NIL, conv(MYINT, "MyInt", num(3))],
    [num(1), num(2)], [conv(STR, "Str", s("x")), num(1), conv(STR, "Str", s("y"))], [],
    [NIL, NIL], [struct(POINT, "Point", num(1), num(2)), ptr(struct(POINT, "Point", num(3), num(4)))],
    [f32(0.1), f64(0.1), boolean(True), s("")], [errors_new(b"err"), conv(BOOM, "Boom", num(0))],
]

ERRORF_CASES = [
    ("wrap: %w", [errors_new(b"inner")]), ("%w and %w", [errors_new(b"a"), errors_new(b"b")]),
    ("%w", [num(1)]), ("%v %w", [num(1), NIL]), ("no verbs", []), ("%[2]w %[1]w %[2]w", [errors_new(b"a"), errors_new(b"b")]),
    ("%+w|%#w|%10w|", [errors_new(b"x")] * 3), ("%w", [ptr(struct(ERR, "Err", s("p")))]),
    ("%d", [num(3)]), ("%w %d %[1]w", [errors_new(b"r")]), ("%[2]w %w", [errors_new(b"a"), errors_new(b"b")]),
    ("%w %w", [errors_new(b"a"), num(5)]), ("%w", []), ("%[3]w", [errors_new(b"a")]),
    ("%w: %v", [conv(BOTH, "Both", num(1)), ptr(struct(ERR, "Err", s("z")))]),
]


def _error_text(op):
    t, v = op
    if t is None or not HOST.has_method(t, "Error"):
        return None
    return HOST.method(t, v, "Error")


def _wraps_text(ops, wrapped) -> bytes:
    """What the wraps() helper of the Go program prints for Errorf's result."""
    if wrapped is None:
        return b"none"
    if isinstance(wrapped, int):
        txt = _error_text(ops[wrapped])
        return b"one:" + (b"nil" if txt is None else txt)
    texts = [_error_text(ops[i]) for i in wrapped]
    return b"multi:" + b"".join(t + b";" for t in texts if t is not None)


def go_program(printf_cases) -> str:
    lines = [GO_PRELUDE]
    for fmt_, args in printf_cases:
        lines.append(f"\tout(fmt.Sprintf({golit(fmt_.encode('latin-1') if isinstance(fmt_, str) else fmt_)}"
                     + "".join(", " + a.go for a in args) + "))\n")
    for args in PRINT_CASES:
        lines.append("\tout(fmt.Sprint(" + ", ".join(a.go for a in args) + "))\n")
        lines.append("\tout(fmt.Sprintln(" + ", ".join(a.go for a in args) + "))\n")
    for fmt_, args in ERRORF_CASES:
        call = f"fmt.Errorf({golit(fmt_.encode())}" + "".join(", " + a.go for a in args) + ")"
        lines.append(f"\tout({call}.Error())\n\tout(wraps({call}))\n")
    lines.append("}\n")
    return "".join(lines)


def fmt_bytes(f) -> bytes:
    # formats are written as str whose chars are bytes (latin-1), so "%\xc3\xa9" is %é in UTF-8
    return f.encode("latin-1")


def our_outputs(printf_cases) -> list[tuple[str, bytes]]:
    res = []
    for fmt_, args in printf_cases:
        res.append((f"Sprintf({fmt_!r}, {', '.join(a.go for a in args)})",
                    F.sprintf(fmt_bytes(fmt_), [a.pair for a in args], HOST)))
    for args in PRINT_CASES:
        desc = ", ".join(a.go for a in args)
        res.append((f"Sprint({desc})", F.sprint([a.pair for a in args], HOST)))
        res.append((f"Sprintln({desc})", F.sprintln([a.pair for a in args], HOST)))
    for fmt_, args in ERRORF_CASES:
        text, wrapped = F.errorf(fmt_.encode(), [a.pair for a in args], HOST)
        res.append((f"Errorf({fmt_!r}, ...)", text))
        res.append((f"Errorf({fmt_!r}, ...) wraps", _wraps_text([a.pair for a in args], wrapped)))
        raw = F.errorf_wraps(fmt_.encode(), len(args))
        assert wrapped == (None if not raw else raw[0] if len(raw) == 1 else sorted(set(raw)) if "[" in fmt_
                           else raw)
    return res


def run_go(tmp_path: Path, src: str) -> list[bytes]:
    d = tmp_path / "prog"
    d.mkdir()
    (d / "main.go").write_text(src)
    (d / "go.mod").write_text("module prog\n\ngo 1.27\n")
    exe = d / "prog"
    r = subprocess.run([realgo.find_go(), "build", "-o", str(exe), "."], cwd=d, env=realgo.go_env(),
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[:3000]
    p = subprocess.run([str(exe)], env=realgo.go_env(), capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr[:3000]
    return [bytes.fromhex(line) for line in p.stdout.splitlines()]


@requires_go
@pytest.mark.realgo
def test_fmt_matches_real_go(tmp_path):
    cases = all_printf_cases()
    want = run_go(tmp_path, go_program([(fmt_bytes(f).decode("latin-1"), a) for f, a in cases]))
    got = our_outputs(cases)
    assert len(want) == len(got)
    bad = [(desc, g, w) for (desc, g), w in zip(got, want) if g != w]
    assert not bad, f"{len(bad)} of {len(got)} differ; first ones:\n" + "\n".join(
        f"  {d}\n    gomem: {g!r}\n    go:    {w!r}" for d, g, w in bad[:25])
    assert len(got) > 2000


# -- checks that need no toolchain ----------------------------------------------------------------------


def test_small_examples():
    p = struct(POINT, "Point", num(1), num(2))
    assert F.sprintf(b"%v %+v %#v %T", [p.pair] * 4, HOST) == b"{1 2} {X:1 Y:2} main.Point{X:1, Y:2} main.Point"
    assert F.sprintf(b"%v", [ptr(p).pair], HOST) == b"&{1 2}"
    assert F.sprintf(b"%d %", [num(1).pair], HOST) == b"1 %!(NOVERB)"
    assert F.sprintf(b"%d", [], HOST) == b"%!d(MISSING)"
    assert F.sprintf(b"%v", [conv(BOOM, "Boom", num(1)).pair], HOST) == b"%!v(PANIC=String method: boom)"
    assert F.sprintf(b"%v", [f64(1e6).pair], HOST) == b"1e+06"
    assert F.sprintf(b"%v", [f32(0.1).pair], HOST) == b"0.1"
    assert F.sprint([s("a").pair, num(1).pair, num(2).pair], HOST) == b"a1 2"
    assert F.errorf_wraps(b"%w %d %[1]w") == [0, 0]
    assert F.errorf_wraps(b"%v: %w") == [1]
    assert F.type_string(T.Signature([T.Param("", T.INT)], [T.Param("", T.STRING)])) == "func(int) string"
    assert F.type_string(T.Map(T.STRING, T.Slice(T.ANY))) == "map[string][]interface {}"



class HostWithoutHasMethod(Host):
    """A host that can only call methods: %w then finds out about Error by calling it."""

    has_method = None


def test_w_without_has_method_prints_the_same():
    plain = HostWithoutHasMethod()
    plain.mem = HOST.mem
    for fmt_, args in ERRORF_CASES + [("%w|%5w", [errors_new(b"x")] * 2), ("%w", [conv(BOOM, "Boom", num(1))])]:
        ops = [a.pair for a in args]
        assert F.errorf(fmt_.encode(), ops, plain) == F.errorf(fmt_.encode(), ops, HOST)
        assert F.sprintf(fmt_.encode(), ops, plain) == F.sprintf(fmt_.encode(), ops, HOST)
