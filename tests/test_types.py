"""Tests for ``gomem.runtime.types``: Go type descriptors, their layout and pointer masks.

Expected layouts follow ``cmd/compile/internal/types/size.go`` and
``typebits.Set`` for amd64; tests/test_realgo_types.py checks the same kinds
of cases against the real toolchain.
"""

from __future__ import annotations

import copy
import dataclasses
import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gomem.runtime import types as gt
from gomem.errors import BadInput, GomemError, UnknownType


@pytest.fixture
def reg() -> gt.TypeRegistry:
    r = gt.TypeRegistry()
    r.declare("Node", "struct { left, right *Node }")
    return r


def layout(t: gt.GoType) -> tuple[int, int, int, int]:
    return (t.size, t.align, t.ptrdata, t.ptrmask)


class TestPredeclared:
    """The universe block: sizes and alignments of amd64."""

    @pytest.mark.parametrize(
        "name, size, align",
        [
            ("bool", 1, 1), ("int8", 1, 1), ("uint8", 1, 1), ("byte", 1, 1),
            ("int16", 2, 2), ("uint16", 2, 2),
            ("int32", 4, 4), ("uint32", 4, 4), ("rune", 4, 4), ("float32", 4, 4),
            ("int64", 8, 8), ("uint64", 8, 8), ("int", 8, 8), ("uint", 8, 8), ("uintptr", 8, 8),
            ("float64", 8, 8), ("complex64", 8, 4), ("complex128", 16, 8),
        ],
    )
    def test_scalars_are_noscan(self, name: str, size: int, align: int) -> None:
        """Numbers hold no pointers and have Go's amd64 size and alignment."""
        t = gt.PREDECLARED[name]
        assert (t.size, t.align, t.ptrdata, t.ptrmask) == (size, align, 0, 0)
        assert t.noscan and t.named and t.pointer_offsets() == ()

    def test_string_has_pointer_in_word_0(self) -> None:
        """A string is (data pointer, length)."""
        assert layout(gt.STRING) == (16, 8, 8, 0b1)
        assert gt.STRING.pointer_offsets() == (0,)

    def test_unsafe_pointer_is_a_pointer(self) -> None:
        assert layout(gt.UNSAFE_POINTER) == (8, 8, 8, 1)
        assert gt.UNSAFE_POINTER.kind == "unsafe.Pointer"

    def test_aliases_are_the_same_type(self) -> None:
        """byte, rune and any are aliases, not new types."""
        assert gt.BYTE is gt.UINT8 and gt.RUNE is gt.INT32
        assert gt.PREDECLARED["any"] is gt.ANY is gt.interface_of()

    def test_interface_marks_only_the_data_word(self) -> None:
        """typebits.Set marks word 1 of an interface; word 0 (type/itab) is not a heap pointer."""
        for t in (gt.ANY, gt.ERROR):
            assert layout(t) == (16, 8, 16, 0b10)
            assert t.pointer_offsets() == (8,)
        assert gt.ANY.is_empty_interface and not gt.ERROR.is_empty_interface
        assert gt.ERROR.go_string == "error"
        assert gt.ERROR.underlying.go_string == "interface { Error() string }"


class TestConstructors:
    """Pointer-shaped types, slices and arrays."""

    @pytest.mark.parametrize("make", [
        lambda: gt.pointer_to(gt.INT), lambda: gt.map_of(gt.STRING, gt.INT),
        lambda: gt.chan_of(gt.INT), lambda: gt.func_of(), lambda: gt.func_of([gt.INT], [gt.ERROR]),
    ])
    def test_one_word_pointers(self, make) -> None:
        """Pointers, maps, chans and funcs are one pointer word."""
        assert layout(make()) == (8, 8, 8, 1)

    def test_slice(self) -> None:
        """A slice is (array pointer, len, cap)."""
        t = gt.slice_of(gt.INT)
        assert layout(t) == (24, 8, 8, 1) and t.words == 3 and t.name == "[]int"

    def test_array_tiles_the_element_mask(self) -> None:
        """[3]string: pointers in words 0, 2, 4; ptrdata stops after the last one."""
        t = gt.array_of(gt.STRING, 3)
        assert layout(t) == (48, 8, 40, 0b10101)
        assert t.pointer_offsets() == (0, 16, 32)
        assert t.length == 3 and t.elem is gt.STRING

    def test_array_of_interfaces(self) -> None:
        assert layout(gt.array_of(gt.ANY, 2)) == (32, 8, 32, 0b1010)

    @pytest.mark.parametrize("elem", [gt.INT, gt.pointer_to(gt.INT), gt.STRING])
    def test_zero_length_array(self, elem: gt.GoType) -> None:
        """[0]T has size 0, T's alignment and no pointers."""
        t = gt.array_of(elem, 0)
        assert layout(t) == (0, elem.align, 0, 0)

    def test_array_of_zero_size_elements(self) -> None:
        t = gt.array_of(gt.struct_of([]), 5)
        assert layout(t) == (0, 1, 0, 0)

    def test_interning_gives_go_identity(self) -> None:
        """Structurally identical unnamed types are the same object."""
        assert gt.pointer_to(gt.INT) is gt.pointer_to(gt.INT)
        assert gt.array_of(gt.STRING, 3) is gt.array_of(gt.STRING, 3)
        assert gt.struct_of([("a", gt.INT)]) is gt.struct_of([("a", gt.INT)])
        assert gt.struct_of([("a", gt.INT)]) is not gt.struct_of([("b", gt.INT)])
        assert gt.struct_of([("a", gt.INT)]) == gt.struct_of([("a", gt.INT)])

    def test_bad_arguments(self) -> None:
        with pytest.raises(BadInput):
            gt.array_of(gt.INT, -1)
        with pytest.raises(BadInput, match="larger than address space"):
            gt.array_of(gt.INT, 1 << 48)
        with pytest.raises(BadInput, match="invalid map key type"):
            gt.map_of(gt.slice_of(gt.INT), gt.INT)
        with pytest.raises(BadInput, match="too large"):
            gt.chan_of(gt.array_of(gt.BYTE, 1 << 16))
        with pytest.raises(BadInput, match="variadic"):
            gt.func_of([gt.INT], variadic=True)
        with pytest.raises(BadInput):
            gt.pointer_to("int")  # type: ignore[arg-type]

    def test_huge_noscan_arrays_are_fine(self) -> None:
        """A mask is only as big as the pointer prefix."""
        t = gt.array_of(gt.BYTE, 1 << 40)
        assert t.size == 1 << 40 and t.noscan


class TestStructLayout:
    """Field offsets, padding and the trailing zero-size rule."""

    def test_bool_then_int64_pads_to_8(self) -> None:
        t = gt.struct_of([("a", gt.BOOL), ("b", gt.INT64)])
        assert [f.offset for f in t.fields] == [0, 8]
        assert layout(t) == (16, 8, 0, 0)

    def test_int64_then_bool_pads_at_the_end(self) -> None:
        t = gt.struct_of([("a", gt.INT64), ("b", gt.BOOL)])
        assert [f.offset for f in t.fields] == [0, 8] and t.size == 16

    def test_small_fields_pack(self) -> None:
        t = gt.struct_of([("a", gt.INT8), ("b", gt.INT16), ("c", gt.INT8)])
        assert [f.offset for f in t.fields] == [0, 2, 4] and (t.size, t.align) == (6, 2)

    def test_complex64_is_4_aligned(self) -> None:
        t = gt.struct_of([("a", gt.BOOL), ("c", gt.COMPLEX64)])
        assert t.field("c").offset == 4 and (t.size, t.align) == (12, 4)

    def test_ptrdata_ends_at_the_last_pointer(self) -> None:
        """Scalars after the last pointer are outside ptrdata."""
        t = gt.struct_of([("p", gt.pointer_to(gt.INT)), ("x", gt.INT), ("s", gt.STRING), ("y", gt.INT)])
        assert layout(t) == (40, 8, 24, 0b101)

    def test_interface_last_extends_ptrdata_by_16(self) -> None:
        t = gt.struct_of([("x", gt.INT), ("e", gt.ANY)])
        assert layout(t) == (24, 8, 24, 0b100)

    def test_nested_struct_masks_shift_by_offset(self, reg: gt.TypeRegistry) -> None:
        inner = reg.declare("Inner", "struct { x int32; p *Node; y int16 }")
        assert layout(inner) == (24, 8, 16, 0b10)
        outer = reg.declare("Outer", "struct { a byte; in Inner; arr [2]Inner; z bool }")
        assert [f.offset for f in outer.fields] == [0, 8, 32, 80]
        assert outer.size == 88
        assert outer.pointer_offsets() == (16, 40, 64)
        assert outer.ptrdata == 72

    def test_array_of_structs_with_pointers(self) -> None:
        elem = gt.struct_of([("p", gt.pointer_to(gt.INT)), ("x", gt.INT32)])
        t = gt.array_of(elem, 3)
        assert layout(elem) == (16, 8, 8, 1)
        assert layout(t) == (48, 8, 40, 0b10101)

    def test_trailing_zero_size_field_gets_a_byte(self) -> None:
        """Issue 9401: &s.last must not point past s."""
        t = gt.struct_of([("p", gt.pointer_to(gt.INT)), ("z", gt.struct_of([]))])
        assert layout(t) == (16, 8, 8, 1)
        t = gt.struct_of([("a", gt.INT32), ("z", gt.array_of(gt.INT64, 0))])
        assert t.field("z").offset == 8 and t.size == 16
        t = gt.struct_of([("a", gt.BYTE), ("z", gt.array_of(gt.BYTE, 0))])
        assert t.size == 2

    def test_all_zero_size_struct_stays_empty(self) -> None:
        t = gt.struct_of([("a", gt.struct_of([])), ("b", gt.array_of(gt.pointer_to(gt.INT), 0))])
        assert layout(t) == (0, 8, 0, 0)
        assert layout(gt.struct_of([])) == (0, 1, 0, 0)

    def test_zero_size_field_in_the_middle_costs_nothing(self) -> None:
        t = gt.struct_of([("a", gt.INT64), ("z", gt.struct_of([])), ("b", gt.INT64)])
        assert [f.offset for f in t.fields] == [0, 8, 8] and t.size == 16

    def test_embedded_and_tagged_fields(self, reg: gt.TypeRegistry) -> None:
        node = reg.get("Node")
        t = gt.struct_of([(None, node), (None, gt.pointer_to(gt.INT)), ("x", gt.INT, "json:\"x\"")])
        assert [(f.name, f.embedded) for f in t.fields] == [("Node", True), ("int", True), ("x", False)]
        assert t.go_string == 'struct { main.Node; *int; x int "json:\\"x\\"" }'
        assert reg.parse(t.name) is t

    def test_duplicate_field_names(self) -> None:
        with pytest.raises(BadInput, match="duplicate field a"):
            gt.struct_of([("a", gt.INT), ("a", gt.BOOL)])
        t = gt.struct_of([("_", gt.INT), ("_", gt.BOOL)])  # blank fields may repeat
        assert t.size == 16

    def test_named_struct(self) -> None:
        t = gt.struct_of([("x", gt.INT)], name="Thing")
        assert t.named and t.go_string == "main.Thing" and t.underlying is gt.struct_of([("x", gt.INT)])
        assert t is not gt.struct_of([("x", gt.INT)], name="Thing")  # each declaration is new


class TestRegistry:
    """Declarations, recursion, lookups and ids."""

    def test_recursive_node(self, reg: gt.TypeRegistry) -> None:
        node = reg.get("Node")
        assert layout(node) == (16, 8, 16, 0b11)
        assert node.name == "Node" and node.go_string == "main.Node" and node.kind == "struct"
        left = node.field("left")
        assert left.type.elem is node and left.type is reg.parse("*Node")
        assert node.underlying.name == "struct { left *Node; right *Node }"
        assert reg.get("main.Node") is node

    def test_self_referential_pointer_and_slice(self, reg: gt.TypeRegistry) -> None:
        p = reg.declare("P", "*P")
        assert p.kind == "ptr" and p.elem is p and layout(p) == (8, 8, 8, 1)
        s = reg.declare("S", "[]S")
        assert s.elem is s and s.size == 24

    def test_mutual_recursion_through_forward_reference(self) -> None:
        r = gt.TypeRegistry()
        a = r.declare("A", "struct { n int; b *B }")
        assert r.unresolved() == ("B",)
        assert a.field("b").type.elem.kind == "forward"
        b = r.declare("B", "struct {\n\ts []string\n\ta A\n}")
        assert r.unresolved() == ()
        assert a.field("b").type.elem is b and b.kind == "struct"
        assert layout(b) == (40, 8, 40, 0b10001)

    def test_invalid_recursive_types(self, reg: gt.TypeRegistry) -> None:
        with pytest.raises(BadInput, match="invalid recursive type T"):
            reg.declare("T", "struct { next T }")
        with pytest.raises(BadInput, match="invalid recursive type A"):
            reg.declare("A", "[2]A")
        assert "T" not in reg and "A" not in reg and reg.unresolved() == ()

    def test_by_value_use_of_an_undeclared_name(self, reg: gt.TypeRegistry) -> None:
        with pytest.raises(UnknownType, match="unknown type: Later"):
            reg.declare("X", "struct { l Later }")
        assert "X" not in reg and reg.unresolved() == ()

    def test_declare_with_constructors_and_callable(self) -> None:
        r = gt.TypeRegistry()
        lst = r.declare("List", lambda self: gt.struct_of([("next", gt.pointer_to(self)), ("v", gt.INT)]))
        assert lst.field("next").type.elem is lst and layout(lst) == (16, 8, 8, 1)
        my = r.declare("MyInt", gt.INT)
        assert my is not gt.INT and my.kind == "int" and my.underlying is gt.INT and my.go_string == "main.MyInt"

    def test_redeclaring(self, reg: gt.TypeRegistry) -> None:
        node = reg.get("Node")
        assert reg.declare("Node", "struct {\n left *Node\n right *Node\n}") is node
        with pytest.raises(BadInput, match="Node redeclared"):
            reg.declare("Node", "struct { left *Node }")
        with pytest.raises(BadInput, match="predeclared"):
            reg.declare("int", "string")

    def test_named_types_are_distinct(self, reg: gt.TypeRegistry) -> None:
        other = reg.declare("Other", "struct { left, right *Node }")
        assert other is not reg.get("Node") and other.underlying is reg.get("Node").underlying

    def test_unknown_type(self, reg: gt.TypeRegistry) -> None:
        with pytest.raises(UnknownType, match="unknown type: Nope") as info:
            reg.get("Nope")
        assert str(info.value) == "unknown type: Nope"
        assert isinstance(info.value, KeyError) and isinstance(info.value, GomemError)
        with pytest.raises(UnknownType, match="unknown type: Nope"):
            reg.parse("[]*Nope")
        with pytest.raises(UnknownType, match="unknown type: fmt.Stringer"):
            reg.parse("fmt.Stringer")

    def test_ids_find_types_back(self, reg: gt.TypeRegistry) -> None:
        """The GC reads a type id out of a malloc header and looks it up."""
        node = reg.get("Node")
        assert gt.by_id(node.id) is node and reg.by_id(node.id) is node
        ids = {t.id for t in (node, gt.INT, gt.STRING, gt.ANY, gt.pointer_to(node))}
        assert len(ids) == 5 and all(0 < i < 1 << 32 for i in ids)
        with pytest.raises(UnknownType):
            gt.by_id(0)
        with pytest.raises(UnknownType):
            gt.by_id(10**12)

    def test_default_registry(self) -> None:
        d = gt.default_registry()
        assert d is gt.default_registry()
        assert layout(d.get("Node")) == (16, 8, 16, 0b11)
        assert d.get("Point").noscan and gt.parse("*Node").elem is d.get("Node")
        assert d.get("Pair").pointer_offsets() == (0, 24)

    def test_alias(self, reg: gt.TypeRegistry) -> None:
        t = reg.alias("NodePtr", "*Node")
        assert reg.get("NodePtr") is t is reg.parse("*Node")


class TestParse:
    """Go type expressions."""

    ROUND_TRIP = [
        "int", "*int", "[]int", "[4]*Node", "map[string][]*Node", "chan int", "<-chan int", "chan<- chan int",
        "chan (<-chan int)", "func()", "func(int, string) (bool, error)", "func(...int) int", "func() func() int",
        "interface {}", "interface { Error() string; M() }", "error", "unsafe.Pointer",
        "struct {}", "struct { a bool; b int64 }", "struct { Node; x int \"t\" }", "[2][3]string",
        "map[Node]*Node", "*struct { left *Node }", "[]interface {}",
    ]

    @pytest.mark.parametrize("text", ROUND_TRIP)
    def test_round_trip(self, reg: gt.TypeRegistry, text: str) -> None:
        """parse(name) and parse(go_string) give back the same type."""
        t = reg.parse(text)
        assert t.name == text
        assert reg.parse(t.name) is t and reg.parse(t.go_string) is t

    @pytest.mark.parametrize("text, canonical", [
        ("[]byte", "[]uint8"),
        ("any", "interface {}"),
        ("interface{}", "interface {}"),
        ("struct{a, b *Node; c int64}", "struct { a *Node; b *Node; c int64 }"),
        ("struct {\n  a int // comment\n  b, c string\n}", "struct { a int; b string; c string }"),
        ("func(a, b int, c ...string) (ok bool, err error)", "func(int, int, ...string) (bool, error)"),
        ("func(x int) (int)", "func(int) int"),
        ("(*int)", "*int"),
        ("[0x10]rune", "[16]int32"),
        ("[1_000]byte", "[1000]uint8"),
        ("[010]byte", "[8]uint8"),
        ("interface { error; M() }", "interface { Error() string; M() }"),
        ("struct { x int `json:\"x\"` }", 'struct { x int "json:\\"x\\"" }'),
        ("main.Node", "Node"),
        ("int\n", "int"),
    ])
    def test_canonical_spelling(self, reg: gt.TypeRegistry, text: str, canonical: str) -> None:
        assert reg.parse(text).name == canonical

    def test_go_string_qualifies_declared_names(self, reg: gt.TypeRegistry) -> None:
        assert reg.parse("map[string][]*Node").go_string == "map[string][]*main.Node"
        assert reg.parse("*Node").name == "*Node"

    def test_parsed_struct_is_the_constructed_one(self, reg: gt.TypeRegistry) -> None:
        node = reg.get("Node")
        assert reg.parse("struct { a, b *Node; c int64 }") is gt.struct_of(
            [("a", gt.pointer_to(node)), ("b", gt.pointer_to(node)), ("c", gt.INT64)]
        )

    @pytest.mark.parametrize("text, where, what", [
        ("[]", "1:3", "unexpected EOF, expected type"),
        ("map[int", "1:8", "expected ']'"),
        ("struct { a int b int }", "1:16", "unexpected 'b'"),
        ("[3 int", "1:4", "expected ']'"),
        ("*int)", "1:5", "expected end of type"),
        ("func(a int, string)", "1:20", "mixed named and unnamed parameters"),
        ("func(...int, int)", "1:18", "can only use ..."),
        ("[-1]int", "1:2", "invalid character '-'"),
        ("[n]int", "1:2", "expected array length"),
        ("int $", "1:5", "invalid character"),
        ("struct {\n  a int\n  b )\n}", "3:5", "unexpected ')'"),
        ("[...]int", "1:2", "[...]"),
        ("interface { ~int }", "1:13", "type constraints"),
        ("map[[]int]bool", "1:1", "invalid map key type []int"),
    ])
    def test_syntax_errors_name_the_position(self, reg: gt.TypeRegistry, text: str, where: str, what: str) -> None:
        with pytest.raises(BadInput) as info:
            reg.parse(text)
        msg = str(info.value)
        assert msg.startswith(where + ":"), msg
        assert what in msg and "\n" not in msg
        line, col = map(int, where.split(":"))
        assert (info.value.line, info.value.col) == (line, col)

    def test_bad_declaration_names(self, reg: gt.TypeRegistry) -> None:
        for bad in ("", "1x", "a b", "struct", "_", "main.X"):
            with pytest.raises(BadInput):
                reg.declare(bad, "int")


class TestMasks:
    """tile_mask, mask_bits and friends: what heapSetType writes."""

    def test_slice_of_pointers_is_all_ones(self, reg: gt.TypeRegistry) -> None:
        """make([]*Node, 5): every word a pointer."""
        assert gt.tile_mask(reg.parse("*Node"), 40) == 0b11111

    def test_tile_struct(self) -> None:
        t = gt.struct_of([("p", gt.pointer_to(gt.INT)), ("x", gt.INT), ("s", gt.STRING)])  # mask 0b101, 4 words
        assert gt.tile_mask(t, 3 * t.size) == 0b0101_0101_0101
        assert gt.tile_mask(t, t.size) == t.ptrmask
        assert gt.tile_mask(t, 0) == 0
        assert gt.tile_mask(gt.INT, 800) == 0

    def test_tile_must_be_whole_elements(self) -> None:
        with pytest.raises(BadInput, match="not a whole number"):
            gt.tile_mask(gt.STRING, 24)

    def test_tile_large_is_fast_and_exact(self) -> None:
        n = 100_000
        m = gt.tile_mask(gt.STRING, 16 * n)
        assert m.bit_count() == n and m.bit_length() == 2 * n - 1

    def test_mask_bits_and_bytes(self) -> None:
        assert gt.mask_bits(0b1010, 6) == [0, 1, 0, 1, 0, 0]
        assert gt.mask_from_bits([0, 1, 0, 1]) == 0b1010
        assert gt.mask_to_bytes(0x1FF, 2) == b"\xff\x01"
        assert gt.mask_from_bytes(b"\xff\x01", 4) == 0xF

    def test_gcdata_is_padded_to_8_bytes(self) -> None:
        assert gt.STRING.gcdata() == b"\x01" + bytes(7)
        assert gt.INT.gcdata() == b""
        t = gt.array_of(gt.pointer_to(gt.INT), 65)
        assert len(t.gcdata()) == 16 and t.gcdata()[8] == 1

    def test_on_demand_threshold(self) -> None:
        """Go builds masks of more than 128 pointer words at run time."""
        p = gt.pointer_to(gt.INT)
        assert not gt.array_of(p, 128).gc_mask_on_demand
        assert gt.array_of(p, 129).gc_mask_on_demand

    def test_pointer_offsets_array(self) -> None:
        t = gt.struct_of([("x", gt.INT), ("p", gt.pointer_to(gt.INT))])
        assert gt.pointer_offsets_array(t).tolist() == [8]
        assert gt.pointer_offsets_array(t, 48).tolist() == [8, 24, 40]

    def test_words_and_noscan(self) -> None:
        assert gt.struct_of([("a", gt.BYTE), ("b", gt.BYTE), ("c", gt.BYTE)]).words == 1
        assert gt.array_of(gt.BYTE, 17).words == 3
        assert gt.pointer_to(gt.INT).ptr_words == 1 and not gt.pointer_to(gt.INT).noscan


class TestImmutability:
    """Descriptors are frozen, hashable, and keep their identity when copied."""

    def test_frozen(self, reg: gt.TypeRegistry) -> None:
        with pytest.raises(dataclasses.FrozenInstanceError):
            reg.get("Node").size = 3  # type: ignore[misc]

    def test_hashable_identity(self, reg: gt.TypeRegistry) -> None:
        d = {reg.get("Node"): 1, gt.INT: 2}
        assert d[reg.parse("Node")] == 1 and d[gt.PREDECLARED["int"]] == 2

    def test_copy_and_pickle_keep_identity(self, reg: gt.TypeRegistry) -> None:
        node = reg.get("Node")
        assert copy.copy(node) is node and copy.deepcopy([node])[0] is node
        assert pickle.loads(pickle.dumps(node)) is node

    def test_repr(self, reg: gt.TypeRegistry) -> None:
        r = repr(reg.parse("*Node"))
        assert "*main.Node" in r and "size=8" in r and "mask=0b1" in r
        assert str(reg.parse("*Node")) == "*Node"


# --- property tests -----------------------------------------------------------

_leaves = st.sampled_from([
    gt.BOOL, gt.INT8, gt.INT16, gt.INT32, gt.INT64, gt.FLOAT32, gt.COMPLEX64, gt.COMPLEX128,
    gt.STRING, gt.ANY, gt.UNSAFE_POINTER, gt.pointer_to(gt.INT), gt.slice_of(gt.BYTE), gt.struct_of([]),
])


def _extend(children: st.SearchStrategy[gt.GoType]) -> st.SearchStrategy[gt.GoType]:
    arrays = st.builds(gt.array_of, children, st.integers(0, 4))
    structs = st.lists(children, max_size=5).map(
        lambda ts: gt.struct_of([(f"f{i}", t) for i, t in enumerate(ts)])
    )
    return arrays | structs


types_strategy = st.recursive(_leaves, _extend, max_leaves=12)


def _reference_mask(t: gt.GoType, base: int = 0) -> set[int]:
    """Pointer word indices by a direct walk (typebits.Set, written independently)."""
    k = t.kind
    if k in ("ptr", "unsafe.Pointer", "string", "slice", "map", "chan", "func"):
        return {base // 8}
    if k == "interface":
        return {base // 8 + 1}
    if k == "array":
        out: set[int] = set()
        for i in range(t.length or 0):
            out |= _reference_mask(t.elem, base + i * t.elem.size)
        return out
    if k == "struct":
        out = set()
        for f in t.fields:
            out |= _reference_mask(f.type, base + f.offset)
        return out
    return set()


@settings(max_examples=300, deadline=None)
@given(types_strategy)
def test_layout_invariants(t: gt.GoType) -> None:
    """Every type: aligned fields that do not overlap, mask = walk, ptrdata = end of last pointer."""
    assert t.size % t.align == 0
    bits = _reference_mask(t)
    assert t.ptrmask == sum(1 << b for b in bits)
    assert t.ptrdata == (0 if not t.ptrmask else 8 * t.ptrmask.bit_length())
    assert t.ptrdata <= t.size
    if t.kind == "struct":
        end = 0
        for f in t.fields:
            assert f.offset % f.type.align == 0 and f.offset >= end
            end = f.offset + f.type.size
        assert t.size >= end
    assert gt.by_id(t.id) is t
    assert gt.parse(t.name) is t


@settings(max_examples=100, deadline=None)
@given(types_strategy, st.integers(0, 6))
def test_tile_mask_is_the_array_mask(t: gt.GoType, n: int) -> None:
    """Tiling n elements gives the mask of [n]T."""
    assert gt.tile_mask(t, n * t.size) == gt.array_of(t, n).ptrmask
