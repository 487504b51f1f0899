"""gomem.runtime.sizeclasses: the generated table, the lookups and mallocgc's paths."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, strategies as st

from gomem.runtime import sizeclasses as sc
from gomem.errors import BadInput, GomemError

# (class, size, pages, objs, tail, maxwaste%, GT noscan, GT scan) from facts §1.2
SPOT = [
    (1, 8, 1, 1024, 0, 87.50, 1024, 1008),
    (2, 16, 1, 512, 0, 43.75, 504, 496),
    (3, 24, 1, 341, 8, 29.24, 336, 330),
    (5, 48, 1, 170, 32, 31.52, 168, 165),
    (6, 64, 1, 128, 0, 23.44, 126, 124),
    (10, 128, 1, 64, 0, 11.72, 63, 62),
    (13, 176, 1, 46, 96, 9.59, 45, 45),
    (25, 480, 1, 17, 32, 6.82, 16, 16),
    (26, 512, 1, 16, 0, 6.05, 15, 15),
    (27, 576, 1, 14, 128, 12.33, 14, 14),
    (35, 1408, 2, 11, 896, 14.00, 11, 11),
    (52, 9472, 7, 6, 512, 14.28, 6, 6),
    (60, 18432, 9, 4, 0, 11.11, 4, 4),
    (65, 27264, 10, 3, 128, 10.00, 3, 3),
    (67, 32768, 4, 1, 0, 12.50, 1, 1),
]


def test_constants():
    assert (sc.PAGE_SHIFT, sc.PAGE_SIZE, sc.MAX_SMALL_SIZE) == (13, 8192, 32768)
    assert sc.NUM_SIZE_CLASSES == len(sc.CLASS_TO_SIZE) == 68
    assert (sc.SMALL_SIZE_DIV, sc.SMALL_SIZE_MAX, sc.LARGE_SIZE_DIV) == (8, 1024, 128)
    assert (sc.MAX_OBJS_PER_SPAN, sc.MAX_SIZE_CLASS_NPAGES) == (1024, 10)
    assert (sc.TINY_SIZE, sc.TINY_SIZE_CLASS, sc.TINY_SPAN_CLASS) == (16, 2, 5)
    assert (sc.MALLOC_HEADER_SIZE, sc.MIN_SIZE_FOR_MALLOC_HEADER) == (8, 512)
    assert sc.MAX_SMALL_NOHEADER_SIZE == 32760
    assert (sc.NUM_SPAN_CLASSES, sc.INLINE_MARK_BYTES, sc.PTR_SIZE) == (136, 128, 8)
    for t in (sc.CLASS_TO_SIZE, sc.CLASS_TO_NPAGES, sc.CLASS_TO_NOBJS, sc.CLASS_TO_DIVMAGIC,
              sc.CLASS_TAIL_WASTE, sc.CLASS_MAX_WASTE, sc.CLASS_MIN_ALIGN):
        assert isinstance(t, tuple) and len(t) == 68 and t[0] == 0
    assert len(sc.SIZE_TO_CLASS8) == 129 and len(sc.SIZE_TO_CLASS128) == 249


@pytest.mark.parametrize("cl,size,pages,objs,tail,waste,gtn,gts", SPOT)
def test_table_spots(cl, size, pages, objs, tail, waste, gtn, gts):
    assert sc.CLASS_TO_SIZE[cl] == size
    assert sc.CLASS_TO_NPAGES[cl] == pages
    assert sc.CLASS_TO_NOBJS[cl] == objs
    assert sc.CLASS_TAIL_WASTE[cl] == tail
    assert sc.CLASS_MAX_WASTE[cl] == waste
    assert sc.CLASS_TO_DIVMAGIC[cl] == 0xFFFFFFFF // size + 1
    assert sc.nelems(cl, True) == gtn and sc.nelems(cl, False) == gts
    assert sc.nelems(cl, True, "greentea") == gtn


def test_classic_layout():
    # no inline mark bits; scan spans of <=512 B slots still keep a 128 B bitmap
    assert sc.nelems(2, True, "classic") == 512
    assert sc.nelems(2, False, "classic") == 504
    assert sc.nelems(1, False, "classic") == 1008
    assert sc.nelems(6, False, "classic") == 126
    for c in range(1, 68):
        if sc.CLASS_TO_SIZE[c] > 512:
            assert sc.nelems(c, False, "classic") == sc.nelems(c, True) == sc.CLASS_TO_NOBJS[c]
        assert sc.nelems(c, True, "classic") == sc.CLASS_TO_NOBJS[c]
        assert sc.nelems(c, False, "classic") >= sc.nelems(c, False, "greentea")
    assert sc.nelems(0, True) == 1


def test_min_align_and_alignment_table():
    assert sc.CLASS_MIN_ALIGN[1:5] == (8, 16, 8, 32)
    assert sc.CLASS_MIN_ALIGN[67] == 8192 and sc.CLASS_MIN_ALIGN[64] == 8192
    assert sc.ALIGNMENT_TABLE == ((8, 3, 8), (16, 4, 32), (32, 5, 256), (64, 6, 512),
                                  (128, 7, 768), (4096, 12, 28672), (8192, 13, 32768))


def test_divmagic_exact_for_every_offset():
    # the runtime's object index: (off * magic) >> 32 == off // size, 0 <= off <= span
    for c in range(1, 68):
        size, span = sc.CLASS_TO_SIZE[c], sc.CLASS_TO_NPAGES[c] * 8192
        off = np.arange(span + 1, dtype=np.uint64)
        idx = (off * np.uint64(sc.CLASS_TO_DIVMAGIC[c])) >> np.uint64(32)
        assert np.array_equal(idx, off // np.uint64(size)), c


@pytest.mark.parametrize("size,cls,csize", [
    (1, 1, 8), (8, 1, 8), (9, 2, 16), (17, 3, 24), (33, 5, 48), (100, 9, 112),
    (1000, 32, 1024), (1016, 32, 1024), (1017, 32, 1024), (1024, 32, 1024),
    (1025, 33, 1152), (32768, 67, 32768), (32767, 67, 32768),
])
def test_size_to_class_examples(size, cls, csize):
    assert sc.size_to_class(size) == cls
    assert sc.CLASS_TO_SIZE[cls] == csize


def test_every_size_maps_to_smallest_fitting_class():
    sizes = sc.CLASS_TO_SIZE
    c = 1
    for size in range(1, 32769):
        while sizes[c] < size:
            c += 1
        assert sc.size_to_class(size) == c, size


@pytest.mark.parametrize("bad", [0, -1, 32769, 1 << 40, 1.5, "8"])
def test_size_to_class_rejects(bad):
    with pytest.raises(BadInput):
        sc.size_to_class(bad)


def test_span_classes():
    assert sc.make_span_class(2, True) == sc.TINY_SPAN_CLASS == 5
    assert sc.make_span_class(67, False) == 134
    assert sc.make_span_class(0, True) == 1
    for spc in range(136):
        assert sc.make_span_class(sc.spanclass_sizeclass(spc), sc.spanclass_noscan(spc)) == spc
    assert sc.spanclass_name(5) == "5 (class 2, noscan)"
    assert sc.spanclass_name(0) == "0 (class 0 = large, scan)"
    for bad in (-1, 68):
        with pytest.raises(BadInput):
            sc.make_span_class(bad, False)
    with pytest.raises(BadInput):
        sc.spanclass_sizeclass(136)


def test_layout_predicates_and_offsets():
    assert not sc.uses_inline_mark_bits(8)
    assert sc.uses_inline_mark_bits(16) and sc.uses_inline_mark_bits(512)
    assert not sc.uses_inline_mark_bits(576)
    assert not sc.uses_inline_mark_bits(64, "classic")
    assert sc.heap_bits_in_span(512) and not sc.heap_bits_in_span(576)
    assert sc.heap_bits_offset(1, False, 16, "greentea") == 8192 - 128 - 128
    assert sc.heap_bits_offset(1, False, 8, "greentea") == 8192 - 128
    assert sc.heap_bits_offset(1, False, 16, "classic") == 8192 - 128
    assert sc.heap_bits_offset(1, True, 16, "greentea") is None
    assert sc.heap_bits_offset(1, False, 640, "greentea") is None
    assert sc.inline_marks_offset(1, 16, "greentea") == 8064
    assert sc.inline_marks_offset(1, 8, "greentea") is None
    assert sc.inline_marks_offset(1, 16, "classic") is None
    # objects never overlap the reserved tail
    for layout in sc.LAYOUTS:
        for c in range(1, 68):
            for noscan in (False, True):
                size, npages = sc.CLASS_TO_SIZE[c], sc.CLASS_TO_NPAGES[c]
                end = sc.nelems(c, noscan, layout) * size
                for off in (sc.heap_bits_offset(npages, noscan, size, layout),
                            sc.inline_marks_offset(npages, size, layout)):
                    if off is not None:
                        assert end <= off
    with pytest.raises(BadInput):
        sc.nelems(1, True, "nogc")
    with pytest.raises(BadInput):
        sc.nelems(68, True)


@pytest.mark.parametrize("size,noscan,path,cls,elem,npages,nel,header", [
    (0, True, "zero", 0, 0, 0, 0, False),
    (0, False, "zero", 0, 0, 0, 0, False),
    (8, True, "tiny", 2, 16, 1, 504, False),
    (1, True, "tiny", 2, 16, 1, 504, False),
    (15, True, "tiny", 2, 16, 1, 504, False),
    (16, True, "small", 2, 16, 1, 504, False),
    (8, False, "small", 1, 8, 1, 1008, False),
    (16, False, "small", 2, 16, 1, 496, False),
    (512, False, "small", 26, 512, 1, 15, False),
    (513, False, "small-header", 27, 576, 1, 14, True),
    (576, False, "small-header", 28, 640, 1, 12, True),
    # 1000 + 8 = 1008 still fits the 1024 class (real Go agrees: 8 per page)
    (1000, False, "small-header", 32, 1024, 1, 8, True),
    (1017, False, "small-header", 33, 1152, 1, 7, True),
    (1000, True, "small", 32, 1024, 1, 8, False),
    (32760, False, "small-header", 67, 32768, 4, 1, True),
    (32760, True, "small", 67, 32768, 4, 1, False),
    (32761, True, "large", 0, 32768, 4, 1, False),
    (32768, True, "large", 0, 32768, 4, 1, False),
    (32769, False, "large", 0, 40960, 5, 1, False),
    (1 << 20, False, "large", 0, 1 << 20, 128, 1, False),
])
def test_alloc_path(size, noscan, path, cls, elem, npages, nel, header):
    p = sc.alloc_path(size, noscan)
    assert (p.path, p.sizeclass, p.elemsize, p.npages, p.nelems, p.header) == (
        path, cls, elem, npages, nel, header)
    assert p.size == size and p.noscan == noscan
    if path != "zero":
        assert p.spanclass == cls << 1 | noscan
    assert sc.alloc_path(size, noscan) == p
    if size <= 32768:
        assert sc.alloc_path(size, noscan) is p  # small sizes are cached


def test_alloc_path_layouts_differ_only_in_nelems():
    assert sc.alloc_path(16, False, "classic").nelems == 504
    assert sc.alloc_path(8, True, "classic").nelems == 512
    a, b = sc.alloc_path(100, True), sc.alloc_path(100, True, "classic")
    assert (a.sizeclass, a.elemsize) == (b.sizeclass, b.elemsize) and a.nelems != b.nelems


@given(st.integers(min_value=1, max_value=70000), st.booleans())
def test_alloc_path_properties(size, noscan):
    p = sc.alloc_path(size, noscan)
    need = size + (8 if p.header else 0)
    assert p.elemsize >= need
    if p.path in ("small", "small-header"):
        assert p.elemsize == sc.CLASS_TO_SIZE[sc.size_to_class(need)]
        assert p.nelems == sc.nelems(p.sizeclass, noscan)
        assert p.header == (not noscan and size > 512)
    elif p.path == "large":
        assert p.elemsize == -(-size // 8192) * 8192 and size > 32760
    else:
        assert p.path == "tiny" and noscan and size < 16


def test_alloc_path_errors():
    with pytest.raises(BadInput, match="len out of range"):
        sc.alloc_path(-1, True)
    with pytest.raises(BadInput, match="cannot allocate"):
        sc.alloc_path((1 << 48) + 1, False)
    assert sc.alloc_path(1 << 48, True).npages == 1 << 35
    with pytest.raises(BadInput):
        sc.alloc_path(8, True, "nope")
    with pytest.raises(GomemError):
        sc.alloc_path(8.0, True)


def test_table_text():
    lines = sc.table_text().splitlines()
    assert lines[0] == "class  bytes/obj  bytes/span  objects  tail waste  max waste  min align"
    assert lines[1] == "    1          8        8192     1024           0     87.50%          8"
    assert lines[2] == "    2         16        8192      512           0     43.75%         16"
    assert lines[-1] == "   67      32768       32768        1           0     12.50%       8192"
    assert len(lines) == 68
    gt = sc.table_text(with_gt=True).splitlines()
    assert gt[0].endswith("min align  gt noscan  gt scan")
    assert gt[2].startswith(lines[2]) and gt[2].split()[-2:] == ["504", "496"]
    cl = sc.table_text("classic", with_gt=True).splitlines()
    assert cl[2].split()[-2:] == ["512", "504"]
    assert sc.alignment_text().splitlines()[0] == "alignment  bits  min obj size"


def test_describe():
    d = sc.describe(576, False)
    assert "small-header" in d and "640" in d and "56 (class 28, scan)" in d
    assert "malloc header" in d
    d = sc.describe(8, True)
    assert "tiny" in d and "5 (class 2, noscan)" in d and "504 (greentea)" in d
    assert "512 (classic)" in d
    d = sc.describe(16, False)
    assert "bitmap in the span" in d and "inline mark bits" in d
    assert "largeType" in sc.describe(40000, False)
    assert "zerobase" in sc.describe(0, True)
    with pytest.raises(BadInput):
        sc.describe(-3, True)
