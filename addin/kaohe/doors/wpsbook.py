"""A button pressed in WPS, run by the Excel ribbon's own handlers (kaohe.doors.ribbon) in ``kaohe serve``.

The handlers talk to an open workbook through a :class:`kaohe.doors.ribbon.LiveBook`. Here that workbook is
in WPS, on the other side of HTTP: :class:`WpsBook` turns each call (ask, confirm, save, close, reopen,
status, message) into a command for the add-in, and :class:`Session` carries the commands and the add-in's
answers. The add-in fetches the next command while it answers the last one (a long poll), performs it
through its host module (wps/js/host.js) and sends the answer back; ``status`` is the only command whose
answer nobody waits for. So a WPS button asks the same questions, saves, closes, runs the same job, reopens
and says the same things as the Excel button, word for word.

What the handlers read of the open workbook (the month to offer, 月结记录) is read from the saved file
(:func:`kaohe.jobs.live.saved_rows`): the add-in never ships a sheet's cells to the service.
"""
from __future__ import annotations

import queue
import secrets
import threading
import time
from pathlib import Path

from kaohe.doors.excelbook import Sharing
from kaohe.jobs import live


class HostGone(Exception):
    """The add-in stopped answering (WPS closed, the page reloaded): the session ends."""


class HostError(Exception):
    """WPS refused a command (e.g. the save failed); its own words."""


class Session:
    """One button press: the commands for the add-in (in order) and its answers.

    ``timeout``: how long a command waits for its answer (a person reading a prompt); a command not
    answered in time ends the session (:class:`HostGone`) and every later command is dropped.
    """

    def __init__(self, button: str, timeout: float):
        self.id = secrets.token_urlsafe(12)
        self.button, self.timeout = button, timeout
        self.started = time.monotonic()
        self.outbox: queue.Queue = queue.Queue()
        self.answers: dict[int, dict] = {}
        self.waiting: set[int] = set()
        self.cond = threading.Condition()
        self.seq = 0
        self.gone = False
        self.ended = threading.Event()

    def send(self, op: str, wait: bool = True, **args):
        """Queue a command; with ``wait``, its answer (or HostGone, HostError)."""
        if self.gone:
            raise HostGone(op)
        with self.cond:
            self.seq += 1
            seq = self.seq
            if wait:
                self.waiting.add(seq)
        self.outbox.put({"seq": seq, "op": op, **args})
        if not wait:
            return None
        with self.cond:
            answered = self.cond.wait_for(lambda: seq in self.answers, self.timeout)
            self.waiting.discard(seq)
            if not answered:
                self.gone = True
                raise HostGone(op)
            reply = self.answers.pop(seq)
        if reply.get("error"):
            raise HostError(str(reply["error"]))
        return reply.get("answer")

    def end(self) -> None:
        self.outbox.put({"seq": None, "op": "end"})
        self.ended.set()

    def exchange(self, seq, reply: dict, poll: float) -> dict:
        """The add-in's side: the answer to command ``seq`` (None: none), then the next command or ``wait``."""
        if seq is not None:
            with self.cond:
                if seq in self.waiting:
                    self.answers[seq] = reply
                    self.cond.notify_all()
        try:
            return self.outbox.get(timeout=poll)
        except queue.Empty:
            return {"seq": None, "op": "wait"}


class WpsBook:
    """A :class:`kaohe.doors.ribbon.LiveBook` whose workbook is open in WPS."""

    def __init__(self, session: Session, path: str, unsaved: bool):
        self.session, self.path, self._unsaved = session, Path(path), unsaved
        self.name = self.path.name
        self.rows = live.saved_rows(self.path)

    def sheet_names(self) -> list[str]:
        return live.saved_sheet_names(self.path)

    def sharing(self) -> Sharing:
        """WPS tells an add-in nothing of co-authoring or AutoSave: a local file, as far as kaohe can know."""
        return Sharing(autosave=False, others=(), cloud=False)

    def cancelled(self) -> bool:
        """No Esc watch in WPS: a job runs to its end (the page shows its progress)."""
        return False

    def done(self) -> None:
        self.status(None)

    def unsaved(self) -> bool:
        return self._unsaved

    def save(self) -> None:
        self.session.send("save")
        self._unsaved = False

    def active_sheet(self) -> str | None:
        answer = self.session.send("active_sheet")
        return str(answer) if answer else None

    def close(self) -> None:
        self.session.send("close")

    def reopen(self, sheet: str | None) -> None:
        self.session.send("reopen", path=str(self.path), sheet=sheet)

    def status(self, text: str | None) -> None:
        if not self.session.gone:
            self.session.send("status", wait=False, text=text)

    def message(self, text: str) -> None:
        if not self.session.gone:  # nobody to tell any more
            self.session.send("message", text=text)

    def ask(self, prompt: str, default: str) -> str | None:
        answer = self.session.send("ask", prompt=prompt, initial=default)
        return None if answer is None else str(answer)

    def confirm(self, prompt: str) -> bool:
        return bool(self.session.send("confirm", prompt=prompt))
