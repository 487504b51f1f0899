"""gomem.std.pprof: the heap profile's text (debug=1) and profile.proto forms.

(a) Hand-made records through a fake Symbolizer; the expected text is real Go
    1.27 output (a program run with runtime.MemProfileRate=1 and
    pprof.Lookup("heap").WriteTo(os.Stdout, 1)), records and MemStats block
    copied verbatim from it.
(b) The proto, decoded with gomem.std.pprof.read_profile and read by the real
    ``go tool pprof`` (-raw, -top, -traces, -sample_index=alloc_space).
(c) Live: a Go program (built with inlining off, so that its stacks hold no
    fake inline PCs, whose values the model cannot know) writes its heap
    profile in both forms and dumps runtime.MemProfile with the frame of every
    PC; gomem must reproduce Go's text byte for byte and Go's proto byte for
    byte up to the time field (after it Go lists /proc/self/maps mappings and
    an ELF build ID, which the model does not have).
"""

from __future__ import annotations

import base64
import json
import re
import subprocess
import zlib

import pytest

from gomem.cmd import realgo
from gomem.runtime.mstats import MemStats
from gomem.std import pprof
from gomem.std.pprof import Frame, MemProfileRecord
from gomem.std.sort import pdqsort

requires_go = pytest.mark.skipif(realgo.find_go() is None, reason=realgo.NO_GO_REASON)


class FakeSymtab:
    def __init__(self, table: dict[int, list[Frame]], binary_path="/tmp/hp/hp",
                 text_start=0x400000, text_end=0x4df000):
        self.table = table
        self.binary_path = binary_path
        self.text_start = text_start
        self.text_end = text_end

    def frames(self, pc: int) -> list[Frame]:
        return list(self.table.get(pc, []))


# --- (a) the text form against real Go output -----------------------------------------------

GOSRC = "/root/.pyenv/versions/3.11.7/lib/python3.11/site-packages/go/src"
HP = "/tmp/pprofw/hp/hp.go"

MAIN_ENTRY = 0x4de840
F_MAIN = lambda line: Frame("main.main", HP, line, MAIN_ENTRY, 27)  # noqa: E731
F_RTMAIN = Frame("runtime.main", f"{GOSRC}/runtime/proc.go", 302, 0x44a600, 153)
F_GOEXIT = Frame("runtime.goexit", f"{GOSRC}/runtime/asm_amd64.s", 1772, 0x483560, 1771)
F_MALLOC = lambda line: Frame("runtime.mallocgc", f"{GOSRC}/runtime/malloc.go", line, 0x47bfa0, 1067)  # noqa: E731

HP_SYMTAB = FakeSymtab({
    0x4de76d: [Frame("main.build", HP, 17, 0x4de720, 15)],
    0x4de867: [F_MAIN(29)],
    0x4de8b1: [F_MAIN(30)],
    0x4dea1b: [Frame("main.main.func1", HP, 35, 0x4dea40, 35), F_MAIN(36)],
    0x44aa27: [F_RTMAIN],
    0x483561: [F_GOEXIT],
    0x47bfef: [F_MALLOC(1089)],
    0x47c0b3: [F_MALLOC(1125)],
    0x47f3e7: [Frame("runtime.growslice", f"{GOSRC}/runtime/slice.go", 273, 0x47f000, 177)],
    0x47ee49: [Frame("runtime.makeslice", f"{GOSRC}/runtime/slice.go", 117, 0x47ee00, 101)],
    0x41cd85: [Frame("runtime.newobject", f"{GOSRC}/runtime/malloc.go", 2141, 0x41cd60, 2140)],
    0x428d45: [Frame("runtime.gcBgMarkWorker", f"{GOSRC}/runtime/mgc.go", 1779, 0x428ce0, 1766)],
    # leaf and mid inlined into main (the model numbers the fake PCs pc+1, pc+2)
    0x4de87b: [Frame("main.leaf", HP, 21, 0x4de700, 21), Frame("main.mid", HP, 23, 0x4de710, 23), F_MAIN(30)],
})

# in the runtime's bucket order (newest bucket first), not sorted
HP_RECORDS = [
    MemProfileRecord(16, 50, 0, (0x4de76d, 0x4de867, 0x44aa27, 0x483561)),
    MemProfileRecord(5376, 1, 0, (0x47c0b3, 0x47ee49, 0x4dea1b, 0x44aa27, 0x483561)),
    MemProfileRecord(512, 2, 0, (0x47c0b3, 0x41cd85, 0x428d45, 0x483561)),
    MemProfileRecord(24, 1, 1, (0x47bfef, 0x47f3e7, 0x4de8b1, 0x44aa27, 0x483561)),
]

HP_RECORDS_TEXT = f"""\
0: 0 [1: 24] @ 0x47bfef 0x47f3e7 0x4de8b1 0x44aa27 0x483561
#	0x4de8b0	main.main+0x70		{HP}:30
#	0x44aa26	runtime.main+0x426	{GOSRC}/runtime/proc.go:302

50: 800 [50: 800] @ 0x4de76d 0x4de867 0x44aa27 0x483561
#	0x4de76c	main.build+0x4c		{HP}:17
#	0x4de866	main.main+0x26		{HP}:29
#	0x44aa26	runtime.main+0x426	{GOSRC}/runtime/proc.go:302

2: 1024 [2: 1024] @ 0x47c0b3 0x41cd85 0x428d45 0x483561
#	0x47c0b2	runtime.mallocgc+0x112		{GOSRC}/runtime/malloc.go:1125
#	0x41cd84	runtime.newobject+0x24		{GOSRC}/runtime/malloc.go:2141
#	0x428d44	runtime.gcBgMarkWorker+0x64	{GOSRC}/runtime/mgc.go:1779

1: 5376 [1: 5376] @ 0x47c0b3 0x47ee49 0x4dea1b 0x4dea1c 0x44aa27 0x483561
#	0x4dea1a	main.main.func1+0x1da	{HP}:35
#	0x4dea1b	main.main+0x1db		{HP}:36
#	0x44aa26	runtime.main+0x426	{GOSRC}/runtime/proc.go:302

"""

HP_PAUSE_NS = [171765] + [0] * 255
HP_PAUSE_END = [1796664395693553986] + [0] * 255

HP_MEMSTATS_TEXT = f"""
# runtime.MemStats
# Alloc = 176928
# TotalAlloc = 180904
# Sys = 7895304
# Lookups = 0
# Mallocs = 197
# Frees = 25
# HeapAlloc = 176928
# HeapSys = 3899392
# HeapIdle = 3489792
# HeapInuse = 409600
# HeapReleased = 3375104
# HeapObjects = 172
# Stack = 294912 / 294912
# MSpan = 23680 / 32640
# MCache = 4592 / 16072
# BuckHashSys = 1445625
# GCSys = 1645808
# OtherSys = 560855
# NextGC = 4194304
# LastGC = 1796664395693553986
# PauseNs = [{" ".join(map(str, HP_PAUSE_NS))}]
# PauseEnd = [{" ".join(map(str, HP_PAUSE_END))}]
# NumGC = 1
# NumForcedGC = 1
# GCCPUFraction = 0.07340370177655542
# DebugGC = false
# MaxRSS = 3272704
"""


def hp_memstats() -> MemStats:
    return MemStats(
        Alloc=176928, TotalAlloc=180904, Sys=7895304, Lookups=0, Mallocs=197, Frees=25,
        HeapAlloc=176928, HeapSys=3899392, HeapIdle=3489792, HeapInuse=409600,
        HeapReleased=3375104, HeapObjects=172, StackInuse=294912, StackSys=294912,
        MSpanInuse=23680, MSpanSys=32640, MCacheInuse=4592, MCacheSys=16072,
        BuckHashSys=1445625, GCSys=1645808, OtherSys=560855, NextGC=4194304,
        LastGC=1796664395693553986, PauseNs=list(HP_PAUSE_NS), PauseEnd=list(HP_PAUSE_END),
        NumGC=1, NumForcedGC=1, GCCPUFraction=0.07340370177655542, DebugGC=False)


def test_text_matches_real_go_output():
    got = pprof.write_heap_text(HP_RECORDS, 1, hp_memstats(), HP_SYMTAB, 3272704)
    # totals of the four records: in use 53 objects / 7200 bytes, allocated 54 / 7224
    want = "heap profile: 53: 7200 [54: 7224] @ heap/2\n" + HP_RECORDS_TEXT + HP_MEMSTATS_TEXT
    assert got.decode() == want


def test_text_header_alloc_bumped_when_equal_to_inuse_and_rate_doubled():
    recs = [MemProfileRecord(16, 50, 0, (0x4de76d, 0x4de867, 0x44aa27, 0x483561))]
    got = pprof.write_heap_text(recs, 512 * 1024, MemStats(), HP_SYMTAB, None).decode()
    assert got.startswith("heap profile: 50: 800 [50: 801] @ heap/1048576\n50: 800 [50: 800] @ ")
    assert "# MaxRSS" not in got
    assert got.endswith("# GCCPUFraction = 0\n# DebugGC = false\n")


def test_text_inlined_frames_get_model_fake_pcs():
    # real Go: "@ 0x47c0ba 0x47ee49 0x4de87b 0x4de868 0x4de87c ..." (fake PCs are inline
    # marks + 1); the model numbers them pc+1, pc+2; frames and offsets follow the fakes
    recs = [MemProfileRecord(106496, 1, 0, (0x47ee49, 0x4de87b, 0x44aa27, 0x483561))]
    got = pprof.write_heap_text(recs, 1, MemStats(), HP_SYMTAB, None).decode()
    rec = got.split("\n\n")[0].split("\n", 1)[1]
    assert rec == (
        "1: 106496 [1: 106496] @ 0x47ee49 0x4de87b 0x4de87c 0x4de87d 0x44aa27 0x483561\n"
        f"#\t0x4de87a\tmain.leaf+0x3a\t\t{HP}:21\n"
        f"#\t0x4de87b\tmain.mid+0x3b\t\t{HP}:23\n"
        f"#\t0x4de87c\tmain.main+0x3c\t\t{HP}:30\n"
        f"#\t0x44aa26\truntime.main+0x426\t{GOSRC}/runtime/proc.go:302")


def test_text_unknown_pc_and_empty_function():
    symtab = FakeSymtab({0x1001: [Frame("", "", 0, 0x1000, 0)], 0x2001: [Frame("main.f", "/x.go", 3, 0x2000, 1)]})
    recs = [MemProfileRecord(8, 1, 0, (0x9999, 0x1001, 0x2001))]
    got = pprof.write_heap_text(recs, 1, MemStats(), symtab, None).decode()
    # an unknown PC is listed after @ but yields no frame; an unnamed frame prints its PC alone
    assert "1: 8 [1: 8] @ 0x9999 0x1001 0x2001\n#\t0x1000\n#\t0x2000\tmain.f+0x0\t/x.go:3\n\n" in got


def test_tabwriter_blocks_and_flush():
    tw = pprof.TabWriter(1, 8, 1, "\t")
    tw.write("a\tbb\tc\nxxxxxxxxxx\tb\tc\nno tabs\nq\tr\n")
    tw.write("tail")
    tw.flush()
    assert tw.getvalue() == "a\t\tbb\tc\nxxxxxxxxxx\tb\tc\nno tabs\nq\tr\ntail"


def test_sort_is_gos_pdqsort_order():
    # many equal keys: the order among them is pdqsort's, not stable
    recs = [MemProfileRecord(8, (i * 7) % 3, 0, (0x4de867,)) for i in range(40)]
    for i, r in enumerate(recs):
        r.stack = (0x4de867, 0x1000 + i)
    got = pprof.write_heap_text(recs, 1, MemStats(), HP_SYMTAB, None).decode()
    order = [int(m, 16) - 0x1000 for m in re.findall(r"@ 0x4de867 (0x[0-9a-f]+)", got)]
    keyed = list(recs)

    def less(i, j):
        return keyed[i].in_use_bytes < keyed[j].in_use_bytes

    def swap(i, j):
        keyed[i], keyed[j] = keyed[j], keyed[i]

    pdqsort(less, swap, len(keyed))
    assert order == [r.stack[1] - 0x1000 for r in keyed]
    assert [recs[i].in_use_bytes for i in order] == sorted(r.in_use_bytes for r in recs)


# --- (b) the proto --------------------------------------------------------------------------

T0 = 1796664395693553986


def test_scale_heap_sample():
    assert pprof.scale_heap_sample(0, 16, 512 * 1024) == (0, 0)
    assert pprof.scale_heap_sample(3, 0, 512 * 1024) == (0, 0)
    assert pprof.scale_heap_sample(3, 16, 1) == (3, 48)
    assert pprof.scale_heap_sample(3, 16, 0) == (3, 48)
    # the values Go's scaleHeapSample gives (run on go1.27 linux/amd64)
    for args, want in [((3, 16, 524288), (98305, 1572888)), ((1, 106496, 524288), (5, 579337)),
                       ((50, 16, 524288), (1638425, 26214800)), ((7, 1000000, 524288), (8, 8220531)),
                       ((12345, 24, 4096), (2113058, 50713404))]:
        assert pprof.scale_heap_sample(*args) == want


def heap_proto(rate=1, default_sample_type="") -> bytes:
    return pprof.write_heap_proto(HP_RECORDS, rate, HP_SYMTAB, default_sample_type, T0)


def test_proto_fields():
    p = pprof.read_profile(heap_proto())
    assert p.string_table[0] == ""
    assert p.period_type == pprof.ValueType("space", "bytes") and p.period == 1
    assert [(t.type, t.unit) for t in p.sample_types] == [
        ("alloc_objects", "count"), ("alloc_space", "bytes"),
        ("inuse_objects", "count"), ("inuse_space", "bytes")]
    assert p.default_sample_type == "" and p.time_nanos == T0 and p.duration_nanos == 0
    # Go's stream order: header, then samples with the locations/functions they introduce,
    # then time, mapping, strings
    assert p.top_level_fields[:6] == [11, 12, 1, 1, 1, 1]
    assert p.top_level_fields[-len(p.string_table) - 2:-len(p.string_table)] == [9, 3]

    funcs = {f.id: f for f in p.functions}
    locs = {loc.id: loc for loc in p.locations}

    def stack(s):
        return [[(funcs[ln.function_id].name, ln.line) for ln in locs[i].lines] for i in s.location_ids]

    # samples in bucket order (no sorting), leading runtime frames and goexit dropped
    assert [s.values for s in p.samples] == [[50, 800, 50, 800], [1, 5376, 1, 5376], [2, 1024, 2, 1024], [1, 24, 0, 0]]
    assert [[(lb.key, lb.str, lb.num) for lb in s.labels] for s in p.samples] == [
        [("bytes", "", 16)], [("bytes", "", 5376)], [("bytes", "", 512)], [("bytes", "", 24)]]
    assert stack(p.samples[0]) == [[("main.build", 17)], [("main.main", 29)], [("runtime.main", 302)]]
    assert stack(p.samples[1]) == [[("main.main.func1", 35), ("main.main", 36)], [("runtime.main", 302)]]
    # all-runtime stack: nothing trimmed (goexit still dropped)
    assert stack(p.samples[2]) == [[("runtime.mallocgc", 1125)], [("runtime.newobject", 2141)],
                                   [("runtime.gcBgMarkWorker", 1779)]]
    assert stack(p.samples[3]) == [[("main.main", 30)], [("runtime.main", 302)]]
    # one Location per physical PC, at the call (return PC - 1); runtime.main's reused
    assert locs[3].address == 0x44aa26 and p.samples[1].location_ids[1] == 3
    assert locs[4].address == 0x4dea1a
    assert len(p.locations) == 8
    # Functions deduplicated, with file and start line
    names = [f.name for f in p.functions]
    assert len(names) == len(set(names))
    fm = {f.name: f for f in p.functions}
    assert fm["main.main"].system_name == "main.main" and fm["main.main"].filename == HP
    assert fm["main.main"].start_line == 27 and fm["main.main.func1"].start_line == 35
    assert [(m.id, m.memory_start, m.memory_limit, m.filename, m.build_id, m.has_functions,
             m.has_filenames, m.has_line_numbers) for m in p.mappings] == [
        (1, 0x400000, 0x4df000, "/tmp/hp/hp", "", True, False, False)]
    assert all(loc.mapping_id == 1 for loc in p.locations)


def test_proto_allocs_default_sample_type_and_scaling():
    p = pprof.read_profile(heap_proto(rate=512 * 1024, default_sample_type="alloc_space"))
    assert p.default_sample_type == "alloc_space" and p.period == 512 * 1024
    assert p.samples[0].values == [pprof.scale_heap_sample(50, 16, 512 * 1024)[0],
                                   pprof.scale_heap_sample(50, 16, 512 * 1024)[1],
                                   *pprof.scale_heap_sample(50, 16, 512 * 1024)]
    assert p.samples[3].values[2:] == [0, 0]


def test_proto_unknown_pc_clears_has_functions():
    symtab = FakeSymtab({0x4de867: [F_MAIN(29)]})
    data = pprof.write_heap_proto([MemProfileRecord(8, 1, 0, (0x4de900, 0x4de867))], 1, symtab, "", T0)
    p = pprof.read_profile(data)
    assert p.mappings[0].has_functions is False
    unknown = p.locations[0]
    assert unknown.address == 0x4de8ff
    assert [(p.functions[ln.function_id - 1].name, ln.line) for ln in unknown.lines] == [("", 0)]


def test_proto_gzip_container_is_gos():
    data = heap_proto()
    assert data[:10] == b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x04\xff"


def run_pprof(path, *args) -> str:
    exe = realgo.find_go()
    r = subprocess.run([exe, "tool", "pprof", *args, str(path)], env=realgo.go_env(),
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    # the profile carries its functions: pprof must not go looking for the binary
    assert "symbol" not in r.stderr.lower() and "fetch" not in r.stderr.lower(), r.stderr
    return r.stdout


@requires_go
@pytest.mark.realgo
def test_go_tool_pprof_reads_it(tmp_path):
    path = tmp_path / "heap.pb.gz"
    path.write_bytes(heap_proto())

    raw = run_pprof(path, "-raw")
    assert "PeriodType: space bytes" in raw and "Period: 1" in raw
    assert re.search(r"^\s+50\s+800\s+50\s+800: 1 2 3 \n\s+bytes:\[16\]$", raw, re.M)
    assert re.search(r"^\s+1\s+5376\s+1\s+5376: 4 3 \n\s+bytes:\[5376\]$", raw, re.M)
    assert re.search(rf"^\s+4: 0x4dea1a M=1 main.main.func1 {HP}:35:0 s=35\n\s+main.main {HP}:36:0 s=27$", raw, re.M)
    assert "1: 0x400000/0x4df000/0x0 /tmp/hp/hp  [FN]" in raw

    top = run_pprof(path, "-top")        # inuse_space by default
    assert "Type: inuse_space" in top
    assert re.search(r"^\s+5376B\s.*main\.main\.func1 \(inline\)$", top, re.M)
    assert re.search(r"^\s+800B\s.*main\.build$", top, re.M)
    assert re.search(r"^\s+0\s+0%\s+100%\s+6176B\s.*main\.main$", top, re.M)
    assert re.search(r"of 7200B total", top)

    alloc = run_pprof(path, "-sample_index=alloc_space", "-unit=B", "-top")
    assert "Type: alloc_space" in alloc and "of 7224B total" in alloc
    assert re.search(r"^\s+24B\s+0.33%\s+100%\s+6200B\s.*main\.main$", alloc, re.M)
    objects = run_pprof(path, "-sample_index=alloc_objects", "-top")
    assert "of 54 total" in objects and re.search(r"^\s+50\s.*main\.build$", objects, re.M)

    traces = run_pprof(path, "-traces")
    assert re.search(r"bytes:\s+5.25kB\n\s+5.25kB\s+main\.main\.func1 \(inline\)\n\s+main\.main\n\s+runtime\.main", traces)
    assert re.search(r"bytes:\s+512B\n\s+1kB\s+runtime\.mallocgc\n"
                     r"\s+runtime\.newobject\n\s+runtime\.gcBgMarkWorker", traces)

    path.write_bytes(heap_proto(default_sample_type="alloc_space"))
    assert "Type: alloc_space" in run_pprof(path, "-top")


# --- (c) live: reproduce a real program's profile -------------------------------------------

PROBE = r'''
package main

import (
	"bytes"
	"encoding/json"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
)

type node struct {
	next *node
	val  [3]int64
}

var keep []*node
var blobs [][]byte

func chain(n int) *node {
	var head *node
	for i := 0; i < n; i++ {
		head = &node{next: head}
	}
	return head
}

func blob(n int) []byte { return make([]byte, n) }

type T struct{ a, b int64 }

func (t *T) clone() *T { return &T{t.a, t.b} }

func main() {
	runtime.MemProfileRate = 1
	keep = append(keep, chain(40))
	_ = chain(25) // garbage: freed by the GC below
	for i := 0; i < 3; i++ {
		blobs = append(blobs, blob(1000*(i+1)))
	}
	blobs = append(blobs, blob(70000))
	t := &T{1, 2}
	for i := 0; i < 5; i++ {
		keep = append(keep, &node{})
		_ = t.clone()
	}
	runtime.GC()
	debug.SetGCPercent(-1) // no cycle from here on: the buckets' counts stay put

	// Each write adds new (empty) buckets at the head of the bucket list,
	// so each later listing ends with the earlier one.
	var proto, text bytes.Buffer
	pprof.Lookup("heap").WriteTo(&proto, 0)
	pprof.Lookup("heap").WriteTo(&text, 1)
	n, _ := runtime.MemProfile(nil, true)
	recs := make([]runtime.MemProfileRecord, n+100)
	n, ok := runtime.MemProfile(recs, true)
	if !ok {
		panic("MemProfile grew")
	}
	recs = recs[:n]

	type entry struct {
		PC       uintptr `json:"pc"`
		Inlined  bool    `json:"inlined"`
		Function string  `json:"function"`
		File     string  `json:"file"`
		Line     int     `json:"line"`
		Entry    uintptr `json:"entry"`
	}
	type rec struct {
		Alloc      int64   `json:"alloc"`
		AllocBytes int64   `json:"alloc_bytes"`
		Free       int64   `json:"free"`
		Stack      []entry `json:"stack"`
	}
	out := struct {
		Rate    int    `json:"rate"`
		Text    string `json:"text"`
		Proto   []byte `json:"proto"`
		Records []rec  `json:"records"`
	}{Rate: runtime.MemProfileRate, Text: text.String(), Proto: proto.Bytes()}
	for _, r := range recs {
		x := rec{Alloc: r.AllocObjects, AllocBytes: r.AllocBytes, Free: r.FreeObjects}
		for _, pc := range r.Stack() {
			f, _ := runtime.CallersFrames([]uintptr{pc}).Next()
			x.Stack = append(x.Stack, entry{pc, f.Func == nil, f.Function, f.File, f.Line, f.Entry})
		}
		out.Records = append(out.Records, x)
	}
	json.NewEncoder(os.Stdout).Encode(out)
}
'''


def _run_probe(build_flags: list[str]) -> dict:
    if realgo.find_go() is None:
        pytest.skip(realgo.NO_GO_REASON)
    r = realgo.run_go_source(PROBE, build_flags=build_flags)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


@pytest.fixture(scope="module")
def live():
    """Built with inlining off everywhere: the stacks hold only physical return PCs."""
    return _run_probe(["-gcflags=all=-l"])


@pytest.fixture(scope="module")
def live_inlined():
    """A default build: stacks with fake PCs for inlined callers."""
    return _run_probe([])


class LiveSymtab:
    def __init__(self, frames: dict[int, list[Frame]], start: int, limit: int, path: str):
        self.binary_path, self.text_start, self.text_end = path, start, limit
        self._frames = frames

    def frames(self, pc):
        return list(self._frames.get(pc, []))


def live_inputs(live, n_records: int, go_proto: pprof.Profile | None = None, allow_inlined=False):
    """The last n_records of the MemProfile listing as model records, and a symtab.

    Go's expanded stack is folded back into physical PCs: a run of inlined
    entries and the physical entry after it are one PC's frames.  A run may
    also end without a physical entry: Go elides wrapper functions (a method
    value's "-fm" wrapper, say) and keeps only what is inlined into them; the
    next entry then belongs to another function (another entry PC)."""
    recs = live["records"][len(live["records"]) - n_records:]
    start_lines: dict[str, int] = {}
    start = limit = 0
    path = ""
    sizes = [None] * n_records
    if go_proto is not None:
        sizes = [s.labels[0].num for s in go_proto.samples]
        start_lines = {f.name: f.start_line for f in go_proto.functions}
        m = go_proto.mappings[0]
        start, limit, path = m.memory_start, m.memory_limit, m.filename
    table: dict[int, list[Frame]] = {}
    out = []
    for r, size in zip(recs, sizes):
        physical: list[int] = []
        group: list[dict] = []
        stack = r["stack"]
        for k, e in enumerate(stack):
            assert allow_inlined or not e["inlined"], f"inlined frame at {e['pc']:#x} despite -l"
            group.append(e)
            if not e["inlined"] or k + 1 == len(stack) or stack[k + 1]["entry"] != e["entry"]:
                pc = group[0]["pc"]
                table[pc] = [Frame(g["function"], g["file"], g["line"], g["entry"],
                                   start_lines.get(g["function"], 0)) for g in group]
                physical.append(pc)
                group = []
        if size is None:
            size = r["alloc_bytes"] // r["alloc"] if r["alloc"] else 0
        out.append(MemProfileRecord(size, r["alloc"], r["free"], tuple(physical)))
    return out, LiveSymtab(table, start, limit, path)


def parse_memstats(text: str) -> tuple[MemStats, int | None]:
    ms = MemStats()
    rss = None
    for name, value in re.findall(r"^# (\w+) = (.*)$", text, re.M):
        if name == "MaxRSS":
            rss = int(value)
        elif name in ("Stack", "MSpan", "MCache"):
            a, b = value.split(" / ")
            setattr(ms, name + "Inuse", int(a))
            setattr(ms, name + "Sys", int(b))
        elif name in ("PauseNs", "PauseEnd"):
            setattr(ms, name, [int(v) for v in value.strip("[]").split()])
        elif name == "GCCPUFraction":
            ms.GCCPUFraction = float(value)
        elif name == "DebugGC":
            ms.DebugGC = value == "true"
        else:
            setattr(ms, name, int(value))
    return ms, rss


@requires_go
@pytest.mark.realgo
def test_live_text_byte_for_byte(live):
    text = live["text"]
    n = len(re.findall(r"^\d+: \d+ \[\d+: \d+\] @", text, re.M))
    records, symtab = live_inputs(live, n)
    memstats, rss = parse_memstats(text.split("\n# runtime.MemStats\n", 1)[1])
    got = pprof.write_heap_text(records, live["rate"], memstats, symtab, rss).decode()
    assert got == text


def _fields_before_time(data: bytes) -> list[tuple[int, bytes]]:
    raw = zlib.decompress(data, 16 + zlib.MAX_WBITS)
    out = []
    for num, _, v in pprof._fields(raw):
        if num == 9:
            break
        out.append((num, v))
    return out


@requires_go
@pytest.mark.realgo
@pytest.mark.parametrize("probe", ["live", "live_inlined"])
def test_live_proto_matches_go(probe, request):
    # Fake inline PCs never reach the proto (a Location is at its physical PC - 1), so the
    # default build with inlining must match byte for byte too.
    live = request.getfixturevalue(probe)
    go_data = base64.b64decode(live["proto"])
    go = pprof.read_profile(go_data)
    records, symtab = live_inputs(live, len(go.samples), go, allow_inlined=probe == "live_inlined")
    if probe == "live_inlined":
        assert any(len(loc.lines) > 1 for loc in go.locations), "no inlined frames in the probe"
    ours_data = pprof.write_heap_proto(records, live["rate"], symtab, "", go.time_nanos)
    ours = pprof.read_profile(ours_data)
    # everything up to the time field, byte for byte: header, samples, locations, functions
    assert _fields_before_time(ours_data) == _fields_before_time(go_data)
    # after it: Go's strings end with those of its extra mappings (build ID, [vdso], ...)
    assert go.string_table[:len(ours.string_table)] == ours.string_table
    assert ours.mappings[0].filename == go.mappings[0].filename
    assert ours.mappings[0].has_functions and go.mappings[0].has_functions


def _normalize_fakes(text: str, fakes: set[int]) -> str:
    """Fake inline PCs (and their frames' offsets) replaced by "F", runs of tabs by one tab."""
    out = []
    for line in text.split("\n"):
        if re.match(r"^\d+: \d+ \[\d+: \d+\] @", line):
            head, pcs = line.split(" @", 1)
            line = head + " @" + "".join(" F" if int(t, 16) in fakes else f" {t}" for t in pcs.split())
        elif line.startswith("#\t0x"):
            cells = line.split("\t")
            if int(cells[1], 16) + 1 in fakes:
                cells[1] = "F"
                cells[2] = re.sub(r"\+0x[0-9a-f]+$", "+F", cells[2])
            line = "\t".join(cells)
        out.append(re.sub(r"\t+", "\t", line))
    return "\n".join(out)


@requires_go
@pytest.mark.realgo
def test_live_text_with_inlining(live_inlined):
    # Go's fake PCs (inline mark + 1) differ from the model's (pc + i), and with them the
    # "+0x.." offsets and so possibly the tab padding; all else must be equal.
    live = live_inlined
    text = live["text"]
    n = len(re.findall(r"^\d+: \d+ \[\d+: \d+\] @", text, re.M))
    records, symtab = live_inputs(live, n, allow_inlined=True)
    memstats, rss = parse_memstats(text.split("\n# runtime.MemStats\n", 1)[1])
    got = pprof.write_heap_text(records, live["rate"], memstats, symtab, rss).decode()

    go_fakes = set()
    for r in live["records"][len(live["records"]) - n:]:
        stack = r["stack"]
        go_fakes |= {e["pc"] for i, e in enumerate(stack)
                     if i > 0 and stack[i - 1]["inlined"] and stack[i - 1]["entry"] == e["entry"]}
    model_fakes = {pc + i for pc, frames in symtab._frames.items() for i in range(1, len(frames))}
    assert go_fakes and model_fakes, "no inlined frames in the probe"
    assert _normalize_fakes(got, model_fakes) == _normalize_fakes(text, go_fakes)
