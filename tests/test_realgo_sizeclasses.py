"""gomem.runtime.sizeclasses against the real Go toolchain.

(a) The generated tables in $GOROOT/src/internal/runtime/gc/sizeclasses.go
    (header comment and arrays) must equal what gomem derives itself.
(b) tests/go/sizeclass_probe.go allocates objects on the real runtime and
    reports slot size, span size, objects per span, header offset and the
    bytes at the end of one-page spans (pointer bitmap, inline mark bits); they
    must match gomem's alloc_path / nelems / heap_bits_offset /
    inline_marks_offset, for the default Green Tea build and for a
    GOEXPERIMENT=nogreenteagc build (gomem's "classic" layout).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from gomem.cmd import realgo
from gomem.runtime import sizeclasses as sc

requires_go = pytest.mark.skipif(realgo.find_go() is None, reason=realgo.NO_GO_REASON)
pytestmark = [requires_go, pytest.mark.realgo]

PROBE = Path(__file__).parent / "go" / "sizeclass_probe.go"


# --- (a) the generated Go source -------------------------------------------------


@pytest.fixture(scope="module")
def go_sizeclasses() -> str:
    path = Path(realgo.goroot()) / "src" / "internal" / "runtime" / "gc" / "sizeclasses.go"
    if not path.is_file():
        pytest.skip(f"{path} not in this toolchain")
    return path.read_text()


def _comment_blocks(text: str) -> list[str]:
    """The `// ` comment blocks after the package clause, prefix removed."""
    body = text.split("package gc", 1)[1]
    blocks, cur = [], []
    for line in body.splitlines():
        if line.startswith("//"):
            cur.append(line[3:] if line.startswith("// ") else line[2:])
        elif cur:
            blocks.append("\n".join(cur) + "\n")
            cur = []
    return blocks


def _go_array(text: str, name: str) -> list[int]:
    m = re.search(rf"var {name} = \[[^\]]*\]uint\d+\s*\{{([^}}]*)\}}", text)
    assert m, f"{name} not found"
    out = []
    for item in m.group(1).split(","):
        item = item.strip()
        if not item:
            continue
        magic = re.fullmatch(r"\^uint32\(0\)\s*/\s*(\d+)\s*\+\s*1", item)
        out.append(0xFFFFFFFF // int(magic.group(1)) + 1 if magic else int(item))
    return out


def test_header_table_byte_for_byte(go_sizeclasses):
    blocks = _comment_blocks(go_sizeclasses)
    assert blocks[0] == sc.table_text()
    assert blocks[1] == sc.alignment_text()


@pytest.mark.parametrize("name,ours", [
    ("SizeClassToSize", sc.CLASS_TO_SIZE),
    ("SizeClassToNPages", sc.CLASS_TO_NPAGES),
    ("SizeClassToDivMagic", sc.CLASS_TO_DIVMAGIC),
    ("SizeToSizeClass8", sc.SIZE_TO_CLASS8),
    ("SizeToSizeClass128", sc.SIZE_TO_CLASS128),
])
def test_go_arrays(go_sizeclasses, name, ours):
    assert tuple(_go_array(go_sizeclasses, name)) == ours


def test_go_constants(go_sizeclasses):
    consts = dict(re.findall(r"^\s*(\w+)\s*=\s*(\d+)\s*$", go_sizeclasses, re.M))
    want = {
        "MinHeapAlign": sc.MIN_HEAP_ALIGN, "MaxSmallSize": sc.MAX_SMALL_SIZE,
        "SmallSizeDiv": sc.SMALL_SIZE_DIV, "SmallSizeMax": sc.SMALL_SIZE_MAX,
        "LargeSizeDiv": sc.LARGE_SIZE_DIV, "NumSizeClasses": sc.NUM_SIZE_CLASSES,
        "PageShift": sc.PAGE_SHIFT, "MaxObjsPerSpan": sc.MAX_OBJS_PER_SPAN,
        "MaxSizeClassNPages": sc.MAX_SIZE_CLASS_NPAGES, "TinySize": sc.TINY_SIZE,
        "TinySizeClass": sc.TINY_SIZE_CLASS,
    }
    assert {k: int(consts[k]) for k in want} == want


# --- (b) allocations on the real runtime --------------------------------------------

TINY = [(1, False), (8, False), (12, False)]
CASES = TINY + [
    (8, True), (16, False), (16, True), (24, True), (48, False), (48, True),
    (64, False), (64, True), (128, True), (144, False), (256, True), (480, False),
    (512, False), (512, True),                        # last classes with bits in the span
    (513, True), (576, True), (1000, True), (1017, True),  # malloc header
    (1024, False), (1408, False), (3072, False), (3072, True), (9472, True),
    (27264, False), (32760, True), (32760, False),    # largest small sizes
    (32761, False), (32768, True), (40000, True), (100000, False),  # large
]
LAYOUT_ENV = {"greentea": {}, "classic": {"GOEXPERIMENT": "nogreenteagc"}}


@pytest.fixture(scope="module", params=list(LAYOUT_ENV))
def probe(request):
    layout = request.param
    env = {"GOMAXPROCS": "1", "GOGC": "off", **LAYOUT_ENV[layout]}
    args = [f"{size}:{'ptr' if ptr else 'noscan'}" for size, ptr in CASES]
    r = realgo.run_go_source(PROBE, args, env=env, timeout=60)
    assert r.returncode == 0, r.stderr
    got = {(d["size"], d["ptr"]): d for d in json.loads(r.stdout)}
    return layout, got


def _expected_tail(p: sc.AllocPath, layout: str) -> bytes:
    """The last 256 bytes of a full one-page span of the probe's objects
    (zeroed; a pointer only in the first word, or all pointer for 8 B)."""
    page = bytearray(sc.PAGE_SIZE)
    hb = sc.heap_bits_offset(p.npages, p.noscan, p.elemsize, layout)
    if hb is not None:
        if p.sizeclass == 1:  # initHeapBits presets class-1 scan spans to all ones
            page[hb:hb + sc.heap_bits_size(1)] = b"\xff" * sc.heap_bits_size(1)
        else:
            for i in range(p.nelems):
                word = i * p.elemsize // sc.PTR_SIZE
                page[hb + word // 8] |= 1 << (word % 8)
    im = sc.inline_marks_offset(p.npages, p.elemsize, layout)
    if im is not None:
        page[im + sc.INLINE_MARK_BYTES - 1] = p.spanclass  # spanInlineMarkBits.class
    return bytes(page[-256:])


@pytest.mark.parametrize("size,ptr", CASES)
def test_probe_matches_model(probe, size, ptr):
    layout, got = probe
    d = got[(size, ptr)]
    p = sc.alloc_path(size, not ptr, layout)
    span = p.npages * sc.PAGE_SIZE
    assert d["span_bytes"] == [span] * 3, "bytes per span"
    assert d["per_span"] == [p.nelems] * 3, "objects per span (nelems)"
    assert d["total_alloc_delta"] == [p.elemsize] * 3, "bytes charged per allocation"
    assert d["first_off"] == (sc.MALLOC_HEADER_SIZE if p.header else 0)
    if p.path == "large":
        assert p.nelems == 1
        return
    # MemStats flushes the mcache, so each counted allocation starts a new
    # tiny block; consecutive slots are elemsize apart
    if p.nelems > 1:
        assert d["stride_min"] == d["stride_max"] == p.elemsize
    if p.path == "tiny":
        steps = Counter(d["free_steps"]).most_common(1)[0][0]
        per_block = 1 if size > 8 else sc.TINY_SIZE // size
        assert steps == sc.TINY_SIZE // per_block, "tiny packing"
    if p.npages == 1 and p.elemsize <= sc.MIN_SIZE_FOR_MALLOC_HEADER:
        assert bytes.fromhex(d["tail_hex"]) == _expected_tail(p, layout), "span tail layout"


def test_layouts_really_differ(probe):
    layout, got = probe
    n16 = got[(16, False)]["per_span"][0]
    assert n16 == (504 if layout == "greentea" else 512)


# --- gomem.cmd.realgo itself --------------------------------------------------------------


def test_realgo_basics(tmp_path):
    assert realgo.go_version().startswith("go1.")
    assert (Path(realgo.goroot()) / "src" / "runtime" / "malloc.go").is_file()
    assert realgo.go_env()["GOTOOLCHAIN"] == "local"
    hello = 'package main\nimport "fmt"\nfunc main() { fmt.Println("hi", 6*7) }\n'
    r = realgo.run_go_source(hello)
    assert (r.returncode, r.stdout) == (0, "hi 42\n")
    f = tmp_path / "hello.go"
    f.write_text(hello)
    assert realgo.run_go_source(f).stdout == "hi 42\n"


def test_realgo_build_error_is_gomem_error():
    from gomem.errors import GomemError

    with pytest.raises(GomemError, match="go build main.go failed"):
        realgo.run_go_source("package main\nfunc main() { undefined() }\n")
