"""Shared Hypothesis strategies for the allocator and heap tests.

Sizes lean on the boundaries where ``mallocgc`` changes path (tiny < 16,
the 512-byte malloc-header cut, 32,760 small/large) so that a few hundred
examples visit every path; types are built from :mod:`gomem.runtime.types` the way
a Go program declares them.
"""

from __future__ import annotations

from hypothesis import strategies as st

from gomem.runtime import types as T

#: sizes at which mallocgc's choice of path or size class changes
PATH_EDGES = (1, 7, 8, 12, 15, 16, 17, 24, 511, 512, 513, 1016, 1017, 1024, 1025, 32760, 32761, 32768, 32769)

#: Go scalar types, with and without pointers
SCALARS = (T.BOOL, T.INT8, T.UINT16, T.INT32, T.FLOAT32, T.INT, T.UINT64, T.FLOAT64, T.COMPLEX128)
POINTERY = (T.STRING, T.UNSAFE_POINTER, T.pointer_to(T.INT), T.slice_of(T.BYTE), T.ANY, T.ERROR)


def alloc_sizes(max_size: int = 70000) -> st.SearchStrategy[int]:
    """Allocation sizes 0..max_size, weighted towards tiny sizes and path edges."""
    return st.one_of(
        st.integers(0, 16),
        st.sampled_from([s for s in PATH_EDGES if s <= max_size]),
        st.integers(17, 1100),
        st.integers(0, max_size),
    )


def _field_names(n: int) -> list[str]:
    return [f"f{i}" for i in range(n)]


def _structs(children: st.SearchStrategy[T.GoType]) -> st.SearchStrategy[T.GoType]:
    return st.lists(children, min_size=1, max_size=5).map(
        lambda ts: T.struct_of(list(zip(_field_names(len(ts)), ts)))
    )


def _arrays(children: st.SearchStrategy[T.GoType]) -> st.SearchStrategy[T.GoType]:
    return st.tuples(children, st.integers(1, 6)).map(lambda a: T.array_of(a[0], a[1]))


def go_types(pointers: bool | None = None) -> st.SearchStrategy[T.GoType]:
    """Go types of up to a few hundred bytes: scalars, pointers, arrays and structs of them.

    With *pointers* True only types with pointers, False only pointer-free
    ones, None either.
    """
    leaves = st.sampled_from(SCALARS + POINTERY)
    tree = st.recursive(leaves, lambda ch: st.one_of(_structs(ch), _arrays(ch)), max_leaves=8)
    tree = tree.filter(lambda t: 0 < t.size <= 4096)
    if pointers is None:
        return tree
    return tree.filter(lambda t: (t.ptrdata > 0) == pointers)


@st.composite
def typed_allocs(draw: st.DrawFn, max_size: int = 70000, pointers: bool | None = None) -> tuple[T.GoType, int]:
    """A (type, element count) pair whose allocation ``n * type.size`` is at most *max_size* bytes."""
    t = draw(go_types(pointers))
    most = max(1, max_size // t.size)
    n = draw(st.one_of(st.just(1), st.integers(1, min(most, 8)), st.integers(1, most)))
    return t, n
