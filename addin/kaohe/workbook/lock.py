"""One kaohe run per workbook at a time: a lock file beside it for the whole run.

The lock file ``.~kaohe.<name>.lock`` holds the process id. A second run on the same
workbook is refused with a clear message; a lock left by a process that no longer exists
(killed) is taken over.
"""
from __future__ import annotations

import contextlib
import os
from pathlib import Path

from kaohe.findings import InputRefused


def alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


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
        from kaohe.workbook.package import remove_stale_temps

        remove_stale_temps(lock.parent)  # debris of a run that was killed
        yield lock
    finally:
        with contextlib.suppress(OSError):
            lock.unlink()
