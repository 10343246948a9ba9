"""Liveness of the process that holds a run lock: POSIX signal 0, Windows OpenProcess/GetExitCodeProcess."""
import ctypes
import os
import sys

from kaohe.workbook import lock


class Kernel32:
    """kernel32 as ctypes shows it: OpenProcess gives a handle (0 = failed), GetExitCodeProcess fills a DWORD."""

    def __init__(self, handle, exit_code=None):
        self.handle, self.exit_code, self.closed = handle, exit_code, []

    def OpenProcess(self, access, inherit, pid):
        assert access == 0x1000 and inherit is False  # PROCESS_QUERY_LIMITED_INFORMATION, not inherited
        return self.handle

    def GetExitCodeProcess(self, handle, code_ref):
        if self.exit_code is None:
            return 0
        code_ref._obj.value = self.exit_code
        return 1

    def CloseHandle(self, handle):
        self.closed.append(handle)


def test_windows_running_process_is_alive_and_its_handle_closed():
    k = Kernel32(handle=42, exit_code=259)  # STILL_ACTIVE
    assert lock.alive_windows(1234, k, lambda: 0) is True and k.closed == [42]


def test_windows_ended_process_is_not_alive():
    k = Kernel32(handle=42, exit_code=1)
    assert lock.alive_windows(1234, k, lambda: 0) is False and k.closed == [42]


def test_windows_no_such_process_and_another_users_process():
    assert lock.alive_windows(1234, Kernel32(handle=0), lambda: 87) is False  # ERROR_INVALID_PARAMETER: gone
    assert lock.alive_windows(1234, Kernel32(handle=0), lambda: 5) is True  # ERROR_ACCESS_DENIED: it exists


def test_windows_exit_code_unreadable_counts_as_alive():
    assert lock.alive_windows(1234, Kernel32(handle=7), lambda: 0) is True


def test_on_windows_alive_never_sends_a_signal(monkeypatch):
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(ctypes, "WinDLL", lambda name, use_last_error: Kernel32(handle=0), raising=False)
    monkeypatch.setattr(ctypes, "get_last_error", lambda: 87, raising=False)
    monkeypatch.setattr(os, "kill", lambda *a: (_ for _ in ()).throw(AssertionError("os.kill on Windows")))
    assert lock.alive(1234) is False


def test_posix_signal_zero():
    if sys.platform == "win32":
        return
    assert lock.alive(os.getpid()) is True
    assert lock.alive(999999999) is False and lock.alive(0) is False
