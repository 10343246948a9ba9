"""The 考勤绩效 tab in WPS 表格: kaohe serve, the add-in's JavaScript in a real browser, kaohe wps install.

The add-in (wps/) runs in headless Chromium (tests/cdp.py) against a stand-in for WPS shaped after Kingsoft's
type declarations (tests/data/wps_fake.js), loaded from a real ``kaohe serve`` as WPS loads it. The stand-in keeps
an owner file ``~$name`` beside a workbook while it is "open" (through a small disk server of this test), so a
button that writes can only succeed if the add-in closed the workbook first.
"""
import http.client
import json
import os
import shlex
import socket
import stat
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import openpyxl
import pytest
import python_calamine
from aiosmtpd.controller import Controller
from cdp import Browser
from lxml import etree
from test_ribbon import attendance, kpi_book, review_book

from kaohe.doors import ribbon, serve, wps
from kaohe.doors.cli import build_parser
from kaohe.findings import InputRefused
from kaohe.workbook.lock import run_lock

ROOT = Path(__file__).resolve().parents[2]
ADDIN = ROOT / "wps"
FAKE = (ROOT / "tests" / "data" / "wps_fake.js").read_text(encoding="utf-8")
ESLINT = ROOT / "scripts" / "eslint"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def env_for(home: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "KAOHE_"))}
    return {**env, "HOME": str(home), "PYTHONPATH": str(ROOT / "addin"), **extra}


class Running:
    """A ``kaohe serve`` process under a scratch home."""

    def __init__(self, home: Path, *args: str, **env):
        self.home = home
        self.proc = subprocess.Popen([sys.executable, "-m", "kaohe.doors.cli", "serve", *args], env=env_for(home, **env),
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        assert "kaohe 服务已启动" in line, line + self.proc.stderr.read()
        self.port = int(line.split("127.0.0.1:")[1].split("/")[0])
        self.token = (home / ".config" / "kaohe" / "wps-token").read_text().strip()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/{self.token}/index.html"

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)


def request(port, method, path, body=None, token=None, host=None, origin=None):
    """One HTTP request to 127.0.0.1:port with chosen headers: (status, headers, JSON or bytes)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Host": host or f"127.0.0.1:{port}"}
    if token:
        headers[serve.TOKEN_HEADER] = token
    if origin:
        headers["Origin"] = origin
    data = json.dumps(body).encode() if body is not None else None
    conn.request(method, path, body=data, headers=headers)
    reply = conn.getresponse()
    raw = reply.read()
    conn.close()
    try:
        return reply.status, dict(reply.getheaders()), json.loads(raw)
    except ValueError:
        return reply.status, dict(reply.getheaders()), raw


class DiskHandler(BaseHTTPRequestHandler):
    """The stand-in's disk: /open makes the owner file ~$name beside the workbook, /close removes it."""

    on_close = None  # what else happens when a workbook is closed (a test stops the service then)

    def do_POST(self):
        path = Path(self.rfile.read(int(self.headers["Content-Length"])).decode("utf-8"))
        owner = path.with_name("~$" + path.name)
        if self.path == "/open" and path.is_absolute():
            owner.write_bytes(b"\x07WPS user")
        elif self.path == "/close":
            owner.unlink(missing_ok=True)
            if DiskHandler.on_close:
                DiskHandler.on_close()
        self.send_response(204)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.end_headers()

    def log_message(self, *args):
        pass


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture(scope="module")
def disk():
    server = ThreadingHTTPServer(("127.0.0.1", 0), DiskHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def inbox():
    box = Inbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield box, controller.port
    controller.stop()


@pytest.fixture(scope="module")
def service(tmp_path_factory, inbox):
    running = Running(tmp_path_factory.mktemp("home"), "--port", "0", KAOHE_SMTP_HOST="127.0.0.1",
                      KAOHE_SMTP_PORT=str(inbox[1]), KAOHE_SMTP_SECURITY="none", KAOHE_MAIL_FROM="hr@example.com",
                      KAOHE_MAIL_TO="fin@example.com")
    yield running
    running.stop()


@pytest.fixture(scope="module")
def browser():
    b = Browser()
    yield b
    b.close()


@pytest.fixture
def page(browser, service, disk):
    p = browser.new_page()
    p.load(service.url, before=FAKE + f"\nwindow.fakeWps.disk = {json.dumps(disk)};")
    yield p
    p.close()


def sheets_of(path: Path) -> list[str]:
    return python_calamine.CalamineWorkbook.from_path(str(path)).sheet_names


def start(page, path, active=None, saved=True, full_name=None):
    """The user has ``path`` open in WPS, at sheet ``active``."""
    spec = {"sheets": sheets_of(path), "active": active, "saved": saved}
    if full_name is not None:
        spec["path"] = ""
    page.evaluate(f"fakeWps.start({json.dumps(full_name or str(path))}, {json.dumps(spec)}) && true")


def press(page, button, answers=(), confirms=()):
    """Click a button as WPS does (its onAction, synchronously) and wait until kaohe is done: the log."""
    page.evaluate(f"fakeWps.answers = {json.dumps(list(answers))}; fakeWps.confirms = {json.dumps(list(confirms))}; true")
    assert page.evaluate(f"KaoheButton({{Id: {json.dumps(button)}}})") is True  # returned at once
    page.wait_for("kaoheRun === null")
    return page.evaluate("fakeWps.log")


def kinds(log):
    return [k for k, _ in log if k != "status"]


def messages(log):
    return [d for k, d in log if k == "message"]


def job_ran_while_closed(log):
    """The job's progress (kaohe：…) came after the close and before the workbook was opened again."""
    order = [k if k != "status" else ("job" if d and str(d).startswith("kaohe：") else "status") for k, d in log]
    close, reopen = order.index("close"), len(order) - 1 - order[::-1].index("open")
    return close < order.index("job") < reopen


# --- the buttons, in a browser, against a real kaohe serve ------------------------------------------

def test_compute_month_saves_closes_runs_and_reopens_at_the_same_sheet(page, tmp_path):
    path = attendance(tmp_path)
    start(page, path, active="打卡记录")
    log = press(page, "kaohe_compute_month")  # the month offered is the saved file's latest punch month
    assert [d for k, d in log if k == "ask"] == [["计算哪个月？（如 2026-11）", "考勤绩效", "2026-11"]]
    assert kinds(log) == ["open", "ask", "close", "open", "activate", "message"]
    assert job_ran_while_closed(log) and log[-1] == ["status", False]
    (msg,) = messages(log)
    assert "已写入：每日明细、月度汇总、请假校验、问题清单" in msg and "罚款 20.00 元" in msg, msg
    assert ["activate", "打卡记录"] in log and (tmp_path / "~$考勤.xlsx").exists()  # open again in "WPS"
    summary = {r[0]: r for r in openpyxl.load_workbook(path)["月度汇总"].iter_rows(min_row=2, values_only=True)}
    assert summary["001"][7] == 20  # 迟到早退罚款: one late arrival of 11 minutes (ATT-04)
    assert page.evaluate("Application.ActiveWorkbook.FullName") == str(path)


def test_unsaved_changes_are_saved_after_asking_then_leave_is_checked(page, tmp_path):
    path = attendance(tmp_path)
    start(page, path, saved=False)
    log = press(page, "kaohe_check_leave", confirms=[True])
    assert kinds(log) == ["open", "confirm", "save", "close", "open", "activate", "message"]
    assert messages(log)[0].startswith("已写入：请假校验、问题清单")
    rows = list(openpyxl.load_workbook(path)["请假校验"].iter_rows(min_row=2, values_only=True))
    assert rows[0][7] == "不通过"  # 待审批 (LV-01)


@pytest.mark.parametrize("button,make,answer,sheet", [("kaohe_kpi", kpi_book, "2026-11", "KPI评分_2026-11"),
                                                      ("kaohe_review", review_book, "2026Q4", "季度考核_2026Q4")])
def test_kpi_and_review_buttons(page, tmp_path, button, make, answer, sheet):
    path = make(tmp_path)
    start(page, path)
    log = press(page, button, answers=[answer])
    assert kinds(log) == ["open", "ask", "close", "open", "activate", "message"] and job_ran_while_closed(log)
    assert sheet in messages(log)[0] and sheet in openpyxl.load_workbook(path).sheetnames


def test_close_finance_send_and_slips_on_a_computed_month(page, tmp_path, inbox):
    path = attendance(tmp_path)
    start(page, path)
    log = press(page, "kaohe_close", answers=["2026-11", "王会计"])
    assert "2026-11 已月结（确认人 王会计）" in messages(log)[-1]
    log_rows = list(openpyxl.load_workbook(path)["月结记录"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[1], r[2]) for r in log_rows] == [("2026-11", "月结", "王会计")]
    before = len(page.evaluate("fakeWps.log"))
    log = press(page, "kaohe_finance", answers=["2026-11"])[before:]
    # the export is recorded in the workbook (财务发送记录): closed, written, reopened, as every writing button
    assert kinds(log) == ["ask", "close", "open", "activate", "message"] and job_ran_while_closed(log)
    assert "已导出：" in messages(log)[0] and (tmp_path / "财务汇总_2026-11.xlsx").exists()
    log = press(page, "kaohe_send", answers=[""])[before + len(log):]
    assert messages(log) == ["已发送 财务汇总_2026-11.xlsx 给 fin@example.com。"]  # a closed month: no question
    assert inbox[0].messages[-1].rcpt_tos == ["fin@example.com"]
    log = press(page, "kaohe_slips", answers=["2026-11"])
    assert "个人考勤确认单_2026-11.xlsx" in messages(log)[-1] and "员工 1 人，共 1 页" in messages(log)[-1]
    assert (tmp_path / "个人考勤确认单_2026-11.pdf").exists()  # LibreOffice, as on an HR desktop that has it


def test_an_error_reaches_the_user_in_chinese_before_the_workbook_is_touched(page, tmp_path):
    start(page, attendance(tmp_path))
    log = press(page, "kaohe_kpi", answers=["2026-11"])  # an attendance workbook has no KPI数据
    assert kinds(log) == ["open", "message"]  # refused before anything is asked, saved or closed
    assert messages(log)[0].startswith("无法完成：") and "KPI数据" in messages(log)[0]


def test_a_bad_month_and_a_cancel_change_nothing(page, tmp_path):
    path = attendance(tmp_path)
    before = path.read_bytes()
    start(page, path)
    log = press(page, "kaohe_compute_month", answers=["十一月"])
    assert messages(log) == ["无法完成：月份无法识别：“十一月”，请写成 2026-11、2026/11、2026年11月 或 202611"]
    log = press(page, "kaohe_compute_month", answers=[False])  # InputBox's Cancel
    assert kinds(log) == ["open", "ask", "message", "ask"] and path.read_bytes() == before


def test_a_workbook_never_saved_and_no_workbook_are_refused(page, tmp_path):
    log = press(page, "kaohe_compute_month")
    assert messages(log) == [serve.NO_BOOK]
    start(page, attendance(tmp_path), full_name="工作簿1")
    log = press(page, "kaohe_compute_month")
    assert messages(log)[-1] == ribbon.NEVER_SAVED and "close" not in kinds(log)


def test_help_and_functions_say_what_wps_has(page):
    log = press(page, "kaohe_help")
    assert "问题清单" in messages(log)[0] and "WPS 中没有单元格函数" in messages(log)[0]
    assert "=LATEFINE()" not in messages(log)[0]
    log = press(page, "kaohe_import_functions")
    assert messages(log)[-1] == serve.WPS_FUNCTIONS


def test_every_callback_ribbon_xml_names_is_a_global_function_of_the_page(page):
    ui = (ADDIN / "ribbon.xml").read_text(encoding="utf-8")
    root = etree.fromstring(ui.encode())
    names = {v for el in root.iter() for n, v in el.attrib.items() if n in ("onLoad", "onAction", "getImage")}
    assert names == {"KaoheLoad", "KaoheButton", "KaoheImage"}
    for name in names:
        assert page.evaluate(f"typeof window[{json.dumps(name)}]") == "function", name


def test_a_service_gone_in_the_middle_reopens_the_workbook_and_says_so(browser, tmp_path, disk):
    running = Running(tmp_path / "home", "--port", "0")
    p = browser.new_page()
    p.load(running.url, before=FAKE + f"\nwindow.fakeWps.disk = {json.dumps(disk)};")
    path = attendance(tmp_path)
    start(p, path)
    DiskHandler.on_close = lambda: (running.proc.kill(), running.proc.wait())
    try:
        log = press(p, "kaohe_compute_month")
    finally:
        DiskHandler.on_close = None
        p.close()
    assert kinds(log) == ["open", "ask", "close", "open", "message"]
    assert messages(log)[0].startswith("与 kaohe 服务的连接中断") and (tmp_path / "~$考勤.xlsx").exists()
    assert "月度汇总" not in sheets_of(path)  # the job never ran


def test_a_stopped_service_is_reported_with_how_to_start_it(browser, tmp_path, disk):
    running = Running(tmp_path / "home", "--port", "0")
    p = browser.new_page()
    p.load(running.url, before=FAKE + f"\nwindow.fakeWps.disk = {json.dumps(disk)};")
    start(p, attendance(tmp_path))
    running.stop()
    log = press(p, "kaohe_compute_month")
    p.close()
    assert kinds(log) == ["open", "message"]
    assert "kaohe 服务没有运行" in messages(log)[0] and "kaohe serve" in messages(log)[0]


# --- the service's own checks ------------------------------------------------------------------------

def test_every_request_needs_the_token_the_right_host_and_origin(service):
    port, token = service.port, service.token
    assert request(port, "GET", "/api/ping")[0] == 401
    assert request(port, "GET", "/api/ping", token="x" * 43)[0] == 401
    assert request(port, "GET", "/api/ping", token=token)[2] == {"kaohe": "0.1.0"}
    assert request(port, "GET", "/api/ping", token=token, host=f"localhost:{port}")[0] == 200
    # a DNS name rebound to 127.0.0.1 reaches the socket, not the service
    assert request(port, "GET", "/api/ping", token=token, host=f"kaohe.example.com:{port}")[0] == 403
    assert request(port, "GET", f"/{token}/index.html", host=f"kaohe.example.com:{port}")[0] == 403
    # a page of another origin: refused even with the token, and no preflight for it
    assert request(port, "GET", "/api/ping", token=token, origin="http://kaohe.example.com")[0] == 403
    status, headers, _ = request(port, "OPTIONS", "/api/press", origin="http://kaohe.example.com")
    assert status == 403 and "Access-Control-Allow-Origin" not in headers
    assert request(port, "GET", "/api/ping", token=token, origin=f"http://127.0.0.1:{port}")[0] == 200


def test_the_add_in_is_served_only_under_the_token_with_the_token_in_its_page(service):
    port, token = service.port, service.token
    status, headers, body = request(port, "GET", f"/{token}/index.html")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert f'<meta name="kaohe-token" content="{token}">'.encode() in body
    assert request(port, "GET", f"/{token}/")[2] == body  # WPS asks for the add-in's folder
    status, headers, ribbon_xml = request(port, "GET", f"/{token}/ribbon.xml")
    assert status == 200 and ribbon_xml == (ADDIN / "ribbon.xml").read_bytes()
    for path in ("/index.html", "/ribbon.xml", f"/{'x' * len(token)}/index.html", f"/{token}/../pyproject.toml",
                 f"/{token}/../../addin/kaohe/doors/serve.py", f"/{token}/nothing.js"):
        assert request(port, "GET", path)[0] == 404, path


@pytest.mark.parametrize("path,refusal", [
    ("", serve.NO_BOOK), ("工作簿1", ribbon.NEVER_SAVED), ("/etc/passwd", serve.NOT_XLSX),
    ("https://drive.example.com/d/考勤.xlsx", serve.NOT_LOCAL), ("\\\\fileserver\\hr\\考勤.xlsx", serve.NOT_LOCAL),
    ("//fileserver/hr/考勤.xlsx", serve.NOT_LOCAL), ("/nowhere/考勤.xlsx", serve.NO_FILE.format("考勤.xlsx"))])
def test_only_existing_local_workbooks(service, path, refusal):
    status, _, body = request(service.port, "POST", "/api/press", {"button": "kaohe_compute_month", "path": path},
                              token=service.token)
    assert (status, body) == (400, {"error": refusal})


def test_an_unknown_button_and_a_bad_body(service):
    assert request(service.port, "POST", "/api/press", {"button": "rm"}, token=service.token)[:3:2] == (
        404, {"error": "未知的按钮：rm"})
    conn = http.client.HTTPConnection("127.0.0.1", service.port, timeout=30)
    conn.request("POST", "/api/press", body=b"[1]", headers={serve.TOKEN_HEADER: service.token})
    assert conn.getresponse().status == 400


def exchange(port, token, session, seq=None, answer=None):
    return request(port, "POST", f"/api/sessions/{session}", {"seq": seq, "answer": answer}, token=token)[2]


def drain(port, token, session) -> list[dict]:
    """Play the add-in: answer every command with nothing until the end; the commands."""
    commands, seq = [], None
    while True:
        command = exchange(port, token, session, seq, None)
        if command["op"] == "end":
            return commands
        if command["op"] != "wait":
            commands.append(command)
        seq = command["seq"]


def test_one_button_per_workbook_at_a_time(service, tmp_path):
    """A pressed button holds the workbook's run lock until it ends: a second press, a kaohe command, refused."""
    port, token = service.port, service.token
    path = attendance(tmp_path)
    status, _, first = request(port, "POST", "/api/press", {"button": "kaohe_compute_month", "path": str(path)}, token=token)
    assert status == 200
    command = exchange(port, token, first["session"])
    assert command["op"] == "ask" and command["initial"] == "2026-11"  # waiting for the month
    status, _, body = request(port, "POST", "/api/press", {"button": "kaohe_check_leave", "path": str(path)}, token=token)
    assert status == 409 and body["error"].startswith("另一个 kaohe 正在处理此工作簿"), body
    cli = subprocess.run([sys.executable, "-m", "kaohe.doors.cli", "check-leave", str(path)], env=env_for(tmp_path),
                         capture_output=True, text=True)
    assert cli.returncode == 2 and "另一个 kaohe 正在处理此工作簿" in cli.stderr
    (tmp_path / "other").mkdir()
    other = attendance(tmp_path / "other")  # another workbook is not held
    status, _, second = request(port, "POST", "/api/press", {"button": "kaohe_check_leave", "path": str(other)}, token=token)
    said = [c["text"] for c in drain(port, token, second["session"]) if c["op"] == "message"]
    assert status == 200 and said[0].startswith("已写入：请假校验"), said
    assert exchange(port, token, first["session"], command["seq"], None)["op"] == "status"  # Cancel
    drain(port, token, first["session"])
    status, _, again = request(port, "POST", "/api/press", {"button": "kaohe_check_leave", "path": str(path)}, token=token)
    assert status == 200  # free again
    assert [c["op"] for c in drain(port, token, again["session"]) if c["op"] != "status"] == [
        "active_sheet", "close", "reopen", "message"]


def test_a_workbook_held_by_another_kaohe_process_is_refused(service, tmp_path):
    path = attendance(tmp_path)
    holder = subprocess.Popen([sys.executable, "-c", "import sys\nfrom kaohe.workbook.lock import run_lock\n"
                               "with run_lock(sys.argv[1]):\n    print('locked', flush=True)\n    sys.stdin.readline()\n",
                               str(path)], env=env_for(tmp_path), stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        status, _, body = request(service.port, "POST", "/api/press", {"button": "kaohe_compute_month", "path": str(path)},
                                  token=service.token)
        assert status == 409 and f"（进程 {holder.pid}）" in body["error"]
    finally:
        holder.communicate("\n", timeout=30)


def test_it_listens_on_127_0_0_1_only(service):
    listening = []
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        if state == "0A" and int(local.split(":")[1], 16) == service.port:  # LISTEN
            listening.append(local.split(":")[0])
    assert listening == ["0100007F"]  # 127.0.0.1, little-endian
    assert not [a for a in build_parser()._subparsers._group_actions[0].choices["serve"]._actions
                if "--host" in a.option_strings or "--bind" in a.option_strings]


def test_the_token_file_is_the_users_alone(service, tmp_path):
    token_file = service.home / ".config" / "kaohe" / "wps-token"
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(token_file.parent.stat().st_mode) == 0o700
    home = tmp_path / "loose"
    (home / ".config" / "kaohe").mkdir(parents=True)
    loose = home / ".config" / "kaohe" / "wps-token"
    loose.write_text("y" * 43)
    loose.chmod(0o644)
    run = subprocess.run([sys.executable, "-m", "kaohe.doors.cli", "serve", "--port", "0"], env=env_for(home),
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and "其他用户也能读取" in run.stderr and "kaohe wps install" in run.stderr


def test_a_port_in_use_is_said_as_such(service, tmp_path):
    run = subprocess.run([sys.executable, "-m", "kaohe.doors.cli", "serve", "--port", str(service.port)],
                         env=env_for(service.home), capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and f"端口 {service.port} 已被占用" in run.stderr


def test_the_run_lock_refuses_another_thread_and_lets_its_holder_in_again(tmp_path):
    book = tmp_path / "b.xlsx"
    lock = tmp_path / ".~kaohe.b.xlsx.lock"
    refused = []

    def other():
        try:
            with run_lock(book):
                pass
        except Exception as exc:
            refused.append(exc.zh)
    with run_lock(book):
        with run_lock(book):  # the same thread: a button's session around its job
            assert lock.exists()
        assert lock.exists()  # the inner run does not remove the outer one's lock
        t = threading.Thread(target=other)
        t.start()
        t.join()
    assert refused == [f"另一个 kaohe 正在处理此工作簿（进程 {os.getpid()}），请稍后再试"]
    assert not lock.exists()
    t = threading.Thread(target=other)
    t.start()
    t.join()
    assert len(refused) == 1  # free again, for any thread


# --- kaohe wps install / uninstall -------------------------------------------------------------------

# publish.xml as Kingsoft's tools write it (xml2js, with the declaration), holding two other add-ins and an old kaohe.
PUBLISH = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<jsplugins>\n'
           '  <jspluginonline name="oa-assist" type="wps" url="http://oa.example.com/addin/" debug="" enable="enable_dev" '
           'install="null" customDomain=""/>\n'
           '  <jsplugin name="dingmi" type="et" url="dingmi_1.2.0" version="1.2.0" enable="enable_dev" install="null"/>\n'
           '  <jspluginonline name="kaohe" type="et" url="http://127.0.0.1:1/old/" enable="enable_dev" install="null"/>\n'
           '</jsplugins>\n')


def kaohe_cli(home: Path, *args: str, path_prefix: str = "") -> subprocess.CompletedProcess:
    env = env_for(home)
    if path_prefix:
        env["PATH"] = path_prefix + os.pathsep + env["PATH"]
    return subprocess.run([sys.executable, "-m", "kaohe.doors.cli", *args], env=env, capture_output=True, text=True,
                          timeout=120)


def entries(publish: Path) -> list[tuple[str, dict]]:
    return [(el.tag, dict(el.attrib)) for el in etree.parse(str(publish)).getroot()]


def others(publish: Path) -> list[tuple[str, dict]]:
    return [e for e in entries(publish) if e[1].get("name") != "kaohe"]


def test_install_merges_kaohe_into_publish_xml_and_keeps_every_other_add_in(tmp_path):
    home, port = tmp_path / "home", free_port()
    jsaddons = home / ".local" / "share" / "Kingsoft" / "wps" / "jsaddons"
    jsaddons.mkdir(parents=True)
    (jsaddons / "publish.xml").write_text(PUBLISH, encoding="utf-8")
    before = others(jsaddons / "publish.xml")
    run = kaohe_cli(home, "wps", "install", "--port", str(port), "--autostart", "xdg", "--no-start")
    assert run.returncode == 0, run.stderr
    assert "quickstartoffice restart" in run.stdout and "其他加载项保留" in run.stdout
    token = (home / ".config" / "kaohe" / "wps-token").read_text().strip()
    publish = jsaddons / "publish.xml"
    assert others(publish) == before  # the same entries, the same attributes, in the same order
    assert [e for e in entries(publish) if e[1]["name"] == "kaohe"] == [("jspluginonline", {
        "name": "kaohe", "type": "et", "url": f"http://127.0.0.1:{port}/{token}/", "debug": "", "enable": "enable_dev",
        "install": "null", "customDomain": ""})]
    (backup,) = jsaddons.glob("publish.xml.bak-*")
    assert backup.read_text(encoding="utf-8") == PUBLISH
    # the URL holds the token: publish.xml, its backup and the folder are the user's alone
    assert {stat.S_IMODE(p.stat().st_mode) for p in (publish, backup)} == {0o600}
    assert stat.S_IMODE(jsaddons.stat().st_mode) == 0o700
    exec_line = next(line for line in (home / ".config" / "autostart" / "kaohe-serve.desktop").read_text().splitlines()
                     if line.startswith("Exec="))
    assert shlex.split(exec_line[5:]) == [sys.executable, "-m", "kaohe.doors.cli", "serve", "--port", str(port)]

    assert kaohe_cli(home, "wps", "install", "--port", str(port), "--autostart", "xdg", "--no-start").returncode == 0
    assert [e[1]["name"] for e in entries(publish)] == ["oa-assist", "dingmi", "kaohe"]  # once, however often

    run = kaohe_cli(home, "wps", "uninstall")
    assert run.returncode == 0, run.stderr
    assert entries(publish) == before and len(list(jsaddons.glob("publish.xml.bak-*"))) == 3
    assert not (home / ".config" / "autostart" / "kaohe-serve.desktop").exists()
    assert not (home / ".config" / "kaohe" / "wps-token").exists() and not (home / ".config" / "kaohe" / "wps.json").exists()


def test_install_into_a_home_where_wps_never_ran_and_a_broken_publish_xml(tmp_path):
    home = tmp_path / "home"
    run = kaohe_cli(home, "wps", "install", "--autostart", "none")
    assert run.returncode == 0 and "没有找到 WPS" in run.stdout
    publish = home / ".local" / "share" / "Kingsoft" / "wps" / "jsaddons" / "publish.xml"
    assert [e[1]["name"] for e in entries(publish)] == ["kaohe"]
    publish.write_text("<jsplugins><jsplugin name='x'></jsplugins>", encoding="utf-8")
    run = kaohe_cli(home, "wps", "install", "--autostart", "none")
    assert run.returncode == 2 and "不是有效的 XML，未作改动" in run.stderr
    assert publish.read_text(encoding="utf-8") == "<jsplugins><jsplugin name='x'></jsplugins>"


def test_systemd_user_unit_where_the_users_systemd_answers(tmp_path):
    home, port = tmp_path / "home", free_port()
    bin_dir, calls = tmp_path / "bin", tmp_path / "systemctl.log"
    bin_dir.mkdir()
    fake = bin_dir / "systemctl"  # answers as a running user manager does, and notes what it was asked
    fake.write_text(f'#!/bin/sh\necho "$@" >> {shlex.quote(str(calls))}\nexit 0\n')
    fake.chmod(0o755)
    run = kaohe_cli(home, "wps", "install", "--port", str(port), "--no-start", path_prefix=str(bin_dir))
    assert run.returncode == 0, run.stderr
    unit = home / ".config" / "systemd" / "user" / "kaohe-serve.service"
    exec_start = next(line for line in unit.read_text().splitlines() if line.startswith("ExecStart="))
    assert shlex.split(exec_start[10:]) == [sys.executable, "-m", "kaohe.doors.cli", "serve", "--port", str(port)]
    assert "WantedBy=default.target" in unit.read_text()
    assert calls.read_text().splitlines() == ["--user show-environment", "--user daemon-reload",
                                              "--user enable kaohe-serve.service"]
    assert kaohe_cli(home, "wps", "uninstall", path_prefix=str(bin_dir)).returncode == 0
    assert calls.read_text().splitlines()[3:] == ["--user disable --now kaohe-serve.service", "--user daemon-reload"]
    assert not unit.exists()


def test_install_starts_the_service_and_uninstall_stops_it(tmp_path):
    home, port = tmp_path / "home", free_port()
    run = kaohe_cli(home, "wps", "install", "--port", str(port), "--autostart", "xdg")
    assert run.returncode == 0, run.stderr
    token = (home / ".config" / "kaohe" / "wps-token").read_text().strip()
    try:
        end = time.monotonic() + 60
        while time.monotonic() < end:
            try:
                if request(port, "GET", "/api/ping", token=token)[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        assert request(port, "GET", "/api/ping", token=token)[0] == 200
        run = kaohe_cli(home, "wps", "uninstall")
        assert run.returncode == 0 and "已停止 kaohe 服务" in run.stdout, run.stdout + run.stderr
        time.sleep(0.5)
        with pytest.raises(OSError):
            request(port, "GET", "/api/ping", token=token)
    finally:
        try:
            request(port, "POST", "/api/stop", {}, token=token)
        except OSError:
            pass


def test_the_offline_copy_calls_the_service_with_cors_and_the_token(tmp_path, browser, disk):
    home, port = tmp_path / "home", free_port()
    run = kaohe_cli(home, "wps", "install", "--offline", "--port", str(port), "--autostart", "none")
    assert run.returncode == 0, run.stderr
    jsaddons = home / ".local" / "share" / "Kingsoft" / "wps" / "jsaddons"
    assert [e for e in entries(jsaddons / "publish.xml")] == [("jsplugin", {
        "name": "kaohe", "type": "et", "url": "kaohe_0.1.0", "version": "0.1.0", "enable": "enable_dev",
        "install": "null", "customDomain": ""})]
    copy = jsaddons / "kaohe_0.1.0"
    assert {p.relative_to(copy).as_posix() for p in copy.rglob("*") if p.is_file()} == set(serve.addin_files())
    assert stat.S_IMODE((copy / "index.html").stat().st_mode) == 0o600
    running = Running(home, "--port", str(port), "--allow-origin", "null")
    try:
        status, headers, _ = request(port, "OPTIONS", "/api/press", origin="null")
        assert status == 204 and headers["Access-Control-Allow-Origin"] == "null"
        assert request(port, "GET", "/api/ping", origin="null")[0] == 401  # still the token
        p = browser.new_page()
        p.load(copy.joinpath("index.html").as_uri(), before=FAKE + f"\nwindow.fakeWps.disk = {json.dumps(disk)};")
        log = press(p, "kaohe_help")  # a page loaded from a file: Origin null, a preflight, then the API
        p.close()
        assert "问题清单" in messages(log)[0]
    finally:
        running.stop()
    assert kaohe_cli(home, "wps", "uninstall").returncode == 0 and not copy.exists()


# --- the add-in's files --------------------------------------------------------------------------------

def buttons(path: Path) -> list[tuple]:
    root = etree.parse(str(path)).getroot()
    ns = {"c": "http://schemas.microsoft.com/office/2006/01/customui"}
    return [(b.getparent().get("id"), b.getparent().get("label"), b.get("id"), b.get("label"), b.get("size"),
             b.get("screentip"), b.get("onAction")) for b in root.iterfind(".//c:button", ns)]


def test_the_wps_tab_has_the_excel_ribbons_buttons():
    ribbon_xml = ADDIN / "ribbon.xml"
    assert not ribbon_xml.read_bytes().lstrip(b"\xef\xbb\xbf").startswith(b"<?xml")  # WPS wants none
    schema = etree.XMLSchema(etree.parse(str(ROOT / "tests" / "data" / "customUI.lax.xsd")))
    assert schema.validate(etree.parse(str(ribbon_xml))), schema.error_log
    excel = [b[:6] for b in buttons(ROOT / "macros" / "customUI.xml")]
    assert [b[:6] for b in buttons(ribbon_xml)] == excel and len(excel) == 10
    assert {b[6] for b in buttons(ribbon_xml)} == {"KaoheButton"}
    assert {b[2] for b in buttons(ribbon_xml)} == set(ribbon.BUTTONS) == set(serve.WPS_BUTTONS)


def test_the_add_in_ships_in_the_package():
    """Every file kaohe serve serves is in pyproject's package data of kaohe.wps (setuptools' glob, from wps/)."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    assert project["package-dir"]["kaohe.wps"] == "wps"
    shipped = {p.relative_to(ADDIN).as_posix() for pattern in project["package-data"]["kaohe.wps"]
               for p in ADDIN.glob(pattern)}
    assert shipped == set(serve.addin_files()) and {"index.html", "ribbon.xml", "main.js", "js/host.js"} <= shipped
    assert '"kaohe.wps"' in (ROOT / "setup.py").read_text(encoding="utf-8")
    assert build_parser().parse_args(["serve"]).port == serve.DEFAULT_PORT


def eslint() -> Path:
    """ESLint in scripts/eslint/node_modules, installed there from its lock file when missing (.ci/run does too)."""
    binary = ESLINT / "node_modules" / ".bin" / "eslint"
    if not binary.exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--prefix", str(ESLINT)], check=True, timeout=600,
                       capture_output=True)
    return binary


def test_the_add_ins_javascript_is_ecmascript_5():
    run = subprocess.run([str(eslint()), "-c", str(ESLINT / "eslint.config.cjs"), "--max-warnings", "0", "wps"],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert (ESLINT / "package-lock.json").exists()


@pytest.mark.parametrize("source,rule", [("var f = () => 1;\n", "Parsing error"),
                                         ("var a = [1].includes(1);\n", "es-x/no-array-prototype-includes"),
                                         ("var p = Promise;\n", "no-undef"),
                                         ("var s = 'ab'.startsWith('a');\n", "es-x/no-string-prototype-startswith")])
def test_the_lint_refuses_what_es5_does_not_have(tmp_path, source, rule):
    (tmp_path / "wps").mkdir()
    (tmp_path / "wps" / "later.js").write_text(source)
    run = subprocess.run([str(eslint()), "-c", str(ESLINT / "eslint.config.cjs"), "wps"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 1 and rule in run.stdout, run.stdout + run.stderr


def test_the_login_command_line_survives_spaces_and_quotes():
    """systemd's ExecStart and a .desktop Exec key read double quotes with backslash escapes, as shlex does."""
    args = ["/home/王会计/my kaohe/bin/python", "-m", "kaohe.doors.cli", "serve", "--allow-origin", 'a"b\\d', "null"]
    assert shlex.split(wps.quoted(args)) == args
    assert wps.quoted(["/usr/bin/python3", "serve"]) == "/usr/bin/python3 serve"
    for odd in ("/opt/$HOME/python", "/opt/`x`/python", "/opt/100%/python"):  # variables and field codes to both
        with pytest.raises(InputRefused):
            wps.quoted([odd])
