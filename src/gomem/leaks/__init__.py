"""The seed article's memory leaks as Go programs, each with its fix (``gomem leaks``).

The article's last chapter (内存泄露) lists seven ways a Go program leaks memory.  Each is
here as a pair of small ``package main`` programs in ``go/``: ``NAME.go`` leaks, over and
over, one round per GC cycle (each round ends with ``runtime.GC()``), so the leak shows as a
figure that rises every cycle; ``NAME_fixed.go`` is the same program with the fix, and its
figures stay flat.  Both print the same thing on the model and on real Go.  Each program sets
``runtime.MemProfileRate = 1`` first, so the heap profile records every allocation and the
in-use figures by site are exact.

:data:`LEAKS` holds, for each: the article's words (paraphrased in English), what happens,
what to look at, the fix and why it works, and the evidence the leak leaves:
``"goroutines"`` (goroutines that never end pile up) or ``"heap"`` (a site's in-use bytes
grow).  :mod:`gomem.cmd.leaks` runs them and :mod:`gomem.runtime.sitegrowth` reads the
evidence.

Where the model or today's Go changes the article's story, the text says so: a ticker no one
references is collected since Go 1.23 even if never stopped (the leak that remains is the
goroutine still reading it), and ``strings.Clone`` is written ``string([]byte(s))`` in the
fixed program because the model does not have ``strings.Clone`` yet (the two make the same
copy).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from ..errors import BadInput


@dataclass(frozen=True)
class Leak:
    name: str
    title: str  # one line
    article: str  # what the article says, in English
    what_happens: str
    look_at: str
    fix: str  # the fix and why it works
    evidence: str  # "goroutines" or "heap"

    @property
    def leaky_file(self) -> str:
        return f"{self.name.replace('-', '_')}.go"

    @property
    def fixed_file(self) -> str:
        return f"{self.name.replace('-', '_')}_fixed.go"

    def source(self, fixed: bool) -> str:
        return resources.files(__package__).joinpath("go", self.fixed_file if fixed else self.leaky_file).read_text(encoding="utf-8")

    def path(self, fixed: bool):
        """A context manager giving the program's path on disk (importlib.resources.as_file)."""
        return resources.as_file(resources.files(__package__).joinpath("go", self.fixed_file if fixed else self.leaky_file))


LEAKS: tuple[Leak, ...] = (
    Leak(
        "blocked-goroutine",
        "a goroutine blocked forever on a channel nobody closes",
        "A goroutine that blocks and can never exit leaks its memory.  Every goroutine has a stack of "
        "at least 2 KiB, so with many concurrent requests the cost becomes frightening.",
        "squares() starts a worker goroutine that reads numbers from the channel `in` with `for n := range in`. "
        "A range loop over a channel ends only when the channel is closed, and squares() never closes it. "
        "So after the last number the worker waits in \"chan receive\" forever. Nothing can wake it, and the "
        "garbage collector never frees a goroutine that is still blocked: its stack is a root, so both channels it "
        "can reach stay alive with it. Every call to squares() leaves one more such goroutine behind.",
        "The goroutine count: it grows by one every GC cycle, and the stacks by 2 KiB (a new goroutine's stack, as "
        "the article says). At the end, the goroutines still alive are all in "
        "[chan receive] in the worker function (main.squares.func1), created by main.squares. The runtime's own "
        "bytes, the goroutine descriptors, grow with them.",
        "Close the channel when there is no more work: `defer close(in)`. A closed channel makes the range loop "
        "end, the goroutine returns, and its stack and the channels are freed at the next GC. The rule: the code "
        "that sends on a channel closes it, and every goroutine you start needs a way to end.",
        "goroutines",
    ),
    Leak(
        "lock-never-released",
        "a mutex locked on a return path that never unlocks it",
        "A mutex that is locked and never unlocked leaks memory: every goroutine that then asks for it waits "
        "forever.",
        "Cache.Get locks the mutex and, when the key is missing, returns early, before the Unlock. From then on the "
        "mutex stays locked. Every later request goroutine blocks in Lock (wait reason \"sync.Mutex.Lock\") and never "
        "returns. Each one keeps its stack alive, with its 1 KiB request buffer on it. main gives up after 100 ms and moves on, "
        "so the program seems to work while the blocked goroutines pile up.",
        "The goroutine count rises every cycle after the first missing key. The goroutines alive at the end are "
        "all waiting in [sync.Mutex.Lock] in main.(*Cache).Get. The program's output shows the symptom a user sees: "
        "\"timed out\".",
        "Write `defer c.mu.Unlock()` right after `c.mu.Lock()`. A deferred call runs on every way out of the "
        "function (each return, and a panic too), so no path can forget the Unlock.",
        "goroutines",
    ),
    Leak(
        "deadlock",
        "two goroutines each holding the lock the other waits for",
        "A deadlock leaks memory too: the goroutines in it wait for each other forever.",
        "transfer() locks the source account and then the destination. Two transfers in opposite directions run at "
        "the same time: one holds a's lock and waits for b's, the other holds b's and waits for a's. Neither can "
        "continue. Go reports \"all goroutines are asleep - deadlock!\" only when every goroutine is blocked. Here "
        "main is still running, so the runtime says nothing. The two goroutines, and the accounts and histories "
        "they hold, leak in every round.",
        "The goroutine count rises by two every cycle. At the end the goroutines alive are all in [sync.Mutex.Lock] "
        "in main.transfer. The accounts' history buffers (the sites in main.main) grow with them, because the "
        "blocked goroutines still reference them.",
        "Take the locks in one global order: the account with the lower id first, whichever way the money goes. "
        "When every goroutine locks in the same order, no goroutine can hold a later lock while it waits for an "
        "earlier one, so a cycle of waiting cannot form.",
        "goroutines",
    ),
    Leak(
        "ticker-not-stopped",
        "a time.Ticker nobody stops, and the goroutine reading it",
        "A time.Ticker sends on its channel at every interval. It must be stopped with Stop, otherwise it keeps "
        "its memory and cannot be garbage collected.",
        "Each session starts a ticker and a goroutine that counts heartbeats with `for range t.C`. The session ends, "
        "but nothing stops the ticker and nothing tells the goroutine to return. The goroutine keeps the ticker, the "
        "session and its 4 KiB buffer reachable, and wakes up every millisecond forever. (Since Go 1.23 a ticker that "
        "nothing references any more is collected even if Stop was never called. What still leaks is a ticker that a "
        "live goroutine is reading, as here. Also, Stop alone would not end the loop, because Stop does not close t.C.)",
        "The goroutine count rises every cycle. The goroutines alive at the end wait in [chan receive] in "
        "main.start.func1. The site of the session (main.start) grows by one session per cycle.",
        "Give the goroutine a way out and stop the ticker: a quit channel that the session's stop() closes, a "
        "`select` on t.C and on quit, and `defer t.Stop()`. When the session ends, the goroutine returns, the ticker "
        "stops, and the session becomes garbage.",
        "goroutines",
    ),
    Leak(
        "substring",
        "a short substring keeping the whole long string alive",
        "Cutting a substring out of a string can cause a temporary leak: str1 := str0[:10] keeps all of str0.",
        "A Go string is a pointer and a length. `msg[:16]` makes a new string header that points into msg's bytes. "
        "It copies nothing. The program keeps 16-byte ids in a global slice, but each id points into a 64 KiB "
        "message. The garbage collector sees a pointer into the message's object and keeps the whole object: every id "
        "costs 64 KiB.",
        "The site where the messages are built (main.readMessage) has one more 64 KiB message in use after every GC. "
        "Nothing else grows.",
        "Copy the substring: `strings.Clone(msg[:16])` (Go 1.20+), or `string([]byte(msg[:16]))`. The fixed program "
        "uses the second form because the model does not have strings.Clone yet; both make a new 16-byte string. The "
        "id then no longer points into the message, and each message is freed at the next GC.",
        "heap",
    ),
    Leak(
        "subslice",
        "a short subslice keeping the whole backing array alive",
        "Taking a subslice can leak the rest of the array: s1 := s0[:3] keeps all of s0's backing array.",
        "A slice is a pointer to a backing array, a length and a capacity. `s[:3]` shares s's array: it has length "
        "3 and capacity 8192, and while it is reachable all 64 KiB of the array are. The program keeps the three best "
        "scores of every batch, and so it keeps every batch.",
        "The site where the batches are made (main.scores) has one more 64 KiB array in use after every GC.",
        "Copy what you keep into a slice of its own: `best := make([]int, 3); copy(best, s[:3])`, or "
        "`slices.Clone(s[:3])`. Note that `slices.Clip(s[:3])` is not enough: it drops the capacity, so an append "
        "cannot overwrite the rest of the array, but it still points into the same array and keeps all of it alive.",
        "heap",
    ),
    Leak(
        "array-by-value",
        "a large array passed by value, copied on every call",
        "Passing an array by value copies the whole array. With a large array (a million ints is 8 MB), or a "
        "function called many times in a short while, this costs a lot of memory. If the memory is allocated faster "
        "than the GC can free it, it becomes a temporary leak.",
        "handle() takes a Table, a 64 KiB array, by value: every call gets its own copy. It also keeps `&t` in a "
        "ring of recent requests for a debug page. Because t's address outlives the call, escape analysis moves t "
        "to the heap (`go build -gcflags=-m` says \"moved to heap: t\"). Every call now allocates a 64 KiB copy, and "
        "the ring keeps up to 64 of them: 4 MiB for one table.",
        "One site grows by 64 KiB after every GC: the heap copy of the parameter, made where handle is called "
        "(Go inlines handle into main).",
        "Pass a pointer: `func handle(n int, t *Table)`. The call copies 8 bytes instead of 64 KiB, and the ring "
        "holds 64 pointers to the one table. In general, pass large arrays by pointer or use a slice. Both are a "
        "pointer to memory that already exists.",
        "heap",
    ),
)

_BY_NAME = {leak.name: leak for leak in LEAKS}


def names() -> list[str]:
    return [leak.name for leak in LEAKS]


def get(name: str) -> Leak:
    leak = _BY_NAME.get(name)
    if leak is None:
        raise BadInput(f"unknown leak {name!r} (leaks: {', '.join(names())})")
    return leak


__all__ = ["LEAKS", "Leak", "get", "names"]
