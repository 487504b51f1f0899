"""gomem.std.strconv against the real strconv package, byte for byte.

Each call is described once here as (Go expression, Python thunk); the Go expressions make up
one program that prints every result hex-encoded on its own line.
"""

from __future__ import annotations

import random
import struct
import subprocess
from pathlib import Path

import pytest

from gomem.cmd import realgo
from gomem.std import strconv as SC

requires_go = pytest.mark.skipif(realgo.find_go() is None, reason=realgo.NO_GO_REASON)

GO_PRELUDE = r'''package main

import (
	"encoding/hex"
	"math"
	"os"
	"strconv"
)

var _ = math.NaN

func out(s string) { os.Stdout.WriteString(hex.EncodeToString([]byte(s)) + "\n") }

func e(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

func i64(v int64, err error) string  { return strconv.FormatInt(v, 10) + "|" + e(err) }
func u64(v uint64, err error) string { return strconv.FormatUint(v, 10) + "|" + e(err) }
func atoi(v int, err error) string   { return strconv.Itoa(v) + "|" + e(err) }
func bl(v bool, err error) string    { return strconv.FormatBool(v) + "|" + e(err) }
func str(v string, err error) string { return v + "|" + e(err) }
func f64(v float64, err error) string {
	return strconv.FormatUint(math.Float64bits(v), 16) + "|" + e(err)
}

func cx(v complex128, err error) string {
	return strconv.FormatUint(math.Float64bits(real(v)), 16) + "," + strconv.FormatUint(math.Float64bits(imag(v)), 16) +
		"|" + e(err)
}

func runes(lo, hi int) string {
	b := []rune{}
	for r := lo; r < hi; r++ {
		b = append(b, rune(r))
	}
	return string(b)
}

func main() {
'''


def golit(b) -> str:
    b = b.encode() if isinstance(b, str) else b
    return '"' + "".join(chr(c) if 0x20 <= c < 0x7F and chr(c) not in '"\\' else "\\x%02x" % c for c in b) + '"'


def _e(err) -> bytes:
    if err is None:
        return b"<nil>"
    return err.error() if hasattr(err, "error") else str(err).encode()


def _i(res) -> bytes:
    v, err = res
    return str(v).encode() + b"|" + _e(err)


def _bl(res) -> bytes:
    v, err = res
    return SC.FormatBool(v) + b"|" + _e(err)


def _str(res) -> bytes:
    v, err = res
    return v + b"|" + _e(err)


def _f64(res) -> bytes:
    v, err = res
    return format(SC.float64_bits(v), "x").encode() + b"|" + _e(err)


def _cx(res) -> bytes:
    v, err = res
    return (format(SC.float64_bits(v.real), "x") + "," + format(SC.float64_bits(v.imag), "x")).encode() + b"|" + _e(err)


def f64go(x: float) -> str:
    return f"math.Float64frombits(0x{SC.float64_bits(x):016x})"


def _runes(lo: int, hi: int) -> bytes:
    return b"".join(SC.encode_rune(r) for r in range(lo, hi))


# -- the cases -----------------------------------------------------------------------------------------


def float_values():
    rnd = random.Random(20261206)
    vals64 = [0.0, -0.0, 1.0, 0.1, 0.2, 0.3, 1 / 3, 2 / 3, 1e21, 1e22, 1e23, 5e-324, 1.7976931348623157e308,
              2.2250738585072014e-308, 2.225073858507201e-308, 123456789.0, 9007199254740993.0, 0.5, 2.5, 1.5,
              1e-7, 100.0, 1e15, 1e16, 1e17, 4.35, 0.045, 1.005, 2.675, 8.5, 9.5, math_pi := 3.141592653589793,
              float("nan"), float("inf"), float("-inf"), -1e-300, 1.2345678901234567e-300]
    del math_pi
    for _ in range(180):
        vals64.append(struct.unpack("<d", struct.pack("<Q", rnd.getrandbits(64)))[0])
    for _ in range(60):
        vals64.append(round(rnd.uniform(-1e6, 1e6), rnd.randint(0, 8)))
    for _ in range(30):  # powers of two: the asymmetric rounding interval
        vals64.append(2.0 ** rnd.randint(-1074, 1023))
    vals32 = [0.0, -0.0, 0.1, 0.2, 0.3, 1 / 3, 16777216.0, 16777217.0, 3.4028234663852886e38, 1.401298464324817e-45,
              1.1754943508222875e-38, 1e10, 7e-45, 1e-7, 0.5, 2.5, 3.14159, float("inf"), float("nan")]
    for _ in range(200):
        vals32.append(struct.unpack("<f", struct.pack("<I", rnd.getrandbits(32)))[0])
    for e in range(1, 255, 3):  # powers of two over the whole range
        vals32.append(struct.unpack("<f", struct.pack("<I", e << 23))[0])
    for _ in range(40):
        vals32.append(SC.float32_round(round(rnd.uniform(-1e4, 1e4), rnd.randint(0, 6))))
    return vals64, vals32


FORMATS = [("g", -1), ("e", -1), ("f", -1), ("e", 3), ("f", 2), ("g", 5), ("b", -1), ("x", -1), ("x", 3), ("G", 10),
           ("E", 0), ("f", 0), ("g", 0), ("e", 20), ("X", 0), ("g", 17), ("x", 15), ("F", 2), ("z", -1)]

INT_STRINGS = ["0", "-0", "+5", "-128", "128", "-129", "127", "255", "256", "0x1F", "0X1f", "0b101", "0o17", "017",
               "0_17", "1_000", "_1", "1_", "1__0", "0x_1f", "0x1_f", "9223372036854775807", "9223372036854775808",
               "-9223372036854775808", "-9223372036854775809", "18446744073709551615", "18446744073709551616",
               "99999999999999999999999", "zz", "ZZ", "", "-", "+", " 1", "1 ", "0x", "0b", "0o", "08", "1e3", "abc",
               "2147483648", "-2147483648", "4294967295", "123456789012345678", "-12345678901234567", "\xff1"]
FLOAT_STRINGS = ["1e400", "-1e400", "1e-400", "0x1p-1074", "0x1p-1075", "0x1.fffffffffffff8p1023",
                 "0x1.fffffffffffff7p1023", "1_000.5", "_1", "1__0", "0x_1p0", "0x1_0p0", "1e1_0", "inf", "+Inf",
                 "-infinity", "Infinity", "infin", "nan", "NaN", "+nan", "-nan", ".5", "5.", ".", "", "1e", "1e+",
                 "0x1", "0x1p", "0X1P-2", "0x.8p1", "0x1.8", "1.5e-45", "3.4028235e38", "3.4028236e38", "3.5e38",
                 "4.9406564584124654e-324", "2.4703282292062327e-324", "2.4703282292062328e-324", "1e23",
                 "8.5e-323", "0.000000000000000000000000000000000000000000001", "123456789012345678901234567890",
                 "0x1.00000000000008p0", "0x1.000000000000081p0", "1.00000005960464477539062",
                 "1.000000059604644775390625", "1.000000059604644775390626", "+0", "-0", "-0.0e-5", "1e+308",
                 "1.7976931348623159e308", "1.7976931348623158e308", "3.40282356779733661637539395458142568448e38",
                 "7.0064923216240854e-46", "7.0064923216240855e-46", "1.4e-45", "1 ", " 1", "1e99999",
                 "0." + "0" * 400 + "1e400", "1" + "0" * 330 + "e-330", "12e", "0e0", "1.2.3", "0x1p+1_0",
                 "0b101", "1,5", "1e-5_", "0x1.p1", "0x.p1", "9007199254740993", "9007199254740993.0000001"]
COMPLEX_STRINGS = ["1+2i", "(1+2i)", "(1+2i", "1-2i", "-1.5e3-0.5i", "3i", "-3i", "+3i", "i", "1+i", "1i+2",
                   "NaN+NaNi", "NaN-NaNi", "Inf-Infi", "+Inf+Infi", "1e400+1i", "1+1e400i", "1e40+1e40i", "",
                   "()", "(", "1++2i", "1+-2i", "1+2", "1+2j", "0x1p3+0x1p-2i", "1_0+2_0i", "1e5", "(3)", " 1+2i",
                   "1+2i ", "infinity-infinityi", "1.5e-45+3.5e38i"]
QUOTE_STRINGS = [b"", b"hello", "h\u00e9llo \u4e16\u754c".encode(), b"bad\xff\xfe", b"tab\tnl\n\r\v\f\a\b",
                 b'quote"back\\\'', b"`tick`", b"\xe2\x82", "\U0001F600".encode(), b"\x00\x7f\x1b", b"\xef\xbb\xbf",
                 "\u00a0\u2000\u3000\u200b\u00ad\u0378\ufffd".encode(), b"\xed\xa0\x80", b"\xf4\x90\x80\x80",
                 b"\xc0\x80", "\U000e0001\U0010ffff".encode()]
UNQUOTE_STRINGS = ['"abc"', '"a\\nb"', "'a'", "'ab'", "`raw\r`", "`a`b`", '"\\x41\\u00e9\\U0001F600\\101"', '"\\400"',
                   "'\\''", '"\\\'"', "'\"'", '"unterminated', '"a"b"', '""', "''", "'\\u00e9'", '"\\xff"', "'\\xff'",
                   "'\u00e9'", '"\u00e9"', '"a\nb"', "'\\U00110000'", '"\\ud800"', "\"\\'\"", "x", "", '"', "'",
                   '"\\q"', '"\\777"', '"\\07"', "'\\n'", '`\\n`', "'\xff'", "\"\xff\"", "'ab", "`x"]
RUNES = [0, 7, 9, 10, 0x1b, 0x20, 0x27, 0x22, 0x5c, 0x41, 0x7f, 0x80, 0xa0, 0xad, 0xe9, 0x378, 0x4e16, 0xd800,
         0xfeff, 0xfffd, 0xffff, 0x1f600, 0xe0001, 0x10ffff, 0x110000, -1]


def cases():
    """[(go expression of type string, python thunk returning bytes)]"""
    out = []
    vals64, vals32 = float_values()
    for x in vals64:
        for fm, prec in FORMATS:
            out.append((f"strconv.FormatFloat({f64go(x)}, '{fm}', {prec}, 64)",
                        lambda x=x, fm=fm, prec=prec: SC.FormatFloat(x, fm, prec, 64)))
    for x in vals32:
        for fm, prec in FORMATS:
            out.append((f"strconv.FormatFloat({f64go(x)}, '{fm}', {prec}, 32)",
                        lambda x=x, fm=fm, prec=prec: SC.FormatFloat(x, fm, prec, 32)))
    for x in vals64[:60]:
        out.append((f"strconv.FormatFloat({f64go(x)}, 'g', -1, 32)", lambda x=x: SC.FormatFloat(x, "g", -1, 32)))
        out.append((f"string(strconv.AppendFloat([]byte(\"x=\"), {f64go(x)}, 'e', 4, 64))",
                    lambda x=x: SC.AppendFloat(b"x=", x, "e", 4, 64)))
        out.append((f"strconv.FormatComplex(complex({f64go(x)}, 1.5), 'g', -1, 128)",
                    lambda x=x: SC.FormatComplex(complex(x, 1.5), "g", -1, 128)))
    for s_ in FLOAT_STRINGS:
        for bits in (64, 32):
            out.append((f"f64(strconv.ParseFloat({golit(s_)}, {bits}))",
                        lambda s_=s_, bits=bits: _f64(SC.ParseFloat(s_.encode("latin-1"), bits))))
    for s_ in COMPLEX_STRINGS:
        for bits in (128, 64):
            out.append((f"cx(strconv.ParseComplex({golit(s_)}, {bits}))",
                        lambda s_=s_, bits=bits: _cx(SC.ParseComplex(s_, bits))))
    rnd = random.Random(7)
    for _ in range(150):
        digits = "".join(rnd.choice("0123456789") for _ in range(rnd.randint(1, 25)))
        pos = rnd.randint(0, len(digits))
        s_ = digits[:pos] + "." + digits[pos:] + "e" + str(rnd.randint(-330, 310))
        for bits in (64, 32):
            out.append((f"f64(strconv.ParseFloat({golit(s_)}, {bits}))",
                        lambda s_=s_, bits=bits: _f64(SC.ParseFloat(s_, bits))))
    for s_ in INT_STRINGS:
        b = s_.encode("latin-1")
        for base in (0, 10, 16, 2, 36, 8):
            for bits in (0, 8, 32, 64):
                out.append((f"i64(strconv.ParseInt({golit(b)}, {base}, {bits}))",
                            lambda b=b, base=base, bits=bits: _i(SC.ParseInt(b, base, bits))))
                out.append((f"u64(strconv.ParseUint({golit(b)}, {base}, {bits}))",
                            lambda b=b, base=base, bits=bits: _i(SC.ParseUint(b, base, bits))))
        out.append((f"atoi(strconv.Atoi({golit(b)}))", lambda b=b: _i(SC.Atoi(b))))
    for base, bits in [(1, 64), (37, 64), (10, 65), (10, -1), (-1, 8)]:
        out.append((f"i64(strconv.ParseInt(\"12\", {base}, {bits}))",
                    lambda base=base, bits=bits: _i(SC.ParseInt(b"12", base, bits))))
        out.append((f"u64(strconv.ParseUint(\"12\", {base}, {bits}))",
                    lambda base=base, bits=bits: _i(SC.ParseUint(b"12", base, bits))))
    for s_ in ["1", "t", "T", "true", "TRUE", "True", "0", "f", "F", "false", "FALSE", "False", "yes", "", "tRUE"]:
        out.append((f"bl(strconv.ParseBool({golit(s_)}))", lambda s_=s_: _bl(SC.ParseBool(s_))))
    for v in [0, 1, -1, 35, 36, -255, (1 << 63) - 1, -(1 << 63), 123456789]:
        for base in (2, 8, 10, 16, 36):
            out.append((f"strconv.FormatInt({v}, {base})", lambda v=v, base=base: SC.FormatInt(v, base)))
    for v in [0, (1 << 64) - 1, 1 << 63, 4095]:
        for base in (2, 10, 16, 36):
            out.append((f"strconv.FormatUint({v}, {base})", lambda v=v, base=base: SC.FormatUint(v, base)))
    out.append(("strconv.Itoa(-42) + string(strconv.AppendInt([]byte(\"n\"), -7, 16))",
                lambda: SC.Itoa(-42) + SC.AppendInt(b"n", -7, 16)))
    for b in QUOTE_STRINGS:
        for fn in ("Quote", "QuoteToASCII", "QuoteToGraphic"):
            out.append((f"strconv.{fn}({golit(b)})", lambda b=b, fn=fn: getattr(SC, fn)(b)))
        out.append((f"strconv.FormatBool(strconv.CanBackquote({golit(b)}))",
                    lambda b=b: SC.FormatBool(SC.CanBackquote(b))))
        out.append((f"string(strconv.AppendQuote([]byte(\"q:\"), {golit(b)}))", lambda b=b: SC.AppendQuote(b"q:", b)))
    for r in RUNES:
        for fn in ("QuoteRune", "QuoteRuneToASCII", "QuoteRuneToGraphic"):
            out.append((f"strconv.{fn}({r})", lambda r=r, fn=fn: getattr(SC, fn)(r)))
    for s_ in UNQUOTE_STRINGS:
        b = s_.encode("utf-8") if "\xff" not in s_ else s_.encode("latin-1")
        out.append((f"str(strconv.Unquote({golit(b)}))", lambda b=b: _str(SC.Unquote(b))))
        out.append((f"str(strconv.QuotedPrefix({golit(b + b'tail')}))",
                    lambda b=b: _str(SC.QuotedPrefix(b + b"tail"))))
    for lo in range(0, 0x110000, 0x2000):  # Quote over every rune: IsPrint exactly
        out.append((f"strconv.Quote(runes({lo}, {lo + 0x2000}))", lambda lo=lo: SC.Quote(_runes(lo, lo + 0x2000))))
    return out


def run_go(tmp_path: Path, src: str) -> list[bytes]:
    d = tmp_path / "prog"
    d.mkdir()
    (d / "main.go").write_text(src)
    (d / "go.mod").write_text("module prog\n\ngo 1.27\n")
    exe = d / "prog"
    r = subprocess.run([realgo.find_go(), "build", "-o", str(exe), "."], cwd=d, env=realgo.go_env(),
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[:3000]
    p = subprocess.run([str(exe)], env=realgo.go_env(), capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr[:3000]
    return [bytes.fromhex(line) for line in p.stdout.splitlines()]


@requires_go
@pytest.mark.realgo
def test_strconv_matches_real_go(tmp_path):
    cs = cases()
    src = GO_PRELUDE + "".join(f"\tout({go})\n" for go, _ in cs) + "}\n"
    want = run_go(tmp_path, src)
    assert len(want) == len(cs)
    bad = []
    for (go, thunk), w in zip(cs, want):
        g = thunk()
        if g != w:
            bad.append((go, g, w))
    assert not bad, f"{len(bad)} of {len(cs)} differ; first ones:\n" + "\n".join(
        f"  {go}\n    gomem: {g[:300]!r}\n    go:    {w[:300]!r}" for go, g, w in bad[:25])
    assert len(cs) > 10000


# -- without a toolchain -------------------------------------------------------------------------------


def test_errors_and_basics():
    assert SC.ParseInt(b"x", 10, 64)[1].error() == b'strconv.ParseInt: parsing "x": invalid syntax'
    assert SC.ParseInt(b"300", 10, 8) == (127, SC.NumError("ParseInt", b"300", SC.ErrRange))
    assert SC.Atoi("x")[1].error() == b'strconv.Atoi: parsing "x": invalid syntax'
    assert SC.ParseFloat(b"1e400")[1].error() == b'strconv.ParseFloat: parsing "1e400": value out of range'
    assert SC.FormatFloat(0.1, "g", -1, 32) == b"0.1"
    assert SC.FormatFloat(1e21, "g", -1, 64) == b"1e+21"
    assert SC.Quote(b"a\xffb") == b'"a\\xffb"'
    assert SC.Unquote(b'"\\u00e9"') == ("\u00e9".encode(), None)
