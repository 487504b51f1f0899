"""gomem.runtime.types against the real Go toolchain.

A Go program (standard library only) is generated from the table below: it
declares the same named types gomem's registry declares, and for every type
expression prints, as JSON, ``unsafe.Sizeof``/``unsafe.Alignof``, the
``reflect`` kind and spelling, and the fields of the runtime's type
descriptor read through ``unsafe`` (``internal/abi.Type``: ``Size_``,
``PtrBytes``, ``TFlag``, ``Align_``, ``FieldAlign_``, ``Kind_``, ``GCData``).
For types whose mask the runtime builds on demand (``TFlagGCMaskOnDemand``,
more than 128 pointer words) the program first allocates one and runs a GC,
then follows the extra indirection.  Each is compared with gomem's GoType.
"""

from __future__ import annotations

import json

import pytest

from gomem.cmd import realgo
from gomem.runtime import types as gt

requires_go = pytest.mark.skipif(realgo.find_go() is None, reason=realgo.NO_GO_REASON)
pytestmark = [requires_go, pytest.mark.realgo]

#: `type Name Body` declarations, in this order, in both Go and gomem
DECLS: list[tuple[str, str]] = [
    ("Node", "struct { left, right *Node }"),
    ("List", "struct { next *List; value int64 }"),
    ("Mixed", "struct { a bool; b int64; c string; d []int; e any; f error; g map[string]int; "
              "h chan int; i func(); j unsafe.Pointer; k *int; l [3]byte }"),
    ("Inner", "struct { x int32; p *Node; y int16 }"),
    ("Outer", "struct { a byte; in Inner; arr [2]Inner; z bool }"),
    ("ZeroTail", "struct { p *int; z struct{} }"),
    ("ZeroTail2", "struct { a int32; z [0]int64 }"),
    ("ZeroTail3", "struct { a byte; z [0]byte }"),
    ("OnlyZero", "struct { a struct{}; b [0]*int }"),
    ("Cplx", "struct { a bool; c complex64; d complex128; e float32 }"),
    ("Small", "struct { a int8; b int16; c int8 }"),
    ("Big", "struct { buf [600]byte; p *Node }"),
    ("Huge", "struct { ptrs [200]*int; pad [4000]byte }"),
    ("Large", "struct { a [5000]*Node; tail [7]int }"),
    ("Recur", "struct { self *Recur; kids []Recur; m map[string]*Recur; c chan Recur }"),
    ("MyInt", "int"),
    ("P", "*P"),
    ("S", "[]S"),
    ("IfaceM", "interface { M(); N(int) string }"),
    ("Emb", "struct { Node; *List; x int8 }"),
    ("A", "struct { n int; b *B }"),
    ("B", "struct {\n\ts []string\n\ta A\n\tf func(*A) *B\n}"),
    ("Tagged", 'struct { x int `json:"x"`; y *int "y" }'),
    ("Iface2", "struct { i IfaceM; e error; x int; a any }"),
]

#: type expressions to compare (each also gets `type tN = expr` in Go)
EXPRS: list[str] = [name for name, _ in DECLS] + [
    "bool", "int8", "uint8", "byte", "int16", "uint16", "int32", "rune", "uint32", "int64", "uint64",
    "int", "uint", "uintptr", "float32", "float64", "complex64", "complex128", "string",
    "unsafe.Pointer", "error", "any", "interface{}",
    "*Node", "[]*Node", "[4]*Node", "[3]string", "[2]any", "[2]error", "[0]*int", "[5]struct{}",
    "[3]struct{ p *int; x int32 }", "[2][3]string", "[3]Inner", "[10]Big", "[2]ZeroTail2",
    "map[string]*Node", "map[Node]int", "chan *Node", "<-chan int", "chan<- chan int",
    "chan (<-chan int)", "func(int) error", "func(a, b int, c ...string) (bool, error)",
    "struct { a bool; b int64 }", "struct { a int64; b bool }", "struct { a, b *Node; c int64 }",
    "struct { s []int; i any; e error }", "struct { x int; s string }", "struct {}",
    "struct { a [0]int64 }", "[128]*int", "[129]*int", "[1000]string", "[100]*Large",
    "struct { Node; x int \"tag\" }", "*struct { a, b int }", "[]byte", "[7]byte",
    "interface { error; M() }",
]

_GO_HEADER = """\
package main

import (
\t"encoding/hex"
\t"encoding/json"
\t"os"
\t"reflect"
\t"runtime"
\t"unsafe"
)

// abiType mirrors the head of internal/abi.Type (Go 1.27, amd64).
type abiType struct {
\tSize_       uintptr
\tPtrBytes    uintptr
\tHash        uint32
\tTFlag       uint8
\tAlign_      uint8
\tFieldAlign_ uint8
\tKind_       uint8
\tEqual       func(unsafe.Pointer, unsafe.Pointer) bool
\tGCData      *byte
\tStr         int32
\tPtrToThis   int32
}

const tflagGCMaskOnDemand = 1 << 4

type result struct {
\tExpr       string
\tString     string
\tKind       string
\tSizeof     uintptr
\tAlignof    uintptr
\tFieldAlign int
\tAbiSize    uintptr
\tAbiAlign   uint8
\tAbiFAlign  uint8
\tPtrBytes   uintptr
\tTFlag      uint8
\tMask       *string
}

var sink []any

func probe[T any](expr string) result {
\tt := reflect.TypeFor[T]()
\t// reflect.Type is an interface whose data word is the *rtype, i.e. the *abi.Type.
\tat := (*abiType)((*[2]unsafe.Pointer)(unsafe.Pointer(&t))[1])
\tvar z T
\tr := result{Expr: expr, String: t.String(), Kind: t.Kind().String(),
\t\tSizeof: unsafe.Sizeof(z), Alignof: unsafe.Alignof(z), FieldAlign: t.FieldAlign(),
\t\tAbiSize: at.Size_, AbiAlign: at.Align_, AbiFAlign: at.FieldAlign_,
\t\tPtrBytes: at.PtrBytes, TFlag: at.TFlag}
\tif at.PtrBytes == 0 {
\t\treturn r
\t}
\tmask := at.GCData
\tif at.TFlag&tflagGCMaskOnDemand != 0 {
\t\t// GCData is a **byte, filled when the runtime first needs the mask:
\t\t// allocate one (it gets a malloc header or span.largeType) and collect.
\t\tsink = append(sink, new(T))
\t\truntime.GC()
\t\tmask = *(**byte)(unsafe.Pointer(at.GCData))
\t}
\tif mask != nil {
\t\tn := (at.PtrBytes/8 + 7) / 8
\t\ts := hex.EncodeToString(unsafe.Slice(mask, n))
\t\tr.Mask = &s
\t}
\treturn r
}

"""


def go_program() -> str:
    """The probe program for DECLS and EXPRS."""
    lines = [_GO_HEADER]
    for name, body in DECLS:
        lines.append(f"type {name} {body}\n")
    lines.append("\n")
    for i, expr in enumerate(EXPRS):
        lines.append(f"type t{i} = {expr}\n")
    lines.append("\nfunc main() {\n\tout := []result{\n")
    for i, expr in enumerate(EXPRS):
        lines.append(f"\t\tprobe[t{i}]({json.dumps(expr)}),\n")
    lines.append("\t}\n\tenc := json.NewEncoder(os.Stdout)\n\tenc.SetIndent(\"\", \" \")\n"
                 "\tif err := enc.Encode(out); err != nil {\n\t\tpanic(err)\n\t}\n}\n")
    return "".join(lines)


@pytest.fixture(scope="module")
def registry() -> gt.TypeRegistry:
    reg = gt.TypeRegistry()
    for name, body in DECLS:
        reg.declare(name, body)
    return reg


@pytest.fixture(scope="module")
def go_results() -> dict[str, dict]:
    proc = realgo.run_go_source(go_program())
    assert proc.returncode == 0, proc.stderr
    return {r["Expr"]: r for r in json.loads(proc.stdout)}


def test_probe_covers_every_expression(go_results: dict[str, dict]) -> None:
    """The Go program reported on every type in the table."""
    assert set(go_results) == set(EXPRS)


@pytest.mark.parametrize("expr", EXPRS)
def test_layout_matches_go(expr: str, registry: gt.TypeRegistry, go_results: dict[str, dict]) -> None:
    """Size, alignment, ptrdata, pointer mask, kind and spelling equal the real runtime's."""
    g = go_results[expr]
    t = registry.parse(expr)
    # the compiler's view and the runtime descriptor agree with each other ...
    assert g["Sizeof"] == g["AbiSize"] and g["Alignof"] == g["AbiAlign"] == g["AbiFAlign"] == g["FieldAlign"]
    # ... and with gomem
    assert (t.size, t.align, t.field_align, t.ptrdata) == (g["Sizeof"], g["Alignof"], g["FieldAlign"], g["PtrBytes"])
    assert t.kind == g["Kind"]
    assert t.go_string == g["String"]
    assert t.gc_mask_on_demand == bool(g["TFlag"] & (1 << 4))
    if t.ptrdata:
        assert g["Mask"] is not None, "the runtime did not build the on-demand mask"
        go_mask = gt.mask_from_bytes(bytes.fromhex(g["Mask"]), t.ptr_words)
        assert gt.mask_bits(t.ptrmask, t.ptr_words) == gt.mask_bits(go_mask, t.ptr_words)
        assert t.ptrmask == go_mask
        if not t.gc_mask_on_demand:
            # a compile-time mask is exactly gcdata() (bytes past ptr_words are zero padding)
            assert bytes.fromhex(g["Mask"]) == t.gcdata()[: len(bytes.fromhex(g["Mask"]))]
