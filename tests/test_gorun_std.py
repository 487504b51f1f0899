"""The standard library gomem runs (strings, unicode, unicode/utf8, math, math/rand, math/rand/v2,
sort, slices, runtime, runtime/debug): real Go against gomem.

Two kinds of tests:

* the pure algorithms of :mod:`gomem.std` against values printed by the real toolchain: math/rand
  sequences for many seeds and thousands of calls, v2's PCG, the order pdqsort and the stable sort
  leave equal elements in, every code point's Unicode properties and case mappings, the bits of
  the math functions;
* small Go programs run on gomem and on real Go (the corpus harness of test_gorun_corpus.py):
  output byte for byte, and Mallocs/TotalAlloc exactly equal to real Go's (start-up subtracted)
  when real Go runs no GC cycle (a cycle makes the runtime allocate a little for itself), within
  the corpus tolerance otherwise.
"""

from __future__ import annotations

import hashlib
import math
import struct
from pathlib import Path

import pytest

from gomem.cmd import realgo
from gomem.std import gomath as GM
from gomem.std import rand as R
from gomem.std import sort as S
from gomem.std import strings as GS
from gomem.std import unicode as U

import test_gorun_corpus as H

requires_go = pytest.mark.skipif(realgo.find_go() is None, reason=realgo.NO_GO_REASON)
realgo_test = [requires_go, pytest.mark.realgo]


def go_output(src: str) -> str:
    p = realgo.run_go_source(src)
    assert p.returncode == 0, p.stderr
    return p.stdout


# -- math/rand ------------------------------------------------------------------------------------

SEEDS = (1, 42, -5, 0, 2024, 1 << 40, -(1 << 62), 2147483647, 2147483646, 89482311)

RAND_GO = r'''package main

import (
	"fmt"
	"math/rand"
)

func main() {
	for _, seed := range []int64{%SEEDS%} {
		r := rand.New(rand.NewSource(seed))
		for i := 0; i < 400; i++ {
			fmt.Println(r.Intn(1000), r.Int63(), r.Int31n(77), r.Int63n(1<<40+3), r.Uint32(), r.Int31(), r.Intn(1<<40), r.Float64(), r.Int63n(64))
		}
		fmt.Println(r.Perm(30))
	}
}
'''


class _State:
    pass


def _rand_lines(seed: int) -> list[str]:
    st = _State()
    st.tap, st.feed, st.vec = R.seed_rng(seed)

    def int63():
        return R.rng_next(st) & ((1 << 63) - 1)

    out = []
    for _ in range(400):
        vals = [R.intn(int63, 1000), int63(), R.int31n(int63, 77), R.int63n(int63, (1 << 40) + 3),
                R.uint32_(int63), R.int31(int63), R.intn(int63, 1 << 40), R.float64_(int63), R.int63n(int63, 64)]
        out.append(" ".join(repr(v) if isinstance(v, float) else str(v) for v in vals))
    out.append("[" + " ".join(map(str, R.perm(int63, 30))) + "]")
    return out


@pytest.mark.realgo
@requires_go
def test_math_rand_sequences_match_go():
    got = go_output(RAND_GO.replace("%SEEDS%", ", ".join(map(str, SEEDS)))).splitlines()
    want = [line for s in SEEDS for line in _rand_lines(s)]
    # Go prints floats with %v: shortest repr, as Python's repr (exponent forms aside)
    for g, w in zip(got, want):
        gp, wp = g.split(" "), w.split(" ")
        assert len(gp) == len(wp)
        for a, b in zip(gp, wp):
            if "." in a or "e" in a:
                assert float(a) == float(b), (g, w)
            else:
                assert a == b, (g, w)
    assert len(got) == len(want)


PCG_GO = r'''package main

import (
	"fmt"
	"math/rand/v2"
)

func main() {
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 500; i++ {
		fmt.Println(r.Uint64(), r.IntN(1000), r.Int64N(1<<50+7), r.Uint32N(3), r.Float64())
	}
}
'''


@pytest.mark.realgo
@requires_go
def test_rand_v2_pcg_matches_go():
    got = go_output(PCG_GO).splitlines()
    hi, lo = 1, 2

    def u64():
        nonlocal hi, lo
        hi, lo, v = R.pcg_next(hi, lo)
        return v

    for line in got:
        a, b, c, d, e = line.split()
        assert int(a) == u64()
        assert int(b) == R.uint64n(u64, 1000)
        assert int(c) == R.uint64n(u64, (1 << 50) + 7)
        assert int(d) == R.uint64n(u64, 3)
        assert float(e) == R.v2_float64(u64)
    assert len(got) == 500


# -- sorting ----------------------------------------------------------------------------------------

SORT_GO = r'''package main

import (
	"fmt"
	"sort"
)

type kv struct{ k, i int }

func gen(pattern, n int, seed uint32) []kv {
	out := make([]kv, n)
	x := seed
	for i := range out {
		x = x*1664525 + 1013904223
		var k int
		switch pattern {
		case 0:
			k = int(x>>16) % 10
		case 1:
			k = i
		case 2:
			k = n - i
		case 3:
			k = int(x>>8) % 100000
		case 4:
			if i < n/2 {
				k = i
			} else {
				k = n - i
			}
		case 5:
			k = 7
		case 6:
			k = i % 5
		}
		out[i] = kv{k, i}
	}
	return out
}

func main() {
	for _, n := range []int{0, 1, 5, 12, 13, 49, 50, 51, 100, 257, 1000, 5000} {
		for pattern := 0; pattern < 7; pattern++ {
			a := gen(pattern, n, uint32(n*7+pattern))
			b := gen(pattern, n, uint32(n*7+pattern))
			sort.Slice(a, func(i, j int) bool { return a[i].k < a[j].k })
			sort.SliceStable(b, func(i, j int) bool { return b[i].k < b[j].k })
			fmt.Print(n, " ", pattern)
			for _, e := range a {
				fmt.Print(" ", e.i)
			}
			fmt.Print(" |")
			for _, e := range b {
				fmt.Print(" ", e.i)
			}
			fmt.Println()
		}
	}
}
'''


def _gen(pattern: int, n: int, seed: int) -> list[tuple[int, int]]:
    out = []
    x = seed & 0xFFFFFFFF
    for i in range(n):
        x = (x * 1664525 + 1013904223) & 0xFFFFFFFF
        k = {0: lambda: (x >> 16) % 10, 1: lambda: i, 2: lambda: n - i, 3: lambda: (x >> 8) % 100000,
             4: lambda: i if i < n // 2 else n - i, 5: lambda: 7, 6: lambda: i % 5}[pattern]()
        out.append((k, i))
    return out


@pytest.mark.realgo
@requires_go
def test_pdqsort_and_stable_leave_equal_elements_where_go_does():
    lines = go_output(SORT_GO).splitlines()
    assert len(lines) == 12 * 7
    for line in lines:
        head, stable = line.split(" |")
        n, pattern, *order = map(int, head.split())
        a = _gen(pattern, n, n * 7 + pattern)
        b = list(a)
        S.sort_list(a, lambda x, y: x[0] < y[0])
        S.stable_list(b, lambda x, y: x[0] < y[0])
        assert [e[1] for e in a] == order, (n, pattern)
        assert [e[1] for e in b] == [int(v) for v in stable.split()], (n, pattern)


def test_sort_counts_comparisons_like_a_quicksort():
    """Not a stub: pdqsort sorts, and on 5000 random keys makes O(n log n) comparisons."""
    import random

    rnd = random.Random(5)
    xs = [rnd.randrange(1000) for _ in range(5000)]
    calls = [0]

    def lt(a, b):
        calls[0] += 1
        return a < b

    ys = list(xs)
    S.sort_list(ys, lt)
    assert ys == sorted(xs)
    assert 5000 * 10 < calls[0] < 5000 * 20


# -- unicode ----------------------------------------------------------------------------------------

UNICODE_GO = r'''package main

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"unicode"
)

func main() {
	h := sha256.New()
	var buf [16]byte
	for r := rune(0); r <= 0x10FFFF+2; r++ {
		var bits byte
		for i, f := range []func(rune) bool{unicode.IsUpper, unicode.IsLower, unicode.IsLetter, unicode.IsDigit, unicode.IsSpace, unicode.IsPunct} {
			if f(r) {
				bits |= 1 << i
			}
		}
		buf[0] = bits
		binary.LittleEndian.PutUint32(buf[1:], uint32(unicode.ToUpper(r)))
		binary.LittleEndian.PutUint32(buf[5:], uint32(unicode.ToLower(r)))
		binary.LittleEndian.PutUint32(buf[9:], uint32(unicode.SimpleFold(r)))
		h.Write(buf[:13])
	}
	fmt.Printf("%x %s\n", h.Sum(nil), unicode.Version)
}
'''


@pytest.mark.realgo
@requires_go
def test_unicode_tables_match_go_on_every_code_point():
    h = hashlib.sha256()
    preds = (U.is_upper, U.is_lower, U.is_letter, U.is_digit, U.is_space, U.is_punct)
    for r in range(0x10FFFF + 3):
        bits = 0
        for i, f in enumerate(preds):
            if f(r):
                bits |= 1 << i
        h.update(struct.pack("<BIII", bits, U.to_upper(r) & 0xFFFFFFFF, U.to_lower(r) & 0xFFFFFFFF,
                             U.simple_fold(r) & 0xFFFFFFFF))
    digest, version = go_output(UNICODE_GO).split()
    assert version == U.VERSION
    assert h.hexdigest() == digest


def test_utf8_decode_agrees_with_python_on_valid_text():
    for r in list(range(0, 0xD800, 7)) + list(range(0xE000, 0x110000, 101)):
        e = U.encode(r)
        assert U.decode(e) == (r, len(e))
        assert U.decode_last(b"x" + e) == (r, len(e))
        assert U.rune_len(r) == len(e)
    assert U.decode(b"\xed\xa0\x80") == (0xFFFD, 1)  # a surrogate
    assert U.decode(b"\xc0\x80") == (0xFFFD, 1)  # overlong
    assert U.full_rune(b"\xe4\xb8") is False and U.full_rune(b"\xe4\x41") is True


def test_strings_algorithms():
    assert GS.gen_split(b"a,b,,c", b",", 0, -1) == (4, [(0, 1), (2, 3), (4, 4), (5, 6)])
    assert GS.gen_split(b"", b",", 0, -1) == (1, [(0, 0)])
    assert GS.gen_split(b"abc", b"", 0, 2) == (2, [(0, 1), (1, 3)])
    assert GS.fields_ascii(b"  a bb  c ") == [(2, 3), (4, 6), (8, 9)]
    assert GS.trim_space("\u3000 x y\u2028".encode()) == (4, 7)
    assert GS.replace(b"aaa", b"a", b"bb", 2) == (5, b"bbbba")
    assert GS.equal_fold("Straße".encode(), "STRASSE".encode()) is False
    assert GS.equal_fold("ǅ".encode(), "ǆ".encode()) is True


# -- math -------------------------------------------------------------------------------------------

MATH_INPUTS = (0.0, -0.0, 0.5, 1.0, -1.0, 2.5, -2.5, 3.5, 0.49999999999999994, 1e-310, 3.0, 7.25, 100.0, 1e10,
               -3.0, 1e22, 5e29, 123456.789, 0.1, 2.0 ** 52 + 0.5, 1e300, float("inf"), float("-inf"))

MATH_GO = r'''package main

import (
	"fmt"
	"math"
)

func main() {
	for _, x := range []float64{%XS%} {
		fmt.Println(math.Float64bits(math.Sin(x)), math.Float64bits(math.Cos(x)), math.Float64bits(math.Cbrt(x)),
			math.Float64bits(math.Round(x)), math.Float64bits(math.RoundToEven(x)), math.Float64bits(math.Log2(math.Abs(x))),
			math.Float64bits(math.Log10(math.Abs(x))), math.Float64bits(math.Hypot(x, 1.5)), math.Float64bits(math.Mod(x, 0.7)))
	}
}
'''


def _go_float(x: float) -> str:
    if math.isinf(x):
        return "math.Inf(1)" if x > 0 else "math.Inf(-1)"
    if x == 0 and math.copysign(1, x) < 0:
        return "math.Copysign(0, -1)"
    return repr(x)


@pytest.mark.realgo
@requires_go
def test_math_functions_bit_exact():
    lines = go_output(MATH_GO.replace("%XS%", ", ".join(_go_float(x) for x in MATH_INPUTS))).splitlines()
    for x, line in zip(MATH_INPUTS, lines):
        got = [GM.f64bits(v) for v in (GM.sin(x), GM.cos(x), GM.cbrt(x), GM.round_(x), GM.round_to_even(x),
                                       GM.log2(abs(x)), GM.log10(abs(x)), GM.hypot(x, 1.5), GM.mod(x, 0.7))]
        want = [int(v) for v in line.split()]
        # NaNs: any NaN bit pattern Go prints is a NaN here too
        for name, g, w in zip(("sin", "cos", "cbrt", "round", "rte", "log2", "log10", "hypot", "mod"), got, want):
            if math.isnan(GM.f64frombits(w)):
                assert math.isnan(GM.f64frombits(g)), (x, name)
            else:
                assert g == w, (x, name, GM.f64frombits(g), GM.f64frombits(w))
    assert len(lines) == len(MATH_INPUTS)


# -- programs on gomem and real Go -----------------------------------------------------------------

PROGRAMS = {
    "builder": r'''package main

import (
	"fmt"
	"strings"
)

func main() {
	var sb strings.Builder
	for i := 0; i < 500; i++ {
		sb.WriteString("ab")
		sb.WriteByte('c')
		sb.WriteRune('é')
		sb.WriteRune(0x1F642)
	}
	fmt.Println(sb.Len(), sb.Cap(), len(sb.String()))
	var b2 strings.Builder
	b2.Grow(100)
	fmt.Println(b2.Len(), b2.Cap())
	b2.Write([]byte("xyz"))
	fmt.Fprintf(&b2, "%d-%s", 42, "q")
	fmt.Println(b2.String())
	b2.Reset()
	fmt.Println(b2.Len(), b2.Cap())
	p := &strings.Builder{}
	for i := 0; i < 50; i++ {
		p.WriteString("0123456789")
	}
	fmt.Println(p.Len(), p.Cap())
}
''',
    "strings_alloc": r'''package main

import (
	"fmt"
	"strings"
)

var keep []string

func main() {
	s := "the quick brown fox jumps over the lazy dog"
	for i := 0; i < 200; i++ {
		f := strings.Fields(s)
		keep = strings.Split(s, " ")
		j := strings.Join(f, "+")
		u := strings.ToUpper(j)
		l := strings.ToLower("ÀÉÎ " + u)
		r := strings.Replace(u, "O", "0", -1)
		n := strings.SplitN(s, "o", 3)
		rep := strings.Repeat("xy", i%20)
		if i%50 == 0 {
			fmt.Println(len(f), len(keep), j, u, l, r, n, rep)
		}
	}
	fmt.Println(strings.Fields("  ")," ", strings.Split("a", ""), strings.Split("", ""), strings.SplitN("a,b", ",", 0) == nil)
	fmt.Println(strings.Fields("ü x\u00a0y\u3000z"), len(strings.Fields(strings.Repeat("é ", 40))))
	fmt.Println(strings.Join(nil, ","), strings.Join([]string{"solo"}, ","), strings.ToLower("ABC"), strings.ToUpper("abc"))
}
''',
    "utf8_unicode": r'''package main

import (
	"fmt"
	"unicode"
	"unicode/utf8"
)

var keep []byte

func main() {
	s := "Grüße, 世界! ǅ Ω 𝔘 \xff"
	n := 0
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		fmt.Print(r, ":", w, ":", unicode.IsUpper(r), unicode.IsLetter(r), unicode.IsPunct(r), unicode.IsSpace(r), " ")
		fmt.Print(string(unicode.ToUpper(r)), string(unicode.ToLower(r)), " ")
		i += w
		n++
	}
	fmt.Println(n, utf8.RuneCountInString(s), utf8.ValidString(s))
	b := make([]byte, 0, 16)
	b = utf8.AppendRune(b, '世')
	b = utf8.AppendRune(b, 'x')
	b = utf8.AppendRune(b, 0x1F642)
	fmt.Println(len(b), cap(b), utf8.RuneCount(b), utf8.Valid(b), utf8.Valid(b[:2]))
	keep = utf8.AppendRune(keep, 'x')
	for i := 0; i < 40; i++ {
		keep = utf8.AppendRune(keep, rune(0x10000+i*999))
	}
	fmt.Println(len(keep), cap(keep))
	r, w := utf8.DecodeLastRuneInString(s[:len(s)-1])
	fmt.Println(r, w, utf8.RuneLen(r), utf8.ValidRune(0xD800), utf8.RuneError)
}
''',
    "rand_sort": r'''package main

import (
	"fmt"
	"math/rand"
	"slices"
	"sort"
)

var global = rand.New(rand.NewSource(9))

func main() {
	r := rand.New(rand.NewSource(7))
	xs := make([]int, 0)
	for i := 0; i < 2000; i++ {
		xs = append(xs, r.Intn(100))
	}
	sort.Ints(xs)
	fmt.Println(xs[:10], xs[1990:], sort.SearchInts(xs, 50), slices.Index(xs, 50), slices.Max(xs))
	p := global.Perm(50)
	slices.Sort(p)
	fmt.Println(p[:5], global.Float64(), global.Int63n(1e12))
	fs := []float64{2, -1, 0.5, 9, -3}
	sort.Float64s(fs)
	ss := []string{"pear", "fig", "apple", "fig"}
	sort.Strings(ss)
	slices.Reverse(ss)
	fmt.Println(fs, ss, slices.Contains(ss, "fig"), slices.Min(ss))
}
''',
    "rand_v2": r'''package main

import (
	"fmt"
	"math/rand/v2"
)

func main() {
	r := rand.New(rand.NewPCG(3, 4))
	s := 0
	for i := 0; i < 3000; i++ {
		s += r.IntN(1000)
	}
	fmt.Println(s, r.Uint64(), r.Int64N(1<<45), r.Float64(), r.Perm(8), r.Uint32(), r.Int())
}
''',
    "runtime_debug": r'''package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
)

type node struct {
	next *node
	pad  [8]int64
}

var head, keep *node

func main() {
	keep = &node{}
	for i := 0; i < 5000; i++ {
		head = &node{next: head}
	}
	var m1, m2 runtime.MemStats
	runtime.ReadMemStats(&m1)
	head = nil
	runtime.GC()
	runtime.ReadMemStats(&m2)
	fmt.Println(m2.NumGC > m1.NumGC, m2.HeapAlloc < m1.HeapAlloc, m2.Mallocs >= m1.Mallocs, m2.BySize[5].Size, len(m2.BySize))
	old := debug.SetGCPercent(50)
	fmt.Println(old, debug.SetGCPercent(old), runtime.NumGoroutine(), runtime.GOMAXPROCS(0))
	fmt.Println(debug.SetMemoryLimit(-1) > 0)
	debug.FreeOSMemory()
	runtime.KeepAlive(head)
}
''',
    'strings_funcs': r'''package main

import (
	"fmt"
	"strings"
	"unicode"
)

var keep []string

func main() {
	s := "  Hello, Wörld! 123 go-GC  "
	n := 0
	for i := 0; i < 300; i++ {
		keep = strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' || r == '-' })
		up := strings.Map(func(r rune) rune {
			if r == 'o' {
				return -1
			}
			return unicode.ToUpper(r)
		}, s)
		same := strings.Map(func(r rune) rune { return r }, s)
		n += len(up) + len(same) + strings.IndexFunc(s, unicode.IsDigit)
	}
	fmt.Println(n, keep, len(keep))
	fmt.Printf("%q %q %q\n", strings.TrimFunc(s, unicode.IsSpace), strings.TrimLeftFunc(s, unicode.IsSpace),
		strings.TrimRightFunc(s, func(r rune) bool { return r == ' ' || unicode.IsUpper(r) }))
	fmt.Println(strings.ContainsFunc(s, unicode.IsPunct), strings.IndexFunc(s, unicode.IsUpper),
		strings.LastIndexFunc(s, unicode.IsLetter), strings.TrimFunc("   ", unicode.IsSpace) == "")
	many := strings.Repeat("ab cd,", 40)
	fmt.Println(len(strings.FieldsFunc(many, func(r rune) bool { return r == ' ' || r == ',' })))
}
''',
    'errors_funcs': r'''package main

import (
	"errors"
	"fmt"
)

var ErrA = errors.New("a failed")

type codeErr struct{ code int }

func (e *codeErr) Error() string { return fmt.Sprint("code ", e.code) }

type tempErr interface{ Temp() bool }

type timeout struct{ ms int }

func (t timeout) Error() string { return fmt.Sprintf("timeout after %dms", t.ms) }
func (t timeout) Temp() bool    { return t.ms < 1000 }

func main() {
	var all []error
	hits := 0
	for i := 0; i < 120; i++ {
		var err error
		switch i % 4 {
		case 0:
			err = fmt.Errorf("op %d: %w", i, ErrA)
		case 1:
			err = fmt.Errorf("op %d: %w / %w", i, &codeErr{i}, timeout{i * 3})
		case 2:
			err = errors.Join(ErrA, &codeErr{i})
		default:
			err = fmt.Errorf("plain")
		}
		var ce *codeErr
		var te tempErr
		var to timeout
		if errors.Is(err, ErrA) {
			hits++
		}
		if errors.As(err, &ce) && ce.code%2 == 1 {
			hits += 10
		}
		if errors.As(err, &te) && te.Temp() {
			hits += 100
		}
		if errors.As(err, &to) {
			hits += to.ms % 3
		}
		if i%40 < 4 {
			all = append(all, err)
			fmt.Println(err)
		}
	}
	fmt.Println(hits, len(all))
	j := errors.Join(all...)
	fmt.Println(j)
	fmt.Println(errors.Join(nil, nil) == nil, errors.Unwrap(all[0]) == ErrA, errors.Is(j, ErrA))
}
''',
    'strconv_quote': r'''package main

import (
	"fmt"
	"strconv"
	"strings"
)

func main() {
	var b strings.Builder
	b.WriteString("{\n")
	b.WriteString(strconv.Quote("k") + ": ")
	b.WriteString(strconv.FormatBool(true))
	b.WriteString(strconv.FormatFloat(2.5, 'g', -1, 64))
	fmt.Println(b.String())
	fmt.Println(strconv.Quote("hello \"w\"\n"), strconv.QuoteRune('x'))
}
''',
    'strconv_atoi_errors': r'''package main

import (
	"fmt"
	"strconv"
)

func main() {
	for _, s := range []string{"1", "x3", "", "99999999999999999999", "abcdefghijklmnopqrstuvwxyz0123456789"} {
		_, err := strconv.Atoi(s)
		fmt.Println(err)
		if err != nil {
			fmt.Println(err.Error())
		}
	}
}
''',
    'sort_slice_kinds': r'''package main

import (
	"fmt"
	"sort"
)

type P struct{ a, b int }

func main() {
	ps := []P{{3, 1}, {1, 2}, {2, 3}}
	for i := 0; i < 100; i++ {
		sort.Slice(ps, func(i, j int) bool { return ps[i].a < ps[j].a })
	}
	fmt.Println(ps)
}
''',
    'sort_slice_ifaces': r'''package main

import (
	"fmt"
	"sort"
)

func main() {
	ps := []any{3, 1, 2}
	for i := 0; i < 100; i++ {
		sort.Slice(ps, func(i, j int) bool { return ps[i].(int) < ps[j].(int) })
	}
	fmt.Println(ps)
}
''',
}


# flag, encoding/binary and more of math/rand/v2 (their pure parts are tested at the end of the file)
PROGRAMS.update({
    'flag_defaults': r'''package main

import (
	"flag"
	"fmt"
)

func main() {
	n := flag.Int("n", 65536, "a big default (its text allocated)")
	small := flag.Int("small", 7, "a small default (strconv's constant)")
	seed := flag.Uint64("seed", 0x5eed, "a uint64")
	i64 := flag.Int64("i64", -12345, "an int64")
	u := flag.Uint("u", 99, "a uint")
	f := flag.Float64("f", 0.25, "a float64")
	b := flag.Bool("b", true, "a bool")
	s := flag.String("s", "text", "a string")
	var iv int
	flag.IntVar(&iv, "iv", 1000, "an IntVar")
	var sv string
	flag.StringVar(&sv, "sv", "var", "a StringVar")
	flag.Parse()
	fmt.Println(*n, *small, *seed, *i64, *u, *f, *b, *s, iv, sv, flag.NArg(), len(flag.Args()), flag.NFlag(), flag.Parsed())
}
''',
    'binary_orders': r'''package main

import (
	"encoding/binary"
	"fmt"
)

func main() {
	b := make([]byte, 16)
	var sum uint64
	for i := 0; i < 1000; i++ {
		v := uint64(i) * 0x9E3779B97F4A7C15
		binary.LittleEndian.PutUint64(b, v)
		binary.BigEndian.PutUint64(b[8:], v)
		binary.BigEndian.PutUint32(b[2:], uint32(i))
		binary.LittleEndian.PutUint16(b[13:], uint16(i))
		sum += binary.LittleEndian.Uint64(b) ^ binary.BigEndian.Uint64(b[8:])
		sum += uint64(binary.BigEndian.Uint16(b[1:])) + uint64(binary.LittleEndian.Uint32(b[5:]))
	}
	fmt.Println(b, sum)
	var out [][]byte
	for i := 0; i < 50; i++ {
		var p []byte
		p = binary.BigEndian.AppendUint16(p, uint16(i))
		p = binary.LittleEndian.AppendUint32(p, uint32(i*i))
		p = binary.BigEndian.AppendUint64(p, uint64(i)<<40)
		out = append(out, p)
	}
	fmt.Println(len(out), out[49], cap(out[49]))
}
''',
    'rand_v2_methods': r'''package main

import (
	"fmt"
	"math/rand/v2"
)

func main() {
	r := rand.New(rand.NewPCG(42, 1))
	var sum uint64
	var fs float64
	var f32 float32
	for i := 0; i < 2000; i++ {
		sum += r.Uint64() ^ uint64(r.Uint32()) ^ uint64(r.Int()) ^ uint64(r.Int64()) ^ uint64(r.Int32()) ^ uint64(r.Uint())
		sum += uint64(r.IntN(1000+i)) + uint64(r.Int64N(1<<40+int64(i))) + uint64(r.Int32N(int32(i+1)))
		sum += uint64(r.UintN(uint(i+1))) + r.Uint64N(1<<63+uint64(i)) + uint64(r.Uint32N(uint32(i*7+1)))
		fs += r.Float64()
		f32 += r.Float32()
	}
	fmt.Println(sum, fs, f32, r.Perm(12))
}
''',
})


#: programs whose real-Go figures vary from run to run by a few objects (fmt's printers in a loop of
#: nested prints: real Go's sync.Pool sometimes misses), or that run the collector themselves
APPROX_PROGRAMS = {"runtime_debug", "errors_funcs"}


@pytest.fixture(scope="module")
def progdir(tmp_path_factory):
    d = tmp_path_factory.mktemp("gorun_std")
    for name, src in PROGRAMS.items():
        (d / f"{name}.go").write_text(src)
    return d


@pytest.mark.realgo
@requires_go
@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_program_matches_real_go(progdir, name):
    sp = H.spec(progdir / f"{name}.go")
    go = H.real_go(sp)
    got = H.run_gomem(sp)
    assert got.stdout == go.stdout, H.first_difference(got.stdout, go.stdout)
    assert got.exit == go.exit == 0
    mallocs, total = H.expected_allocs(go)
    if go.memstats["NumGC"] == 0 and name not in APPROX_PROGRAMS:
        assert (got.memstats["Mallocs"], got.memstats["TotalAlloc"]) == (mallocs, total)
    else:
        assert abs(got.memstats["Mallocs"] - mallocs) <= H.ALLOC_TOLERANCE * mallocs
        assert abs(got.memstats["TotalAlloc"] - total) <= H.ALLOC_TOLERANCE * total


APPEND_STACK_STORE = r'''package main

import (
	"fmt"
	"unicode/utf8"
)

func main() {
	b := []byte(nil)
	for r := rune(0x60); r < 0x800; r += 37 {
		b = utf8.AppendRune(b, r)
	}
	fmt.Println(len(b), cap(b))
}
'''


@pytest.mark.realgo
@requires_go
@pytest.mark.xfail(strict=True, reason="Go inlines utf8.AppendRune, and the inlined append to a slice that does not "
                   "escape starts in a 32-byte stack store; gomem's escape analysis does not see inside the call "
                   "(the inliner has no stdlib bodies), so every growth is on the heap: 10 objects where Go makes 8")
def test_append_rune_to_a_local_nil_slice(tmp_path):
    p = tmp_path / "appendrune.go"
    p.write_text(APPEND_STACK_STORE)
    sp = H.spec(p)
    go = H.real_go(sp)
    got = H.run_gomem(sp)
    assert got.stdout == go.stdout
    assert (got.memstats["Mallocs"], got.memstats["TotalAlloc"]) == H.expected_allocs(go)


def test_unsupported_function_is_one_line(tmp_path):
    from gomem.errors import BadInput
    from gomem.compile.program import load

    p = tmp_path / "u.go"
    p.write_text('package main\n\nimport "strings"\n\nvar s = "x"\n\nfunc main() {\n\ts = strings.Title(s)\n}\n')
    with pytest.raises(BadInput) as e:
        load(str(p))
    assert "gomem cannot run this yet: the function strings.Title" in str(e.value)
    assert "\n" not in str(e.value)


EXIT_PROGRAM = r'''package main

import (
	"fmt"
	"os"
	"strconv"
)

func main() {
	v, err := strconv.Atoi("3")
	fmt.Println("before", v, err)
	if len(os.Args) > 0 {
		os.Exit(v)
	}
	fmt.Println("after")
}
'''


@pytest.mark.realgo
@requires_go
def test_os_exit_status_and_output(tmp_path):
    p = tmp_path / "exit.go"
    p.write_text("// exit: 3\n" + EXIT_PROGRAM)
    sp = H.spec(p)
    go = H.real_go(sp)
    got = H.run_gomem(sp)
    assert got.stdout == go.stdout == b"before 3 <nil>\n"
    assert got.exit == go.exit == 3


def test_unsupported_sort_slice_operand_is_one_line(tmp_path):
    from gomem.errors import BadInput
    from gomem.compile.program import load

    p = tmp_path / "u.go"
    p.write_text('package main\n\nimport "sort"\n\nfunc main() {\n\tvar x any = []int{2, 1}\n'
                 '\tsort.Slice(x, func(i, j int) bool { return i < j })\n}\n')
    with pytest.raises(BadInput) as e:
        load(str(p))
    assert "gomem cannot run this yet: sort.Slice of an operand that is not a slice" in str(e.value)
    assert "\n" not in str(e.value)


# -- flag, math/bits, encoding/binary, more of math/rand/v2 -------------------------------------------

BITS_GO = r'''package main

import (
	"fmt"
	"math/bits"
)

func main() {
	x := uint64(0x9E3779B97F4A7C15)
	for i := 0; i < 300; i++ {
		x = x*6364136223846793005 + 1442695040888963407
		v := x >> uint(i%64)
		k := i - 150
		hi, lo := bits.Mul64(v, x)
		s, c := bits.Add64(v, x, uint64(i&1))
		d, b := bits.Sub64(v, x, uint64(i&1))
		y := x | 1
		q, r := bits.Div64(v%y, x, y)
		fmt.Println(bits.Len64(v), bits.LeadingZeros64(v), bits.TrailingZeros64(v), bits.OnesCount64(v),
			bits.RotateLeft64(v, k), bits.Reverse64(v), bits.ReverseBytes64(v), hi, lo, s, c, d, b, q, r,
			bits.Rem64(v, x, y), bits.Len32(uint32(v)), bits.LeadingZeros16(uint16(v)), bits.TrailingZeros8(uint8(v)),
			bits.RotateLeft32(uint32(v), k), bits.RotateLeft16(uint16(v), k), bits.RotateLeft8(uint8(v), k),
			bits.Reverse16(uint16(v)), bits.ReverseBytes16(uint16(v)), bits.OnesCount32(uint32(v)))
	}
}
'''


def test_math_bits_match_go():
    from gomem.std import bits as GB

    got = go_output(BITS_GO).splitlines()
    m64 = (1 << 64) - 1
    x = 0x9E3779B97F4A7C15
    for i, line in enumerate(got):
        x = (x * 6364136223846793005 + 1442695040888963407) & m64
        v = x >> (i % 64)
        k = i - 150
        y = x | 1
        want = [GB.len_(v), GB.leading_zeros(v, 64), GB.trailing_zeros(v, 64), GB.ones_count(v),
                GB.rotate_left(v, k, 64), GB.reverse(v, 64), GB.reverse_bytes(v, 64), *GB.mul(v, x, 64),
                *GB.add(v, x, i & 1, 64), *GB.sub(v, x, i & 1, 64), *GB.div(v % y, x, y, 64), GB.rem(v, x, y, 64),
                GB.len_(v & 0xFFFFFFFF), GB.leading_zeros(v & 0xFFFF, 16), GB.trailing_zeros(v & 0xFF, 8),
                GB.rotate_left(v & 0xFFFFFFFF, k, 32), GB.rotate_left(v & 0xFFFF, k, 16), GB.rotate_left(v & 0xFF, k, 8),
                GB.reverse(v & 0xFFFF, 16), GB.reverse_bytes(v & 0xFFFF, 16), GB.ones_count(v & 0xFFFFFFFF)]
        assert [int(w) for w in line.split()] == want, i
    assert len(got) == 300
    with pytest.raises(GB.BitsError, match="integer overflow"):
        GB.div(3, 0, 3, 64)
    with pytest.raises(GB.BitsError, match="integer divide by zero"):
        GB.rem(0, 1, 0, 64)


def test_rand_v2_float32_is_24_bits_of_uint32():
    vals = iter([0xFFFFFFFF_00000000, 0x00000001_12345678])
    assert R.v2_float32(lambda: next(vals)) == ((1 << 24) - 1) / (1 << 24)
    assert R.v2_float32(lambda: next(vals)) == 1 / (1 << 24)


def test_flag_errors_are_gos(tmp_path, capsys):
    """Parse's failures print Go's message and the usage (PrintDefaults' format) and exit 2; -h exits 0."""
    import io

    from gomem.compile.program import load
    from gomem.compile.program import GoExit
    from gomem.runtime.runtime import Runtime

    p = tmp_path / "flags.go"
    p.write_text('package main\n\nimport (\n\t"flag"\n\t"fmt"\n)\n\nfunc main() {\n'
                 '\tn := flag.Uint64("seed", 1, "random `seed`")\n\tv := flag.Bool("v", false, "verbose")\n'
                 '\ts := flag.String("s", "x", "a string")\n\tflag.Parse()\n\tfmt.Println(*n, *v, *s, flag.Args())\n}\n')
    usage = ("Usage of flags:\n  -s string\n    \ta string (default \"x\")\n  -seed seed\n    \trandom seed "
             "(default 1)\n  -v\tverbose\n")
    for args, status, err in ((["-seed", "-1"], 2, 'invalid value "-1" for flag -seed: parse error\n' + usage),
                              (["-seed", "1" + "0" * 20], 2,
                               'invalid value "100000000000000000000" for flag -seed: value out of range\n' + usage),
                              (["-v=maybe"], 2, 'invalid boolean value "maybe" for -v: parse error\n' + usage),
                              (["-seed"], 2, "flag needs an argument: -seed\n" + usage),
                              (["-=x"], 2, "bad flag syntax: -=x\n" + usage),
                              (["-h"], 0, usage),
                              (["--seed=0x10", "-v", "-s", "", "--", "-x"], None, "")):
        prog = load(str(p))
        prog.args = args
        prog.out = io.StringIO()
        if status is None:
            Runtime().run(prog.main, {})
            assert prog.out.getvalue() == "16 true  [-x]\n"
        else:
            with pytest.raises(GoExit) as e:
                Runtime().run(prog.main, {})
            assert e.value.exit_status == status
        assert capsys.readouterr().err == err, args


def test_binary_put_on_a_short_slice_panics_as_go_does(tmp_path):
    p = tmp_path / "short.go"
    p.write_text('// exit: 2\npackage main\n\nimport (\n\t"encoding/binary"\n\t"fmt"\n)\n\nfunc main() {\n'
                 '\tb := make([]byte, 5)\n\tfmt.Println(binary.BigEndian.Uint32(b))\n'
                 '\tbinary.LittleEndian.PutUint64(b, 1)\n}\n')
    sp = H.spec(p)
    got = H.run_gomem(sp)
    assert got.stdout == b"0\n" and got.exit == 2
    assert H.stderr_head(got.stderr) == b"panic: runtime error: index out of range [7] with length 5\n"
