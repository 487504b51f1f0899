"""Loading a Go program for the model, and the helpers its generated code calls.

:func:`load` parses, type checks and escape-analyses a ``package main``
-- one file, or a directory's files as the go command selects them (see
:mod:`gomem.compile.srcfiles`) -- with :mod:`gomem.compile`, generates Python for every function
(:mod:`.codegen`) and returns a :class:`GoProgram` whose :meth:`main` the
runtime starts as the main goroutine.  The program's output goes straight
to the process's stdout as it is printed (Go's ``os.Stdout`` is unbuffered);
an uncaught panic is :class:`GoPanic`, which the command line prints as Go
does and turns into exit status 2.
"""

from __future__ import annotations

import math
import os
import struct
import sys
from array import array
from typing import Callable, Optional

from ..runtime import speedups
from ..runtime import types as gotypes
from . import types as _T
from ..runtime.arena import ARENA_BASE_ADDR
from ..errors import BadInput
from . import display_name
from .check_base import CheckError, Unsupported
from .syntax import SyntaxErr
from .codegen import ProgramGen
from ..runtime.image import Image
from ..runtime.symtab import Symtab
from .srcfiles import line_of
from .layout import VIEW_FORMATS
from ..runtime.panics import NIL_DEREF, GoExit, GoPanic
from ..runtime.proc import GeneratedGoroutine, GreenStep, Procs
from ..runtime.chan import Chans
from ..runtime import iface, support
from ..runtime.defers import RETURN, Defers, GoReturn
from ..runtime import maps
from ..std import support_atomic, support_context, support_flag, support_pprof, support_std, support_sync, support_time
from ..std import fmt as gofmt
from ..std import strconv as SC
from .lib import FmtHost, Lib
from ..std.ppfree import Printers

_M64 = (1 << 64) - 1
#: how full the runtime's start-up leaves P 0's tiny block (measured: see Heap.adopt_startup_tiny_block)
STARTUP_TINY_OFFSET = 8
#: Python's recursion limit while generated code runs
PYTHON_RECURSION_LIMIT = 1_000_000


class GoProgram:
    """A compiled Go program: ``main(g, params)`` is the main goroutine."""

    def __init__(self, path: str, functions: dict[str, Callable], main_id: str):
        self.path = path
        # the binary's name: the file's without .go, or (go build ./DIR) the directory's
        self.name = os.path.splitext(os.path.basename(path))[0] if not os.path.isdir(path) else \
            os.path.basename(os.path.abspath(path))
        self.func_files: dict[str, str] = {}  # Go function name -> the absolute path of its file
        self.functions = functions
        self.main_id = main_id
        self.args: list[str] = []
        self.out = sys.stdout

    def workload(self):
        """The program as a :class:`gomem.workloads.Workload` (no parameters: it takes ``os.Args``)."""
        from ..workloads import Workload

        return Workload(self.path, f"the Go program {self.path}", self.main, ())

    def main(self, g, params=None):
        """The main goroutine: the run loop's iterator over its steps (its body runs in a greenlet)."""
        return GreenStep(self.main_body, g, params)

    def main_body(self, g, params=None):
        """The main goroutine's body: start-up, the package's initialisers, ``main.main``."""
        self.start(g.rt)
        g.__class__ = GeneratedGoroutine
        limit = sys.getrecursionlimit()
        # A Go call is a Python call of the generated code: Go's stacks grow to 1 GB, Python's
        # recursion limit must not be what stops a deep recursion first (CPython 3.11+ keeps
        # Python-to-Python calls off the C stack).
        sys.setrecursionlimit(max(limit, PYTHON_RECURSION_LIMIT))
        try:
            self.namespace["STATIC_INIT"](g)
            self.set_os_args(g)
            for fid in self.init_ids:  # the package's variable initialisers, then its init functions in order
                self.functions[fid](g)
            self.functions[self.main_id](g)
        except GoPanic as p:
            if not p.frames:
                p.frames = [f.name for f in reversed(g.stack.frames)]
            p.path = os.path.abspath(self.path)
            p.files = self.func_files
            raise
        finally:
            sys.setrecursionlimit(limit)
        return {"output": []}


    def set_os_args(self, g) -> None:
        """``os.Args``: the program's name and arguments, made on the heap as Go's start-up makes them.

        The runtime's ``goargs`` (schedinit) makes ``argslice = make([]string, argc)``, its strings
        pointing at the process's argv memory (``gostringnocopy``; here read-only data), held by a
        runtime global; the os package's init then copies it, ``Args = append([]string{}, argslice...)``
        (``os_runtime_args``): two objects whose size classes grow with the arguments.
        Simplification: Go makes the copy only when the os package is linked (through fmt, flag,
        os, ...); the model makes it for every program.
        """
        ns = self.namespace
        W = g.rt.words
        argv = [self.path] + list(self.args)
        words = []
        for a in argv:
            words += self.image.string(a.encode("utf-8", "surrogateescape"))
        argc = len(argv)
        argslice = g.alloc(16 * argc, gotypes.STRING)  # makeslice: exactly argc elements
        i = (argslice - ARENA_BASE_ADDR) >> 3
        W[i:i + 2 * argc] = array("Q", words)
        root = self.image.data.declare("runtime.argslice", gotypes.slice_of(gotypes.STRING)).addr
        j = (root - ARENA_BASE_ADDR) >> 3
        W[j:j + 3] = array("Q", (argslice, argc, argc))
        p, n, cap = ns["growslice"](g, (0, 0, 0), argc, gotypes.STRING, 16, False)
        i = (p - ARENA_BASE_ADDR) >> 3
        W[i:i + 2 * argc] = array("Q", words)
        a = (ns["GV_os_Args"] - ARENA_BASE_ADDR) >> 3
        W[a:a + 3] = array("Q", (p, n, cap))

    def start(self, rt) -> None:
        """Map the program's image into *rt*'s address space and point generated code at its memory."""
        ns = self.namespace
        image = Image(rt)
        rt.data = image.data  # the program's globals are the runtime's data segment (scanned as roots)
        mem = rt.heap.aspace.mem
        ns["W"] = rt.words
        for name, fmt in VIEW_FORMATS.items():
            if name != "W":
                ns[name] = memoryview(mem).cast(fmt)
        zerobase = image.rodata(bytes(8))
        static = image.rodata(b"".join(i.to_bytes(8, "little") for i in range(256)))
        ns.update(support.make_helpers(mem, rt.words, zerobase, static))
        ns.update(support_std.make_std_helpers(ns, image))
        ns.update(support_pprof.make_pprof_helpers(ns, image, self))
        ns.update(maps.make_helpers(rt, mem))  # the map runtime (maps.py)
        ns.update(support_flag.make_flag_helpers(ns, image, self))  # flag.CommandLine (after the maps)
        ns["ZEROBASE"] = zerobase
        ns["STATICBYTES"] = static
        ns.update(iface.make_conv_helpers(mem, rt.words, static, image.rodata(bytes(iface.ZERO_VAL_BYTES))))
        for data, name in ns["STRINGS"].items():
            ns[name] = image.string(data)
        self.image = image
        self.ifaces = iface.install(ns, image)
        ns["DEFERS"] = Defers(rt, image.data, ns)
        rt.procs = ns["PROCS"] = Procs(rt, image.data, GeneratedGoroutine)
        rt.procs.path, rt.procs.files = os.path.abspath(self.path), self.func_files
        rt.procs.symtab = self.symtab
        ns["CHANS"] = Chans(rt, image.data, rt.sched.rng.getrandbits(64))
        W, B = rt.words, ARENA_BASE_ADDR
        ns.update(support_sync.make_sync_helpers(ns, rt, ns["CHANS"].sudogs))
        ns.update(support_time.make_time_helpers(ns, rt, ns["CHANS"]))
        ns.update(support_context.make_context_helpers(ns, rt, ns["CHANS"]))
        ns.update(support_atomic.make_atomic_helpers(ns, rt))
        ns["GOFUNC"] = lambda g, fv: ns["CODE"][W[(fv - B) >> 3]](g, fv)  # a goroutine runs its func value
        ns["PROGRAM"] = self
        tables = ns["CLOSURE_TABLES"]
        code = ns["CODE"] = {}
        for name, pyname in tables["code"].items():
            ns[name] = image.rodata(bytes(8))
            code[ns[name]] = ns[pyname]
        for name, ca in tables["funcvals"].items():
            ns[name] = image.rodata(ns[ca].to_bytes(8, "little"))
        data = image.data
        for gv, (goname, rtype) in ns["GLOBALS"].items():
            ns[gv] = data.declare(goname, rtype).addr
        ns["GV_os_Args"] = data.declare("os.Args", gotypes.slice_of(gotypes.STRING)).addr
        self.start_memprofile(rt)
        statics = iter(range(1 << 62))
        ns["static_new"] = lambda rtype: data.declare(f"main..stmp_{next(statics)}", rtype).addr
        self.fmt_host = FmtHost(ns)
        rt.heap.adopt_startup_tiny_block(0, STARTUP_TINY_OFFSET)
        self.printers = Printers(rt, image.data, ns["growslice"], image.rodata(bytes(8)))


    def start_memprofile(self, rt) -> None:
        """The heap profile, kept if the run asked for one (``rt.memprof`` already set: ``--memprofile``),
        if the program links runtime/pprof, or if it names ``runtime.MemProfileRate``.  The variable
        starts at 512 KiB when memory profiling is linked, else at 0 (schedinit's
        ``disableMemoryProfiling``): a program that only sets it still samples from then on."""
        from ..runtime import mprof

        ns = self.namespace
        rate_var = next((gv for gv, (goname, _) in ns["GLOBALS"].items() if goname == "runtime.MemProfileRate"), None)
        linked = rt.memprof is not None or self.links_memprofile
        if not linked and rate_var is None:
            return
        if rt.memprof is not None:  # the run's own rate (--memprofilerate, as go test sets it before main)
            rate = rt.memprof.rate
        else:
            rate = mprof.DEFAULT_MEM_PROFILE_RATE if self.links_memprofile else 0
        if rt.memprof is None:
            mprof.attach(rt, self.symtab, rate, rt.sched.seed)
        mp = rt.memprof
        mp.symtab = self.symtab
        if rate_var is not None:
            i = (ns[rate_var] - ARENA_BASE_ADDR) >> 3
            rt.words[i] = rate
            I64 = ns["I64"]
            mp.rate_word = lambda: I64[i]
        else:
            mp._rate = rate
        for k, c in enumerate(rt.heap.mcaches):
            mp.init_mcache(c, startup=(k == 0))


def is_program(name: str) -> bool:
    """Whether ``gomem run NAME`` names a Go program (a ``.go`` file or a directory) rather than a workload."""
    return name.endswith(".go") or os.path.isdir(name)


def load(path: str) -> GoProgram:
    """Compile the Go program at *path* for the model; BadInput in Go's words if it cannot.

    *path* is a ``.go`` file or a directory holding a ``package main`` (its files as the go
    command selects them, see :mod:`gomem.compile.srcfiles`: ``gomem run DIR`` is ``go run ./DIR``).
    """
    from . import escape as E
    from .check import check_files
    from .inline import devirtualize_and_inline
    from .srcfiles import load_package
    from .inlgen import lower as lower_inlined

    fname = display_name(path)
    files = None
    try:
        files = load_package(path)
        fname = files.name
        prog = check_files(files)
        if prog.unsupported:
            pos, fn, reason = prog.unsupported[0]
            raise Unsupported(pos, f"gomem cannot run this yet: {reason}")
        out = E.Output(fname, 1, files)
        order: list = []
        E.visit_funcs_bottom_up(prog.funcs, lambda block, rec: order.extend(block))
        devirtualize_and_inline(prog, order, out, files)  # gomem run inlines as go build does
        E.analyze(prog.funcs, out)
        lower_inlined(prog)
        heap_allocs = {id(node) for pos, kind, msg, node in out.records if kind == "escapes"}
        moved = {id(node) for pos, kind, msg, node in out.records if kind == "moved"}
        main_fn = next((f for f in prog.funcs if f.name == "main" and f.recv is None), None)
        if main_fn is None:
            where = fname if len(files.files) == 1 else files.dir
            raise BadInput(f"{where}: function main is undeclared in the main package")
        gen = ProgramGen(prog, heap_allocs, moved, Lib())
        code, env = gen.generate()
    except SyntaxErr as e:
        raise BadInput(f"{e.filename or fname}:{e}") from None
    except CheckError as e:
        raise BadInput(f"{files.fmt(e.pos or (0, 0))}: {e}") from None
    except Unsupported as e:
        raise BadInput(f"{files.fmt(e.pos or (1, 1))}: {e.reason}") from None
    program = GoProgram(path, {}, gen.func_id(main_fn))
    # the file of each function, for panic tracebacks
    program.func_files = {f.name: os.path.abspath(files.file(f.pos).path) for f in prog.funcs if f.pos}
    program.init_ids = [gen.func_id(f) for f in prog.funcs if f.is_init] + [
        gen.func_id(f) for f in prog.funcs
        if f.recv is None and f.name.startswith("init.") and f.oclosure is None]  # not a literal in an initialiser
    namespace = _helpers(program)
    namespace.update(env)
    filename = f"<gomem:{fname}>"
    exec(compile(code, filename, "exec"), namespace)
    where = lambda pos: (os.path.abspath(files.file(pos).path), line_of(pos))  # noqa: E731
    program.symtab = Symtab(filename, gen.line_table(where), os.path.abspath(program.name))
    program.functions = {gen.func_id(f): namespace[gen.func_id(f)] for f in prog.funcs if gen.func_id(f) in namespace}
    program.source = code
    program.namespace = namespace
    # the linker keeps memory profiling on when runtime.MemProfile is reachable (runtime/pprof uses it)
    program.links_memprofile = "runtime/pprof" in getattr(prog, "import_paths", ())
    return program


def tmp(f, off: int, v: int) -> int:
    """Keep pointer *v* in the frame slot at offset *off* (a temporary the collector must see); return it."""
    f.stack.words[(f.base - ARENA_BASE_ADDR + off) >> 3] = v
    return v


def _helpers(program: GoProgram) -> dict:
    """The names generated code refers to besides its types and frames."""
    B = ARENA_BASE_ADDR

    def nilcheck(p: int) -> int:
        if p == 0:
            raise GoPanic(NIL_DEREF + "\n[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x0]")
        return p

    def nilpanic() -> int:
        """The nil check's failure (generated code checks ``p or nilpanic()``)."""
        return nilcheck(0)

    def s64(w: int) -> int:
        return w - (1 << 64) if w >> 63 else w

    def shl(x: int, s: int) -> int:
        if s < 0:
            raise GoPanic("runtime error: negative shift amount")
        return x << s if s < 64 else 0

    def shr(x: int, s: int) -> int:
        if s < 0:
            raise GoPanic("runtime error: negative shift amount")
        return x >> min(s, 64)

    def idiv(x: int, y: int) -> int:
        if y == 0:
            raise GoPanic("runtime error: integer divide by zero")
        q = abs(x) // abs(y)
        return q if (x < 0) == (y < 0) else -q

    def imod(x: int, y: int) -> int:
        if y == 0:
            raise GoPanic("runtime error: integer divide by zero")
        return x - idiv(x, y) * y

    def adj(m, p: int) -> int:
        """A pointer *p* after the stack copy *m* = (old lo, old hi, delta): moved if it pointed into the old stack."""
        return p + m[2] if m[0] <= p < m[1] else p

    def refresh(f, spec, vals):
        """The arguments of a call with the pointer words of some re-read from the frame slots they were kept in
        (the stack may have moved while later arguments were evaluated): (index, slot offset, word) each, word
        -1 for a pointer argument, else the index of the pointer word in a string, slice or interface."""
        w = f.stack.words
        base = f.base - B
        for i, off, word in spec:
            p = w[(base + off) >> 3]
            if word < 0:
                vals[i] = p
            else:
                v = list(vals[i])
                v[word] = p
                vals[i] = tuple(v)
        return vals

    def tmp1(f, off: int, v):
        """An interface whose data word is kept in a frame temporary."""
        f.stack.words[(f.base - B + off) >> 3] = v[1]
        return v

    def value_bits(t, v) -> int:
        return host().bits(t, v)

    def ifeq(a, b) -> bool:
        return program.ifaces.equal(a, b, host().values_equal)

    def tmp0(f, off: int, v):
        """A string or slice whose data pointer is kept in a frame temporary."""
        f.stack.words[(f.base - B + off) >> 3] = v[0]
        return v

    def fill_elems(g, arr: int, es: int, store, vals, n: int):
        for i, v in enumerate(vals):
            store(g, arr + i * es, v)
        return (arr, n, n)

    def append_vals(g, s, vals, et, es: int, noscan: bool, store):
        old = s[1]
        n = old + len(vals)
        if n > s[2]:
            s = g_growslice(g, s, n, et, es, noscan)
        p = s[0] + old * es
        for v in vals:
            store(g, p, v)
            p += es
        return (s[0], n, s[2])

    def append_vals_buf(g, s, vals, et, es: int, noscan: bool, store, buf: int, k: int, used):
        """append with the stack store: when it must grow to at most *k* elements from an empty slice,
        and the store is still unused in this call, the slice becomes ``store[:n:k]``."""
        old = s[1]
        n = old + len(vals)
        if n > s[2] and n <= k and not used[0] and old == 0:
            used[0] = True
            memclr(buf, k * es)
            s = (buf, 0, k)
        return append_vals(g, s, vals, et, es, noscan, store)

    def makeslice_buf(g, et, es: int, noscan: bool, n: int, cap: int, buf: int, k: int):
        """A variable-size make that does not escape: ``store.arr[:n:cap]`` when cap <= *k*, else makeslice."""
        if 0 <= cap <= k:
            if n < 0:
                raise GoPanic("runtime error: makeslice: len out of range")
            if n > cap:
                raise GoPanic("runtime error: makeslice: cap out of range")
            memclr(buf, k * es)
            return (buf, n, cap)
        return program.namespace["makeslice"](g, et, es, noscan, n, cap)

    def memclr(a: int, n: int) -> None:
        program.namespace["memclr"](a, n)

    def append_slice(g, s, src, et, es: int, noscan: bool):
        old = s[1]
        n = old + src[1]
        if n > s[2]:
            s = g_growslice(g, s, n, et, es, noscan)
        dst = (s[0] + old * es, src[1], src[1])
        program.namespace["slicecopy"](g, dst, src, et, es, noscan)
        return (s[0], n, s[2])

    def g_growslice(g, s, n, et, es, noscan):
        return program.namespace["growslice"](g, s, n, et, es, noscan)

    def fdiv(x: float, y: float) -> float:
        if y == 0.0:
            if x != x or x == 0.0:
                return float("nan")
            return float("inf") if (x > 0) == (str(y)[0] != "-") else float("-inf")
        return x / y

    def tmpv(g, store, v, f, off: int):
        """A struct or array value kept in a frame temporary while the statement needs its pointers rooted."""
        store(g, f.base + off, v)
        return v

    # math, with Go's special values where Python's math raises
    def gosqrt(x: float) -> float:
        return math.sqrt(x) if x >= 0 else (x if x == 0 else float("nan"))

    # a zero result keeps the operand's sign, as Go's (and IEEE's) floor/ceil/trunc do: Ceil(-0.4) is -0
    def gofloor(x: float) -> float:
        return math.copysign(float(math.floor(x)), x) if math.isfinite(x) else x

    def goceil(x: float) -> float:
        return math.copysign(float(math.ceil(x)), x) if math.isfinite(x) else x

    def gotrunc(x: float) -> float:
        return math.copysign(float(math.trunc(x)), x) if math.isfinite(x) else x

    def goexp(x: float) -> float:
        try:
            return math.exp(x)
        except OverflowError:
            return float("inf")

    def golog(x: float) -> float:
        if x > 0:
            return math.log(x)
        return float("-inf") if x == 0 else float("nan")

    def gopow(x: float, y: float) -> float:
        try:
            return math.pow(x, y)
        except (OverflowError, ValueError):
            return float("inf") if abs(x) > 1 else float("nan")

    isnan = math.isnan

    def fmin(*xs: float) -> float:
        """Go's ``min`` of floats: NaN if any is NaN, -0 below +0."""
        if any(x != x for x in xs):
            return float("nan")
        return min(xs, key=lambda x: (x, math.copysign(1.0, x)))

    def fmax(*xs: float) -> float:
        if any(x != x for x in xs):
            return float("nan")
        return max(xs, key=lambda x: (x, math.copysign(1.0, x)))

    def stackobj(f, off: int, size: int) -> int:
        a = f.base + off
        w = f.stack.words
        i = (a - B) >> 3
        for k in range(-(-size // 8)):
            w[i + k] = 0
        return a

    def fill(g, stores, obj: int) -> int:
        rt = g.rt
        w = rt.words
        # With the barrier off (and no event log) a pointer store is g.write_slot's plain store; no store
        # of the loop can turn the barrier on.
        plain = not rt.wb_enabled and not rt.log.detail
        for off, kind, v in stores:
            if kind == "p":
                if plain:
                    g.p.now += rt.cost.ptr_store
                    w[(obj - B + off) >> 3] = v
                else:
                    g.write_slot(obj + off, v)
            elif kind == "b":
                program.namespace["U8"][obj - B + off] = 1 if v else 0
            elif kind == "i":
                w[(obj - B + off) >> 3] = v & _M64
            else:  # a generated storer
                kind(g, obj + off, v)
        return obj

    # The interface conversions of walk/convert.go that allocate (see Lib.box): each returns fmt's
    # operand (dynamic type, value); the heap copy itself is what the program's MemStats see.
    STRING_RTYPE = gotypes.STRING
    SLICE_RTYPE = gotypes.slice_of(gotypes.UINT8)

    def box_small(g, t, v):
        """``convT16``/``convT32``/``convT64``: values below 256 point into ``staticuint64s``."""
        if host().bits(t, v) >= 256:
            g.alloc(t.size())
        return (t, v)

    def box_string(g, t, v):
        """``convTstring``: "" points to ``zeroVal``; anything else is a 16-byte string header object."""
        if v[1]:
            g.alloc(16, STRING_RTYPE)
        return (t, v)

    def box_slice(g, t, v):
        """``convTslice``: a nil slice points to ``zeroVal``; anything else is a 24-byte header object."""
        if v[0]:
            g.alloc(24, SLICE_RTYPE)
        return (t, v)

    def box_alloc(g, t, v, size: int, rtype):
        """``convT``/``convTnoptr``: a heap copy of the value, always."""
        g.alloc(size, rtype)
        return (t, v)

    def fbits(x: float) -> int:
        return struct.unpack("<Q", struct.pack("<d", x))[0]

    def host():
        return program.fmt_host

    def write(g, data: bytes) -> None:
        out = program.out
        buf = getattr(out, "buffer", None)
        if buf is not None:
            out.flush()
            buf.write(data)
            buf.flush()
        else:
            out.write(data.decode("utf-8", "surrogateescape"))

    def operands(args) -> list:
        h = host()
        return [(t, h.value(t, v)) for t, v in args]

    def formatted(g, format_fn, *a) -> bytes:
        """One fmt call: a printer from ppFree, the text formatted into its buffer, the printer put back."""
        h = host()
        h.g = g
        printers = program.printers
        pp = printers.get(g)
        first = len(h.buffers)
        out = format_fn(*a)
        printers.fill(g, pp, out, h.buffers[first].lens)
        del h.buffers[first:]
        printers.put(g, pp)
        return out

    def sprinted(g, format_fn, *a):
        """``fmt.Sprint*``: formatted as the print functions are, then ``string(p.buf)`` (a heap copy)."""
        out = formatted(g, format_fn, *a)
        if len(out) == 1:  # slicebytetostring: a one-byte string points into staticuint64s
            return (program.namespace["STATICBYTES"] + out[0] * 8, 1)
        return program.namespace["newstring"](g, out, 0)

    def sprintf_(g, fmt: bytes, args):
        return sprinted(g, gofmt.sprintf, fmt, operands(args), host())

    def sprint_(g, args):
        return sprinted(g, gofmt.sprint, operands(args), host())

    def sprintln_(g, args):
        return sprinted(g, gofmt.sprintln, operands(args), host())

    ERROR_STRING = gotypes.struct_of([("s", gotypes.STRING)], name="errorString", pkg="errors")

    def errors_new(g, tab: int, s):
        """``errors.New``: ``&errorString{s}``, a 16-byte object."""
        p = g.alloc(16, ERROR_STRING)
        g.write_slot(p, s[0])
        g.rt.words[((p - B) >> 3) + 1] = s[1]
        return (tab, p)

    def as_error(ft, v, error_id: int):
        """An fmt operand ``(static type, value)`` as an ``error`` value (nil if it is not an error)."""
        ifs = program.ifaces
        if ft is None:
            return (0, 0)
        if ft.u.kind == "iface":
            typ = ifs.dyn[v[0]]
            data = v[1]
        else:
            ti = ifs.info(ft)
            if ti is None or not _T.is_direct_iface(ft):
                return (0, 0)
            typ, data = ti.addr, v
        if not typ:
            return (0, 0)
        tab = ifs.getitab(error_id, typ, True)
        return (tab, data) if tab else (0, 0)

    def _method_of(e, name: str):
        ti = program.ifaces.types[program.ifaces.dyn[e[0]]]
        return ti.methods.get(name)

    def errors_unwrap(g, e):
        """``errors.Unwrap``: the result of the error's ``Unwrap() error`` method, or nil."""
        if e[0] == 0:
            return (0, 0)
        m = _method_of(e, "Unwrap")
        if m is None:
            return (0, 0)
        r = m(g, e[1])
        return r if isinstance(r, tuple) and len(r) == 2 and not isinstance(r[0], tuple) else (0, 0)

    def format_int(g, i: int, base: int):
        """``strconv.FormatInt``: 0..99 in base 10 are slices of a constant (no allocation, ``small``);
        anything else is formatted in a stack buffer and copied out, ``string(a[i:])``."""
        if not 2 <= base <= 36:
            raise GoPanic("strconv: illegal AppendInt/FormatInt base")
        if base == 10 and 0 <= i < 100:
            return program.image.string(str(i).encode())
        return program.namespace["newstring"](g, SC.FormatInt(i, base), 0)

    def itoa(g, i: int):
        return format_int(g, i, 10)

    def printf(g, fmt: bytes, args) -> None:
        write(g, formatted(g, gofmt.sprintf, fmt, operands(args), host()))

    def println_(g, args) -> None:
        write(g, formatted(g, gofmt.sprintln, operands(args), host()))

    def print_(g, args) -> None:
        write(g, formatted(g, gofmt.sprint, operands(args), host()))

    module_helpers = {k: getattr(support, k) for k in support.__all__ if k != "make_helpers"}
    return module_helpers | {k: v for k, v in locals().items() if callable(v)} | {
        "B": B, "GoPanic": GoPanic, "GoReturn": GoReturn, "RETURN": RETURN, "ONCE": (0,),
        "BadInput": BadInput, "tmp": tmp} | speedups.helpers(fill)


speedups.register(GeneratedGoroutine, tmp)
speedups.install()  # the C fast paths of frame/pop/new (and tmp/fill above), where built
