"""Go's ``math`` functions, bit for bit as ``math`` computes them on amd64.

Where Go's result is exactly determined (Round, RoundToEven, Mod, Modf,
Copysign, Signbit, the bit conversions) any exact computation does; where
Go uses its own polynomial (Sin, Cos: Cephes, with Payne-Hanek reduction
beyond 2**29; Cbrt: FreeBSD's) or its own formula (Hypot on amd64:
``p*sqrt(1+(q/p)**2)``; Log2 and Log10 from Log) the same operations are
done in the same order in double precision, so the last bit is Go's.
Log is Go's amd64 assembly algorithm (:func:`log`); the model's own
``math.Log`` (lib.py) is still Python's ``math.log``, which can differ from
it in the last bit (and for subnormals, where Go's is off).
"""

from __future__ import annotations

import math
import struct

_M64 = (1 << 64) - 1
SHIFT, MASK, BIAS = 52, 0x7FF, 1023
SIGN_MASK = 1 << 63
FRAC_MASK = (1 << SHIFT) - 1
UVONE = 0x3FF0000000000000
UVNAN = 0x7FF8000000000001
INF = float("inf")


def f64bits(x: float) -> int:
    return struct.unpack("<Q", struct.pack("<d", x))[0]


def f64frombits(b: int) -> float:
    return struct.unpack("<d", struct.pack("<Q", b & _M64))[0]


def f32bits(x: float) -> int:
    return struct.unpack("<I", struct.pack("<f", x))[0]


def f32frombits(b: int) -> float:
    return struct.unpack("<f", struct.pack("<I", b & 0xFFFFFFFF))[0]


def nan() -> float:
    return f64frombits(UVNAN)


def is_inf(x: float, sign: int) -> bool:
    return (sign >= 0 and x == INF) or (sign <= 0 and x == -INF)


def signbit(x: float) -> bool:
    return f64bits(x) >> 63 == 1


def copysign(f: float, sign: float) -> float:
    return f64frombits((f64bits(f) & ~SIGN_MASK) | (f64bits(sign) & SIGN_MASK))


def round_(x: float) -> float:
    bits = f64bits(x)
    e = (bits >> SHIFT) & MASK
    if e < BIAS:
        bits &= SIGN_MASK
        if e == BIAS - 1:
            bits |= UVONE
    elif e < BIAS + SHIFT:
        e -= BIAS
        bits += (1 << (SHIFT - 1)) >> e
        bits &= ~(FRAC_MASK >> e)
    return f64frombits(bits)


def round_to_even(x: float) -> float:
    bits = f64bits(x)
    e = (bits >> SHIFT) & MASK
    if e >= BIAS:
        e -= BIAS
        if e < SHIFT:
            bits += (((1 << (SHIFT - 1)) - 1) + ((bits >> (SHIFT - e)) & 1)) >> e
            bits &= ~(FRAC_MASK >> e)
    elif e == BIAS - 1 and bits & FRAC_MASK:
        bits = (bits & SIGN_MASK) | UVONE
    else:
        bits &= SIGN_MASK
    return f64frombits(bits & _M64)


def trunc(x: float) -> float:
    if x == 0 or x != x or math.isinf(x):
        return x
    return copysign(float(math.trunc(x)), x)


def modf(f: float) -> tuple[float, float]:
    i = trunc(f)
    return i, copysign(f - i, f)


def mod(x: float, y: float) -> float:
    if y == 0 or math.isinf(x) or x != x or y != y:
        return nan()
    return math.fmod(x, y)


def hypot(p: float, q: float) -> float:
    p, q = abs(p), abs(q)
    if math.isinf(p) or math.isinf(q):
        return INF
    if p != p or q != q:
        return nan()
    if p < q:
        p, q = q, p
    if p == 0:
        return 0.0
    q = q / p
    return p * math.sqrt(1 + q * q)


_LOG_L = (6.666666666666735130e-01, 3.999999999940941908e-01, 2.857142874366239149e-01, 2.222219843214978396e-01,
          1.818357216161805012e-01, 1.531383769920937332e-01, 1.479819860511658591e-01)
_LN2_HI = 6.93147180369123816490e-01
_LN2_LO = 1.90821492927058770002e-10
_HSQRT2 = 7.07106781186547524401e-01


def log(x: float) -> float:
    """``math.Log`` on amd64 (``log_amd64.s``): the FreeBSD algorithm with the exponent taken from the bits
    as they are (so a subnormal's logarithm is off, as Go's is), each operation in the assembly's order."""
    bits = f64bits(x)
    if bits & ~SIGN_MASK == 0:
        return -INF
    if bits >> 63:
        return nan()
    if bits >= 0x7FF0000000000000:
        return x
    f1 = f64frombits((bits & FRAC_MASK) | 0x3FE0000000000000)
    k = float(((bits >> 52) & 0x7FF) - 0x3FE)
    if not _HSQRT2 < f1:
        k -= 1.0
        f1 *= 2.0
    f = f1 - 1.0
    s = f / (2.0 + f)
    s2 = s * s
    s4 = s2 * s2
    L1, L2, L3, L4, L5, L6, L7 = _LOG_L
    t1 = s2 * (((L7 * s4 + L5) * s4 + L3) * s4 + L1)
    t2 = s4 * ((L6 * s4 + L4) * s4 + L2)
    R = t1 + t2
    hfsq = 0.5 * f * f
    return k * _LN2_HI - ((hfsq - (s * (hfsq + R) + k * _LN2_LO)) - f)


#: 1/Ln10 and 1/Ln2 as Go's constant arithmetic rounds them (exactly, then to float64)
_INV_LN10 = float("0.4342944819032518276511289189166050822943970058036665661144537831")
_INV_LN2 = float("1.4426950408889634073599246810018921374266459541529859341354494069")


def log10(x: float) -> float:
    return log(x) * _INV_LN10


def log2(x: float) -> float:
    frac, exp = frexp(x)
    if frac == 0.5:
        return float(exp - 1)
    return log(frac) * _INV_LN2 + float(exp)


def frexp(f: float) -> tuple[float, int]:
    if f == 0 or math.isinf(f) or f != f:
        return f, 0
    m, e = math.frexp(f)
    return m, e


_SIN = (1.58962301576546568060e-10, -2.50507477628578072866e-8, 2.75573136213857245213e-6,
        -1.98412698295895385996e-4, 8.33333333332211858878e-3, -1.66666666666666307295e-1)
_COS = (-1.13585365213876817300e-11, 2.08757008419747316778e-9, -2.75573141792967388112e-7,
        2.48015872888517045348e-5, -1.38888888888730564116e-3, 4.16666666666665929218e-2)
_PI4A = 7.85398125648498535156e-1
_PI4B = 3.77489470793079817668e-8
_PI4C = 2.69515142907905952645e-15
REDUCE_THRESHOLD = 1 << 29


def _pi_bits(nbits: int) -> int:
    """floor(4/pi * 2**nbits), from Machin's formula in integers."""
    guard = 64
    one = 1 << (nbits + guard + 8)

    def arctan_inv(k: int) -> int:
        total, term, k2, n, sign = 0, one // k, k * k, 1, 1
        while term:
            total += sign * (term // n)
            term //= k2
            n += 2
            sign = -sign
        return total

    pi = 4 * (4 * arctan_inv(5) - arctan_inv(239))  # pi * one
    return (4 * one * one // pi) >> (guard + 8)


#: the bits of 4/pi as trigReduce reads them: 64-bit digits, the first holding the integer part 1
_NDIGITS = 20
_FOUR_OVER_PI = _pi_bits(64 * (_NDIGITS - 1))
_MPI4 = [(_FOUR_OVER_PI >> (64 * (_NDIGITS - 1 - i))) & _M64 for i in range(_NDIGITS)]


def _trig_reduce(x: float) -> tuple[int, float]:
    pi4 = math.pi / 4
    if x < pi4:
        return 0, x
    ix = f64bits(x)
    exp = ((ix >> SHIFT) & MASK) - BIAS - SHIFT
    ix &= ~(MASK << SHIFT)
    ix |= 1 << SHIFT
    digit, bitshift = (exp + 61) // 64, (exp + 61) % 64
    d = _MPI4

    def lsh(v, s):
        return (v << s) & _M64

    z0 = lsh(d[digit], bitshift) | (d[digit + 1] >> (64 - bitshift) if bitshift else 0)
    z1 = lsh(d[digit + 1], bitshift) | (d[digit + 2] >> (64 - bitshift) if bitshift else 0)
    z2 = lsh(d[digit + 2], bitshift) | (d[digit + 3] >> (64 - bitshift) if bitshift else 0)
    z2hi = (z2 * ix) >> 64
    p1 = z1 * ix
    z1hi, z1lo = p1 >> 64, p1 & _M64
    z0lo = (z0 * ix) & _M64
    s = z1lo + z2hi
    lo, c = s & _M64, s >> 64
    hi = (z0lo + z1hi + c) & _M64
    j = hi >> 61
    hi = ((hi << 3) & _M64) | (lo >> 61)
    lz = 64 - hi.bit_length()
    e = BIAS - (lz + 1)
    hi = ((hi << (lz + 1)) & _M64) | (lo >> (64 - (lz + 1)))
    hi >>= 64 - SHIFT
    hi |= e << SHIFT
    z = f64frombits(hi)
    if j & 1:
        j += 1
        j &= 7
        z -= 1
    return j, z * pi4


def _reduce(x: float) -> tuple[int, float]:
    if x >= REDUCE_THRESHOLD:
        return _trig_reduce(x)
    j = int(x * (4 / math.pi))
    y = float(j)
    if j & 1:
        j += 1
        y += 1
    j &= 7
    return j, ((x - y * _PI4A) - y * _PI4B) - y * _PI4C


def _poly_sin(z: float, zz: float) -> float:
    s = _SIN
    return z + z * zz * ((((((s[0] * zz) + s[1]) * zz + s[2]) * zz + s[3]) * zz + s[4]) * zz + s[5])


def _poly_cos(zz: float) -> float:
    c = _COS
    return 1.0 - 0.5 * zz + zz * zz * ((((((c[0] * zz) + c[1]) * zz + c[2]) * zz + c[3]) * zz + c[4]) * zz + c[5])


def cos(x: float) -> float:
    if x != x or math.isinf(x):
        return nan()
    sign = False
    x = abs(x)
    j, z = _reduce(x)
    if j > 3:
        j -= 4
        sign = not sign
    if j > 1:
        sign = not sign
    zz = z * z
    y = _poly_sin(z, zz) if j in (1, 2) else _poly_cos(zz)
    return -y if sign else y


def sin(x: float) -> float:
    if x == 0 or x != x:
        return x
    if math.isinf(x):
        return nan()
    sign = False
    if x < 0:
        x = -x
        sign = True
    j, z = _reduce(x)
    if j > 3:
        sign = not sign
        j -= 4
    zz = z * z
    y = _poly_cos(zz) if j in (1, 2) else _poly_sin(z, zz)
    return -y if sign else y


def cbrt(x: float) -> float:
    B1, B2 = 715094163, 696219795
    C, D, E = 5.42857142857142815906e-01, -7.05306122448979611050e-01, 1.41428571428571436819e+00
    F, G = 1.60714285714285720630e+00, 3.57142857142857150787e-01
    smallest_normal = 2.22507385850720138309e-308
    if x == 0 or x != x or math.isinf(x):
        return x
    sign = False
    if x < 0:
        x = -x
        sign = True
    t = f64frombits(f64bits(x) // 3 + (B1 << 32))
    if x < smallest_normal:
        t = float(1 << 54)
        t *= x
        t = f64frombits(f64bits(t) // 3 + (B2 << 32))
    r = t * t / x
    s = C + r * t
    t *= G + F / (s + E + D / s)
    t = f64frombits((f64bits(t) & (0xFFFFFFFFC << 28)) + (1 << 30))
    s = t * t
    r = x / s
    w = t + t
    r = (r - t) / (w + r)
    t = t + t * r
    return -t if sign else t
