"""``kaohe serve``: the local service behind the WPS add-in (wps/, shipped as kaohe.wps).

WPS loads the add-in from this service (``<jspluginonline url="http://127.0.0.1:PORT/TOKEN/">`` in its
publish.xml), so the add-in's page and the API share one origin and no CORS is involved. The service:

- listens on 127.0.0.1 only (no option to listen anywhere else);
- refuses a ``Host`` header other than ``127.0.0.1:PORT`` / ``localhost:PORT`` (a rebound DNS name reaches
  the socket but not the service) and an ``Origin`` other than its own or one allowed with
  ``--allow-origin`` (the offline copy of the add-in under jsaddons/, whose page is a local file);
- serves the add-in's files only under ``/TOKEN/`` and injects the token into index.html; every API call
  carries it in ``X-Kaohe-Token``. The token is per user, in a file only that user may read
  (:func:`token_path`): on a shared UOS/Kylin desktop another local user can reach 127.0.0.1 and forge an
  Origin, but cannot read the token;
- acts only on an existing local .xlsx/.xlsm (by its absolute path, not a cloud or network path), one
  button per workbook at a time: a button's session holds the workbook's run lock
  (:func:`kaohe.jobs.live.run_lock`, the lock every job takes) from the press to the end, so a second press,
  a ``kaohe`` command or the Excel ribbon on the same workbook is refused meanwhile.

The buttons are the Excel ribbon's handlers (:mod:`kaohe.doors.ribbon`), run through
:class:`kaohe.doors.wpsbook.WpsBook`. **Decision:** the standard library's ThreadingHTTPServer, not a web
framework: kaohe installs offline from a wheelhouse on UOS/Kylin and Windows, the service has four routes
and a fixed list of files, binds to loopback only, and the checks that matter (token, Host, Origin, paths)
are kaohe's own in any framework.
"""
from __future__ import annotations

import errno
import hmac
import json
import os
import secrets
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from kaohe import __version__
from kaohe.doors import ribbon
from kaohe.doors.wpsbook import HostGone, Session, WpsBook
from kaohe.findings import InputRefused
from kaohe.jobs.live import run_lock

DEFAULT_PORT = 52577
TOKEN_HEADER = "X-Kaohe-Token"
MAX_BODY = 64 * 1024
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
FILE_TYPES = {".xml": "text/xml; charset=utf-8", ".html": "text/html; charset=utf-8",
              ".js": "text/javascript; charset=utf-8", ".svg": "image/svg+xml", ".css": "text/css; charset=utf-8"}
TOKEN_META, BASE_META = '<meta name="kaohe-token" content="">', '<meta name="kaohe-base" content="">'

NO_BOOK = "请先打开要处理的工作簿（已保存的 .xlsx 文件），再点此按钮。"
NOT_LOCAL = "kaohe 只处理本机磁盘上的工作簿：云文档或网络位置上的文件请先另存到本机（文件 → 另存为）。"
NOT_XLSX = "kaohe 只处理 .xlsx / .xlsm 工作簿：请另存为 Excel 工作簿（.xlsx）后再点此按钮。"
NO_FILE = "找不到工作簿文件 {}：请先保存。"
WPS_FUNCTIONS = ("WPS 中没有 kaohe 的单元格函数：计算结果都在 kaohe 写入的工作表里（每日明细、月度汇总、请假校验、问题清单……），"
                 "可以在自己的表中用公式引用，如 ='月度汇总'!M2。需要 =LATEFINE() 等函数时，请在 Excel 中使用 kaohe 加载项。")
BOOKLESS = ("kaohe_import_functions", "kaohe_help")  # buttons that only say something


def wps_help(book) -> str:
    lines = [line for line in ribbon.HELP.splitlines() if not line.startswith("单元格函数")]
    return "\n".join(lines + ["WPS 中没有单元格函数：结果在 kaohe 写入的工作表里。"])


WPS_BUTTONS = {**ribbon.BUTTONS, "kaohe_import_functions": lambda book: WPS_FUNCTIONS, "kaohe_help": wps_help}


def config_dir() -> Path:
    """kaohe's per-user settings folder (where mail.ini lives too)."""
    if os.name == "nt":
        return Path(os.environ.get("APPDATA", Path.home())) / "kaohe"
    return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "kaohe"


def token_path() -> Path:
    return config_dir() / "wps-token"


def private(path: Path) -> bool:
    """Readable by its owner only (POSIX); Windows keeps %APPDATA% per user."""
    if os.name != "posix":
        return True
    st = path.stat()
    return st.st_uid == os.getuid() and not st.st_mode & 0o077


def new_token() -> str:
    """A new token in :func:`token_path`, created readable by this user only."""
    path = token_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    token = secrets.token_urlsafe(32)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(token + "\n")
    os.replace(tmp, path)
    return token


def load_token(create: bool = True) -> str:
    """The user's token (a new one when there is none); refused when other users may read the file."""
    path = token_path()
    if not path.exists():
        if not create:
            raise InputRefused("还没有 kaohe 服务的令牌：请运行 kaohe wps install", "no token yet: run kaohe wps install")
        return new_token()
    if not private(path):
        raise InputRefused(f"令牌文件 {path} 其他用户也能读取：请运行 kaohe wps install 重新生成",
                           f"{path} is readable by other users: run kaohe wps install to make a new one")
    token = path.read_text(encoding="ascii").strip()
    if len(token) < 32:
        raise InputRefused(f"令牌文件 {path} 无效：请运行 kaohe wps install 重新生成", f"{path} holds no valid token")
    return token


# The add-in: kaohe/wps inside an installed wheel (pyproject maps the top-level wps/ there), the repository's
# top-level wps/ in a source checkout or an editable install (as kaohe.doors.addin finds macros/).
PACKAGE = Path(__file__).resolve().parents[1]
WPS_DIR = PACKAGE / "wps" if (PACKAGE / "wps").is_dir() else PACKAGE.parents[1] / "wps"


def addin_files() -> dict[str, bytes]:
    """The add-in's files, by their path under wps/ (the lint's tooling and anything else left out)."""
    return {p.relative_to(WPS_DIR).as_posix(): p.read_bytes() for p in sorted(WPS_DIR.rglob("*"))
            if p.is_file() and p.suffix in FILE_TYPES and "node_modules" not in p.parts}


def page(files: dict[str, bytes], token: str, base: str = "") -> bytes:
    """index.html with the token (and, for the offline copy, the service's address) filled in."""
    html = files["index.html"].decode("utf-8")
    assert TOKEN_META in html and BASE_META in html
    html = html.replace(TOKEN_META, f'<meta name="kaohe-token" content="{token}">')
    return html.replace(BASE_META, f'<meta name="kaohe-base" content="{base}">').encode("utf-8")


class Refused(Exception):
    def __init__(self, status: int, text: str):
        super().__init__(text)
        self.status, self.text = status, text


def local_workbook(text: str) -> Path:
    """The workbook a button may act on: an absolute path of an existing local .xlsx/.xlsm."""
    text = (text or "").strip()
    if "://" in text or text.startswith(("\\\\", "//")):
        raise Refused(400, NOT_LOCAL)
    path = Path(text)
    if not text or not path.is_absolute():  # WPS's name of a workbook never saved: 工作簿1
        raise Refused(400, ribbon.NEVER_SAVED if text else NO_BOOK)
    if path.suffix.lower() not in WORKBOOK_SUFFIXES:
        raise Refused(400, NOT_XLSX)
    if not path.is_file():
        raise Refused(400, NO_FILE.format(path.name))
    return path


class Service:
    """The sessions of the buttons pressed in WPS."""

    def __init__(self, token: str, buttons: dict | None = None, timeout: float = 1800.0, poll: float = 20.0):
        self.token, self.buttons = token, WPS_BUTTONS if buttons is None else buttons
        self.timeout, self.poll = timeout, poll
        self.sessions: dict[str, Session] = {}
        self.guard = threading.Lock()

    def press(self, button: str, path: str, unsaved: bool) -> Session:
        if button not in self.buttons:
            raise Refused(404, f"未知的按钮：{button}")
        book = path if button in BOOKLESS else str(local_workbook(path))
        session = Session(button, self.timeout)
        started, refused = threading.Event(), []  # type: tuple[threading.Event, list[str]]
        worker = threading.Thread(target=self._run, args=(session, WpsBook(session, book, unsaved), started, refused),
                                  name=f"kaohe-{button}", daemon=True)
        with self.guard:  # sessions whose add-in never fetched their end are forgotten after the timeout
            self.sessions = {k: s for k, s in self.sessions.items() if session.started - s.started < self.timeout}
            self.sessions[session.id] = session
        worker.start()
        started.wait()
        if refused:
            self.sessions.pop(session.id, None)
            raise Refused(409, refused[0])
        return session

    def _run(self, session: Session, book: WpsBook, started: threading.Event, refused: list) -> None:
        try:
            if session.button in BOOKLESS:
                started.set()
                ribbon.on_button(session.button, book, self.buttons)
                return
            with run_lock(book.path):
                started.set()
                ribbon.on_button(session.button, book, self.buttons)
        except InputRefused as exc:  # the run lock: another run holds the workbook
            refused.append(exc.zh)
        except HostGone:
            pass
        finally:
            started.set()
            session.end()

    def exchange(self, session_id: str, seq, reply: dict) -> dict:
        session = self.sessions.get(session_id)
        if session is None:
            raise Refused(404, "没有这个会话")
        command = session.exchange(seq, reply, self.poll)
        if command["op"] == "end":
            with self.guard:
                self.sessions.pop(session_id, None)
        return command


class Handler(BaseHTTPRequestHandler):
    server: KaoheServer
    server_version = "kaohe"
    sys_version = ""

    def do_GET(self):
        self.route("GET")

    def do_POST(self):
        self.route("POST")

    def do_OPTIONS(self):
        self.route("OPTIONS")

    def route(self, method: str) -> None:
        srv, origin = self.server, self.headers.get("Origin")
        path = urlsplit(self.path).path
        if self.headers.get("Host", "").lower() not in srv.hosts:
            self.reply(403, {"error": "Host"})
        elif origin is not None and origin not in srv.origins:
            self.reply(403, {"error": "Origin"})
        elif method == "OPTIONS":  # a preflight: only the allowed other origins (the offline copy) get one
            self.reply(204 if origin in srv.cross else 403, None)
        elif not path.startswith("/api/"):
            self.static(method, path)
        elif not hmac.compare_digest(self.headers.get(TOKEN_HEADER, "").encode(), srv.service.token.encode()):
            self.reply(401, {"error": "token"})
        else:
            try:
                self.api(method, path)
            except Refused as exc:
                self.reply(exc.status, {"error": exc.text})

    def static(self, method: str, path: str) -> None:
        prefix, _, name = path.lstrip("/").partition("/")
        name = name or "index.html"
        files = self.server.files
        if method != "GET" or not hmac.compare_digest(prefix.encode(), self.server.service.token.encode()) \
                or name not in files:
            self.reply(404, {"error": "not found"})
        else:
            self.send(200, self.server.page if name == "index.html" else files[name], FILE_TYPES[Path(name).suffix])

    def api(self, method: str, path: str) -> None:
        service = self.server.service
        if method == "GET" and path == "/api/ping":
            self.reply(200, {"kaohe": __version__})
            return
        body = self.body() if method == "POST" else None
        if body is None:
            self.reply(404, {"error": "not found"})
        elif path == "/api/press":
            session = service.press(str(body.get("button", "")), str(body.get("path") or ""), bool(body.get("unsaved")))
            self.reply(200, {"session": session.id})
        elif path.startswith("/api/sessions/"):
            reply = {"answer": body.get("answer"), "error": body.get("error")}
            self.reply(200, service.exchange(path.rsplit("/", 1)[1], body.get("seq"), reply))
        elif path == "/api/stop":  # kaohe wps uninstall
            self.reply(200, {"stopped": True})
            threading.Thread(target=self.server.shutdown, daemon=True).start()
        else:
            self.reply(404, {"error": "not found"})

    def body(self) -> dict:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            raise Refused(413, "请求过大")
        try:
            data = json.loads(self.rfile.read(length) or b"{}")
        except ValueError:
            raise Refused(400, "请求不是 JSON") from None
        if not isinstance(data, dict):
            raise Refused(400, "请求不是 JSON 对象")
        return data

    def reply(self, status: int, data) -> None:
        body = b"" if data is None else json.dumps(data, ensure_ascii=False).encode("utf-8")
        self.send(status, body, "application/json; charset=utf-8")

    def send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        origin = self.headers.get("Origin")
        if origin is not None and origin in self.server.cross:  # the offline copy's page (a local file) calling the API
            self.send_header("Access-Control-Allow-Origin", origin)
            self.send_header("Access-Control-Allow-Methods", "GET, POST")
            self.send_header("Access-Control-Allow-Headers", f"Content-Type, {TOKEN_HEADER}")
            self.send_header("Vary", "Origin")
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format, *args):
        pass  # request lines carry the token in their path: nothing is logged


class KaoheServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int, service: Service, allow_origins=()):
        super().__init__(("127.0.0.1", port), Handler)
        self.service = service
        port = self.server_address[1]
        self.hosts = {f"127.0.0.1:{port}", f"localhost:{port}"}
        self.cross = set(allow_origins)
        self.origins = {f"http://127.0.0.1:{port}", f"http://localhost:{port}"} | self.cross
        self.files = addin_files()
        self.page = page(self.files, service.token)

    @property
    def port(self) -> int:
        return self.server_address[1]


def make_server(port: int = DEFAULT_PORT, allow_origins=(), service: Service | None = None) -> KaoheServer:
    try:
        return KaoheServer(port, service or Service(load_token()), allow_origins)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise InputRefused(f"端口 {port} 已被占用：kaohe 服务可能已经在运行（或换一个端口：kaohe serve --port N）",
                               f"port {port} is in use: kaohe serve may be running already") from None
        raise


def serve(port: int = DEFAULT_PORT, allow_origins=()) -> None:
    """Run the service until stopped (Ctrl+C, or ``kaohe wps uninstall``)."""
    server = make_server(port, allow_origins)
    print(f"kaohe 服务已启动：http://127.0.0.1:{server.port}/（WPS 加载项从这里加载；按 Ctrl+C 停止） / "
          f"kaohe serve listening on 127.0.0.1:{server.port}", flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()
