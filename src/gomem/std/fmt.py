"""Go's ``fmt`` formatting engine for the model, exact to the real package byte for byte.

The code generator hands every operand over as a pair ``(t, v)``: ``t`` is the operand's
dynamic type (a :mod:`gomem.compile.types` object), ``v`` its value -- bool; int (already in
range); float; complex; ``bytes`` for strings; an int address for pointers, unsafe.Pointer,
chans and funcs (0 is nil); maps as None (nil) or a list of ``(key, elem)`` pairs in any
order; slices as None (nil) or a list (``bytes`` also allowed for ``[]byte``); arrays as a
list; structs as a tuple of field values; interface-typed parts as a nested pair, ``(None,
None)`` for a nil interface.  A nil interface operand is ``(None, None)`` too.

``host`` supplies what fmt takes from the running program:

- ``host.deref(addr, elem_type)`` -- the pointee of a non-nil pointer (fmt prints ``&{...}``
  for a pointer to a struct, array, slice or map at the top level);
- ``host.method(t, v, name)`` -- calls the method ``name`` ("Error", "String", "GoString")
  of the dynamic type t and returns its string result as bytes, or None when t's method set
  has no such method; for "Format" it is called as ``host.method(t, v, "Format", state)``
  with a :class:`State` and returns the bytes the method wrote;
- ``host.Panic`` -- the exception class a method call raises when it panics; its
  ``value_text`` is the panic value as ``%v`` prints it (a panic in a method called on a nil
  pointer prints ``<nil>``, as in Go);
- optionally ``host.has_method(t, name) -> bool`` -- whether t's method set has the method
  without calling it (``%w`` asks whether an operand is an error before formatting it; without
  has_method the Error method is called once to find out);
- optionally ``host.addr(t, v)`` -- the address ``%p`` prints for a map or slice;
- optionally ``host.interface_copy(t)`` -- called where Go's printValue calls ``Value.Interface``
  on an addressable value of type t (which copies it to the heap unless it is pointer-shaped);
- optionally ``host.new_buffer()`` -- the bytearray (or subclass) each printer formats into: a
  model that allocates fmt's buffer as Go's ``append`` grows it watches the pieces arrive.

API: :func:`sprintf`, :func:`sprint`, :func:`sprintln`, :func:`errorf` and
:func:`errorf_wraps`; :func:`type_string` is ``%T``.  Maps are printed sorted as
``internal/fmtsort`` sorts them; keys of interface type order nil first, then by dynamic
type (by type name here; Go uses the type descriptor's address, which no model reproduces),
then by value.
"""

from __future__ import annotations

import math
from functools import cmp_to_key

from gomem.compile import types as T
from gomem.std import strconv as SC

__all__ = ["sprintf", "sprint", "sprintln", "errorf", "errorf_raw", "errorf_wraps", "type_string", "State"]

_LDIGITS = "0123456789abcdefx"
_UDIGITS = "0123456789ABCDEFX"
_INT_KINDS = T.INTEGER_KINDS
_UNSIGNED = T.UNSIGNED_KINDS
_MASK64 = (1 << 64) - 1


# -- type names as reflect.Type.String() prints them -------------------------------------------------


def type_string(t) -> str:
    """reflect.TypeOf(x).String(): ``main.Point``, ``*main.Point``, ``[]interface {}``, ``uint8``."""
    return _tstr(t, False)


def _tstr(t, in_targs: bool) -> str:
    if t is None:
        return "<nil>"
    if isinstance(t, T.AnyType):
        return "interface {}"
    if isinstance(t, T.Basic):
        return t.kind
    if isinstance(t, T.Named):
        if t is T.ERROR or (t.name == "error" and not t.pkgname):
            return "error"
        origin = getattr(t, "origin", None)
        targs = getattr(t, "targs", None)
        pkg = t.pkgname or "main"
        if in_targs:
            pkg = (t.pkgname or "main") if t.local else (t.pkg or t.pkgname)
        if origin is not None and targs is not None:
            return f"{pkg}.{origin.name}[{','.join(_tstr(a, True) for a in targs)}]"
        return f"{pkg}.{t.name}"
    if isinstance(t, T.Pointer):
        return "*" + _tstr(t.elem_type, in_targs)
    if isinstance(t, T.Slice):
        return "[]" + _tstr(t.elem_type, in_targs)
    if isinstance(t, T.Array):
        return f"[{t.n}]" + _tstr(t.elem_type, in_targs)
    if isinstance(t, T.Map):
        return f"map[{_tstr(t.key, in_targs)}]{_tstr(t.elem_type, in_targs)}"
    if isinstance(t, T.Chan):
        e = t.elem_type
        if t.dir == "recv":
            return "<-chan " + _tstr(e, in_targs)
        if t.dir == "send":
            return "chan<- " + _tstr(e, in_targs)
        if isinstance(e, T.Chan) and e.dir == "recv":
            return "chan (" + _tstr(e, in_targs) + ")"
        return "chan " + _tstr(e, in_targs)
    if isinstance(t, T.Signature):
        return "func" + _sig(t, in_targs)
    if isinstance(t, T.Interface):
        ms = t.all_methods()
        if not ms:
            return "interface {}"
        return "interface {" + ";".join(" " + m.name + _sig(m.sig, in_targs) for m in ms) + " }"
    if isinstance(t, T.Struct):
        if not t.fields:
            return "struct {}"
        parts = []
        for f in t.fields:
            txt = _tstr(f.type, in_targs) if f.embedded else f"{f.name} {_tstr(f.type, in_targs)}"
            if f.tag:
                txt += " " + SC.Quote(f.tag).decode()
            parts.append(" " + txt)
        return "struct {" + ";".join(parts) + " }"
    return T.fmt_type(t)


def _sig(s, in_targs) -> str:
    ps = []
    for i, p in enumerate(s.params):
        if s.variadic and i == len(s.params) - 1:
            ps.append("..." + _tstr(p.type.elem_type, in_targs))
        else:
            ps.append(_tstr(p.type, in_targs))
    out = "(" + ", ".join(ps) + ")"
    if len(s.results) == 1:
        out += " " + _tstr(s.results[0].type, in_targs)
    elif len(s.results) > 1:
        out += " (" + ", ".join(_tstr(r.type, in_targs) for r in s.results) + ")"
    return out


def _kind(t) -> str:
    """The reflect kind of t: a basic kind name, or ptr/slice/array/map/chan/func/struct/iface."""
    u = t.u
    return u.kind


def _is_exported(name: str) -> bool:
    return bool(name) and name[0].isupper()


# -- the fmt.State a Format method sees ------------------------------------------------------------------


class State:
    """What a Formatter's Format method can ask: width, precision, flags, and the verb."""

    def __init__(self, pp, verb: str):
        self.verb = verb
        self.wid = pp.wid if pp.wid_present else None
        self.prec = pp.prec if pp.prec_present else None
        self.minus = pp.minus
        self.plus = pp.plus or pp.plus_v
        self.sharp = pp.sharp or pp.sharp_v
        self.space = pp.space
        self.zero = pp.zero

    def width(self):
        return (self.wid or 0, self.wid is not None)

    def precision(self):
        return (self.prec or 0, self.prec is not None)

    def flag(self, c: str) -> bool:
        return {"-": self.minus, "+": self.plus, "#": self.sharp, " ": self.space, "0": self.zero}.get(c, False)

    def format_string(self) -> bytes:
        """fmt.FormatString: the directive that would reproduce this state."""
        out = "%" + "".join(c for c in " +-#0" if self.flag(c))
        if self.wid is not None:
            out += str(self.wid)
        if self.prec is not None:
            out += "." + str(self.prec)
        return out.encode() + SC.encode_rune(ord(self.verb))


# -- the printer -------------------------------------------------------------------------------------------


class _PP:
    def __init__(self, host, wrap_errs: bool = False):
        new_buffer = getattr(host, "new_buffer", None)
        self._copy = getattr(host, "interface_copy", None)
        self.buf = bytearray() if new_buffer is None else new_buffer()
        self.host = host
        self.panic_cls = getattr(host, "Panic", None) if host is not None else None
        self.erroring = False
        self.panicking = False
        self.wrap_errs = wrap_errs
        self.wrapped: list[int] = []
        self.reordered = False
        self.good_arg_num = True
        self.clearflags()

    # -- flags --------------------------------------------------------------------------------------
    def clearflags(self):
        self.wid_present = self.prec_present = False
        self.minus = self.plus = self.sharp = self.space = self.zero = False
        self.plus_v = self.sharp_v = False
        self.wid = self.prec = 0

    def _save(self):
        return (self.wid_present, self.prec_present, self.minus, self.plus, self.sharp, self.space,
                self.zero, self.plus_v, self.sharp_v, self.wid, self.prec)

    def _restore(self, s):
        (self.wid_present, self.prec_present, self.minus, self.plus, self.sharp, self.space,
         self.zero, self.plus_v, self.sharp_v, self.wid, self.prec) = s

    # -- format.go: padding and the primitive formatters -------------------------------------------
    def write_padding(self, n: int):
        if n <= 0:
            return
        self.buf += (b"0" if self.zero and not self.minus else b" ") * n

    def pad(self, b: bytes):
        if not self.wid_present or self.wid == 0:
            self.buf += b
            return
        width = self.wid - SC.rune_count(b)
        if not self.minus:
            self.write_padding(width)
            self.buf += b
        else:
            self.buf += b
            self.write_padding(width)

    pad_string = pad

    def fmt_boolean(self, v: bool):
        self.pad(b"true" if v else b"false")

    def fmt_unicode(self, u: int):
        prec = 4
        if self.prec_present and self.prec > 4:
            prec = self.prec
        s = "U+" + ("%X" % u).rjust(prec, "0")
        if self.sharp and u <= SC.MAX_RUNE and SC.IsPrint(u):
            s += " '" + chr(u) + "'"
        old = self.zero
        self.zero = False
        self.pad(s.encode("utf-8", "surrogatepass"))
        self.zero = old

    def fmt_integer(self, v: int, base: int, signed: bool, verb: str, digits: str):
        negative = signed and v < 0
        u = -v if negative else v & _MASK64
        prec = 0
        if self.prec_present:
            prec = self.prec
            if prec == 0 and u == 0:
                old = self.zero
                self.zero = False
                self.write_padding(self.wid)
                self.zero = old
                return
        elif self.zero and not self.minus and self.wid_present:
            prec = self.wid
            if negative or self.plus or self.space:
                prec -= 1
        if base == 10:
            s = str(u)
        elif base == 16:
            s = ("%x" if digits is _LDIGITS else "%X") % u
        elif base == 8:
            s = "%o" % u
        else:
            s = format(u, "b")
        if prec > len(s):
            s = "0" * (prec - len(s)) + s
        if self.sharp:
            if base == 2:
                s = "0b" + s
            elif base == 8:
                if s[0] != "0":
                    s = "0" + s
            elif base == 16:
                s = "0" + digits[16] + s
        if verb == "O":
            s = "0o" + s
        if negative:
            s = "-" + s
        elif self.plus:
            s = "+" + s
        elif self.space:
            s = " " + s
        old = self.zero
        self.zero = False
        self.pad(s.encode())
        self.zero = old

    def _truncate(self, b: bytes) -> bytes:
        if self.prec_present:
            n = self.prec
            if b.isascii():
                return b[:max(n, 0)]
            chars = b.decode("utf-8", "surrogateescape")
            if len(chars) > n:
                return chars[:max(n, 0)].encode("utf-8", "surrogateescape")
        return b

    def fmt_s(self, b: bytes):
        self.pad(self._truncate(b))

    def fmt_sbx(self, b: bytes, digits: str):
        length = len(b)
        if self.prec_present and self.prec < length:
            length = self.prec
        width = 2 * length
        if width > 0:
            if self.space:
                if self.sharp:
                    width *= 2
                width += length - 1
            elif self.sharp:
                width += 2
        else:
            if self.wid_present:
                self.write_padding(self.wid)
            return
        if self.wid_present and self.wid > width and not self.minus:
            self.write_padding(self.wid - width)
        out = []
        pre = "0" + digits[16]
        if self.sharp:
            out.append(pre)
        for i in range(length):
            if self.space and i > 0:
                out.append(" ")
                if self.sharp:
                    out.append(pre)
            c = b[i]
            out.append(digits[c >> 4] + digits[c & 0xF])
        self.buf += "".join(out).encode()
        if self.wid_present and self.wid > width and self.minus:
            self.write_padding(self.wid - width)

    def fmt_q(self, b: bytes):
        b = self._truncate(b)
        if self.sharp and SC.CanBackquote(b):
            self.pad(b"`" + b + b"`")
            return
        self.pad(SC.QuoteToASCII(b) if self.plus else SC.Quote(b))

    def fmt_c(self, c: int):
        self.pad(SC.encode_rune(c if c <= SC.MAX_RUNE else SC.RUNE_ERROR))

    def fmt_qc(self, c: int):
        r = c if c <= SC.MAX_RUNE else SC.RUNE_ERROR
        self.pad(SC.QuoteRuneToASCII(r) if self.plus else SC.QuoteRune(r))

    def fmt_float_prim(self, v: float, size: int, verb: str, prec: int):
        if self.prec_present:
            prec = self.prec
        s = SC.format_float_str(v, verb, prec, size)
        num = s if s[0] in "+-" else "+" + s
        if self.space and num[0] == "+" and not self.plus:
            num = " " + num[1:]
        if num[1] in "IN":
            old = self.zero
            self.zero = False
            if num[1] == "N" and not self.space and not self.plus:
                num = num[1:]
            self.pad(num.encode())
            self.zero = old
            return
        if self.sharp and verb != "b":
            digits = 0
            if verb in "vgGx":
                digits = prec
                if digits == -1:
                    digits = 6
            tail = ""
            has_dot = False
            saw_nonzero = False
            i = 1
            while i < len(num):
                c = num[i]
                if c == ".":
                    has_dot = True
                elif c in "pP":
                    tail = num[i:]
                    num = num[:i]
                    break
                elif c in "eE" and verb not in "xX":
                    tail = num[i:]
                    num = num[:i]
                    break
                else:
                    if c != "0":
                        saw_nonzero = True
                    if saw_nonzero:
                        digits -= 1
                i += 1
            if not has_dot:
                if len(num) == 2 and num[1] == "0":
                    digits -= 1
                num += "."
            if digits > 0:
                num += "0" * digits
            num += tail
        if self.plus or num[0] != "+":
            if self.zero and not self.minus and self.wid_present and self.wid > len(num):
                self.buf += num[0].encode()
                self.write_padding(self.wid - len(num))
                self.buf += num[1:].encode()
                return
            self.pad(num.encode())
            return
        self.pad(num[1:].encode())

    # -- print.go ------------------------------------------------------------------------------------
    def write_verb(self, verb: str):
        self.buf += verb.encode()

    def bad_verb(self, verb: str, arg=None, value=None):
        """arg: a top-level (t, v) operand; value: a (t, v) reached by printValue."""
        self.erroring = True
        self.buf += b"%!"
        self.write_verb(verb)
        self.buf += b"("
        if arg is not None and arg[0] is not None:
            self.buf += type_string(arg[0]).encode() + b"="
            self.print_arg(arg, "v")
        elif value is not None and value[0] is not None:
            self.buf += type_string(value[0]).encode() + b"="
            self.print_value(value[0], value[1], "v", 0, False)
        else:
            self.buf += b"<nil>"
        self.buf += b")"
        self.erroring = False

    def fmt_bool(self, v, verb, arg, value):
        if verb in "tv":
            self.fmt_boolean(v)
        else:
            self.bad_verb(verb, arg, value)

    def fmt_0x64(self, v: int, leading0x: bool):
        sharp = self.sharp
        self.sharp = leading0x
        self.fmt_integer(v, 16, False, "v", _LDIGITS)
        self.sharp = sharp

    def fmt_int(self, v: int, signed: bool, verb: str, arg, value):
        if verb == "v":
            if self.sharp_v and not signed:
                self.fmt_0x64(v, True)
            else:
                self.fmt_integer(v, 10, signed, verb, _LDIGITS)
        elif verb == "d":
            self.fmt_integer(v, 10, signed, verb, _LDIGITS)
        elif verb == "b":
            self.fmt_integer(v, 2, signed, verb, _LDIGITS)
        elif verb in "oO":
            self.fmt_integer(v, 8, signed, verb, _LDIGITS)
        elif verb == "x":
            self.fmt_integer(v, 16, signed, verb, _LDIGITS)
        elif verb == "X":
            self.fmt_integer(v, 16, signed, verb, _UDIGITS)
        elif verb == "c":
            self.fmt_c(v & _MASK64)
        elif verb == "q":
            self.fmt_qc(v & _MASK64)
        elif verb == "U":
            self.fmt_unicode(v & _MASK64)
        else:
            self.bad_verb(verb, arg, value)

    def fmt_float(self, v: float, size: int, verb: str, arg, value):
        if verb == "v":
            self.fmt_float_prim(v, size, "g", -1)
        elif verb in "bgGxX":
            self.fmt_float_prim(v, size, verb, -1)
        elif verb in "feE":
            self.fmt_float_prim(v, size, verb, 6)
        elif verb == "F":
            self.fmt_float_prim(v, size, "f", 6)
        else:
            self.bad_verb(verb, arg, value)

    def fmt_complex(self, v: complex, size: int, verb: str, arg, value):
        if verb in "vbgGxXfFeE":
            old = self.plus
            self.buf += b"("
            self.fmt_float(v.real, size // 2, verb, arg, value)
            self.plus = True
            self.fmt_float(v.imag, size // 2, verb, arg, value)
            self.buf += b"i)"
            self.plus = old
        else:
            self.bad_verb(verb, arg, value)

    def fmt_string(self, v: bytes, verb: str, arg, value):
        if isinstance(v, str):
            v = v.encode()
        if verb == "v":
            if self.sharp_v:
                self.fmt_q(v)
            else:
                self.fmt_s(v)
        elif verb == "s":
            self.fmt_s(v)
        elif verb == "x":
            self.fmt_sbx(v, _LDIGITS)
        elif verb == "X":
            self.fmt_sbx(v, _UDIGITS)
        elif verb == "q":
            self.fmt_q(v)
        else:
            self.bad_verb(verb, arg, value)

    def fmt_bytes(self, v, verb: str, type_str: str, t, ro: bool):
        """v: bytes, or None for a nil slice."""
        if verb in "vd":
            if self.sharp_v:
                self.buf += type_str.encode()
                if v is None:
                    self.buf += b"(nil)"
                    return
                self.buf += b"{"
                for i, c in enumerate(v):
                    if i:
                        self.buf += b", "
                    self.fmt_0x64(c, True)
                self.buf += b"}"
            else:
                self.buf += b"["
                for i, c in enumerate(v or b""):
                    if i:
                        self.buf += b" "
                    self.fmt_integer(c, 10, False, verb, _LDIGITS)
                self.buf += b"]"
        elif verb == "s":
            self.fmt_s(bytes(v or b""))
        elif verb == "x":
            self.fmt_sbx(bytes(v or b""), _LDIGITS)
        elif verb == "X":
            self.fmt_sbx(bytes(v or b""), _UDIGITS)
        elif verb == "q":
            self.fmt_q(bytes(v or b""))
        else:
            self.print_value(t, None if v is None else list(v), verb, 0, ro)

    def _addr(self, t, v) -> int:
        if v is None:
            return 0
        if isinstance(v, int):
            return v
        f = getattr(self.host, "addr", None)
        return f(t, v) if f is not None else 0

    def fmt_pointer(self, t, v, verb: str, arg=None):
        k = _kind(t)
        if k not in ("chan", "func", "map", "ptr", "slice", "unsafe.Pointer"):
            self.bad_verb(verb, arg, (t, v))
            return
        u = self._addr(t, v)
        if verb == "v":
            if self.sharp_v:
                self.buf += b"(" + type_string(t).encode() + b")("
                if u == 0:
                    self.buf += b"nil"
                else:
                    self.fmt_0x64(u, True)
                self.buf += b")"
            else:
                if u == 0:
                    self.pad(b"<nil>")
                else:
                    self.fmt_0x64(u, not self.sharp)
        elif verb == "p":
            self.fmt_0x64(u, not self.sharp)
        elif verb in "bodxX":
            self.fmt_int(u, False, verb, arg, (t, v))
        else:
            self.bad_verb(verb, arg, (t, v))

    # -- methods ----------------------------------------------------------------------------------------
    def _call(self, t, v, verb, name, *extra):
        """Call a method; (True, result) if it exists, (False, None) if not.  Panics are rendered."""
        panic_cls = self.panic_cls
        try:
            res = self.host.method(t, v, name, *extra)
        except Exception as e:  # noqa: BLE001 - only host.Panic is handled, the rest re-raised
            if panic_cls is None or not isinstance(e, panic_cls):
                raise
            self._catch_panic(t, v, verb, name, e)
            return True, None
        if res is None:
            return False, None
        return True, res

    def _catch_panic(self, t, v, verb, method, e):
        if t is not None and _kind(t) == "ptr" and not v:
            self.buf += b"<nil>"
            return
        if self.panicking:
            raise e
        old = self._save()
        self.clearflags()
        self.buf += b"%!"
        self.write_verb(verb)
        self.buf += b"(PANIC=" + method.encode() + b" method: "
        self.panicking = True
        txt = getattr(e, "value_text", b"")
        self.buf += txt.encode() if isinstance(txt, str) else bytes(txt)
        self.panicking = False
        self.buf += b")"
        self._restore(old)

    def handle_methods(self, t, v, verb: str) -> bool:
        if self.erroring or self.host is None:
            return False
        known = {}  # results of calls already made: name -> (exists, result)
        if verb == "w":
            has = getattr(self.host, "has_method", None)
            if has is not None:
                is_err = has(t, "Error")
            else:  # no way to ask without calling: call Error now, use the result below
                before = len(self.buf)
                known["Error"] = self._call(t, v, "v", "Error")
                is_err = known["Error"][0]
                if is_err and known["Error"][1] is None and len(self.buf) != before:
                    return True  # it panicked, and the panic is printed
            if not is_err or not self.wrap_errs:
                self.bad_verb(verb, (t, v))
                return True
            verb = "v"
        ok, res = self._call(t, v, verb, "Format", State(self, verb))
        if ok:
            if res is not None:
                self.buf += bytes(res)
            return True
        if self.sharp_v:
            ok, res = self._call(t, v, verb, "GoString")
            if ok:
                if res is not None:
                    self.fmt_s(bytes(res))
                return True
        elif verb in ("v", "s", "x", "X", "q"):
            for name in ("Error", "String"):
                ok, res = known[name] if name in known else self._call(t, v, verb, name)
                if ok:
                    if res is not None:
                        self.fmt_string(bytes(res), verb, (t, v), None)
                    return True
        return False

    # -- printArg / printValue --------------------------------------------------------------------------
    def print_arg(self, arg, verb: str):
        t, v = arg
        while t is not None and _kind(t) == "iface":  # an operand handed over with its static type
            t, v = v if v is not None else (None, None)
            arg = (t, v)
        if t is None:
            if verb in "Tv":
                self.pad(b"<nil>")
            else:
                self.bad_verb(verb)
            return
        if verb == "T":
            self.fmt_s(type_string(t).encode())
            return
        if verb == "p":
            self.fmt_pointer(t, v, "p", arg)
            return
        if isinstance(t, T.Basic):
            k = t.kind
            if k == "bool":
                self.fmt_bool(v, verb, arg, None)
            elif k in _INT_KINDS:
                self.fmt_int(v, k not in _UNSIGNED, verb, arg, None)
            elif k == "string":
                self.fmt_string(v, verb, arg, None)
            elif k == "float64":
                self.fmt_float(v, 64, verb, arg, None)
            elif k == "float32":
                self.fmt_float(v, 32, verb, arg, None)
            elif k == "complex128":
                self.fmt_complex(v, 128, verb, arg, None)
            elif k == "complex64":
                self.fmt_complex(v, 64, verb, arg, None)
            else:
                if not self.handle_methods(t, v, verb):
                    self.print_value(t, v, verb, 0, False)
            return
        if isinstance(t, T.Slice) and isinstance(t.elem_type, T.Basic) and t.elem_type.kind == "uint8":
            self.fmt_bytes(None if v is None else bytes(v), verb, "[]byte", t, False)
            return
        if not self.handle_methods(t, v, verb):
            self.print_value(t, v, verb, 0, False)

    def print_value(self, t, v, verb: str, depth: int, ro: bool, addr: bool = False):
        """ro: the value was reached through an unexported field (reflect's CanInterface is false);
        addr: it is addressable (reached through a pointer or a slice), so that reflect's
        ``Value.Interface`` copies it (``host.interface_copy(t)``, when the host has it)."""
        if depth > 0 and not ro and not _kind(t) == "iface":
            if addr and self._copy is not None:
                self._copy(t)
            if self.handle_methods(t, v, verb):
                return
        u = t.u
        k = u.kind
        if k == "bool":
            self.fmt_bool(v, verb, None, (t, v))
        elif k in _INT_KINDS:
            self.fmt_int(v, k not in _UNSIGNED, verb, None, (t, v))
        elif k == "float32":
            self.fmt_float(v, 32, verb, None, (t, v))
        elif k == "float64":
            self.fmt_float(v, 64, verb, None, (t, v))
        elif k == "complex64":
            self.fmt_complex(v, 64, verb, None, (t, v))
        elif k == "complex128":
            self.fmt_complex(v, 128, verb, None, (t, v))
        elif k == "string":
            self.fmt_string(v, verb, None, (t, v))
        elif k == "map":
            if self.sharp_v:
                self.buf += type_string(t).encode()
                if v is None:
                    self.buf += b"(nil)"
                    return
                self.buf += b"{"
            else:
                self.buf += b"map["
            items = v.items() if isinstance(v, dict) else (v or [])
            for i, (mk, mv) in enumerate(_sort_map(u.key, items)):
                if i:
                    self.buf += b", " if self.sharp_v else b" "
                self.print_value(u.key, mk, verb, depth + 1, ro)
                self.buf += b":"
                self.print_value(u.elem_type, mv, verb, depth + 1, ro)
            self.buf += b"}" if self.sharp_v else b"]"
        elif k == "struct":
            if self.sharp_v:
                self.buf += type_string(t).encode()
            self.buf += b"{"
            for i, f in enumerate(u.fields):
                if i:
                    self.buf += b", " if self.sharp_v else b" "
                name = f.name
                if (self.plus_v or self.sharp_v) and name:
                    self.buf += name.encode() + b":"
                fv = v[i]
                fro = ro or not _is_exported(name)
                ft = f.type
                if _kind(ft) == "iface" and fv[0] is not None:
                    ft, fv = fv
                self.print_value(ft, fv, verb, depth + 1, fro, addr and ft is f.type)
            self.buf += b"}"
        elif k == "iface":
            dt, dv = v if v is not None else (None, None)
            if dt is None:
                if self.sharp_v:
                    self.buf += type_string(t).encode() + b"(nil)"
                else:
                    self.buf += b"<nil>"
            else:
                if depth > 0 and not ro and self.handle_methods(dt, dv, verb):
                    return
                self.print_value(dt, dv, verb, depth + 1, ro)
        elif k in ("array", "slice"):
            et = u.elem_type
            if verb in "sqxX" and _kind(et) == "uint8":
                self.fmt_bytes(None if v is None else bytes(v), verb, type_string(t), t, ro)
                return
            if self.sharp_v:
                self.buf += type_string(t).encode()
                if k == "slice" and v is None:
                    self.buf += b"(nil)"
                    return
                self.buf += b"{"
                for i, e in enumerate(v):
                    if i:
                        self.buf += b", "
                    self.print_value(et, e, verb, depth + 1, ro, addr or k == "slice")
                self.buf += b"}"
            else:
                self.buf += b"["
                for i, e in enumerate(v or ()):
                    if i:
                        self.buf += b" "
                    self.print_value(et, e, verb, depth + 1, ro, addr or k == "slice")
                self.buf += b"]"
        elif k == "ptr":
            if depth == 0 and v:
                et = u.elem_type
                if _kind(et) in ("array", "slice", "struct", "map"):
                    self.buf += b"&"
                    self.print_value(et, self.host.deref(v, et), verb, depth + 1, ro, True)
                    return
            self.fmt_pointer(t, v, verb)
        elif k in ("chan", "func", "unsafe.Pointer"):
            self.fmt_pointer(t, v, verb)
        else:
            self.buf += b"?" + type_string(t).encode() + b"?"

    # -- doPrintf ------------------------------------------------------------------------------------------
    def _int_from_arg(self, a, argnum):
        num, is_int, new = 0, False, argnum
        if argnum < len(a):
            t, v = a[argnum]
            if t is not None and _kind(t) in _INT_KINDS:
                if _kind(t) in _UNSIGNED:
                    if v < (1 << 63):
                        num, is_int = v, True
                else:
                    num, is_int = v, True
            new = argnum + 1
            if num > 1_000_000 or num < -1_000_000:
                num, is_int = 0, False
        return num, is_int, new

    def _arg_number(self, argnum, fmt: bytes, i, nargs):
        if len(fmt) <= i or fmt[i] != 0x5B:
            return argnum, i, False
        self.reordered = True
        index, wid, ok = _parse_arg_number(fmt[i:])
        if ok and 0 <= index < nargs:
            return index, i + wid, True
        self.good_arg_num = False
        return argnum, i + wid, ok

    def do_printf(self, fmt: bytes, a: list):
        end = len(fmt)
        argnum = 0
        after_index = False
        self.reordered = False
        i = 0
        buf = self.buf
        while i < end:
            self.good_arg_num = True
            j = fmt.find(b"%", i)
            if j < 0:
                buf += fmt[i:]
                break
            if j > i:
                buf += fmt[i:j]
            i = j + 1
            self.clearflags()
            fast = False
            while i < end:
                c = fmt[i]
                if c == 0x23:
                    self.sharp = True
                elif c == 0x30:
                    self.zero = True
                elif c == 0x2B:
                    self.plus = True
                elif c == 0x2D:
                    self.minus = True
                elif c == 0x20:
                    self.space = True
                else:
                    if 0x61 <= c <= 0x7A and argnum < len(a):
                        verb = chr(c)
                        if verb == "w":
                            self.wrapped.append(argnum)
                        if verb in "vw":
                            self.sharp_v, self.sharp = self.sharp, False
                            self.plus_v, self.plus = self.plus, False
                        self.print_arg(a[argnum], verb)
                        argnum += 1
                        i += 1
                        fast = True
                    break
                i += 1
            if fast:
                continue
            argnum, i, after_index = self._arg_number(argnum, fmt, i, len(a))
            if i < end and fmt[i] == 0x2A:
                i += 1
                self.wid, self.wid_present, argnum = self._int_from_arg(a, argnum)
                if not self.wid_present:
                    buf += b"%!(BADWIDTH)"
                if self.wid < 0:
                    self.wid = -self.wid
                    self.minus = True
                    self.zero = False
                after_index = False
            else:
                self.wid, self.wid_present, i = _parsenum(fmt, i, end)
                if after_index and self.wid_present:
                    self.good_arg_num = False
            if i + 1 < end and fmt[i] == 0x2E:
                i += 1
                if after_index:
                    self.good_arg_num = False
                argnum, i, after_index = self._arg_number(argnum, fmt, i, len(a))
                if i < end and fmt[i] == 0x2A:
                    i += 1
                    self.prec, self.prec_present, argnum = self._int_from_arg(a, argnum)
                    if self.prec < 0:
                        self.prec = 0
                        self.prec_present = False
                    if not self.prec_present:
                        buf += b"%!(BADPREC)"
                    after_index = False
                else:
                    self.prec, self.prec_present, i = _parsenum(fmt, i, end)
                    if not self.prec_present:
                        self.prec = 0
                        self.prec_present = True
            if not after_index:
                argnum, i, after_index = self._arg_number(argnum, fmt, i, len(a))
            if i >= end:
                buf += b"%!(NOVERB)"
                break
            verb, size = _decode_verb(fmt, i)
            i += size
            if verb == "%":
                buf += b"%"
            elif not self.good_arg_num:
                buf += b"%!"
                self.write_verb(verb)
                buf += b"(BADINDEX)"
            elif argnum >= len(a):
                buf += b"%!"
                self.write_verb(verb)
                buf += b"(MISSING)"
            else:
                if verb == "w":
                    self.wrapped.append(argnum)
                if verb in "vw":
                    self.sharp_v, self.sharp = self.sharp, False
                    self.plus_v, self.plus = self.plus, False
                self.print_arg(a[argnum], verb)
                argnum += 1
        if not self.reordered and argnum < len(a):
            self.clearflags()
            buf += b"%!(EXTRA "
            for k, arg in enumerate(a[argnum:]):
                if k:
                    buf += b", "
                if arg[0] is None:
                    buf += b"<nil>"
                else:
                    buf += type_string(arg[0]).encode() + b"="
                    self.print_arg(arg, "v")
            buf += b")"

    def do_print(self, a):
        prev_string = False
        for n, arg in enumerate(a):
            is_string = arg[0] is not None and _kind(arg[0]) == "string"
            if n > 0 and not is_string and not prev_string:
                self.buf += b" "
            self.print_arg(arg, "v")
            prev_string = is_string

    def do_println(self, a):
        for n, arg in enumerate(a):
            if n > 0:
                self.buf += b" "
            self.print_arg(arg, "v")
        self.buf += b"\n"


def _parsenum(s: bytes, start: int, end: int):
    if start >= end:
        return 0, False, end
    num = 0
    isnum = False
    i = start
    while i < end and 0x30 <= s[i] <= 0x39:
        if num > 1_000_000 or num < -1_000_000:
            return 0, False, end
        num = num * 10 + s[i] - 0x30
        isnum = True
        i += 1
    return num, isnum, i


def _parse_arg_number(fmt: bytes):
    if len(fmt) < 3:
        return 0, 1, False
    for i in range(1, len(fmt)):
        if fmt[i] == 0x5D:
            width, ok, newi = _parsenum(fmt, 1, i)
            if not ok or newi != i:
                return 0, i + 1, False
            return width - 1, i + 1, True
    return 0, 1, False


def _decode_verb(fmt: bytes, i: int):
    c = fmt[i]
    if c < 0x80:
        return chr(c), 1
    r, size = SC.decode_runes(fmt[i:i + 4])[0]
    return chr(r), size


# -- map ordering (internal/fmtsort) ------------------------------------------------------------------------


def _cmp(a, b) -> int:
    return (a > b) - (a < b)


def _fcmp(a: float, b: float) -> int:
    an, bn = math.isnan(a), math.isnan(b)
    if an or bn:
        return 0 if an and bn else (-1 if an else 1)
    return _cmp(a, b)


def _compare(t, a, b) -> int:
    u = t.u
    k = u.kind
    if k in _INT_KINDS or k == "string" or k == "bool":
        return _cmp(a, b)
    if k in ("float32", "float64"):
        return _fcmp(a, b)
    if k in ("complex64", "complex128"):
        return _fcmp(a.real, b.real) or _fcmp(a.imag, b.imag)
    if k in ("ptr", "unsafe.Pointer", "chan"):
        return _cmp(a or 0, b or 0)
    if k == "struct":
        for i, f in enumerate(u.fields):
            c = _compare(f.type, a[i], b[i])
            if c:
                return c
        return 0
    if k == "array":
        for x, y in zip(a, b):
            c = _compare(u.elem_type, x, y)
            if c:
                return c
        return 0
    if k == "iface":
        (at, av), (bt, bv) = a, b
        if at is None or bt is None:
            return 0 if at is None and bt is None else (-1 if at is None else 1)
        c = _cmp(type_string(at), type_string(bt))
        if c:
            return c
        if at is not bt and not T.identical(at, bt):
            return -1
        return _compare(at, av, bv)
    return 0


def _sort_map(key_type, pairs):
    return sorted(pairs, key=cmp_to_key(lambda x, y: _compare(key_type, x[0], y[0])))


# -- the API ------------------------------------------------------------------------------------------------


def _norm(args) -> list:
    """The operands as (dynamic type, value); one given with an interface type is unwrapped."""
    out = []
    for a in args:
        t, v = a
        while t is not None and _kind(t) == "iface":
            t, v = v if v is not None else (None, None)
        out.append((t, v))
    return out


def _fmt_bytes_arg(format) -> bytes:
    return format.encode() if isinstance(format, str) else bytes(format)


def sprintf(format, args, host, wrap_errs: bool = False) -> bytes:
    """fmt.Sprintf; with wrap_errs (fmt.Errorf) %w prints an error operand like %v."""
    p = _PP(host, wrap_errs)
    p.do_printf(_fmt_bytes_arg(format), _norm(args))
    return bytes(p.buf)


def sprint(args, host) -> bytes:
    p = _PP(host)
    p.do_print(_norm(args))
    return bytes(p.buf)


def sprintln(args, host) -> bytes:
    p = _PP(host)
    p.do_println(_norm(args))
    return bytes(p.buf)


def errorf(format, args, host):
    """fmt.Errorf: ``(message, wraps)``.

    ``wraps`` says which error value Errorf returns: None -- no %w, a plain error
    (errors.New(message)); an int i -- exactly one %w, a ``*fmt.wrapError`` whose Unwrap gives
    operand i if that is an error (else nil); a list of ints -- several %w, a
    ``*fmt.wrapErrors`` whose Unwrap gives those of the listed operands that are errors (sorted
    when the format uses argument indexes, without repeats).
    """
    p = _PP(host, True)
    p.do_printf(_fmt_bytes_arg(format), _norm(args))
    return bytes(p.buf), _wraps(p.wrapped, p.reordered)


def errorf_raw(format, args, host):
    """:func:`errorf` and the number of %w verbs seen (``p.wrappedErrs``' appends, repeats kept)."""
    p = _PP(host, True)
    p.do_printf(_fmt_bytes_arg(format), _norm(args))
    return bytes(p.buf), _wraps(p.wrapped, p.reordered), len(p.wrapped)


def _wraps(wrapped, reordered):
    if not wrapped:
        return None
    if len(wrapped) == 1:
        return wrapped[0]
    wrapped = sorted(wrapped) if reordered else list(wrapped)
    return [w for i, w in enumerate(wrapped) if i == 0 or wrapped[i - 1] != w]


def errorf_wraps(format, nargs: int | None = None) -> list[int]:
    """The argument indexes the %w verbs of format consume, in verb order (repeats kept;
    Errorf formats %w like %v).  ``nargs`` is the number of operands of the call; indexes
    past it name no operand.  By default every index the format could name counts."""
    fmtb = _fmt_bytes_arg(format)
    n = len(fmtb) + 1 if nargs is None else nargs
    p = _PP(None, True)
    p.do_printf(fmtb, [(T.INT, 0)] * n)
    return list(p.wrapped)
