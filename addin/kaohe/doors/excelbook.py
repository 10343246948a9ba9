"""The workbook open in Excel, as the ribbon's handlers see it (:class:`kaohe.doors.ribbon.LiveBook`), through xlwings.

Messages, prompts and the status bar go through the Excel application, which stays while the
workbook is closed for a job; every dialog's title names the workbook. The workbook is known by
its FullName as Excel gives it: for a workbook opened from OneDrive or SharePoint that is an
``https://`` address, and its file is the local synced copy, found only when a handler needs it
(:func:`local_file`), so a workbook with no local copy is refused in Chinese inside the handler.
"""
from __future__ import annotations

import threading
from pathlib import Path
from typing import NamedTuple

from kaohe.findings import InputRefused

TITLE = "考勤绩效"
NO_LOCAL_COPY = ("“{name}”是从 OneDrive 或 SharePoint 打开的，本机找不到它的同步副本，kaohe 只能处理本机的文件。"
                 "请任选一种：① 在 OneDrive 中同步这个文件夹（SharePoint 网页上点“同步”），再从资源管理器里的"
                 "同步文件夹打开它；② 文件 → 另存为 → 这台电脑，保存一份本地副本，在副本上点按钮。")
CANCEL_ASK = "已按 Esc：要取消吗？工作簿不会被改动。"
VK_ESCAPE = 0x1B
POLL_SECONDS = 0.05


class Sharing(NamedTuple):
    """Whether others may be editing the workbook while kaohe would close and rewrite it."""

    autosave: bool  # AutoSave on (a OneDrive or SharePoint workbook saved as it is edited)
    others: tuple[str, ...]  # other users Excel lists as having it open
    cloud: bool  # opened from OneDrive or SharePoint


def local_file(fullname: str, name: str = "") -> Path:
    """The file of a workbook as Excel names it (``Workbook.FullName``): a path as it is; an ``https://`` address
    of OneDrive or SharePoint as its local synced copy, found as xlwings finds it (its settings, the
    OneDrive folders, the sync mounts); refused in Chinese when there is none."""
    if "://" not in fullname:
        return Path(fullname)
    try:
        from xlwings.utils import fullname_url_to_local_path

        found = Path(fullname_url_to_local_path(fullname))
    except Exception:  # xlwings raises when it finds no copy (and may fail in other ways on an odd address)
        found = None
    if found is None or not found.is_file():
        raise InputRefused(NO_LOCAL_COPY.format(name=name or fullname.rsplit("/", 1)[-1]),
                           f"no local synced copy of {fullname}: sync the folder or save a local copy")
    return found


class EscapeWatch:
    """Esc pressed since the job started: ``pressed()`` polls a key-state function at once, and a thread
    keeps polling it (every 50 ms) so that a short press between two progress steps is not missed."""

    def __init__(self, down):
        self._down, self._seen, self._stop = down, threading.Event(), threading.Event()
        self._start()

    def _start(self) -> None:
        self._thread = threading.Thread(target=self._poll, daemon=True)
        self._thread.start()

    def _poll(self) -> None:
        while not self._stop.wait(POLL_SECONDS):
            if self._down():
                self._seen.set()
                return

    def pressed(self) -> bool:
        return self._seen.is_set() or bool(self._down())

    def reset(self) -> None:
        self._seen.clear()
        if not self._thread.is_alive():
            self._start()

    def stop(self) -> None:
        self._stop.set()


def windows_escape(pid: int):
    """Esc held down while a window of Excel (process ``pid``) is in front (Windows; never elsewhere)."""
    import ctypes
    import sys

    if sys.platform != "win32":
        return lambda: False
    user32 = ctypes.windll.user32

    def down() -> bool:
        if not user32.GetAsyncKeyState(VK_ESCAPE) & 0x8000:
            return False
        owner = ctypes.c_ulong()
        user32.GetWindowThreadProcessId(user32.GetForegroundWindow(), ctypes.byref(owner))
        return owner.value == pid
    return down


class XlwingsBook:
    """The workbook open in Excel, through xlwings (Windows and macOS only). ``escape``: a key-state
    function for cancelling (default: Esc on the Windows keyboard while Excel is in front)."""

    def __init__(self, book, escape=None):
        self.book, self.app = book, book.app
        self.name = str(book.name)
        self.fullname = str(book.api.FullName)  # never xlwings' book.fullname, which resolves an https:// address
        self._path: Path | None = None
        self._escape, self._watch = escape, None

    @classmethod
    def caller(cls) -> XlwingsBook:
        import xlwings as xw

        return cls(xw.Book.caller())

    @property
    def path(self) -> Path:
        if self._path is None:
            self._path = local_file(self.fullname, self.name)
        return self._path

    def sheet_names(self) -> list[str]:
        return [s.name for s in self.book.sheets]

    def rows(self, sheet: str) -> list[list] | None:
        if sheet not in self.sheet_names():
            return None
        ws = self.book.sheets[sheet]
        last = ws.used_range.last_cell
        values = ws.range((1, 1), (last.row, last.column)).options(ndim=2).value
        return values or []

    def sharing(self) -> Sharing:
        return Sharing(bool(_com(lambda: self.book.api.AutoSaveOn, False)), self._others(), "://" in self.fullname)

    def _others(self) -> tuple[str, ...]:
        users = _com(lambda: self.book.api.UserStatus, None)  # ((name, opened, kind), …), 1-based in VBA
        me = str(_com(lambda: self.app.api.UserName, ""))
        if not isinstance(users, (list, tuple)):
            return ()
        return tuple(str(row[0]) for row in users if isinstance(row, (list, tuple)) and row and str(row[0]) != me)

    def unsaved(self) -> bool:
        return not self.book.api.Saved

    def save(self) -> None:
        self.book.save()

    def active_sheet(self) -> str | None:
        return self.book.sheets.active.name

    def close(self) -> None:
        self.book.close()

    def reopen(self, sheet: str | None) -> None:
        self.book = self.app.books.open(str(self.path))
        if sheet in self.sheet_names():
            self.book.sheets[sheet].activate()

    def cancelled(self) -> bool:
        """Esc was pressed and the user confirms cancelling."""
        if self._watch is None:
            self._watch = EscapeWatch(self._escape or windows_escape(self.app.pid))
        if not self._watch.pressed():
            return False
        if self.confirm(CANCEL_ASK):
            return True
        self._watch.reset()
        return False

    def status(self, text: str | None) -> None:
        self.app.status_bar = text or False

    def done(self) -> None:
        """The button's work is over: the status bar cleared, the Esc watch stopped."""
        if self._watch is not None:
            self._watch.stop()
        self.status(None)

    def title(self) -> str:
        return f"{TITLE}：{self.name}"

    def message(self, text: str) -> None:
        self.app.alert(text, title=self.title())

    def ask(self, prompt: str, default: str) -> str | None:
        answer = self.app.api.InputBox(prompt, self.title(), default)
        return None if answer is False else str(answer)

    def confirm(self, prompt: str) -> bool:
        return self.app.alert(prompt, title=self.title(), buttons="yes_no") == "yes"


def _com(read, default):
    """A property older Excel versions lack (AutoSaveOn: Excel 2016 and later): ``default`` when it fails."""
    try:
        return read()
    except Exception:
        return default
