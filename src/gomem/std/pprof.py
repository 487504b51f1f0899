"""The model's ``runtime/pprof`` output for the heap and allocs profiles, and the CPU profile.

Pure formatting: the runtime side hands over the memory-profile buckets as
:class:`MemProfileRecord` (in its bucket-list order), a :class:`Symbolizer`
that turns model PCs into Go frames, and for the text form the
``runtime.MemStats``; this module produces the bytes Go 1.27 writes.

Which Go code each part follows (``$GOROOT/src/runtime/pprof`` unless said):

- :func:`callers_stack` -- the stack as ``runtime.Callers`` records it in a
  profile bucket (``runtime.tracebackPCs``): every physical return PC, then one
  extra "fake" PC for each caller frame inlined at it.
- :class:`TabWriter` -- ``text/tabwriter.Writer`` for the settings pprof uses
  (``NewWriter(w, 1, 8, 1, '\\t', 0)``): cells end at ``\\t``, a column block is
  a run of lines that have a cell in that column, padding is done with tabs,
  and a line without any tab flushes everything buffered so far.
- :func:`write_heap_text` -- ``writeHeapInternal`` with ``debug != 0``
  (``Lookup("heap").WriteTo(w, 1)``; the allocs profile prints the same text),
  with ``printStackRecord`` (:func:`print_stack_record`) and ``addMaxRSS``.
- :func:`write_heap_proto` -- ``writeHeapProto`` (protomem.go) on top of
  ``profileBuilder`` (proto.go: ``appendLocsForStack``, ``pcDeck``,
  ``emitLocation``, ``build``) and the hand-rolled encoder of protobuf.go,
  gzip-compressed as ``gzip.NewWriterLevel(w, gzip.BestSpeed)`` does.
- :func:`write_cpu_proto` -- the CPU profile ``profileWriter`` writes at ``StopCPUProfile``
  (proto.go ``addCPUData`` and ``build`` with a period), on the same builder; the samples come
  from :mod:`gomem.runtime.cpuprof` (model CPU time).
- :func:`read_profile` -- a small decoder of that output (for tests and tools;
  Go has no counterpart in runtime/pprof).

Simplifications, all where the model has less information than a real binary:

- Go gives an inlined caller frame the fake PC "inline-mark PC + 1", where the
  inline mark is an instruction of the physical function attributed to the
  call site; that PC is unrelated to the return PC (real Go 1.27 output shows
  fakes both below and above it).  The model has no inline marks, so the i-th
  caller frame at return PC ``pc`` gets the fake PC ``pc + i``.  Only the
  numbers differ: each fake still prints as its own ``#`` line and still folds
  into its physical PC's Location in the proto.
- The last frame :meth:`Symbolizer.frames` returns is taken as the physical
  one.  Go also elides wrapper functions (a method value's ``-fm`` wrapper,
  say) while keeping what is inlined into them, so there the last frame it
  reports is itself inlined; the output is the same either way, because the
  next PC then belongs to another function.
- Go's buckets hold the expanded list truncated to ``debug.profstackdepth``
  (128) entries, and ``appendLocsForStack`` restores inlined callers cut off
  at the end; the model expands physical PCs completely, so nothing is cut.
- ``runtime.FuncForPC(addr)``, which ``writeHeapProto`` uses to trim leading
  runtime frames, resolves the instruction *at* the return address; the model
  uses the frame of the call itself (the frame printed for that PC).
- Function names: Go puts ``runtime_FrameSymbolName`` (for generic functions
  the shape-instantiated symbol) into the proto and ``Frame.Function`` (with
  ``[...]``) into the text; the model's Frame has one name, used for both.
- The proto has one Mapping, the main binary ``[text_start, text_end)``, with
  file offset 0 and no build ID (Go lists every executable mapping of
  /proc/self/maps -- also [vdso] and [vsyscall] -- and the ELF build ID).
- The gzip container (header bytes, CRC, size) is Go's; the deflate stream in
  it is zlib's level 1, not Go's BestSpeed encoder, so the compressed bytes
  differ while the decompressed profile is byte-for-byte what Go would write.
"""

from __future__ import annotations

import math
import struct
import zlib
from dataclasses import dataclass, field

from ..runtime.mprof import MemRecord
from ..runtime.symtab import Frame
from typing import TYPE_CHECKING, Iterable, NamedTuple, Protocol, Sequence

from gomem.std.sort import pdqsort
from gomem.std.strconv import format_float_str

if TYPE_CHECKING:
    from gomem.runtime.mstats import MemStats

__all__ = [
    "Frame", "Symbolizer", "MemProfileRecord", "CallerPC", "callers_stack",
    "TabWriter", "write_heap_text", "scale_heap_sample", "write_heap_proto", "write_cpu_proto",
    "read_profile", "Profile", "ValueType", "Sample", "Label", "Mapping",
    "Location", "Line", "Function",
]

_U64 = (1 << 64) - 1


# --- the interface with the runtime side ------------------------------------------------


class Symbolizer(Protocol):
    binary_path: str   # the executable's path (profile.proto Mapping.filename)
    text_start: int    # the text segment [start, end) (Mapping memory_start/limit)
    text_end: int

    def frames(self, pc: int) -> list[Frame]:
        """The Go frames of the call before return PC ``pc`` (the call is at pc-1),
        innermost inlined callee first, the physical function last; [] if unknown."""
        ...


#: ``runtime.MemProfileRecord``: one bucket of the memory profile, as the runtime's profile returns it
MemProfileRecord = MemRecord


# --- the stack as runtime.Callers gives it ------------------------------------------------


class CallerPC(NamedTuple):
    """One entry of a ``runtime.Callers`` PC list and the frame ``CallersFrames``
    yields for it."""

    pc: int                 # the value in the list: a return PC or a fake inlined-caller PC
    frame: Frame | None     # None: the PC is in no known function
    inlined: bool           # the frame is inlined at this PC (Go's Frame.Func == nil)
    entry: int              # entry PC of the physical function (Go's Frame.Entry); 0 if unknown

    @property
    def call_pc(self) -> int:
        """Go's ``Frame.PC``: the list value minus one (the call, or the inline mark)."""
        return self.pc - 1


def callers_stack(stack: Iterable[int], symtab: Symbolizer) -> list[CallerPC]:
    """Expand physical return PCs (leaf first) into the list Go's profiler records.

    For a return PC whose frames are ``[f0, ..., fk]`` (f0 innermost, fk the
    physical function) the list gets ``pc`` (f0) and then one fake PC per
    caller inlined there (``pc + i`` for fi, see the module docstring).  Go
    measures every one of these frames' offsets from the physical function's
    entry, so that entry is used whatever an inlined Frame carries.
    """
    out: list[CallerPC] = []
    for pc in stack:
        frames = symtab.frames(pc)
        if not frames:
            out.append(CallerPC(pc, None, False, 0))
            continue
        entry = frames[-1].entry
        last = len(frames) - 1
        for i, fr in enumerate(frames):
            out.append(CallerPC(pc + i, fr, i < last, entry))
    return out


def _is_runtime(name: str) -> bool:
    return name.startswith("runtime.") or name.startswith("internal/runtime/")


# --- text/tabwriter -----------------------------------------------------------------------


@dataclass
class _Cell:
    text: str
    htab: bool   # terminated by a tab (kept for fidelity with tabwriter's cell)

    @property
    def width(self) -> int:
        return len(self.text)   # tabwriter counts runes; a Python str is runes


class TabWriter:
    """``text/tabwriter`` for flags 0, without escapes, ``\\v`` or ``\\f`` (pprof's use).

    Text is split into cells at tabs and into lines at newlines; the last cell
    of a line is not part of any column.  A column's width is the widest cell
    in its block of consecutive lines, plus *padding*, at least *minwidth*;
    with a tab as pad character a cell is padded to that width rounded up to
    a multiple of *tabwidth*, with as many tabs as it takes.  A line holding a
    single cell (no tab) ends all blocks: everything buffered is written out.
    """

    def __init__(self, minwidth: int = 1, tabwidth: int = 8, padding: int = 1, padchar: str = "\t"):
        self.minwidth, self.tabwidth, self.padding, self.padchar = minwidth, tabwidth, padding, padchar
        self._out: list[str] = []
        self._reset()

    def _reset(self) -> None:
        self._lines: list[list[_Cell]] = [[]]
        self._cell = ""             # the incomplete cell being written
        self._widths: list[int] = []

    def write(self, text: str) -> None:
        start = 0
        for i, ch in enumerate(text):
            if ch != "\t" and ch != "\n":
                continue
            self._cell += text[start:i]
            start = i + 1
            ncells = self._terminate_cell(ch == "\t")
            if ch == "\n":
                self._lines.append([])
                if ncells == 1:
                    self._flush_lines()
        self._cell += text[start:]

    def flush(self) -> None:
        self._flush_lines()

    def getvalue(self) -> str:
        return "".join(self._out)

    def _terminate_cell(self, htab: bool) -> int:
        line = self._lines[-1]
        line.append(_Cell(self._cell, htab))
        self._cell = ""
        return len(line)

    def _flush_lines(self) -> None:
        if self._cell:
            self._terminate_cell(False)
        self._format(0, len(self._lines))
        self._reset()

    def _format(self, line0: int, line1: int) -> None:
        """Write lines [line0, line1), resolving column ``len(self._widths)`` and deeper."""
        column = len(self._widths)
        this = line0
        while this < line1:
            if column >= len(self._lines[this]) - 1:
                this += 1
                continue
            # A block of lines with a cell in this column starts here.
            self._write_lines(line0, this)
            line0 = this
            width = self.minwidth
            while this < line1:
                line = self._lines[this]
                if column >= len(line) - 1:
                    break
                width = max(width, line[column].width + self.padding)
                this += 1
            self._widths.append(width)
            self._format(line0, this)
            self._widths.pop()
            line0 = this
            this += 1   # the line that ended the block has no cell here
        self._write_lines(line0, line1)

    def _write_lines(self, line0: int, line1: int) -> None:
        out = self._out
        for i in range(line0, line1):
            for j, c in enumerate(self._lines[i]):
                out.append(c.text)
                if j < len(self._widths):
                    self._write_padding(c.width, self._widths[j])
            if i + 1 == len(self._lines):
                out.append(self._cell)   # the unfinished last line
            else:
                out.append("\n")

    def _write_padding(self, textw: int, cellw: int) -> None:
        if self.padchar == "\t":
            if self.tabwidth == 0:
                return
            cellw = -(-cellw // self.tabwidth) * self.tabwidth
            self._out.append("\t" * -(-(cellw - textw) // self.tabwidth))
        else:
            self._out.append(self.padchar * (cellw - textw))


# --- the text format (debug=1) ------------------------------------------------------------


def _sort_by_in_use_bytes(records: list[MemProfileRecord]) -> None:
    """``slices.SortFunc(p, cmp.Compare(a.InUseBytes(), b.InUseBytes()))``: Go's pdqsort
    (slices' zsortanyfunc runs the same comparisons and swaps as sort's zsortfunc)."""
    def less(i: int, j: int) -> bool:
        return records[i].in_use_bytes < records[j].in_use_bytes

    def swap(i: int, j: int) -> None:
        records[i], records[j] = records[j], records[i]

    pdqsort(less, swap, len(records))


def print_stack_record(w: TabWriter, stk: Sequence[CallerPC], all_frames: bool) -> None:
    """``printStackRecord``: one ``#`` line per frame, hiding runtime.goexit and the
    leading runtime frames -- unless that would hide everything."""
    show = all_frames
    for e in stk:
        if e.frame is None:
            continue   # CallersFrames yields nothing for a PC outside every function
        name = e.frame.function
        if name == "":
            show = True
            w.write(f"#\t{e.call_pc:#x}\n")
        elif name != "runtime.goexit" and (show or not _is_runtime(name)):
            show = True
            off = (e.call_pc - e.entry) & _U64
            w.write(f"#\t{e.call_pc:#x}\t{name}+{off:#x}\t{e.frame.file}:{e.frame.line}\n")
    if not show:
        print_stack_record(w, stk, True)
        return
    w.write("\n")


def _go_array(values: Sequence[int]) -> str:
    return "[" + " ".join(str(v) for v in values) + "]"


def _go_bool(v: bool) -> str:
    return "true" if v else "false"


def write_heap_text(records: Iterable[MemProfileRecord], rate: int, memstats: MemStats, symtab: Symbolizer,
                    max_rss: int | None) -> bytes:
    """What ``pprof.Lookup("heap").WriteTo(w, 1)`` prints.

    *records* in the runtime's bucket order, *rate* ``runtime.MemProfileRate``,
    *memstats* a :class:`gomem.runtime.mstats.MemStats` (read before the
    profile, as Go does), *max_rss* in bytes (None: getrusage failed, no line).
    """
    p = list(records)
    _sort_by_in_use_bytes(p)

    tw = TabWriter(1, 8, 1, "\t")

    alloc_objects = sum(r.alloc_objects for r in p)
    free_objects = sum(r.free_objects for r in p)
    alloc_bytes = sum(r.alloc_objects * r.size for r in p)
    free_bytes = sum(r.free_objects * r.size for r in p)
    in_use_bytes = alloc_bytes - free_bytes
    # pprof takes alloc == inuse in the header for a 2-column profile; Go avoids that.
    header_alloc_bytes = alloc_bytes + 1 if in_use_bytes == alloc_bytes else alloc_bytes
    # 2*rate: what the old C++ heap profiler wrote and pprof still expects.
    tw.write(f"heap profile: {alloc_objects - free_objects}: {in_use_bytes} "
             f"[{alloc_objects}: {header_alloc_bytes}] @ heap/{2 * rate}\n")

    for r in p:
        stk = callers_stack(r.stack, symtab)
        pcs = "".join(f" {e.pc:#x}" for e in stk)
        tw.write(f"{r.in_use_objects}: {r.in_use_bytes} [{r.alloc_objects}: {r.alloc_bytes}] @{pcs}\n")
        print_stack_record(tw, stk, False)

    s = memstats
    lines = [
        "",
        "# runtime.MemStats",
        f"# Alloc = {s.Alloc}",
        f"# TotalAlloc = {s.TotalAlloc}",
        f"# Sys = {s.Sys}",
        f"# Lookups = {s.Lookups}",
        f"# Mallocs = {s.Mallocs}",
        f"# Frees = {s.Frees}",
        f"# HeapAlloc = {s.HeapAlloc}",
        f"# HeapSys = {s.HeapSys}",
        f"# HeapIdle = {s.HeapIdle}",
        f"# HeapInuse = {s.HeapInuse}",
        f"# HeapReleased = {s.HeapReleased}",
        f"# HeapObjects = {s.HeapObjects}",
        f"# Stack = {s.StackInuse} / {s.StackSys}",
        f"# MSpan = {s.MSpanInuse} / {s.MSpanSys}",
        f"# MCache = {s.MCacheInuse} / {s.MCacheSys}",
        f"# BuckHashSys = {s.BuckHashSys}",
        f"# GCSys = {s.GCSys}",
        f"# OtherSys = {s.OtherSys}",
        f"# NextGC = {s.NextGC}",
        f"# LastGC = {s.LastGC}",
        f"# PauseNs = {_go_array(s.PauseNs)}",
        f"# PauseEnd = {_go_array(s.PauseEnd)}",
        f"# NumGC = {s.NumGC}",
        f"# NumForcedGC = {s.NumForcedGC}",
        f"# GCCPUFraction = {format_float_str(s.GCCPUFraction, 'g', -1, 64)}",
        f"# DebugGC = {_go_bool(s.DebugGC)}",
    ]
    if max_rss is not None:
        lines.append(f"# MaxRSS = {max_rss}")
    tw.write("\n".join(lines) + "\n")
    tw.flush()
    return tw.getvalue().encode()


# --- protobuf encoding (protobuf.go) ------------------------------------------------------


class _ProtoBuf:
    """Go's minimal protobuf writer; nested messages are built in their own buffer and
    spliced in with their length, giving the same bytes as Go's in-place shuffle."""

    def __init__(self) -> None:
        self._stack: list[bytearray] = [bytearray()]

    @property
    def data(self) -> bytearray:
        return self._stack[0]

    def _varint(self, x: int) -> None:
        buf = self._stack[-1]
        x &= _U64
        while x >= 0x80:
            buf.append((x & 0x7F) | 0x80)
            x >>= 7
        buf.append(x)

    def _length(self, tag: int, n: int) -> None:
        self._varint(tag << 3 | 2)
        self._varint(n)

    def uint64(self, tag: int, x: int) -> None:
        self._varint(tag << 3)
        self._varint(x)

    int64 = uint64   # a negative int64 goes out as its two's-complement uint64

    def uint64_opt(self, tag: int, x: int) -> None:
        if x != 0:
            self.uint64(tag, x)

    int64_opt = uint64_opt

    def uint64s(self, tag: int, xs: Sequence[int]) -> None:
        if len(xs) > 2:   # packed
            self._stack.append(bytearray())
            for x in xs:
                self._varint(x)
            packed = self._stack.pop()
            self._length(tag, len(packed))
            self._stack[-1] += packed
        else:
            for x in xs:
                self.uint64(tag, x)

    int64s = uint64s

    def string(self, tag: int, s: str) -> None:
        b = s.encode()
        self._length(tag, len(b))
        self._stack[-1] += b

    def bool(self, tag: int, x: bool) -> None:
        self.uint64(tag, 1 if x else 0)

    def start_message(self) -> None:
        self._stack.append(bytearray())

    def end_message(self, tag: int) -> None:
        body = self._stack.pop()
        self._length(tag, len(body))
        self._stack[-1] += body


# field numbers of profile.proto
_PROFILE_SAMPLE_TYPE, _PROFILE_SAMPLE, _PROFILE_MAPPING, _PROFILE_LOCATION = 1, 2, 3, 4
_PROFILE_FUNCTION, _PROFILE_STRING_TABLE = 5, 6
_PROFILE_TIME_NANOS, _PROFILE_DURATION_NANOS, _PROFILE_PERIOD_TYPE, _PROFILE_PERIOD = 9, 10, 11, 12
_PROFILE_DEFAULT_SAMPLE_TYPE = 14
_VALUETYPE_TYPE, _VALUETYPE_UNIT = 1, 2
_SAMPLE_LOCATION, _SAMPLE_VALUE, _SAMPLE_LABEL = 1, 2, 3
_LABEL_KEY, _LABEL_STR, _LABEL_NUM = 1, 2, 3
_MAPPING_ID, _MAPPING_START, _MAPPING_LIMIT, _MAPPING_OFFSET = 1, 2, 3, 4
_MAPPING_FILENAME, _MAPPING_BUILD_ID, _MAPPING_HAS_FUNCTIONS = 5, 6, 7
_LOCATION_ID, _LOCATION_MAPPING_ID, _LOCATION_ADDRESS, _LOCATION_LINE = 1, 2, 3, 4
_LINE_FUNCTION_ID, _LINE_LINE = 1, 2
_FUNCTION_ID, _FUNCTION_NAME, _FUNCTION_SYSTEM_NAME, _FUNCTION_FILENAME, _FUNCTION_START_LINE = 1, 2, 3, 4, 5

# symbolizeFlag
_LOOKUP_TRIED = 1
_LOOKUP_FAILED = 2


# --- profileBuilder (proto.go) ------------------------------------------------------------


class _LocFrame(NamedTuple):
    """A ``runtime.Frame`` as ``allFrames`` returns it for one list entry."""

    pc: int            # Frame.PC
    function: str
    file: str
    line: int
    start_line: int
    entry: int
    physical: bool     # Frame.Func != nil


@dataclass
class _LocInfo:
    id: int
    pcs: list[int]                     # the list entries folded into this Location
    first_pc_frames: list[_LocFrame]
    first_pc_symbolize_result: int


@dataclass
class _PCDeck:
    """Collects the entries of one physical PC (the PC and its fake inlined-caller PCs)."""

    pcs: list[int] = field(default_factory=list)
    frames: list[_LocFrame] = field(default_factory=list)
    symbolize_result: int = 0
    first_pc_frames: int = 0
    first_pc_symbolize_result: int = 0

    def reset(self) -> None:
        self.pcs.clear()
        self.frames.clear()
        self.symbolize_result = 0
        self.first_pc_frames = 0
        self.first_pc_symbolize_result = 0

    def try_add(self, pc: int, frames: list[_LocFrame], symbolize_result: int) -> bool:
        if self.frames:
            new, last = frames[0], self.frames[-1]
            if last.physical:
                return False   # the physical frame closes the group
            if last.entry == 0 or new.entry == 0:
                return False   # maybe not a Go function
            if last.entry != new.entry:
                return False   # a different physical function
            if last.function == new.function:
                return False   # maybe recursion, inlining is never directly recursive
        self.pcs.append(pc)
        self.frames.extend(frames)
        self.symbolize_result |= symbolize_result
        if len(self.pcs) == 1:
            self.first_pc_frames = len(self.frames)
            self.first_pc_symbolize_result = symbolize_result
        return True


def _all_frames(e: CallerPC) -> tuple[list[_LocFrame], int]:
    """``allFrames``: the frames ``CallersFrames([]uintptr{addr})`` yields for one entry
    (one frame: a lone PC is not expanded further), [] for runtime.goexit."""
    if e.frame is None:
        # Unresolved: make up the call PC, record the failed lookup.
        return [_LocFrame(e.pc - 1, "", "", 0, 0, 0, False)], _LOOKUP_TRIED | _LOOKUP_FAILED
    fr = e.frame
    if fr.function == "runtime.goexit":
        return [], 0
    result = _LOOKUP_TRIED
    if fr.function == "" or fr.file == "" or fr.line == 0:
        result |= _LOOKUP_FAILED
    return [_LocFrame(e.call_pc, fr.function, fr.file, fr.line, fr.start_line, e.entry, not e.inlined)], result


class _ProfileBuilder:
    def __init__(self, symtab: Symbolizer) -> None:
        self.pb = _ProtoBuf()
        self.strings: list[str] = [""]
        self._string_index: dict[str, int] = {"": 0}
        self.locs: dict[int, _LocInfo] = {}
        self.funcs: dict[str, int] = {}
        self.deck = _PCDeck()
        self.symtab = symtab
        self.mapping_funcs = 0   # symbolizeFlag accumulated over the mapping's locations

    def string_index(self, s: str) -> int:
        i = self._string_index.get(s)
        if i is None:
            i = len(self.strings)
            self.strings.append(s)
            self._string_index[s] = i
        return i

    def value_type(self, tag: int, typ: str, unit: str) -> None:
        self.pb.start_message()
        self.pb.int64(_VALUETYPE_TYPE, self.string_index(typ))
        self.pb.int64(_VALUETYPE_UNIT, self.string_index(unit))
        self.pb.end_message(tag)

    def sample(self, values: Sequence[int], locs: Sequence[int], label_key: str | None, label_num: int = 0) -> None:
        """``pbSample``, with one numeric label (the heap profile's ``bytes``) unless *label_key* is None."""
        self.pb.start_message()
        self.pb.int64s(_SAMPLE_VALUE, values)
        self.pb.uint64s(_SAMPLE_LOCATION, locs)
        if label_key is not None:
            self.pb.start_message()
            self.pb.int64_opt(_LABEL_KEY, self.string_index(label_key))
            self.pb.int64_opt(_LABEL_STR, self.string_index(""))
            self.pb.int64_opt(_LABEL_NUM, label_num)
            self.pb.end_message(_SAMPLE_LABEL)
        self.pb.end_message(_PROFILE_SAMPLE)

    def append_locs_for_stack(self, stk: list[CallerPC]) -> list[int]:
        """``appendLocsForStack``: Location IDs for a Callers list, folding each
        physical PC and its fake inlined-caller PCs into one Location.  (Go first
        restores inlined callers lost to depth truncation of the last PC; the
        model's lists are always complete.)"""
        locs: list[int] = []
        deck = self.deck
        deck.reset()
        i = 0
        while i < len(stk):
            e = stk[i]
            cached = self.locs.get(e.pc)
            if cached is not None:
                # A cached leaf PC may still be a fake PC continuing the deck.
                if deck.pcs and deck.try_add(e.pc, cached.first_pc_frames, cached.first_pc_symbolize_result):
                    i += 1
                    continue
                if (loc_id := self.emit_location()) > 0:
                    locs.append(loc_id)
                locs.append(cached.id)
                i += len(cached.pcs)
                continue

            frames, result = _all_frames(e)
            if not frames:   # runtime.goexit
                if (loc_id := self.emit_location()) > 0:
                    locs.append(loc_id)
                i += 1
                continue
            if deck.try_add(e.pc, frames, result):
                i += 1
                continue
            # Not part of the deck's physical PC: flush the deck, then retry this entry.
            if (loc_id := self.emit_location()) > 0:
                locs.append(loc_id)
            cached = self.locs.get(e.pc)
            if cached is not None:
                locs.append(cached.id)
                i += len(cached.pcs)
            else:
                deck.try_add(e.pc, frames, result)
                i += 1
        if (loc_id := self.emit_location()) > 0:
            locs.append(loc_id)
        return locs

    def emit_location(self) -> int:
        """``emitLocation``: write the deck as one Location (lines leaf first), then any
        Function it mentions for the first time; return its ID (0: empty deck)."""
        deck = self.deck
        if not deck.pcs:
            return 0
        addr = deck.pcs[0]
        loc_id = len(self.locs) + 1
        self.locs[addr] = _LocInfo(loc_id, list(deck.pcs), list(deck.frames[:deck.first_pc_frames]),
                                   deck.first_pc_symbolize_result)
        new_funcs: list[tuple[int, _LocFrame]] = []
        pb = self.pb
        pb.start_message()
        pb.uint64_opt(_LOCATION_ID, loc_id)
        pb.uint64_opt(_LOCATION_ADDRESS, deck.frames[0].pc)
        for fr in deck.frames:
            func_id = self.funcs.get(fr.function, 0)
            if func_id == 0:
                func_id = len(self.funcs) + 1
                self.funcs[fr.function] = func_id
                new_funcs.append((func_id, fr))
            pb.start_message()
            pb.uint64_opt(_LINE_FUNCTION_ID, func_id)
            pb.int64_opt(_LINE_LINE, fr.line)
            pb.end_message(_LOCATION_LINE)
        if self.symtab.text_start <= addr < self.symtab.text_end:
            pb.uint64_opt(_LOCATION_MAPPING_ID, 1)
            self.mapping_funcs |= deck.symbolize_result
        pb.end_message(_PROFILE_LOCATION)

        for func_id, fr in new_funcs:
            pb.start_message()
            pb.uint64_opt(_FUNCTION_ID, func_id)
            pb.int64_opt(_FUNCTION_NAME, self.string_index(fr.function))
            pb.int64_opt(_FUNCTION_SYSTEM_NAME, self.string_index(fr.function))
            pb.int64_opt(_FUNCTION_FILENAME, self.string_index(fr.file))
            pb.int64_opt(_FUNCTION_START_LINE, fr.start_line)
            pb.end_message(_PROFILE_FUNCTION)
        deck.reset()
        return loc_id

    def build(self, time_nanos: int, duration_nanos: int) -> bytes:
        """``build`` (heap case: no CPU sample types): time, the mapping, the string table;
        then gzip."""
        pb = self.pb
        pb.int64_opt(_PROFILE_TIME_NANOS, time_nanos)
        pb.int64_opt(_PROFILE_DURATION_NANOS, duration_nanos)
        return self.finish()

    def finish(self) -> bytes:
        """The end of ``build``: the mapping and the string table; then gzip."""
        pb = self.pb
        has_functions = self.mapping_funcs == _LOOKUP_TRIED   # tried, none failed
        pb.start_message()
        pb.uint64_opt(_MAPPING_ID, 1)
        pb.uint64_opt(_MAPPING_START, self.symtab.text_start)
        pb.uint64_opt(_MAPPING_LIMIT, self.symtab.text_end)
        pb.uint64_opt(_MAPPING_OFFSET, 0)
        pb.int64_opt(_MAPPING_FILENAME, self.string_index(self.symtab.binary_path))
        pb.int64_opt(_MAPPING_BUILD_ID, self.string_index(""))
        if has_functions:
            pb.bool(_MAPPING_HAS_FUNCTIONS, True)
        pb.end_message(_PROFILE_MAPPING)
        for s in self.strings:
            pb.string(_PROFILE_STRING_TABLE, s)
        return _gzip_best_speed(bytes(pb.data))


def _gzip_best_speed(data: bytes) -> bytes:
    """A gzip member as Go's ``gzip.NewWriterLevel(w, BestSpeed)`` frames it: no name,
    zero mtime, XFL 4 (fastest), OS 255 (unknown)."""
    comp = zlib.compressobj(1, zlib.DEFLATED, -zlib.MAX_WBITS)
    body = comp.compress(data) + comp.flush()
    header = b"\x1f\x8b\x08\x00" + b"\x00\x00\x00\x00" + b"\x04\xff"
    trailer = struct.pack("<II", zlib.crc32(data) & 0xFFFFFFFF, len(data) & 0xFFFFFFFF)
    return header + body + trailer


# --- writeHeapProto (protomem.go) ---------------------------------------------------------


def scale_heap_sample(count: int, avg_size: int, rate: int) -> tuple[int, int]:
    """``scaleHeapSample``: undo the sampling of a Poisson process with mean *rate*;
    an object of size S is sampled with probability 1-exp(-S/rate)."""
    if count == 0 or avg_size == 0:
        return 0, 0
    if rate <= 1:
        # rate 1 sampled everything; a smaller rate is unknown: no scaling.
        return count, count * avg_size
    scale = 1 / (1 - math.exp(-float(avg_size) / float(rate)))
    return _go_int64(float(count) * scale), _go_int64(float(count * avg_size) * scale)


def _go_int64(f: float) -> int:
    """``int64(f)`` for an in-range float: truncation toward zero."""
    return int(f)


def write_heap_proto(records: Iterable[MemProfileRecord], rate: int, symtab: Symbolizer,
                     default_sample_type: str, time_nanos: int, duration_nanos: int = 0) -> bytes:
    """The gzipped profile.proto of ``pprof.WriteHeapProfile`` / ``Lookup("heap").WriteTo(w, 0)``
    (*default_sample_type* "") or ``Lookup("allocs").WriteTo(w, 0)`` ("alloc_space").

    *records* in the runtime's bucket order (the proto keeps it), *rate*
    ``runtime.MemProfileRate``, *time_nanos* when the builder was created
    (``time.Now().UnixNano()``).  Go writes no duration for heap profiles;
    a non-zero *duration_nanos* is written after the time, as for CPU profiles.
    """
    b = _ProfileBuilder(symtab)
    b.value_type(_PROFILE_PERIOD_TYPE, "space", "bytes")
    b.pb.int64_opt(_PROFILE_PERIOD, rate)
    b.value_type(_PROFILE_SAMPLE_TYPE, "alloc_objects", "count")
    b.value_type(_PROFILE_SAMPLE_TYPE, "alloc_space", "bytes")
    b.value_type(_PROFILE_SAMPLE_TYPE, "inuse_objects", "count")
    b.value_type(_PROFILE_SAMPLE_TYPE, "inuse_space", "bytes")
    if default_sample_type != "":
        b.pb.int64_opt(_PROFILE_DEFAULT_SAMPLE_TYPE, b.string_index(default_sample_type))

    for r in records:
        full = callers_stack(r.stack, symtab)
        locs: list[int] = []
        hide_runtime = True
        for _ in range(2):
            stk = full
            if hide_runtime:
                # Drop the leading runtime frames (an unknown PC ends them); if every
                # frame is a runtime frame, nothing is dropped.
                for i, e in enumerate(full):
                    if e.frame is not None and _is_runtime(e.frame.function):
                        continue
                    stk = full[i:]
                    break
            locs = b.append_locs_for_stack(stk)
            if locs:
                break
            hide_runtime = False   # nothing left: show all frames this time
        values = [*scale_heap_sample(r.alloc_objects, r.size, rate),
                  *scale_heap_sample(r.in_use_objects, r.size, rate)]
        b.sample(values, locs, "bytes", r.size)
    return b.build(time_nanos, duration_nanos)


def write_count_proto(name: str, stacks: Iterable[tuple[int, list[CallerPC]]], symtab: Symbolizer,
                      time_nanos: int) -> bytes:
    """The gzipped profile.proto of a count profile at debug=0 (``printCountProfile``: the goroutine and
    goroutineleak profiles): period type and sample type *name*/``count``, period 1, one sample per distinct
    stack with its count, in *stacks*' order (most frequent first, as the caller sorted them)."""
    b = _ProfileBuilder(symtab)
    b.value_type(_PROFILE_PERIOD_TYPE, name, "count")
    b.pb.int64_opt(_PROFILE_PERIOD, 1)
    b.value_type(_PROFILE_SAMPLE_TYPE, name, "count")
    for count, stk in stacks:
        b.sample([count], b.append_locs_for_stack(stk), None)
    return b.build(time_nanos, 0)


# --- the CPU profile (proto.go: addCPUData, build) ---------------------------------------


def write_cpu_proto(samples: Iterable[tuple[Sequence[int], int]], period: int, symtab: Symbolizer,
                    time_nanos: int, duration_nanos: int) -> bytes:
    """The gzipped profile.proto ``pprof.StartCPUProfile``/``StopCPUProfile`` write.

    *samples*: (stack, count) in the order the stacks were first recorded (Go's ``profMap``
    keeps that order), each stack the return PCs ``sigprof`` records, leaf first; *period* the
    sampling period in ns (1e9 / ``hz``: 10 ms at pprof's 100 Hz); *time_nanos* when the profile
    started, *duration_nanos* how long it ran.  As ``profileBuilder.build`` with a period: time,
    the sample types ``samples/count`` and ``cpu/nanoseconds``, duration, period type
    ``cpu/nanoseconds`` and period, then each sample as values ``[count, count*period]`` with its
    locations and no label (the model's goroutines carry no profiler labels), then the mapping and
    the string table.  Unlike the heap profile, no runtime frame is trimmed and there is no
    ``default_sample_type``.
    """
    b = _ProfileBuilder(symtab)
    b.pb.int64_opt(_PROFILE_TIME_NANOS, time_nanos)
    b.value_type(_PROFILE_SAMPLE_TYPE, "samples", "count")
    b.value_type(_PROFILE_SAMPLE_TYPE, "cpu", "nanoseconds")
    b.pb.int64_opt(_PROFILE_DURATION_NANOS, duration_nanos)
    b.value_type(_PROFILE_PERIOD_TYPE, "cpu", "nanoseconds")
    b.pb.int64_opt(_PROFILE_PERIOD, period)
    for stack, count in samples:
        locs = b.append_locs_for_stack(callers_stack(stack, symtab))
        b.sample([count, count * period], locs, None)
    return b.finish()


# --- reading a profile back ---------------------------------------------------------------


@dataclass
class ValueType:
    type: str
    unit: str


@dataclass
class Label:
    key: str
    str: str
    num: int


@dataclass
class Sample:
    location_ids: list[int]
    values: list[int]
    labels: list[Label]


@dataclass
class Mapping:
    id: int
    memory_start: int
    memory_limit: int
    file_offset: int
    filename: str
    build_id: str
    has_functions: bool
    has_filenames: bool
    has_line_numbers: bool
    has_inline_frames: bool


@dataclass
class Line:
    function_id: int
    line: int


@dataclass
class Location:
    id: int
    mapping_id: int
    address: int
    lines: list[Line]


@dataclass
class Function:
    id: int
    name: str
    system_name: str
    filename: str
    start_line: int


@dataclass
class Profile:
    sample_types: list[ValueType]
    samples: list[Sample]
    mappings: list[Mapping]
    locations: list[Location]
    functions: list[Function]
    string_table: list[str]
    time_nanos: int
    duration_nanos: int
    period_type: ValueType | None
    period: int
    default_sample_type: str
    top_level_fields: list[int]   # field numbers of the Profile message, in stream order


def _fields(buf: bytes) -> list[tuple[int, int, int | bytes]]:
    """(field number, wire type, value) for each field of a message (varint and
    length-delimited only: all profile.proto uses)."""
    out = []
    i = 0

    def varint() -> int:
        nonlocal i
        x = shift = 0
        while True:
            c = buf[i]
            i += 1
            x |= (c & 0x7F) << shift
            shift += 7
            if c < 0x80:
                return x

    while i < len(buf):
        key = varint()
        num, wt = key >> 3, key & 7
        if wt == 0:
            out.append((num, wt, varint()))
        elif wt == 2:
            n = varint()
            out.append((num, wt, buf[i:i + n]))
            i += n
        else:
            raise ValueError(f"unsupported wire type {wt}")
    return out


def _varints(buf: bytes) -> list[int]:
    out, x, shift = [], 0, 0
    for c in buf:
        x |= (c & 0x7F) << shift
        shift += 7
        if c < 0x80:
            out.append(x)
            x = shift = 0
    return out


def _repeated(wt: int, v) -> list[int]:
    return _varints(v) if wt == 2 else [v]


def _signed(x: int) -> int:
    return x - (1 << 64) if x >> 63 else x


def read_profile(data: bytes) -> Profile:
    """Decode a (gzipped or plain) profile.proto, string indexes resolved."""
    if data[:2] == b"\x1f\x8b":
        data = zlib.decompress(data, 16 + zlib.MAX_WBITS)
    top = _fields(data)
    strings = [bytes(v).decode() for num, _, v in top if num == _PROFILE_STRING_TABLE]

    def s(i: int) -> str:
        return strings[i]

    def msg(v) -> dict[int, list]:
        d: dict[int, list] = {}
        for num, wt, x in _fields(v):
            d.setdefault(num, []).append((wt, x))
        return d

    def scalar(d, num, default=0):
        return d[num][-1][1] if num in d else default

    def ints(d, num) -> list[int]:
        return [y for wt, x in d.get(num, []) for y in _repeated(wt, x)]

    def value_type(v) -> ValueType:
        d = msg(v)
        return ValueType(s(scalar(d, _VALUETYPE_TYPE)), s(scalar(d, _VALUETYPE_UNIT)))

    prof = Profile([], [], [], [], [], strings, 0, 0, None, 0, "", [num for num, _, _ in top])
    for num, wt, v in top:
        if num == _PROFILE_SAMPLE_TYPE:
            prof.sample_types.append(value_type(v))
        elif num == _PROFILE_SAMPLE:
            d = msg(v)
            labels = []
            for _, lv in d.get(_SAMPLE_LABEL, []):
                ld = msg(lv)
                labels.append(Label(s(scalar(ld, _LABEL_KEY)), s(scalar(ld, _LABEL_STR)),
                                    _signed(scalar(ld, _LABEL_NUM))))
            prof.samples.append(Sample(ints(d, _SAMPLE_LOCATION),
                                       [_signed(x) for x in ints(d, _SAMPLE_VALUE)], labels))
        elif num == _PROFILE_MAPPING:
            d = msg(v)
            prof.mappings.append(Mapping(
                scalar(d, _MAPPING_ID), scalar(d, _MAPPING_START), scalar(d, _MAPPING_LIMIT),
                scalar(d, _MAPPING_OFFSET), s(scalar(d, _MAPPING_FILENAME)), s(scalar(d, _MAPPING_BUILD_ID)),
                bool(scalar(d, _MAPPING_HAS_FUNCTIONS)), bool(scalar(d, 8)), bool(scalar(d, 9)),
                bool(scalar(d, 10))))
        elif num == _PROFILE_LOCATION:
            d = msg(v)
            lines = []
            for _, lv in d.get(_LOCATION_LINE, []):
                ld = msg(lv)
                lines.append(Line(scalar(ld, _LINE_FUNCTION_ID), _signed(scalar(ld, _LINE_LINE))))
            prof.locations.append(Location(scalar(d, _LOCATION_ID), scalar(d, _LOCATION_MAPPING_ID),
                                           scalar(d, _LOCATION_ADDRESS), lines))
        elif num == _PROFILE_FUNCTION:
            d = msg(v)
            prof.functions.append(Function(
                scalar(d, _FUNCTION_ID), s(scalar(d, _FUNCTION_NAME)), s(scalar(d, _FUNCTION_SYSTEM_NAME)),
                s(scalar(d, _FUNCTION_FILENAME)), _signed(scalar(d, _FUNCTION_START_LINE))))
        elif num == _PROFILE_TIME_NANOS:
            prof.time_nanos = _signed(v)
        elif num == _PROFILE_DURATION_NANOS:
            prof.duration_nanos = _signed(v)
        elif num == _PROFILE_PERIOD_TYPE:
            prof.period_type = value_type(v)
        elif num == _PROFILE_PERIOD:
            prof.period = _signed(v)
        elif num == _PROFILE_DEFAULT_SAMPLE_TYPE:
            prof.default_sample_type = s(v)
    return prof
