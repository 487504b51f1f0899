"""Output files (``--json``, ``--html``, ``--svg``): one writer, and it respects what the path is (issue 17).

A regular file or a new path is written through a temporary file and a
rename; a symlink's target is written and the link stays; character
devices, FIFOs and ``/dev/stdout`` are written straight; ``-`` is standard
output; errors are one line in Go's words; every named file written is
reported on stderr as ``gomem: wrote PATH``.  The devices are made for the
test with ``os.mknod`` (root only) except ``/dev/full``, the one way to get
ENOSPC without filling a disk.
"""

from __future__ import annotations

import errno
import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from gomem.cmd import fsutil
from gomem.errors import BadInput

from clihelpers import gomem

RUN = ["run", "binary-trees", "--param", "depth=4"]
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
needs_root = pytest.mark.skipif(not IS_ROOT, reason="os.mknod of a character device needs root")


def _leftovers(d: Path) -> list[str]:
    return sorted(p.name for p in d.iterdir() if p.name.endswith(".tmp"))


def _mknod_char(path: Path, major: int, minor: int) -> Path:
    os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(major, minor))
    return path


def _json_tail(out: str) -> dict:
    """The JSON document a run wrote after its own output on the same stream."""
    return json.loads(out[out.index("\n{\n") + 1 :])


# -- regular files ---------------------------------------------------------------------------


def test_new_file_is_written_and_named_on_stderr(tmp_path: Path) -> None:
    js = tmp_path / "run.json"
    rc, out, err = gomem(*RUN, "--json", str(js))
    assert rc == 0
    assert err == f"gomem: wrote {js}\n"
    assert json.loads(js.read_text())["status"] == "ok"
    assert _leftovers(tmp_path) == []


def test_json_and_html_each_named(tmp_path: Path) -> None:
    js, html = tmp_path / "r.json", tmp_path / "r.html"
    rc, _, err = gomem(*RUN, "--json", str(js), "--html", str(html))
    assert rc == 0 and err.splitlines() == [f"gomem: wrote {js}", f"gomem: wrote {html}"]
    assert html.read_text().startswith("<!DOCTYPE html>")


def test_existing_file_replaced_keeps_its_mode(tmp_path: Path) -> None:
    js = tmp_path / "run.json"
    js.write_text("old")
    os.chmod(js, 0o600)
    rc, _, _ = gomem(*RUN, "--json", str(js))
    assert rc == 0 and json.loads(js.read_text())
    assert stat.S_IMODE(js.stat().st_mode) == 0o600


def test_new_file_gets_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        fsutil.write_output(tmp_path / "a.txt", "x\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "a.txt").stat().st_mode) == 0o640


# -- symlinks --------------------------------------------------------------------------------


def test_symlink_target_written_link_kept(tmp_path: Path) -> None:
    target = tmp_path / "target.json"
    target.write_text("old\n")
    link = tmp_path / "link.json"
    link.symlink_to("target.json")
    rc, _, err = gomem(*RUN, "--json", str(link))
    assert rc == 0 and err == f"gomem: wrote {link}\n"
    assert link.is_symlink() and os.readlink(link) == "target.json"
    assert json.loads(target.read_text())["status"] == "ok"
    assert _leftovers(tmp_path) == []


def test_symlink_into_another_directory(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "links").mkdir()
    link = tmp_path / "links" / "out.json"
    link.symlink_to("../real/out.json")  # dangling: the target is created, as Go's os.Create does
    fsutil.write_output(link, "{}\n")
    assert link.is_symlink()
    assert (tmp_path / "real" / "out.json").read_text() == "{}\n"
    assert _leftovers(tmp_path / "real") == [] and _leftovers(tmp_path / "links") == []


def test_chain_of_symlinks(tmp_path: Path) -> None:
    (tmp_path / "t").write_text("")
    (tmp_path / "b").symlink_to("t")
    (tmp_path / "a").symlink_to("b")
    fsutil.write_output(tmp_path / "a", "chain\n")
    assert (tmp_path / "a").is_symlink() and (tmp_path / "b").is_symlink()
    assert (tmp_path / "t").read_text() == "chain\n"


def test_symlink_loop_is_one_line(tmp_path: Path) -> None:
    loop = tmp_path / "loop"
    loop.symlink_to("loop")
    rc, out, err = gomem(*RUN, "--json", str(loop))
    assert (rc, out) == (2, "")
    assert err == f"gomem: open {loop}: too many levels of symbolic links\n"


def test_symlink_to_a_directory_is_a_directory(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "l").symlink_to("d")
    with pytest.raises(BadInput, match=r"^open .*/l: is a directory$"):
        fsutil.write_output(tmp_path / "l", "x")


# -- standard output -------------------------------------------------------------------------


def test_dash_is_stdout(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    rc, out, err = gomem(*RUN, "--json", "-")
    assert rc == 0 and err == ""  # no "wrote" line for stdout
    assert "long lived tree of depth" in out.split("\n{\n")[0]  # the run's own output comes first
    assert _json_tail(out)["status"] == "ok"
    assert list(tmp_path.iterdir()) == []  # no file named "-"


def _subprocess(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gomem.cmd.cli", *args], timeout=300, **kw)


def test_dev_stdout_through_a_pipe() -> None:
    r = _subprocess(*RUN, "--json", "/dev/stdout", capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    assert _json_tail(r.stdout)["status"] == "ok"


def test_dev_stdout_redirected_to_a_file_keeps_the_run_output(tmp_path: Path) -> None:
    """``gomem run --json /dev/stdout > f``: the JSON follows the run's output; neither truncates the other."""
    f = tmp_path / "out.txt"
    with open(f, "w") as fh:
        r = _subprocess(*RUN, "--json", "/dev/stdout", stdout=fh, stderr=subprocess.PIPE, text=True)
    assert r.returncode == 0, r.stderr
    text = f.read_text()
    assert text.startswith("stretch tree of depth")
    assert _json_tail(text)["status"] == "ok"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_dev_stderr() -> None:
    r = _subprocess(*RUN, "--json", "/dev/stderr", capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stderr)["status"] == "ok"


def test_dev_fd_of_another_descriptor(tmp_path: Path) -> None:
    """``--json /dev/fd/3 3>f``: written through the descriptor the shell opened."""
    f = tmp_path / "fd.json"
    with open(f, "wb") as fh:
        fd = fh.fileno()
        r = _subprocess(*RUN, "--json", f"/dev/fd/{fd}", capture_output=True, text=True, pass_fds=(fd,))
    assert r.returncode == 0, r.stderr
    assert r.stderr == f"gomem: wrote /dev/fd/{fd}\n"
    assert json.loads(f.read_text())["status"] == "ok"


def test_dev_fd_not_open() -> None:
    rc, out, err = gomem(*RUN, "--json", "/dev/fd/1000")
    assert (rc, out, err) == (2, "", "gomem: open /dev/fd/1000: no such file or directory\n")


# -- devices and FIFOs -----------------------------------------------------------------------


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
def test_dev_full_is_no_space_left() -> None:
    before = os.stat("/dev/full")
    rc, out, err = gomem(*RUN, "--json", "/dev/full")
    assert rc == 2
    assert err == "gomem: write /dev/full: no space left on device\n"
    after = os.stat("/dev/full")
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev


@needs_root
def test_own_full_device_stays_a_device(tmp_path: Path) -> None:
    full = _mknod_char(tmp_path / "full", 1, 7)
    rc, _, err = gomem(*RUN, "--json", str(full))
    assert rc == 2 and err == f"gomem: write {full}: no space left on device\n"
    assert stat.S_ISCHR(full.stat().st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["full"]


@needs_root
def test_null_device_written_straight(tmp_path: Path) -> None:
    null = _mknod_char(tmp_path / "null", 1, 3)
    link = tmp_path / "to-null"
    link.symlink_to("null")
    for path in (null, link):
        rc, _, err = gomem(*RUN, "--json", str(path), "--html", str(path))
        assert rc == 0 and err == f"gomem: wrote {path}\ngomem: wrote {path}\n"
    assert stat.S_ISCHR(null.stat().st_mode) and link.is_symlink()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["null", "to-null"]


def test_fifo_written_straight(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []

    def reader() -> None:
        with open(fifo, "rb") as f:
            got.append(f.read())

    t = threading.Thread(target=reader, daemon=True)
    t.start()
    rc, _, err = gomem(*RUN, "--json", str(fifo))
    t.join(timeout=60)
    assert rc == 0 and err == f"gomem: wrote {fifo}\n"
    assert json.loads(got[0])["status"] == "ok"
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["pipe"]


# -- errors ----------------------------------------------------------------------------------


def test_empty_path(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    for opt in ("--json", "--html"):
        rc, out, err = gomem(*RUN, opt, "")
        assert (rc, out, err) == (2, "", "gomem: open : no such file or directory\n")
    rc, out, err = gomem("scenario", "run", "tricolor", "--svg", "")
    assert (rc, out, err) == (2, "", "gomem: mkdir : no such file or directory\n")
    rc, out, err = gomem("scenario", "run", "tricolor", "--html", "")
    assert (rc, out, err) == (2, "", "gomem: open : no such file or directory\n")
    assert list(tmp_path.iterdir()) == []


def test_directory(tmp_path: Path) -> None:
    rc, out, err = gomem(*RUN, "--json", str(tmp_path))
    assert (rc, out) == (2, "") and err == f"gomem: open {tmp_path}: is a directory\n"
    rc, out, err = gomem(*RUN, "--json", str(tmp_path / "new") + "/")
    assert (rc, out) == (2, "") and err == f"gomem: open {tmp_path / 'new'}/: is a directory\n"


def test_missing_directory(tmp_path: Path) -> None:
    p = tmp_path / "nope" / "run.json"
    rc, out, err = gomem(*RUN, "--json", str(p))
    assert (rc, out) == (2, "") and err == f"gomem: open {p}: no such file or directory\n"


def test_parent_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("")
    p = tmp_path / "f" / "run.json"
    rc, _, err = gomem(*RUN, "--json", str(p))
    assert rc == 2 and err == f"gomem: open {p}: not a directory\n"


NOBODY = 65534


def _unprivileged(fn):
    """fn()'s result, computed in a forked child that runs as ``nobody`` when the tests run as root (root
    ignores directory permissions); in this process otherwise.  The result must be JSON."""
    if not IS_ROOT:
        return fn()
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: drop to nobody, run, report, never return into pytest
        status = 1
        try:
            os.close(r)
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            os.write(w, json.dumps(fn()).encode())
            status = 0
        finally:
            os._exit(status)
    os.close(w)
    data = b""
    while chunk := os.read(r, 1 << 16):
        data += chunk
    os.close(r)
    _, st = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(st) == 0, "the unprivileged child failed"
    return json.loads(data)


def test_read_only_directory() -> None:
    import shutil
    import tempfile

    base = Path(tempfile.mkdtemp(prefix="gomem-ro-", dir="/tmp"))
    os.chmod(base, 0o755)  # traversable by the unprivileged child
    ro = base / "ro"
    try:
        ro.mkdir()
        (ro / "w.json").write_text("")
        (ro / "r.json").write_text("")
        if IS_ROOT:
            os.chown(ro / "w.json", NOBODY, NOBODY)
        os.chmod(ro / "r.json", 0o444)
        os.chmod(ro, 0o555)
        runs = _unprivileged(lambda: [gomem(*RUN, "--json", str(ro / name)) for name in ("new.json", "r.json", "w.json")])
        (rc, out, err), (rc2, _, err2), (rc3, _, err3) = runs
        assert (rc, out) == (2, "") and err == f"gomem: open {ro / 'new.json'}: permission denied\n"
        assert rc2 == 2 and err2 == f"gomem: open {ro / 'r.json'}: permission denied\n"
        # a writable file in a read-only directory is rewritten in place, as Go's os.Create would
        assert rc3 == 0 and json.loads((ro / "w.json").read_text())
        assert sorted(p.name for p in ro.iterdir()) == ["r.json", "w.json"]
    finally:
        os.chmod(ro, 0o755)
        shutil.rmtree(base)


def test_no_room_for_a_temporary_file_rewrites_in_place(tmp_path: Path, monkeypatch) -> None:
    """What a read-only directory does, for root too: mkstemp fails, the existing file is rewritten."""

    def denied(*a, **k):
        raise PermissionError(errno.EACCES, "Permission denied")

    f = tmp_path / "w.json"
    f.write_text("old old old old\n")
    monkeypatch.setattr(fsutil.tempfile, "mkstemp", denied)
    fsutil.write_output(f, "new\n")
    assert f.read_text() == "new\n"
    with pytest.raises(BadInput, match=r"^open .*/new\.json: permission denied$"):
        fsutil.write_output(tmp_path / "new.json", "x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.json"]


def test_write_error_leaves_old_file_and_no_temp(tmp_path: Path, monkeypatch, capsys) -> None:
    f = tmp_path / "run.json"
    f.write_text("old\n")

    def full(fd, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(fsutil, "_write_all", full)
    with pytest.raises(BadInput) as ei:
        fsutil.write_output(f, "new\n")
    assert str(ei.value) == f"write {f}: no space left on device"
    assert f.read_text() == "old\n" and _leftovers(tmp_path) == []
    assert capsys.readouterr().err == ""  # no "wrote" line for a failed write


def test_interrupted_write_leaves_no_temp(tmp_path: Path, monkeypatch) -> None:
    def interrupted(fd, data):
        raise KeyboardInterrupt

    monkeypatch.setattr(fsutil, "_write_all", interrupted)
    with pytest.raises(KeyboardInterrupt):
        fsutil.write_output(tmp_path / "x.json", "new\n")
    assert list(tmp_path.iterdir()) == []


def test_errno_text_is_gos() -> None:
    assert str(fsutil.go_error("open", "p", OSError(errno.EROFS, "Read-only file system"))) == "open p: read-only file system"
    assert str(fsutil.go_error("write", "p", OSError(errno.EMLINK, "Too many links"))) == "write p: too many links"


# -- the up-front check agrees with the writer -------------------------------------------------


def _cases(tmp_path: Path) -> tuple[list[str], list[str]]:
    (tmp_path / "file").write_text("")
    (tmp_path / "dir").mkdir()
    (tmp_path / "link").symlink_to("file")
    (tmp_path / "dangling").symlink_to("made-by-the-write")
    (tmp_path / "loop").symlink_to("loop")
    os.mkfifo(tmp_path / "fifo")
    good = ["-", "/dev/stdout", "/dev/stderr", os.devnull, str(tmp_path / "file"), str(tmp_path / "new"),
            str(tmp_path / "link"), str(tmp_path / "dangling"), str(tmp_path / "fifo")]
    bad = ["", str(tmp_path / "dir"), str(tmp_path / "dir") + "/", str(tmp_path / "no" / "x"),
           str(tmp_path / "file" / "x"), str(tmp_path / "loop"), str(tmp_path / "new") + "/", "/dev/fd/1000"]
    return good, bad


def test_check_writable_accepts_what_the_writer_writes(tmp_path: Path) -> None:
    good, bad = _cases(tmp_path)
    for p in good:
        fsutil.check_writable(p)
    for p in bad:
        with pytest.raises(BadInput) as checked:
            fsutil.check_writable(p)
        with pytest.raises(BadInput) as written:
            fsutil.write_output(p, "x\n")
        assert str(checked.value) == str(written.value), p
        assert str(checked.value).startswith(f"open {p}: ")
    assert not (tmp_path / "new").exists()  # the check creates nothing


def test_check_writable_then_write(tmp_path: Path) -> None:
    """Every path the check accepts is then written (the FIFO with a reader, stdout captured)."""
    good, _ = _cases(tmp_path)
    got: list[bytes] = []
    t = threading.Thread(target=lambda: got.append(open(tmp_path / "fifo", "rb").read()), daemon=True)
    t.start()
    for p in good:
        if p in ("/dev/stdout", "/dev/stderr"):
            continue  # the test runner's own streams: covered by the subprocess tests
        rc, out, err = gomem(*RUN, "--json", p)
        assert rc == 0, (p, err)
    t.join(timeout=60)
    assert json.loads(got[0]) and json.loads((tmp_path / "made-by-the-write").read_text())
    assert (tmp_path / "link").is_symlink() and (tmp_path / "dangling").is_symlink()
    assert _leftovers(tmp_path) == []


# -- scenario pictures and pages ---------------------------------------------------------------


def test_scenario_svg_and_html_are_named(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    rc, _, err = gomem("scenario", "run", "tricolor", "--svg", str(tmp_path / "pics"), "--html", str(page))
    assert rc == 0
    wrote = [line.removeprefix("gomem: wrote ") for line in err.splitlines()]
    pics = sorted(str(p) for p in (tmp_path / "pics").iterdir())
    assert sorted(wrote) == sorted(pics + [str(page)])
    assert wrote[-1] == str(page) and str(tmp_path / "pics" / "index.html") in wrote
    assert _leftovers(tmp_path / "pics") == [] and _leftovers(tmp_path) == []


def test_scenario_page_to_stdout() -> None:
    rc, out, err = gomem("scenario", "run", "tricolor", "--html", "-")
    assert rc == 0 and err == ""
    assert "<!DOCTYPE html>" in out and out.rstrip().endswith("</html>")
