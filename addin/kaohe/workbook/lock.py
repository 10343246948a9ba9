"""One kaohe run per workbook at a time: a lock file beside it for the whole run; kaohe's temporary files.

The lock file ``.~kaohe.<name>.lock`` holds the process id. A second run on the same
workbook is refused with a clear message; a lock left by a process that no longer exists
(killed) is taken over. Inside one process (``kaohe serve`` runs the WPS buttons in threads) the
lock is also held per thread: another thread is refused like another process, while the thread
that holds it may take it again (a button's session holds it around the job, which takes it too).
"""
from __future__ import annotations

import contextlib
import os
import re
import sys
import tempfile
import threading
from pathlib import Path

from kaohe.findings import InputRefused


STILL_ACTIVE = 259  # GetExitCodeProcess of a process that has not ended
PROCESS_QUERY_LIMITED_INFORMATION = 0x1000
ERROR_ACCESS_DENIED = 5


def alive(pid: int) -> bool:
    """Whether process ``pid`` still runs (locks and temp files of a killed run are taken over).

    POSIX: signal 0. Windows has no signal 0 (``os.kill(pid, 0)`` sends CTRL_C_EVENT): the process
    is opened and its exit code read.
    """
    if pid <= 0:
        return False
    if sys.platform == "win32":
        import ctypes

        return alive_windows(pid, ctypes.WinDLL("kernel32", use_last_error=True), ctypes.get_last_error)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def alive_windows(pid: int, kernel32, last_error) -> bool:
    """OpenProcess + GetExitCodeProcess; a process we may not open (another user's) exists."""
    import ctypes

    handle = kernel32.OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, False, pid)
    if not handle:
        return last_error() == ERROR_ACCESS_DENIED
    try:
        code = ctypes.c_ulong()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True  # cannot tell: never take over a lock that may be live
        return code.value == STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)


_HELD: dict[str, list[int]] = {}  # lock file -> [thread id, depth]: the runs of this process
_HELD_GUARD = threading.Lock()


def _busy(pid: int) -> InputRefused:
    return InputRefused(f"另一个 kaohe 正在处理此工作簿（进程 {pid}），请稍后再试",
                        f"another kaohe run (pid {pid}) is working on this workbook")


def _take(lock: Path) -> int:
    """Create the lock file (taking over one left by a run that is gone); its descriptor."""
    for _ in range(2):
        try:
            return os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            try:
                pid = int(lock.read_text().strip() or 0)
            except (OSError, ValueError):
                pid = 0
            if alive(pid) and pid != os.getpid():
                raise _busy(pid) from None
            with contextlib.suppress(OSError):
                lock.unlink()  # a killed run's, or this process's from a thread that no longer holds it
    raise InputRefused("无法锁定工作簿", "cannot lock the workbook")


@contextlib.contextmanager
def run_lock(book: Path):
    lock = Path(book).with_name(f".~kaohe.{Path(book).name}.lock")
    key, me = os.path.normcase(os.path.abspath(lock)), threading.get_ident()
    with _HELD_GUARD:
        held = _HELD.get(key)
        if held and held[0] != me:
            raise _busy(os.getpid())
        if held:
            held[1] += 1
        else:
            fd = _take(lock)
            _HELD[key] = [me, 1]
    if held:  # this thread holds it already: the outer run removes it
        try:
            yield lock
        finally:
            with _HELD_GUARD:
                held[1] -= 1
        return
    try:
        os.write(fd, str(os.getpid()).encode())
        os.close(fd)
        remove_stale_temps(lock.parent)  # debris of a run that was killed
        yield lock
    finally:
        with _HELD_GUARD:
            _HELD.pop(key, None)
            with contextlib.suppress(OSError):
                lock.unlink()


TEMP_RE = re.compile(r"^\.~kaohe-(\d+)-[0-9a-z_]+\.tmp$")


def temp_file(folder: Path) -> tuple[int, str]:
    """A hidden temporary file in ``folder`` whose name carries this process id."""
    return tempfile.mkstemp(prefix=f".~kaohe-{os.getpid()}-", suffix=".tmp", dir=folder)


def remove_stale_temps(folder: Path) -> list[Path]:
    """Remove temporary files left by kaohe processes that no longer exist (a run that was killed)."""
    removed: list[Path] = []
    try:
        entries = list(Path(folder).iterdir())
    except OSError:
        return removed
    for path in entries:
        m = TEMP_RE.match(path.name)
        if m and not alive(int(m.group(1))):
            try:
                path.unlink()
                removed.append(path)
            except OSError:
                pass
    return removed
