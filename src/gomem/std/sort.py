"""Go's sorting algorithms, generic over ``less(i, j)`` and ``swap(i, j)`` on indexes.

``sort.Sort``/``sort.Slice``/``slices.Sort``/``slices.SortFunc`` all run the
pattern-defeating quicksort of ``sort/zsortfunc.go`` (and its generated
twins ``slices/zsortordered.go``, ``zsortanyfunc.go``: the same template, the
same sequence of comparisons and swaps); ``sort.Stable``/``SliceStable``/
``slices.SortStableFunc`` the insertion-sort-and-SymMerge of ``stable_func``.
Calling *less* exactly where Go calls it, in the same order, is what makes a
user's less function (with side effects, or inconsistent) and the order of
equal elements come out as in Go.
"""

from __future__ import annotations

_M64 = (1 << 64) - 1
MAX_INSERTION = 12
SHORTEST_NINTHER = 50
MAX_SWAPS = 4 * 3
UNKNOWN, INCREASING, DECREASING = 0, 1, 2


def insertion_sort(less, swap, a: int, b: int) -> None:
    for i in range(a + 1, b):
        j = i
        while j > a and less(j, j - 1):
            swap(j, j - 1)
            j -= 1


def _sift_down(less, swap, lo: int, hi: int, first: int) -> None:
    root = lo
    while True:
        child = 2 * root + 1
        if child >= hi:
            return
        if child + 1 < hi and less(first + child, first + child + 1):
            child += 1
        if not less(first + root, first + child):
            return
        swap(first + root, first + child)
        root = child


def heap_sort(less, swap, a: int, b: int) -> None:
    first, lo, hi = a, 0, b - a
    for i in range((hi - 1) // 2, -1, -1):
        _sift_down(less, swap, i, hi, first)
    for i in range(hi - 1, -1, -1):
        swap(first, first + i)
        _sift_down(less, swap, lo, i, first)


def bits_len(x: int) -> int:
    return x.bit_length()


def pdqsort(less, swap, n: int) -> None:
    """Sort indexes 0..n-1 (``pdqsort(data, 0, n, bits.Len(uint(n)))``)."""
    _pdqsort(less, swap, 0, n, bits_len(n))


def _pdqsort(less, swap, a: int, b: int, limit: int) -> None:
    was_balanced = True
    was_partitioned = True
    while True:
        length = b - a
        if length <= MAX_INSERTION:
            insertion_sort(less, swap, a, b)
            return
        if limit == 0:
            heap_sort(less, swap, a, b)
            return
        if not was_balanced:
            _break_patterns(swap, a, b)
            limit -= 1
        pivot, hint = _choose_pivot(less, a, b)
        if hint == DECREASING:
            _reverse_range(swap, a, b)
            pivot = (b - 1) - (pivot - a)
            hint = INCREASING
        if was_balanced and was_partitioned and hint == INCREASING:
            if _partial_insertion_sort(less, swap, a, b):
                return
        if a > 0 and not less(a - 1, pivot):
            a = _partition_equal(less, swap, a, b, pivot)
            continue
        mid, already = _partition(less, swap, a, b, pivot)
        was_partitioned = already
        left, right = mid - a, b - mid
        threshold = length // 8
        if left < right:
            was_balanced = left >= threshold
            _pdqsort(less, swap, a, mid, limit)
            a = mid + 1
        else:
            was_balanced = right >= threshold
            _pdqsort(less, swap, mid + 1, b, limit)
            b = mid


def _partition(less, swap, a: int, b: int, pivot: int) -> tuple[int, bool]:
    swap(a, pivot)
    i, j = a + 1, b - 1
    while i <= j and less(i, a):
        i += 1
    while i <= j and not less(j, a):
        j -= 1
    if i > j:
        swap(j, a)
        return j, True
    swap(i, j)
    i += 1
    j -= 1
    while True:
        while i <= j and less(i, a):
            i += 1
        while i <= j and not less(j, a):
            j -= 1
        if i > j:
            break
        swap(i, j)
        i += 1
        j -= 1
    swap(j, a)
    return j, False


def _partition_equal(less, swap, a: int, b: int, pivot: int) -> int:
    swap(a, pivot)
    i, j = a + 1, b - 1
    while True:
        while i <= j and not less(a, i):
            i += 1
        while i <= j and less(a, j):
            j -= 1
        if i > j:
            return i
        swap(i, j)
        i += 1
        j -= 1


def _partial_insertion_sort(less, swap, a: int, b: int) -> bool:
    max_steps, shortest_shifting = 5, 50
    i = a + 1
    for _ in range(max_steps):
        while i < b and not less(i, i - 1):
            i += 1
        if i == b:
            return True
        if b - a < shortest_shifting:
            return False
        swap(i, i - 1)
        if i - a >= 2:
            j = i - 1
            while j >= 1:
                if not less(j, j - 1):
                    break
                swap(j, j - 1)
                j -= 1
        if b - i >= 2:
            j = i + 1
            while j < b:
                if not less(j, j - 1):
                    break
                swap(j, j - 1)
                j += 1
    return False


def _break_patterns(swap, a: int, b: int) -> None:
    length = b - a
    if length >= 8:
        r = length  # xorshift seeded with the length
        modulus = 1 << bits_len(length)
        idx = a + (length // 4) * 2 - 1
        while idx <= a + (length // 4) * 2 + 1:
            r ^= (r << 13) & _M64
            r ^= r >> 7
            r ^= (r << 17) & _M64
            other = r & (modulus - 1)
            if other >= length:
                other -= length
            swap(idx, a + other)
            idx += 1


def _choose_pivot(less, a: int, b: int) -> tuple[int, int]:
    n = b - a
    swaps = [0]
    i = a + n // 4 * 1
    j = a + n // 4 * 2
    k = a + n // 4 * 3
    if n >= 8:
        if n >= SHORTEST_NINTHER:
            i = _median(less, i - 1, i, i + 1, swaps)
            j = _median(less, j - 1, j, j + 1, swaps)
            k = _median(less, k - 1, k, k + 1, swaps)
        j = _median(less, i, j, k, swaps)
    if swaps[0] == 0:
        return j, INCREASING
    if swaps[0] == MAX_SWAPS:
        return j, DECREASING
    return j, UNKNOWN


def _order2(less, a: int, b: int, swaps) -> tuple[int, int]:
    if less(b, a):
        swaps[0] += 1
        return b, a
    return a, b


def _median(less, a: int, b: int, c: int, swaps) -> int:
    a, b = _order2(less, a, b, swaps)
    b, c = _order2(less, b, c, swaps)
    a, b = _order2(less, a, b, swaps)
    return b


def _reverse_range(swap, a: int, b: int) -> None:
    i, j = a, b - 1
    while i < j:
        swap(i, j)
        i += 1
        j -= 1


# -- stable ----------------------------------------------------------------------------------

def stable(less, swap, n: int) -> None:
    """``stable_func``: insertion sort of blocks of 20, then SymMerge of doubling blocks."""
    block = 20
    a, b = 0, block
    while b <= n:
        insertion_sort(less, swap, a, b)
        a = b
        b += block
    insertion_sort(less, swap, a, n)
    while block < n:
        a, b = 0, 2 * block
        while b <= n:
            _sym_merge(less, swap, a, a + block, b)
            a = b
            b += 2 * block
        m = a + block
        if m < n:
            _sym_merge(less, swap, a, m, n)
        block *= 2


def _sym_merge(less, swap, a: int, m: int, b: int) -> None:
    if m - a == 1:
        i, j = m, b
        while i < j:
            h = (i + j) >> 1
            if less(h, a):
                i = h + 1
            else:
                j = h
        for k in range(a, i - 1):
            swap(k, k + 1)
        return
    if b - m == 1:
        i, j = a, m
        while i < j:
            h = (i + j) >> 1
            if not less(m, h):
                i = h + 1
            else:
                j = h
        for k in range(m, i, -1):
            swap(k, k - 1)
        return
    mid = (a + b) >> 1
    n = mid + m
    if m > mid:
        start, r = n - b, mid
    else:
        start, r = a, m
    p = n - 1
    while start < r:
        c = (start + r) >> 1
        if not less(p - c, c):
            start = c + 1
        else:
            r = c
    end = n - start
    if start < m < end:
        _rotate(swap, start, m, end)
    if a < start < mid:
        _sym_merge(less, swap, a, start, mid)
    if mid < end < b:
        _sym_merge(less, swap, mid, end, b)


def _swap_range(swap, a: int, b: int, n: int) -> None:
    for i in range(n):
        swap(a + i, b + i)


def _rotate(swap, a: int, m: int, b: int) -> None:
    i, j = m - a, b - m
    while i != j:
        if i > j:
            _swap_range(swap, m - i, m, j)
            i -= j
        else:
            _swap_range(swap, m - i, m + j - i, i)
            j -= i
    _swap_range(swap, m - i, m, i)


# -- on a Python list ------------------------------------------------------------------------

def sort_list(xs: list, lt) -> None:
    """pdqsort of *xs* in place with ``lt(x, y)`` on elements (``slices.Sort``'s cmpLess, ``SortFunc``'s cmp < 0)."""
    def less(i, j):
        return lt(xs[i], xs[j])

    def swap(i, j):
        xs[i], xs[j] = xs[j], xs[i]

    pdqsort(less, swap, len(xs))


def stable_list(xs: list, lt) -> None:
    def less(i, j):
        return lt(xs[i], xs[j])

    def swap(i, j):
        xs[i], xs[j] = xs[j], xs[i]

    stable(less, swap, len(xs))


def float_less(x: float, y: float) -> bool:
    """``cmp.Less`` of floats: NaN below everything."""
    return (x != x and y == y) or x < y


def search(n: int, f) -> int:
    """``sort.Search``: the smallest i in [0, n) with f(i) true, n if none (binary search as Go's)."""
    i, j = 0, n
    while i < j:
        h = (i + j) >> 1
        if not f(h):
            i = h + 1
        else:
            j = h
    return i
