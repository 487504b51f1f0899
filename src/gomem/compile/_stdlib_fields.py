"""The unexported fields of the standard-library structs that gomem runs.

The stubs of :mod:`gomem.compile._stdlib_data` (generated with ``go/types``)
list only a struct's exported fields, with its real size, alignment and
"has pointers" in a ``//gomem:layout`` line: enough for the escape analysis,
not for code that keeps the value in model memory, whose layout (offsets,
pointer mask) must be Go's.  :func:`overlay` gives the structs below their
real fields, as declared in the Go 1.27 sources (the file named with each),
and adds the unexported types their constructors allocate.  The layout line
stays: :meth:`gomem.compile.layout.Layouts.rtype` checks the fields add up to
the size the toolchain reported.
"""

from __future__ import annotations

import re

#: package path -> type name -> its underlying type, in Go syntax
FIELDS = {
    "strings": {
        # strings/builder.go
        "Builder": "struct{addr *Builder; buf []byte}",
    },
    "math/rand": {
        # math/rand/rand.go
        "Rand": "struct{src Source; s64 Source64; readVal int64; readPos int8}",
    },
    "runtime/metrics": {
        # runtime/metrics/value.go (pointer is an unsafe.Pointer to a *Float64Histogram: same layout)
        "Value": "struct{kind ValueKind; scalar uint64; pointer *Float64Histogram}",
    },
    "sync": {
        # sync/mutex.go (its isync.Mutex, internal/sync/mutex.go, flattened), rwmutex.go, waitgroup.go
        # (state an atomic.Uint64), once.go (done an atomic.Bool)
        "Mutex": "struct{state int32; sema uint32}",
        "RWMutex": "struct{w Mutex; writerSem uint32; readerSem uint32; readerCount int32; readerWait int32}",
        "WaitGroup": "struct{state uint64; sema uint32}",
        "Once": "struct{done uint32; m Mutex}",
        # sync/cond.go (notify the runtime's notifyList, runtime/sema.go; checker a copyChecker)
        "Cond": "struct{noCopy noCopy; L Locker; notify notifyList; checker copyChecker}",
        # sync/pool.go (local and victim unsafe.Pointers to [P]poolLocal)
        "Pool": "struct{noCopy noCopy; local unsafePointer; localSize uintptr; victim unsafePointer; "
                "victimSize uintptr; New func() any}",
        # sync/map.go (m an internal/sync.HashTrieMap[any, any], hashtriemap.go, flattened: inited an
        # atomic.Uint32, root an atomic.Pointer, keyHash and valEqual func values)
        "Map": "struct{_ noCopy; inited uint32; initMu Mutex; root unsafePointer; keyHash unsafePointer; "
               "valEqual unsafePointer; seed uintptr}",
    },
    "sync/atomic": {
        # sync/atomic/type.go (noCopy and align64 take no bytes)
        "Bool": "struct{_ noCopy; v uint32}",
        "Int32": "struct{_ noCopy; v int32}",
        "Int64": "struct{_ noCopy; _ align64; v int64}",
        "Uint32": "struct{_ noCopy; v uint32}",
        "Uint64": "struct{_ noCopy; _ align64; v uint64}",
        "Uintptr": "struct{_ noCopy; v uintptr}",
        # sync/atomic/value.go
        "Value": "struct{v any}",
    },
    "time": {
        # time/time.go, sleep.go, tick.go (Timer and Ticker: their channel, then initTimer/initTicker)
        "Time": "struct{wall uint64; ext int64; loc *Location}",
        "Timer": "struct{C <-chan Time; initTimer bool}",
        "Ticker": "struct{C <-chan Time; initTicker bool}",
    },
    "math/rand/v2": {
        # math/rand/v2/rand.go, pcg.go
        "Rand": "struct{src Source}",
        "PCG": "struct{hi uint64; lo uint64}",
    },
}

#: package path -> declarations appended to its stub (unexported types the model allocates)
EXTRA = {
    # math/rand/rng.go: what NewSource allocates (rngLen = 607)
    "math/rand": "//gomem:layout 4872 8 false\ntype rngSource struct{tap int; feed int; vec [607]int64}\n",
    # sync/cond.go, runtime/sema.go (notifyList: head and tail unsafe.Pointers to sudogs; unsafePointer
    # stands for unsafe.Pointer, which the stub cannot import: the same pointer word)
    "sync": "type noCopy struct{}\ntype copyChecker uintptr\ntype unsafePointer *byte\n"
            "//gomem:layout 32 8 true\n"
            "type notifyList struct{wait uint32; notify uint32; lock uintptr; head unsafePointer; tail unsafePointer}\n",
    "sync/atomic": "type noCopy struct{}\ntype align64 struct{}\n",
}


def overlay(path: str, stub: str) -> str:
    """The stub of package *path* with the fields above filled in."""
    for name, under in FIELDS.get(path, {}).items():
        stub, n = re.subn(rf"^type {name} struct\{{[^\n]*\}}$", f"type {name} {under}", stub, count=1, flags=re.M)
        if n != 1:
            raise AssertionError(f"stub of {path} has no struct {name}")
    extra = EXTRA.get(path)
    if extra:
        stub = stub.rstrip("\n") + "\n" + extra
    return stub
