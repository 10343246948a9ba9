"""One kaohe run per workbook at a time: a lock file beside it for the whole run; kaohe's temporary files.

The lock file ``.~kaohe.<name>.lock`` holds the process id. A second run on the same
workbook is refused with a clear message; a lock left by a process that no longer exists
(killed) is taken over.
"""
from __future__ import annotations

import contextlib
import os
import re
import sys
import tempfile
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


@contextlib.contextmanager
def run_lock(book: Path):
    lock = Path(book).with_name(f".~kaohe.{Path(book).name}.lock")
    for _ in range(2):
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            break
        except FileExistsError:
            try:
                pid = int(lock.read_text().strip() or 0)
            except (OSError, ValueError):
                pid = 0
            if alive(pid) and pid != os.getpid():
                raise InputRefused(f"另一个 kaohe 正在处理此工作簿（进程 {pid}），请稍后再试",
                                   f"another kaohe run (pid {pid}) is working on this workbook") from None
            with contextlib.suppress(OSError):
                lock.unlink()
    else:
        raise InputRefused("无法锁定工作簿", "cannot lock the workbook")
    try:
        os.write(fd, str(os.getpid()).encode())
        os.close(fd)
        remove_stale_temps(lock.parent)  # debris of a run that was killed
        yield lock
    finally:
        with contextlib.suppress(OSError):
            lock.unlink()


TEMP_RE = re.compile(r"^\.~kaohe-(\d+)-[0-9a-z_]+\.tmp$")


def temp_file(folder: Path) -> tuple[int, str]:
    """A hidden temporary file in ``folder`` whose name carries this process id."""
    return tempfile.mkstemp(prefix=f".~kaohe-{os.getpid()}-", suffix=".tmp", dir=folder)


def remove_stale_temps(folder: Path) -> list[Path]:
    """Remove temporary files left by kaohe processes that no longer exist (a run that was killed)."""
    removed = []
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
