"""What ``gomem run`` and ``gomem vs-go`` share: their options, the environment as Go reads it, stderr output.

* :func:`add_run_options` — the options both commands take (one definition);
  :func:`resolve_env` fills the ones not given from ``GOGC``, ``GOMEMLIMIT``,
  ``GOMAXPROCS`` and ``GODEBUG`` (:func:`parse_godebug`,
  :func:`env_gomaxprocs`), as Go's runtime reads them;
* :func:`parse_int`, :func:`parse_timeout` — option values, with one-line errors;
* :class:`StderrWriter` and :class:`Progress` — whole lines on stderr (gctrace
  and the like) and a progress line kept out of their way, on a terminal only;
  :meth:`StderrWriter.guard` keeps it out of the way of a Go program's own
  stdout and stderr too.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import threading
import time
from typing import TextIO

from ..runtime import sizeclasses as sc
from ..errors import BadInput
from ..runtime.mbarrier import MODES

#: the progress line appears after this many seconds of running, and is redrawn this often
PROGRESS_DELAY = 0.5
PROGRESS_INTERVAL = 0.2

_INT_RE = re.compile(r"[+-]?[0-9]+")


#: GODEBUG settings gomem honours: GODEBUG key -> the option (attribute) it sets
GODEBUG_FLAGS = {
    "gctrace": "gctrace",
    "gcpacertrace": "gcpacertrace",
    "scavtrace": "scavtrace",
    "gccheckmark": "checkmark",
    "clobberfree": "clobberfree",
}
#: GODEBUG settings accepted but not modelled (no effect yet)
GODEBUG_IGNORED = ("asyncpreemptoff",)


#: the environment, as ``gomem run --help`` and ``gomem vs-go --help`` describe it
ENV_HELP = (
    "Environment, read as Go's runtime reads it; an option given wins: GOGC, GOMEMLIMIT; GOMAXPROCS "
    "(a positive integer, else ignored); GODEBUG, comma-separated key=value: gctrace, gcpacertrace, "
    "scavtrace, gccheckmark, clobberfree (nonzero: on); asyncpreemptoff is accepted and has no effect "
    "(gomem has no asynchronous preemption); other keys are ignored."
)


def add_run_options(p: argparse.ArgumentParser) -> None:
    """The options ``gomem run`` and ``gomem vs-go`` share (one definition for both).

    Defaults of None mean "not given": :func:`resolve_env` then takes the
    environment as Go's runtime reads it (GOGC, GOMEMLIMIT, GOMAXPROCS,
    GODEBUG), else Go's default; an option on the command line wins.
    """
    flag = argparse.BooleanOptionalAction
    p.add_argument("--gc", default="go1.8", choices=list(MODES), help="collector (default go1.8)")
    p.add_argument("--gogc", default=None, metavar="N|off", help="GOGC: a percent or off (default: $GOGC, else 100)")
    p.add_argument("--gomemlimit", default=None, metavar="SIZE|off", help="GOMEMLIMIT: bytes with an optional B/KiB/MiB/GiB/TiB suffix, or off (default: $GOMEMLIMIT, else off)")
    p.add_argument("--procs", default=None, metavar="N", help="GOMAXPROCS, 1..256 (default: $GOMAXPROCS if a positive integer, as Go reads it, else 1)")
    p.add_argument("--seed", default="1", metavar="N", help="random seed for the workload and the random policy (default 1)")
    p.add_argument("--policy", default="rr", choices=("rr", "random"), help="which runnable goroutine a P takes (default rr)")
    p.add_argument("--gctrace", action=flag, default=None, help="print a gctrace line per cycle to stderr (default: GODEBUG=gctrace=1)")
    p.add_argument("--gcpacertrace", action=flag, default=None, help="print the pacer's lines to stderr (default: GODEBUG=gcpacertrace=1)")
    p.add_argument("--scavtrace", action=flag, default=None, help="print a scavenger line per sweep to stderr (default: GODEBUG=scavtrace=1)")
    p.add_argument("--checkmark", action=flag, default=None, help="verify every mark with a stop-the-world re-trace (default: GODEBUG=gccheckmark=1); implies --clobberfree")
    p.add_argument("--clobberfree", action=flag, default=None, help="poison freed objects and catch dangling pointers (default: GODEBUG=clobberfree=1)")
    p.add_argument("--param", action="append", default=[], metavar="KEY=VALUE", help="workload parameter (repeatable)")
    p.add_argument("--cost", action="append", default=[], metavar="NAME=NS", help="override a cost-model price in model ns (repeatable)")
    p.add_argument("--layout", choices=sc.LAYOUTS, default="greentea", help="span layout (default greentea, Go 1.27)")
    p.add_argument("--timeout", default=None, metavar="SECONDS",
                   help="stop the (gomem) run after this many seconds of wall time, with one line and exit status 2")
    p.add_argument("--no-progress", action="store_true", help="never draw the progress line on stderr")


def parse_godebug(text: str) -> dict[str, int]:
    """GODEBUG as Go's runtime reads it at startup (``parsegodebug``, ``runtime/runtime1.go``).

    Comma-separated ``key=value``; left to right, a later setting overrides an
    earlier one; a field without ``=``, an unknown key or a value that is not
    an integer (``atoi32``) is ignored.  Returns the keys gomem knows
    (:data:`GODEBUG_FLAGS`, and ``asyncpreemptoff``, accepted without effect:
    gomem has no asynchronous preemption to turn off).
    """
    out: dict[str, int] = {}
    for fld in text.split(","):
        key, eq, value = fld.partition("=")
        if not eq or (key not in GODEBUG_FLAGS and key not in GODEBUG_IGNORED):
            continue
        n = _atoi32(value)
        if n is not None:
            out[key] = n
    return out


def _atoi32(text: str) -> int | None:
    """Go's runtime ``atoi32``: optional '-', decimal digits, fits in int32; else None."""
    if not re.fullmatch(r"-?[0-9]+", text):
        return None
    n = int(text)
    return n if -(1 << 31) <= n < (1 << 31) else None


def env_gomaxprocs(environ=None) -> int | None:
    """GOMAXPROCS from the environment as Go's ``schedinit`` reads it: a positive int32, else ignored (None).

    ``GOMAXPROCS=abc``, ``0``, ``-1`` or an empty value are ignored, as Go
    ignores them.  A value gomem cannot model (above 256) is an error.
    """
    env = os.environ if environ is None else environ
    n = _atoi32(env.get("GOMAXPROCS", ""))
    if n is None or n <= 0:
        return None
    if n > 256:
        raise BadInput(f"GOMAXPROCS={n} from the environment: gomem models at most 256 Ps (use --procs)")
    return n


def resolve_env(args, environ=None) -> None:
    """Fill the options not given on the command line from the environment, as Go reads it.

    GOGC and GOMEMLIMIT (as strings, parsed later), GOMAXPROCS
    (:func:`env_gomaxprocs`) and the GODEBUG settings of
    :data:`GODEBUG_FLAGS` (nonzero: on); an option given wins, including
    ``--no-gctrace`` and the like.
    """
    env = os.environ if environ is None else environ
    if args.gogc is None:
        args.gogc = env.get("GOGC") or "100"
    if args.gomemlimit is None:
        args.gomemlimit = env.get("GOMEMLIMIT") or "off"
    if args.procs is None:
        n = env_gomaxprocs(env)
        if n is not None:
            args.procs = str(n)
    dbg = parse_godebug(env.get("GODEBUG", ""))
    for key, attr in GODEBUG_FLAGS.items():
        if getattr(args, attr, None) is None:
            setattr(args, attr, bool(dbg.get(key, 0)))


def parse_int(name: str, text: str, lo: int | None = None, hi: int | None = None) -> int:
    if not _INT_RE.fullmatch(text.strip()):
        raise BadInput(f"{name}: invalid integer {text!r}")
    v = int(text)
    if (lo is not None and v < lo) or (hi is not None and v > hi):
        rng = f"between {lo} and {hi}" if lo is not None and hi is not None else (f"at least {lo}" if lo is not None else f"at most {hi}")
        raise BadInput(f"{name} must be {rng}, got {v}")
    return v


class StderrWriter:
    """Writes whole lines to stderr and keeps an optional progress line out of their way.

    Every write goes through one lock: a gctrace line first erases the
    progress line (``\r`` + erase-line), is written whole, and the progress
    line is redrawn on the next tick.  Other writers — a Go program's
    ``os.Stdout`` and ``os.Stderr``, which share the terminal — go through
    :meth:`guard`, which erases the progress line before their text; while
    one of them has left a line unfinished on a terminal, the progress line
    is not drawn (it would land in the middle of that line, or erase it).
    """

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.lock = threading.Lock()
        self.status_shown = False
        #: keys of guarded terminal streams whose last write did not end a line
        self.partial: set = set()

    def line(self, text: str) -> None:
        with self.lock:
            self._erase()
            self.stream.write(text + "\n")
            self.stream.flush()

    def width(self) -> int:
        """Columns of the terminal the progress line is drawn on (stderr's, not stdout's); 80 if unknown."""
        cols = os.environ.get("COLUMNS", "")
        if cols.isdigit() and int(cols) > 0:
            return int(cols)
        try:
            n = os.get_terminal_size(self.stream.fileno()).columns
        except (AttributeError, ValueError, OSError):
            n = 0
        return n if n > 0 else 80

    def status(self, text: str) -> bool:
        """Draw *text* as the progress line (cut to the terminal's width); False if it had to wait."""
        width = self.width() - 1
        if len(text) > width:
            text = text[: max(width - 3, 0)] + "..."
        with self.lock:
            if self.partial:
                return False  # a line someone else is writing is unfinished: the progress line waits
            self.stream.write("\r\x1b[K" + text)
            self.stream.flush()
            self.status_shown = True
            return True

    def clear(self) -> None:
        with self.lock:
            self._erase()
            self.stream.flush()

    def guard(self, stream):
        """*stream* (a text stream, its ``buffer`` too), erasing the progress line before every write."""
        if isinstance(stream, _GuardedStream):
            return stream
        return _GuardedStream(self, stream, _stream_key(stream), isatty(stream))

    def _erase(self) -> None:
        if self.status_shown:
            self.stream.write("\r\x1b[K")
            self.status_shown = False


def _stream_key(stream):
    """What identifies the file a stream writes to: its descriptor, else the object."""
    try:
        return ("fd", stream.fileno())
    except (AttributeError, ValueError, OSError):
        return ("obj", id(stream))


class _GuardedStream:
    """A stream whose writes first erase the progress line of a :class:`StderrWriter` (see :meth:`StderrWriter.guard`).

    On a terminal each write is flushed at once (so the next progress line
    cannot overtake it) and an unfinished last line holds the progress line
    back.  Everything else (``fileno``, ``encoding``, ``isatty`` …) is the
    wrapped stream's.
    """

    def __init__(self, writer: StderrWriter, stream, key, tty: bool) -> None:
        self._writer = writer
        self._stream = stream
        self._key = key
        self._tty = tty
        self._buffer = None

    def write(self, data):
        w = self._writer
        with w.lock:
            if w.status_shown:
                w._erase()
                w.stream.flush()
            n = self._stream.write(data)
            if self._tty and data:
                self._stream.flush()
                ends = data.endswith("\n") if isinstance(data, str) else bytes(data[-1:]) == b"\n"
                if ends:
                    w.partial.discard(self._key)
                else:
                    w.partial.add(self._key)
        return n

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    @property
    def buffer(self):
        if self._buffer is None:
            raw = self._stream.buffer  # AttributeError when the stream has none, as the stream's own
            self._buffer = _GuardedStream(self._writer, raw, self._key, self._tty)
        return self._buffer

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


class Progress:
    """A progress line on stderr, redrawn by a background thread from the runtime's counters.

    It only reads the runtime (model clock, cycles completed, live heap,
    bytes allocated), so it cannot change the run; it starts drawing after
    *delay* seconds so short runs print nothing.  While it runs,
    ``sys.stderr`` is guarded (:meth:`StderrWriter.guard`): a Go program's
    ``os.Stderr`` writes erase the line first instead of being appended to it.

    The line keeps what matters within the terminal's width: the model
    time, GC cycles, bytes allocated and wall seconds; the live heap is
    left out first, then a long label (a program's path) is cut to its last
    component, then "GC 3 (GC running)" becomes "GC 3+".

    Where the amount of work is known (:meth:`expect`: the bytes a built-in
    workload allocates in all, :func:`gomem.workloads.expected_alloc_bytes`)
    the line starts with the percent done and the wall time left, estimated
    from the bytes allocated so far at the rate so far (``37%, 12 s left``;
    capped at 99% until the run ends).  A Go program's work is unknown: its
    line has the model time and the allocations only.
    """

    SPIN = "|/-\\"

    def __init__(self, rt, label: str, out: StderrWriter, interval: float | None = None, delay: float | None = None) -> None:
        self.rt = rt
        self.label = label
        self.out = out
        self.interval = PROGRESS_INTERVAL if interval is None else interval
        self.delay = PROGRESS_DELAY if delay is None else delay
        #: how many times the line was drawn
        self.draws = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="gomem-progress", daemon=True)
        self._t0 = time.perf_counter()
        self._ticks = 0
        self._saved_stderr = None
        #: the bytes the whole run allocates, if known (see :meth:`expect`)
        self.total_bytes: int | None = None

    def expect(self, total_bytes: int | None) -> None:
        """The run allocates *total_bytes* in all (None: unknown): show percent done and time left."""
        self.total_bytes = total_bytes if total_bytes and total_bytes > 0 else None

    def done(self, wall: float) -> str | None:
        """``37%, 12 s left`` from the bytes allocated so far; None when the work is unknown."""
        if self.total_bytes is None:
            return None
        frac = min(self.rt.heap.stats.total_alloc / self.total_bytes, 0.99)
        if frac < 0.01:
            return f"{frac:.0%}"
        return f"{frac:.0%}, {_fmt_left(wall * (1 - frac) / frac)} left"

    def __enter__(self) -> Progress:
        self._t0 = time.perf_counter()
        if sys.stderr is self.out.stream:
            self._saved_stderr = sys.stderr
            sys.stderr = self.out.guard(sys.stderr)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.out.clear()
        if self._saved_stderr is not None:
            sys.stderr = self._saved_stderr
            self._saved_stderr = None

    def text(self, width: int | None = None) -> str:
        """The progress line, fitted to *width* columns (default: the terminal's, less one)."""
        rt = self.rt
        st = rt.heap.stats
        wall = time.perf_counter() - self._t0
        spin = self.SPIN[self._ticks % len(self.SPIN)]
        from .report import fmt_bytes, fmt_duration

        gc = rt.gc
        width = self.out.width() - 1 if width is None else width
        model = f"model {fmt_duration(rt.now)}"
        cycles = f"GC {gc.numgc}" + (" (GC running)" if gc.running else "")
        short_cycles = f"GC {gc.numgc}" + ("+" if gc.running else "")  # 3+: three done, the fourth running
        heap = f"heap {fmt_bytes(st.heap_live)}"
        alloc = f"allocated {fmt_bytes(st.total_alloc)}"
        clock = f"wall {wall:.1f} s"
        label = self.label
        base = os.path.basename(label.rstrip("/")) or label
        done = self.done(wall)
        first = (done,) if done is not None else ()
        line = ""
        for parts, lab in (
            ((*first, model, cycles, heap, alloc, clock), label),
            ((*first, model, cycles, alloc, clock), label),
            ((*first, model, cycles, alloc, clock), base),
            ((*first, model, short_cycles, alloc, clock), base),
        ):
            line = f"gomem: {lab} {spin} " + ", ".join(parts)
            if len(line) <= width:
                break
        return line

    def _loop(self) -> None:
        if self._stop.wait(self.delay):
            return
        while not self._stop.is_set():
            try:
                if self.out.status(self.text()):
                    self.draws += 1
            except Exception:  # pragma: no cover - a torn read mid-step; try again next tick
                pass
            self._ticks += 1
            self._stop.wait(self.interval)


def _fmt_left(seconds: float) -> str:
    """Wall time left for the progress line: ``42 s``, ``3 min 5 s``, ``2 h 10 min``."""
    s = int(seconds + 0.5)
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min {s % 60} s"
    return f"{s // 3600} h {s % 3600 // 60} min"


def parse_timeout(text: str) -> float:
    """``--timeout SECONDS``: a positive number of wall-clock seconds."""
    try:
        v = float(text)
    except ValueError:
        v = float("nan")
    if not (v > 0 and v != float("inf")):
        raise BadInput(f"--timeout: want a positive number of seconds, got {text!r}")
    return v


def isatty(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False
