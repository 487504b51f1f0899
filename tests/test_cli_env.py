"""Issue 17, "Environment and options": no prefix abbreviations, one set of run options for run and vs-go,
GODEBUG and GOMAXPROCS from the environment as Go reads them, contradictory options rejected,
a binary .scn file reported in one line."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from gomem.cmd import cli, vsgo
from gomem.cmd.report import parse_gctrace_line

from clihelpers import gomem

SMALL = ["--param", "depth=12", "--no-progress"]
LOG_LINE = ("gc 1 @0.001s 5%: 0.010+0.20+0.010 ms clock, 0.010+0.10/0.10/0+0.010 ms cpu, "
            "4->4->1 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 1 P")


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    for k in ("GODEBUG", "GOMAXPROCS", "GOGC", "GOMEMLIMIT"):
        monkeypatch.delenv(k, raising=False)


def gctrace_lines(err: str) -> list[str]:
    return [ln for ln in err.splitlines() if parse_gctrace_line(ln) is not None]


def header(out: str) -> str:
    return next(ln for ln in out.splitlines() if ln.startswith("gomem run "))


def log(tmp_path: Path) -> str:
    p = tmp_path / "gctrace.log"
    p.write_text(LOG_LINE + "\n")
    return str(p)


# -- 1. no prefix abbreviations; vs-go has run's options ----------------------------------------


def _all_parsers(p: argparse.ArgumentParser):
    yield p
    for a in p._actions:
        if isinstance(a, argparse._SubParsersAction):
            for sp in a.choices.values():
                yield from _all_parsers(sp)


def test_no_parser_allows_abbreviations():
    parsers = list(_all_parsers(cli._build_parser()))
    assert len(parsers) >= 8  # gomem, run, workloads, sizeclass, scenario, list, run, vs-go, escape
    assert all(not p.allow_abbrev for p in parsers), [p.prog for p in parsers if p.allow_abbrev]


def test_vs_go_gc_is_not_gctrace_log(tmp_path):
    """The reproduction: --gc was taken as an abbreviation of --gctrace-log."""
    rc, out, err = gomem("vs-go", "binary-trees", "--param", "depth=8", "--gc", "stw",
                         "--gctrace-log", log(tmp_path), "--rows", "0", "--no-progress")
    assert rc == 0, err
    assert "cannot read gctrace log" not in err
    assert "GC count" in out


@pytest.mark.parametrize("argv", [
    ["run", "--gctrac"],
    ["run", "--gog", "50"],
    ["vs-go", "binary-trees", "--gctrace-l", "x.log"],
    ["scenario", "run", "tricolor", "--all"],
    ["sizeclass", "--tab"],
])
def test_abbreviations_are_rejected(argv):
    rc, out, err = gomem(*argv)
    assert rc == 2
    assert "unrecognized arguments" in err and len(err.strip().splitlines()) == 1


def test_vs_go_accepts_the_readme_run_options(tmp_path):
    """README: ``gomem vs-go WORKLOAD [same options]``; run's options, from one definition."""
    run_opts = {o for a in _sub(cli._build_parser(), "run")._actions for o in a.option_strings}
    vs_opts = {o for a in _sub(cli._build_parser(), "vs-go")._actions for o in a.option_strings}
    readme = {"--gc", "--gogc", "--gomemlimit", "--procs", "--seed", "--gctrace", "--gcpacertrace",
              "--scavtrace", "--checkmark", "--param", "--json"}
    assert readme <= run_opts
    assert readme <= vs_opts
    # run's own: vs-go prints no MemStats (--memstats is rejected there: test_memstats_text.py), and the
    # timeline (--trace, --mmu) and the heap profile (--memprofile, --memprofilerate) are of a gomem run alone
    shared = run_opts - {"--final-gc", "--max-heap", "--html", "--memstats", "--trace", "--mmu", "--mmu-exclude",
                         "--memprofile", "--memprofilerate", "--cpuprofile"}
    assert shared <= vs_opts, shared - vs_opts
    rc, out, err = gomem("vs-go", "binary-trees", "--param", "depth=12", "--gctrace-log", log(tmp_path),
                         "--gc", "go1.5", "--gogc", "50", "--gomemlimit", "off", "--procs", "1", "--seed", "2",
                         "--gctrace", "--gcpacertrace", "--scavtrace", "--checkmark", "--policy", "random",
                         "--layout", "greentea", "--cost", "stw=1", "--rows", "0", "--no-progress")
    assert rc == 0, err
    assert "GOGC=50" in out
    # --gctrace prints gomem's lines on stderr, as run does
    assert gctrace_lines(err)


def _sub(p: argparse.ArgumentParser, name: str) -> argparse.ArgumentParser:
    for a in p._actions:
        if isinstance(a, argparse._SubParsersAction):
            return a.choices[name]
    raise KeyError(name)


def test_vs_go_gc_mode_reaches_gomem(monkeypatch, tmp_path):
    seen = {}
    real = vsgo.run_gomem

    def spy(*a, **kw):
        seen.update(a[7] if len(a) > 7 else kw.get("runtime_kwargs") or {})
        return real(*a, **kw)

    monkeypatch.setattr(vsgo, "run_gomem", spy)
    rc, _, err = gomem("vs-go", "binary-trees", "--param", "depth=8", "--gc", "stw", "--gctrace-log",
                       log(tmp_path), "--rows", "0", "--no-progress")
    assert rc == 0, err
    assert seen["gc"] == "stw"


# -- 2. GODEBUG and GOMAXPROCS from the environment -------------------------------------------------


def test_parse_godebug_as_go():
    assert cli.parse_godebug("") == {}
    assert cli.parse_godebug("gctrace=1,scavtrace=1") == {"gctrace": 1, "scavtrace": 1}
    # left to right, the later setting wins
    assert cli.parse_godebug("gctrace=1,gctrace=0") == {"gctrace": 0}
    # no '=', a non-integer value, unknown keys: ignored, as Go ignores them
    assert cli.parse_godebug("gctrace,gcpacertrace=yes,madvdontneed=1,gccheckmark=1") == {"gccheckmark": 1}
    assert cli.parse_godebug("asyncpreemptoff=1,clobberfree=2") == {"asyncpreemptoff": 1, "clobberfree": 2}


@pytest.mark.parametrize("value,want", [("4", 4), ("abc", None), ("0", None), ("-2", None), ("", None),
                                        (" 2", None), ("2x", None), ("99999999999", None)])
def test_env_gomaxprocs_as_go(value, want):
    assert cli.env_gomaxprocs({"GOMAXPROCS": value}) == want


def test_env_gomaxprocs_beyond_gomem(monkeypatch):
    monkeypatch.setenv("GOMAXPROCS", "300")
    rc, _, err = gomem("run", *SMALL)
    assert rc == 2 and "GOMAXPROCS=300" in err


def test_godebug_gctrace(monkeypatch):
    monkeypatch.setenv("GODEBUG", "gctrace=1")
    rc, _, err = gomem("run", *SMALL)
    assert rc == 0
    assert gctrace_lines(err)
    # the command line wins
    rc, _, err = gomem("run", *SMALL, "--no-gctrace")
    assert rc == 0 and not gctrace_lines(err)


def test_godebug_off_and_ignored(monkeypatch):
    monkeypatch.setenv("GODEBUG", "gctrace=0,asyncpreemptoff=1,gcpacertrace=x")
    rc, _, err = gomem("run", *SMALL)
    assert rc == 0 and err == ""


def test_godebug_pacer_scav_checkmark_clobberfree(monkeypatch, tmp_path):
    js = tmp_path / "run.json"
    monkeypatch.setenv("GODEBUG", "gcpacertrace=1,scavtrace=1,gccheckmark=1")
    rc, out, err = gomem("run", *SMALL, "--json", str(js))
    assert rc == 0, err
    assert "pacer:" in err
    assert " checkmark" in header(out)
    doc = json.loads(js.read_text())
    assert doc["config"]["checkmark"] is True and doc["config"]["clobberfree"] is True
    monkeypatch.setenv("GODEBUG", "clobberfree=1")
    rc, out, err = gomem("run", *SMALL, "--json", str(js))
    assert rc == 0
    assert header(out).endswith(" clobberfree")
    rc, out, err = gomem("run", *SMALL, "--no-clobberfree")
    assert "clobberfree" not in header(out)


def test_same_as_the_options(monkeypatch):
    base = gomem("run", *SMALL, "--gctrace", "--procs", "2")
    monkeypatch.setenv("GODEBUG", "gctrace=1")
    monkeypatch.setenv("GOMAXPROCS", "2")
    env = gomem("run", *SMALL)

    def model(r):  # everything but the wall-clock figures
        return r[0], [ln for ln in r[1].splitlines() if "wall" not in ln.lower()], r[2]

    assert model(base) == model(env)


def test_gomaxprocs_env_and_option(monkeypatch):
    monkeypatch.setenv("GOMAXPROCS", "3")
    assert "GOMAXPROCS=3" in header(gomem("run", *SMALL)[1])
    assert "GOMAXPROCS=2" in header(gomem("run", *SMALL, "--procs", "2")[1])
    monkeypatch.setenv("GOMAXPROCS", "abc")  # Go ignores it: the default
    assert "GOMAXPROCS=1" in header(gomem("run", *SMALL)[1])


def test_vs_go_reads_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("GOGC", "50")
    monkeypatch.setenv("GOMEMLIMIT", "64MiB")
    monkeypatch.setenv("GOMAXPROCS", "2")
    monkeypatch.setenv("GODEBUG", "gctrace=1")
    rc, out, err = gomem("vs-go", "binary-trees", "--param", "depth=12", "--gctrace-log", log(tmp_path),
                         "--rows", "0", "--no-progress")
    assert rc == 0, err
    first = out.splitlines()[0]
    assert "GOGC=50" in first and "GOMEMLIMIT=64MiB" in first and "GOMAXPROCS=2" in first
    assert gctrace_lines(err)
    # the options win
    rc, out, err = gomem("vs-go", "binary-trees", "--param", "depth=12", "--gctrace-log", log(tmp_path),
                         "--gogc", "100", "--procs", "1", "--no-gctrace", "--rows", "0", "--no-progress")
    assert rc == 0, err
    first = out.splitlines()[0]
    assert "GOGC=100" in first and "GOMAXPROCS=1" in first
    assert not gctrace_lines(err)


def test_vs_go_passes_godebug_to_go():
    assert vsgo.go_env(100, None, 1, ["gccheckmark=1"])["GODEBUG"] == "gctrace=1,gccheckmark=1"


# -- 3. contradictory options ---------------------------------------------------------------------


def test_all_modes_with_gc_is_rejected():
    rc, out, err = gomem("scenario", "run", "tricolor", "--all-modes", "--gc", "stw")
    assert rc == 2 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert "--all-modes" in err and "--gc" in err
    assert gomem("scenario", "run", "tricolor", "--all-modes")[0] == 0
    assert gomem("scenario", "run", "tricolor", "--gc", "stw")[0] == 0


# -- 4. a .scn file that is not text ----------------------------------------------------------------


def test_binary_scenario_file(tmp_path):
    p = tmp_path / "garbage.scn"
    p.write_bytes(b"\xff\xfe\x00\x01garbage")
    rc, out, err = gomem("scenario", "run", str(p))
    assert rc == 2
    assert err.strip() == f"gomem: {p}:1:1: not a scenario: not UTF-8 text (byte 0xff at offset 0)"


def test_non_utf8_byte_later_in_the_file(tmp_path):
    p = tmp_path / "latin1.scn"
    p.write_bytes(b"scenario x\nti\xe9tle\n")
    rc, _, err = gomem("scenario", "run", str(p))
    assert rc == 2
    assert err.strip() == f"gomem: {p}:2:3: not a scenario: not UTF-8 text (byte 0xe9 at offset 13)"
    assert "Traceback" not in err
