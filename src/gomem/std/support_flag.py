"""The ``flag`` package's command line (``flag.CommandLine``) in model memory: the runtime side of
:meth:`gomem.compile.lib.Lib.call_flag_Int` and its siblings, and of ``flag.Parse``/``Args``/``NArg``/``Arg``.

What Go's ``flag`` allocates, the model allocates, with the same sizes and pointer masks:

* the package's init: ``NewFlagSet(os.Args[0], ExitOnError)``, a ``FlagSet`` (104 bytes, size
  class 112) and the method value ``f.defaultUsage`` (a 16-byte closure), then
  ``CommandLine.Usage = commandLineUsage`` (a static func value).  Simplification: Go runs it
  before main; the model runs it at the program's first ``flag`` call (the same objects, later),
  as :mod:`.support_std` does for ``math/rand``'s init;
* ``flag.Int(name, value, usage)`` (and Int64, Uint, Uint64, Float64, Bool, String): ``new(T)``
  (noscan but for String's), then ``Var``: the default's text ``value.String()`` (``strconv``'s
  result: no allocation for 0..99 in base 10 (``small``), booleans or strings; a noscan string
  otherwise), then ``&Flag{name, usage, value, defValue}`` (64 bytes), then, the first time,
  ``f.formal = make(map[string]*Flag)`` (``makemap_small``) and ``f.formal[name] = flag``
  (``mapassign_faststr``, which makes the group and grows the map as Go's does);
* ``flag.Parse``: for every flag set on the command line ``Value.Set`` (strconv's parsers:
  nothing on success), then, the first time, ``f.actual = make(map[string]*Flag)`` and
  ``f.actual[name] = flag``.  ``f.args`` is a view of ``os.Args[1:]``.

The flags' values are the ``*T`` the program reads; the ``Flag`` records and both maps live in
model memory and are what Parse consults (the kind of a flag is its ``Value``'s itab word).
Errors are Go's: the message on stderr, the usage (``Usage of NAME:`` and ``PrintDefaults``'s
lines), exit status 2 (0 for ``-h``/``-help``).  Simplification: ``NAME`` is the program's
name, where Go prints ``os.Args[0]`` (the binary's path); and what the error paths allocate
(fmt's messages, ``NumError``) is not modelled, since the program exits.
"""

from __future__ import annotations

import sys

from ..runtime import types as gotypes
from ..runtime.arena import ARENA_BASE_ADDR as B
from . import strconv as SC
from ..runtime.maps import MapType
from ..runtime.panics import GoExit, GoPanic

_M64 = (1 << 64) - 1
_P = gotypes.UNSAFE_POINTER
#: flag.Flag: Name, Usage string; Value Value; DefValue string
FLAG_RT = gotypes.struct_of([("Name", gotypes.STRING), ("Usage", gotypes.STRING),
                             ("Value", gotypes.interface_of()), ("DefValue", gotypes.STRING)])
_FLAG_PTR = gotypes.pointer_to(FLAG_RT)
#: flag.FlagSet: Usage func(); name string; parsed bool; actual, formal map[string]*Flag; args []string;
#: errorHandling ErrorHandling; output io.Writer; undef map[string]string
FLAGSET_RT = gotypes.struct_of([("Usage", _P), ("name", gotypes.STRING), ("parsed", gotypes.BOOL),
                                ("actual", _P), ("formal", _P), ("args", gotypes.slice_of(gotypes.STRING)),
                                ("errorHandling", gotypes.INT), ("output", gotypes.interface_of()),
                                ("undef", _P)])
#: the method value f.defaultUsage: a closure of its code pointer and receiver
_METHOD_VALUE_RT = gotypes.struct_of([("F", gotypes.UINTPTR), ("R", _P)])
#: Var's frame: the new value, its default's text and the Flag while the next allocations happen
_VAR_FRAME = gotypes.struct_of([("p", _P), ("def", _P), ("flag", _P)])
_OFF_NAME, _OFF_PARSED, _OFF_ACTUAL, _OFF_FORMAL, _OFF_ARGS = 8, 24, 32, 40, 48
_OFF_ERRH = 72
assert FLAG_RT.size == 64 and FLAGSET_RT.size == 104 and _METHOD_VALUE_RT.size == 16
EXIT_ON_ERROR = 1

#: kind -> (the value's size and type for new(T) (None: noscan), Go's type name in PrintDefaults, the
#: zero value's String())
KINDS = {
    "int": (8, "int", "0"), "int64": (8, "int", "0"), "uint": (8, "uint", "0"), "uint64": (8, "uint", "0"),
    "float64": (8, "float", "0"), "bool": (1, "", "false"), "string": (16, "string", ""),
}


def _map_type(ns) -> MapType:
    """``map[string]*Flag``'s descriptor (what mapgen generates for the type)."""
    W, I64 = ns["W"], ns["I64"]
    hstr, streq = ns["hstr"], ns["streq"]

    def ld_key(a):
        return (W[(a - B) >> 3], I64[((a - B) >> 3) + 1])

    def st_key(g, a, v):
        g.write_slot(a, v[0])
        I64[((a - B) >> 3) + 1] = v[1]

    def ld_elem(a):
        return W[(a - B) >> 3]

    def st_elem(g, a, v):
        g.write_slot(a, v)

    return MapType("map[string]*flag.Flag", gotypes.STRING, _FLAG_PTR, hstr, lambda k, a: streq(k, ld_key(a)),
                   ld_key, st_key, ld_elem, st_elem, 0, True, True)


def _format_float(f: float) -> bytes:
    return SC.FormatFloat(f, ord("g"), -1, 64)


def make_flag_helpers(ns: dict, image, program) -> dict:
    """The helpers, closed over the program's namespace (memory views, the map runtime, strings)."""
    W, I64, U8, F64 = ns["W"], ns["I64"], ns["U8"], ns["F64"]
    mem = U8.obj
    mt = _map_type(ns)
    itabs = {k: image.rodata(bytes(32)) for k in KINDS}  # *intValue ... as flag.Value: the Value's type word
    kind_of_itab = {v: k for k, v in itabs.items()}
    state = {"cl": 0}  # the address of the global CommandLine once the package's init has run

    def sbytes(s) -> bytes:
        return bytes(mem[s[0] - B:s[0] - B + s[1]]) if s[1] else b""

    def load_str(a: int):
        return (W[(a - B) >> 3], I64[((a - B) >> 3) + 1])

    def store_str(g, a: int, s) -> None:
        g.write_slot(a, s[0])
        I64[((a - B) >> 3) + 1] = s[1]

    def commandline(g) -> int:
        """``flag.CommandLine``, the package's init run the first time."""
        if state["cl"]:
            return W[(state["cl"] - B) >> 3]
        gv = image.data.declare("flag.CommandLine", gotypes.pointer_to(FLAGSET_RT)).addr
        state["cl"] = gv
        f = g.alloc(FLAGSET_RT.size, FLAGSET_RT)
        W[(gv - B) >> 3] = f  # a global: the data segment is a root (Go's init stores it with the barrier)
        args = ns["GV_os_Args"]
        argv0 = load_str(W[(args - B) >> 3]) if I64[((args - B) >> 3) + 1] else (0, 0)
        store_str(g, f + _OFF_NAME, argv0)
        I64[(f + _OFF_ERRH - B) >> 3] = EXIT_ON_ERROR
        mv = g.alloc(_METHOD_VALUE_RT.size, _METHOD_VALUE_RT)  # f.Usage = f.defaultUsage
        g.write_slot(mv + 8, f)
        g.write_slot(f, mv)
        g.write_slot(f, 0)  # CommandLine.Usage = commandLineUsage: a static func value (not modelled as code)
        return f

    def def_value(g, kind: str, v):
        """``value.String()``: the default's text, allocated as strconv's result is."""
        if kind == "string":
            return v
        if kind == "bool":
            return image.string(SC.FormatBool(v))
        if kind == "float64":
            data = _format_float(v)
        else:
            if 0 <= v < 100:
                return image.string(str(v).encode())  # strconv's small(i): a constant
            data = str(v).encode()
        return ns["newstring"](g, data, 0)

    def store_value(kind: str, p: int, v) -> None:
        i = p - B
        if kind == "bool":
            U8[i] = 1 if v else 0
        elif kind == "float64":
            F64[i >> 3] = v
        elif kind != "string":
            W[i >> 3] = v & _M64

    def flag_var(g, kind: str, name, value, usage, p: int = 0) -> int:
        """``flag.<Kind>(name, value, usage)``: the address of the new value; with *p*,
        ``flag.<Kind>Var(p, name, value, usage)`` (no new value)."""
        fs = commandline(g)
        size = KINDS[kind][0]
        fr = g.runtime_frame(_VAR_FRAME, "flag.(*FlagSet).Var")
        try:
            if not p:
                p = g.alloc(size, gotypes.STRING if kind == "string" else None)  # new(T)
            else:
                ns["nilcheck"](p)
            W[(fr.base - B) >> 3] = p
            if kind == "string":
                store_str(g, p, value)
            else:
                store_value(kind, p, value)
            nb = sbytes(name)
            if nb.startswith(b"-"):
                _flag_panic(f"flag {_q(nb)} begins with -")
            if b"=" in nb:
                _flag_panic(f"flag {_q(nb)} contains =")
            dv = def_value(g, kind, value)
            W[((fr.base - B) >> 3) + 1] = dv[0]
            fl = g.alloc(FLAG_RT.size, FLAG_RT)  # &Flag{name, usage, value, value.String()}
            W[((fr.base - B) >> 3) + 2] = fl
            store_str(g, fl, name)
            store_str(g, fl + 16, usage)
            W[(fl + 32 - B) >> 3] = itabs[kind]
            g.write_slot(fl + 40, p)
            store_str(g, fl + 48, dv)
            formal = W[(fs + _OFF_FORMAL - B) >> 3]
            if formal and ns["mapget"](mt, formal, name):
                fsname = sbytes(load_str(fs + _OFF_NAME)).decode("utf-8", "surrogateescape")
                d = nb.decode("utf-8", "surrogateescape")
                _flag_panic(f"flag redefined: {d}" if not fsname else f"{fsname} flag redefined: {d}")
            if not formal:
                formal = ns["makemap_small"](g)
                g.write_slot(fs + _OFF_FORMAL, formal)
            e = ns["mapassign"](g, mt, formal, name)
            g.write_slot(e, fl)
            return p
        finally:
            g.pop(fr)

    # -- Parse ------------------------------------------------------------------------------------

    def flags_sorted(fs: int):
        formal = W[(fs + _OFF_FORMAL - B) >> 3]
        if not formal:
            return []
        out = []
        for ka, ea in ns["map_entries"](formal, 16, 8, 8, 8):
            out.append((sbytes(load_str(ka)), W[(ea - B) >> 3]))
        return sorted(out)

    def usage(fs: int) -> str:
        """``commandLineUsage``: ``Usage of NAME:`` and ``PrintDefaults``."""
        lines = [f"Usage of {program.name}:\n"]
        for name, fl in flags_sorted(fs):
            kind = kind_of_itab[W[(fl + 32 - B) >> 3]]
            u = sbytes(load_str(fl + 16))
            tname, u = _unquote_usage(KINDS[kind][1], u)
            b = b"  -" + name
            if tname:
                b += b" " + tname.encode()
            b += b"\t" if len(b) <= 4 else b"\n    \t"
            b += u.replace(b"\n", b"\n    \t")
            dv = sbytes(load_str(fl + 48))
            if dv.decode("utf-8", "surrogateescape") != KINDS[kind][2]:
                b += b" (default " + (SC.Quote(dv) if kind == "string" else dv) + b")"
            lines.append(b.decode("utf-8", "surrogateescape") + "\n")
        return "".join(lines)

    def failf(fs: int, msg: str):
        sys.stderr.write(msg + "\n" + usage(fs))
        raise GoExit(2)

    def set_value(kind: str, p: int, val: bytes):
        """``Value.Set(val)``: the error's text (numError's), or None."""
        if kind == "string":
            return val
        if kind == "bool":
            v, err = SC.ParseBool(val)
        elif kind == "float64":
            v, err = SC.ParseFloat(val, 64)
        elif kind in ("int", "int64"):
            v, err = SC.ParseInt(val, 0, 64)
        else:
            v, err = SC.ParseUint(val, 0, 64)
        if err is not None:
            e = err.err if isinstance(err, SC.NumError) else err
            if e is SC.ErrSyntax:
                return "parse error"
            if e is SC.ErrRange:
                return "value out of range"
            return err.error().decode("utf-8", "surrogateescape")
        store_value(kind, p, v)
        return None

    def flag_parse(g) -> None:
        fs = commandline(g)
        U8[fs + _OFF_PARSED - B] = 1
        a = ns["GV_os_Args"]
        ai = (a - B) >> 3
        ap, an = W[ai], I64[ai + 1]
        si = (fs + _OFF_ARGS - B) >> 3

        def set_args(s):
            g.write_slot(fs + _OFF_ARGS, s[0])
            I64[si + 1], I64[si + 2] = s[1], s[2]

        def shift(s):
            """``s[1:]``: a result of capacity 0 keeps the pointer (Go's slicing never points past the end)."""
            return (s[0] + 16 if s[2] > 1 else s[0], s[1] - 1, s[2] - 1)

        args = shift((ap, an, I64[ai + 2])) if an else (ap, 0, I64[ai + 2])  # f.args = os.Args[1:]
        set_args(args)
        while args[1]:
            s = load_str(args[0])
            sb = sbytes(s)
            if len(sb) < 2 or sb[0] != 0x2D:
                break
            minuses = 1
            if sb[1] == 0x2D:
                minuses = 2
                if len(sb) == 2:  # "--" ends the flags
                    args = shift(args)
                    set_args(args)
                    break
            name = (s[0] + minuses, s[1] - minuses)
            nb = sb[minuses:]
            if not nb or nb[0] in (0x2D, 0x3D):
                failf(fs, f"bad flag syntax: {_d(sb)}")
            args = shift(args)
            set_args(args)
            has_value = False
            value = b""
            eq = nb.find(b"=", 1)
            if eq > 0:
                value, has_value = nb[eq + 1:], True
                nb = nb[:eq]
                name = (name[0], eq)
            formal = W[(fs + _OFF_FORMAL - B) >> 3]
            fl = ns["mapget"](mt, formal, name) if formal else 0
            if not fl:
                if nb in (b"help", b"h"):
                    sys.stderr.write(usage(fs))
                    raise GoExit(0)
                failf(fs, f"flag provided but not defined: -{_d(nb)}")
            kind = kind_of_itab[W[(fl + 32 - B) >> 3]]
            p = W[(fl + 40 - B) >> 3]
            if kind == "bool":
                err = set_value(kind, p, value if has_value else b"true")
                if err is not None:
                    failf(fs, f"invalid boolean value {_q(value)} for -{_d(nb)}: {err}")
            else:
                if not has_value and args[1]:
                    sv = load_str(args[0])
                    value, has_value = sbytes(sv), True
                    args = shift(args)
                    set_args(args)
                    if kind == "string":
                        value = sv
                if not has_value:
                    failf(fs, f"flag needs an argument: -{_d(nb)}")
                if kind == "string":
                    if not isinstance(value, tuple):  # -name=value: a view of the argument
                        value = (s[0] + minuses + eq + 1, len(value)) if value else (0, 0)
                    store_str(g, p, value)
                else:
                    err = set_value(kind, p, value)
                    if err is not None:
                        failf(fs, f"invalid value {_q(value)} for flag -{_d(nb)}: {err}")
            actual = W[(fs + _OFF_ACTUAL - B) >> 3]
            if not actual:
                actual = ns["makemap_small"](g)
                g.write_slot(fs + _OFF_ACTUAL, actual)
            e = ns["mapassign"](g, mt, actual, name)
            g.write_slot(e, fl)

    def flag_args(g):
        fs = commandline(g)
        si = (fs + _OFF_ARGS - B) >> 3
        return (W[si], I64[si + 1], I64[si + 2])

    def flag_narg(g) -> int:
        return flag_args(g)[1]

    def flag_arg(g, i: int):
        s = flag_args(g)
        if i < 0 or i >= s[1]:
            return (0, 0)
        return load_str(s[0] + 16 * i)

    def flag_parsed(g) -> bool:
        return U8[commandline(g) + _OFF_PARSED - B] != 0

    def flag_nflag(g) -> int:
        return ns["maplen"](W[(commandline(g) + _OFF_ACTUAL - B) >> 3])

    return {"flag_var": flag_var, "flag_parse": flag_parse, "flag_args": flag_args, "flag_narg": flag_narg,
            "flag_arg": flag_arg, "flag_parsed": flag_parsed, "flag_nflag": flag_nflag}


def _d(b: bytes) -> str:
    return b.decode("utf-8", "surrogateescape")


def _q(b: bytes) -> str:
    return _d(SC.Quote(b))


def _flag_panic(msg: str):
    """``panic(f.sprintf(...))``: the message printed to the output (stderr), then the panic."""
    sys.stderr.write(msg + "\n")
    raise GoPanic(msg)


def _unquote_usage(tname: str, usage: bytes) -> tuple[str, bytes]:
    """``UnquoteUsage``: a back-quoted name in the usage text, else the flag's type name."""
    i = usage.find(b"`")
    if i >= 0:
        j = usage.find(b"`", i + 1)
        if j >= 0:
            name = usage[i + 1:j]
            return _d(name), usage[:i] + name + usage[j + 1:]
    return tname, usage

