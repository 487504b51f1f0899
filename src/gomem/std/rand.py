"""``math/rand``'s and ``math/rand/v2``'s generators and the methods of ``Rand`` built on them.

* :func:`seed_rng` is ``rngSource.Seed`` (``math/rand/rng.go``): the additive
  lagged Fibonacci generator's 607-word register, from a Park-Miller
  ``seedrand`` sequence mixed with ``rngCooked`` (Go's table, extracted into
  :mod:`gomem.std._gotables`); :func:`rng_next` is ``rngSource.Uint64`` on a
  register held anywhere (the model keeps it in the rngSource object's
  ``vec`` array in model memory).
* The ``Rand`` methods take ``int63`` (``r.src.Int63``) and derive their
  values as ``math/rand/rand.go`` does, rejection sampling included, so that
  the same seed gives the same numbers, call for call.
* :func:`pcg_next` is v2's ``PCG.Uint64`` (128-bit LCG, DXSM output); the v2
  methods take ``uint64`` (``r.src.Uint64``).
"""

from __future__ import annotations

from ._gotables import RNG_COOKED

RNG_LEN = 607
RNG_TAP = 273
INT32_MAX = (1 << 31) - 1
_M64 = (1 << 64) - 1
_M63 = (1 << 63) - 1


def _s64(x: int) -> int:
    x &= _M64
    return x - (1 << 64) if x >> 63 else x


def _seedrand(x: int) -> int:
    """x[n+1] = 48271 * x[n] mod (2**31 - 1), in int32 arithmetic (Schrage's method)."""
    hi = int(x / 44488)  # Go's division truncates toward zero
    lo = x - hi * 44488
    x = 48271 * lo - 3399 * hi
    if x < 0:
        x += INT32_MAX
    return x


def seed_rng(seed: int) -> tuple[int, int, list[int]]:
    """``rngSource.Seed(seed)``: (tap, feed, vec)."""
    seed = seed - int(seed / INT32_MAX) * INT32_MAX  # Go's %: the sign of the dividend
    if seed < 0:
        seed += INT32_MAX
    if seed == 0:
        seed = 89482311
    x = seed  # int32(seed): already in range
    vec = [0] * RNG_LEN
    for i in range(-20, RNG_LEN):
        x = _seedrand(x)
        if i >= 0:
            u = _s64(x << 40)
            x = _seedrand(x)
            u ^= _s64(x << 20)
            x = _seedrand(x)
            u ^= x
            u ^= RNG_COOKED[i]
            vec[i] = _s64(u)
    return 0, RNG_LEN - RNG_TAP, vec


def rng_next(state) -> int:
    """``rngSource.Uint64`` on *state*, an object with ``tap``, ``feed`` and a ``vec`` sequence of int64."""
    tap = state.tap - 1
    if tap < 0:
        tap += RNG_LEN
    feed = state.feed - 1
    if feed < 0:
        feed += RNG_LEN
    vec = state.vec
    x = _s64(vec[feed] + vec[tap])
    vec[feed] = x
    state.tap = tap
    state.feed = feed
    return x & _M64


# -- math/rand's Rand methods, over int63 = r.src.Int63 ----------------------------------------

def uint32_(int63) -> int:
    return (int63() >> 31) & 0xFFFFFFFF


def int31(int63) -> int:
    return int63() >> 32


def int_(int63) -> int:
    return int63()


def int63n(int63, n: int) -> int:
    if n <= 0:
        raise ValueError("invalid argument to Int63n")
    if n & (n - 1) == 0:
        return int63() & (n - 1)
    mx = _M63 - (1 << 63) % n
    v = int63()
    while v > mx:
        v = int63()
    return v % n


def int31n(int63, n: int) -> int:
    if n <= 0:
        raise ValueError("invalid argument to Int31n")
    if n & (n - 1) == 0:
        return int31(int63) & (n - 1)
    mx = INT32_MAX - (1 << 31) % n
    v = int31(int63)
    while v > mx:
        v = int31(int63)
    return v % n


def intn(int63, n: int) -> int:
    if n <= 0:
        raise ValueError("invalid argument to Intn")
    if n <= INT32_MAX:
        return int31n(int63, n)
    return int63n(int63, n)


def float64_(int63) -> float:
    while True:
        f = int63() / (1 << 63)
        if f != 1:
            return f


def perm(int63, n: int) -> list[int]:
    m = [0] * n
    for i in range(n):
        j = intn(int63, i + 1)
        m[i] = m[j]
        m[j] = i
    return m


# -- math/rand/v2 ------------------------------------------------------------------------------

_PCG_MUL_HI = 2549297995355413924
_PCG_MUL_LO = 4865540595714422341
_PCG_INC_HI = 6364136223846793005
_PCG_INC_LO = 1442695040888963407
_CHEAP_MUL = 0xDA942042E4DD58B5
_PCG_MUL = (_PCG_MUL_HI << 64) | _PCG_MUL_LO
_PCG_INC = (_PCG_INC_HI << 64) | _PCG_INC_LO
_M128 = (1 << 128) - 1


def pcg_next(hi: int, lo: int) -> tuple[int, int, int]:
    """``PCG.Uint64`` from state (hi, lo): (the new hi, the new lo, the value)."""
    state = (((hi << 64) | lo) * _PCG_MUL + _PCG_INC) & _M128
    hi, lo = state >> 64, state & _M64
    v = hi
    v ^= v >> 32
    v = (v * _CHEAP_MUL) & _M64
    v ^= v >> 48
    v = (v * (lo | 1)) & _M64
    return hi, lo, v


def uint64n(uint64, n: int) -> int:
    """v2's ``uint64n`` (Lemire's multiply-and-reject) on amd64."""
    if n & (n - 1) == 0:
        return uint64() & (n - 1)
    p = uint64() * n
    hi, lo = p >> 64, p & _M64
    if lo < n:
        thresh = (-n & _M64) % n
        while lo < thresh:
            p = uint64() * n
            hi, lo = p >> 64, p & _M64
    return hi


def v2_float64(uint64) -> float:
    return ((uint64() << 11 & _M64) >> 11) / (1 << 53)


def v2_float32(uint64) -> float:
    """``float32(r.Uint32()<<8>>8) / (1 << 24)``: 24 random bits, exact in a float32."""
    return ((uint64() >> 32) & 0xFFFFFF) / (1 << 24)
