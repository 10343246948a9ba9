"""导出财务表 and 发送财务: the values-only finance workbook, and mail to a real SMTP server on 127.0.0.1."""
import datetime as dt
import email
import email.policy
import io
import ipaddress
import socket
import ssl
import zipfile

import openpyxl
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from builders import ROSTER_HEADER, late_absent_on_time, person, workdays, write_book

from kaohe.doors.cli import main

TEAM = "网店客服组"


@pytest.fixture
def books(tmp_path):
    """An attendance workbook (001 late once, 002 absent a day) and a KPI workbook (3 people)."""
    rows = late_absent_on_time(workdays(2026, 11))
    roster = [ROSTER_HEADER, person("001", "甲", TEAM), person("002", "乙", TEAM), person("003", "丙", TEAM)]
    attendance = write_book(tmp_path / "考勤.xlsx", {"员工名册": roster, "打卡记录": rows})
    kpi_rows = [["月份", "工号", "咨询转化率", "自评分", "报表整体质量"], ["2026-11", "001", 0.6, 90, 30],
                ["2026-11", "002", 0.4, 80, 20], ["2026-11", "003", 0.2, 70, 10]]
    rules = [["指标", "权重", "方向", "目标值", "底线值", "评分人"], ["咨询转化率", 70, "越高越好", 0.6, 0.2, "数据"],
             ["报表整体质量", 30, "越高越好", None, None, "店长"]]
    kpi = write_book(tmp_path / "客服绩效.xlsx", {"员工名册": roster, "KPI数据": kpi_rows, "KPI规则": rules})
    return attendance, kpi


def finance_rows(path):
    ws = openpyxl.load_workbook(path).active
    rows = list(ws.iter_rows(values_only=True))
    h = next(i for i, r in enumerate(rows) if r[0] == "工号")
    return rows[:h], [dict(zip(rows[h], r)) for r in rows[h + 1:]]


def test_finance_values_equal_the_monthly_summary(tmp_path, books):
    attendance, kpi = books
    out = tmp_path / "fin"
    assert main(["finance", str(attendance), "--month", "2026-11", "--out", str(out) + "/", "--kpi", str(kpi), "-q"]) == 0
    path = out / "财务汇总_2026-11.xlsx"
    cover, rows = finance_rows(path)
    assert cover[0][0] == "财务汇总 2026-11" and "考勤.xlsx" in cover[1][0] and "制度指纹" in cover[2][0]
    people, total = {r["工号"]: r for r in rows[:-1]}, rows[-1]
    # 001: late once (20); KPI rank 1 (+100). 002: absent 1 day (200); rank 2. 003: rank 3, last (−100).
    assert (people["001"]["迟到早退罚款"], people["001"]["KPI奖惩"], people["001"]["调整合计"]) == (20, 100, 80)
    assert (people["002"]["旷工扣款"], people["002"]["调整合计"]) == (200, -200)
    assert (people["003"]["KPI奖惩"], people["003"]["调整合计"]) == (-100, -100)
    assert total["工号"] == "合计" and total["调整合计"] == pytest.approx(-220)
    for col in ("迟到早退罚款", "旷工扣款", "加班费", "KPI奖惩"):
        assert total[col] == pytest.approx(sum(r[col] for r in people.values()))
    # The same figures as 月度汇总 of compute-month.
    main(["compute-month", str(attendance), "--month", "2026-11", "-q"])
    monthly = {r[0]: r for r in openpyxl.load_workbook(attendance)["月度汇总"].iter_rows(min_row=2, values_only=True)}
    header = [c.value for c in openpyxl.load_workbook(attendance)["月度汇总"][1]]
    for emp, row in people.items():
        summary = dict(zip(header, monthly[emp]))
        for col in ("迟到早退罚款", "缺卡罚款", "代打卡罚款", "旷工扣款", "事假扣款", "病假扣款", "加班费", "社保自理"):
            assert row[col] == summary[col], (emp, col)
        assert row["调整合计"] == pytest.approx(summary["调整合计"] + row["KPI奖惩"])


def test_finance_is_values_only_with_no_day_level_data(tmp_path, books):
    attendance, _ = books
    path = tmp_path / "f.xlsx"
    assert main(["finance", str(attendance), "--month", "2026-11", "--out", str(path), "-q"]) == 0
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["财务汇总"]
    assert all(c.data_type != "f" for row in wb.active.iter_rows() for c in row)
    names = zipfile.ZipFile(path).namelist()
    assert not [n for n in names if "externalLink" in n or "vbaProject" in n]
    text = "".join(str(c.value) for row in wb.active.iter_rows() for c in row if c.value)
    assert "08:41" not in text and "2026-11-02" not in text and "打卡时间" not in text  # no punch or day facts


def test_finance_encrypted_with_a_password_from_the_environment(tmp_path, books, monkeypatch):
    import msoffcrypto

    attendance, _ = books
    monkeypatch.setenv("FIN_PW", "月底密码")
    path = tmp_path / "f.xlsx"
    assert main(["finance", str(attendance), "--month", "2026-11", "--out", str(path), "--password-env", "FIN_PW", "-q"]) == 0
    assert not zipfile.is_zipfile(path)
    plain = io.BytesIO()
    with open(path, "rb") as encrypted:
        office = msoffcrypto.OfficeFile(encrypted)
        office.load_key(password="月底密码")
        office.decrypt(plain)
    _, rows = finance_rows(plain)
    assert rows[-1]["工号"] == "合计"


def test_finance_password_variable_missing(tmp_path, books, capsys):
    attendance, _ = books
    assert main(["finance", str(attendance), "--month", "2026-11", "--out", str(tmp_path / "f.xlsx"),
                 "--password-env", "NOT_SET_ANYWHERE"]) == 2
    assert "NOT_SET_ANYWHERE" in capsys.readouterr().err


# --- mail --------------------------------------------------------------------------


class Inbox:
    def __init__(self, refuse=()):
        self.messages, self.refuse = [], set(refuse)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, email.message_from_bytes(envelope.content, policy=email.policy.default)))
        return "250 OK"


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == b"hr" and auth_data.password == b"secret"
    return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535 itself


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def self_signed(tmp_path):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


@pytest.fixture
def finance_file(tmp_path, books):
    attendance, kpi = books
    main(["close", str(attendance), "--month", "2026-11", "--by", "王会计", "-q"])  # send wants a closed month
    main(["finance", str(attendance), "--month", "2026-11", "--out", str(tmp_path) + "/", "--kpi", str(kpi), "-q"])
    return tmp_path / "财务汇总_2026-11.xlsx"


@pytest.fixture
def mail_env(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-config"))
    for k in ("KAOHE_SMTP_USER", "KAOHE_SMTP_PASSWORD", "KAOHE_MAIL_TO", "KAOHE_SMTP_CAFILE", "KAOHE_SMTP_SECURITY"):
        monkeypatch.delenv(k, raising=False)
    monkeypatch.setenv("KAOHE_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("KAOHE_MAIL_FROM", "hr@example.com")
    return monkeypatch


def serve(**kw):
    inbox = Inbox(kw.pop("refuse", ()))
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), authenticator=authenticator, **kw)
    controller.start()
    return controller, inbox


def plain(mail_env, controller, user=None, password=None):
    """Point kaohe at a plain (no TLS) test server, with or without a login."""
    mail_env.setenv("KAOHE_SMTP_PORT", str(controller.port))
    mail_env.setenv("KAOHE_SMTP_SECURITY", "none")
    if user:
        mail_env.setenv("KAOHE_SMTP_USER", user)
        mail_env.setenv("KAOHE_SMTP_PASSWORD", password)


def check_received(inbox, exported, to):
    """The one message: to ``to``, the month's subject, the totals, the file as exported (``exported``: its bytes
    before the send was noted in its properties)."""
    (rcpts, msg), = inbox.messages
    assert rcpts == to
    assert msg["Subject"] == "2026-11 考勤扣款及加班费汇总（财务汇总）"
    body = msg.get_body(("plain",)).get_content()
    assert "调整合计：-220.00 元" in body and "KPI奖惩合计：0.00 元" in body
    (part,) = list(msg.iter_attachments())
    assert part.get_filename() == "财务汇总_2026-11.xlsx"
    assert part.get_content() == exported


def sends(book):
    """(月份, 操作, 收件人) of 财务发送记录's sends in the attendance workbook."""
    ws = openpyxl.load_workbook(book)["财务发送记录"]
    rows = list(ws.iter_rows(values_only=True))
    return [(r["月份"], r["操作"], r["收件人"]) for r in (dict(zip(rows[0], x)) for x in rows[1:]) if r["操作"] != "导出"]


def test_send_plain_with_login(finance_file, mail_env, books):
    from kaohe.workbook.docprops import read_properties

    exported = finance_file.read_bytes()
    controller, inbox = serve(auth_require_tls=False)
    try:
        plain(mail_env, controller, "hr", "secret")
        assert main(["send", str(finance_file), "--to", "fin@example.com"]) == 0
    finally:
        controller.stop()
    check_received(inbox, exported, ["fin@example.com"])
    assert sends(books[0]) == [("2026-11", "发送", "fin@example.com")]  # recorded in the attendance workbook
    assert "fin@example.com" in read_properties(finance_file)["kaohe财务表发送记录"]  # and in the file itself


def test_send_starttls_with_a_self_signed_certificate(finance_file, mail_env, tmp_path):
    cert, key = self_signed(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    controller, inbox = serve(tls_context=context, require_starttls=True)
    try:
        mail_env.setenv("KAOHE_SMTP_PORT", str(controller.port))
        mail_env.setenv("KAOHE_SMTP_SECURITY", "starttls")
        mail_env.setenv("KAOHE_SMTP_CAFILE", str(cert))
        mail_env.setenv("KAOHE_SMTP_USER", "hr")
        mail_env.setenv("KAOHE_SMTP_PASSWORD", "secret")
        mail_env.setenv("KAOHE_MAIL_TO", "fin@example.com, boss@example.com")
        exported = finance_file.read_bytes()
        assert main(["send", str(finance_file)]) == 0
    finally:
        controller.stop()
    check_received(inbox, exported, ["fin@example.com", "boss@example.com"])


def test_starttls_refuses_an_untrusted_certificate(finance_file, mail_env, tmp_path, capsys):
    cert, key = self_signed(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    controller, inbox = serve(tls_context=context, require_starttls=True)
    try:
        mail_env.setenv("KAOHE_SMTP_PORT", str(controller.port))
        assert main(["send", str(finance_file), "--to", "fin@example.com"]) == 1
    finally:
        controller.stop()
    assert "加密连接失败" in capsys.readouterr().err and not inbox.messages
    assert not sends(finance_file.parent / "考勤.xlsx")  # nothing went: nothing recorded


def test_refused_login(finance_file, mail_env, capsys):
    controller, inbox = serve(auth_require_tls=False)
    try:
        plain(mail_env, controller, "hr", "wrong")
        assert main(["send", str(finance_file), "--to", "fin@example.com"]) == 1
    finally:
        controller.stop()
    err = capsys.readouterr().err
    assert "拒绝登录" in err and len(err.strip().splitlines()) == 1
    assert not inbox.messages and not sends(finance_file.parent / "考勤.xlsx")


def test_refused_recipient(finance_file, mail_env, capsys):
    controller, _ = serve(auth_require_tls=False, refuse={"nobody@example.com"})
    try:
        plain(mail_env, controller)
        assert main(["send", str(finance_file), "--to", "nobody@example.com"]) == 1
    finally:
        controller.stop()
    assert "nobody@example.com" in capsys.readouterr().err
    assert not sends(finance_file.parent / "考勤.xlsx")


def test_server_down(finance_file, mail_env, capsys):
    mail_env.setenv("KAOHE_SMTP_PORT", str(free_port()))
    mail_env.setenv("KAOHE_SMTP_SECURITY", "none")
    assert main(["send", str(finance_file), "--to", "fin@example.com"]) == 1
    assert "无法连接邮件服务器" in capsys.readouterr().err
    assert not sends(finance_file.parent / "考勤.xlsx")


def test_server_without_starttls_says_so_and_how_to_set_security(finance_file, mail_env, capsys):
    controller, inbox = serve(auth_require_tls=False)  # a plain server: no STARTTLS in its EHLO answer
    try:
        mail_env.setenv("KAOHE_SMTP_PORT", str(controller.port))  # security left at its default, starttls
        assert main(["send", str(finance_file), "--to", "fin@example.com"]) == 1
    finally:
        controller.stop()
    err = capsys.readouterr().err
    assert "不支持 STARTTLS" in err and "KAOHE_SMTP_SECURITY=none" in err and "KAOHE_SMTP_SECURITY=ssl" in err
    assert "无法连接" not in err and not inbox.messages


def test_settings_file_with_a_password_must_be_private(finance_file, mail_env, tmp_path, capsys):
    config = tmp_path / "cfg" / "kaohe"
    config.mkdir(parents=True)
    ini = config / "mail.ini"
    ini.write_text("[smtp]\nhost = 127.0.0.1\npassword = secret\n", encoding="utf-8")
    ini.chmod(0o644)
    mail_env.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    assert main(["send", str(finance_file), "--to", "fin@example.com"]) == 1
    assert "chmod 600" in capsys.readouterr().err


def test_month_end_script_computes_exports_sends_and_logs(books, mail_env, tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    attendance, _ = books
    controller, inbox = serve(auth_require_tls=False)
    try:
        plain(mail_env, controller)
        script = Path(__file__).resolve().parents[1] / "scripts" / "month_end.py"
        done = subprocess.run([sys.executable, str(script), str(attendance), "--month", "2026-11", "--to", "fin@example.com",
                               "--close-by", "王会计"], capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
    finally:
        controller.stop()
    assert len(inbox.messages) == 1
    log = [r[1] for r in openpyxl.load_workbook(attendance)["运行记录"].iter_rows(min_row=2, values_only=True)]
    assert log == ["month-end:compute", "month-end:close", "month-end:finance", "month-end:send"]
    closes = list(openpyxl.load_workbook(attendance)["月结记录"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[1], r[2]) for r in closes] == [("2026-11", "月结", "王会计")]


@pytest.mark.parametrize("bad, says", [(["--password-env", "KAOHE_TEST_NO_SUCH_PW"], "KAOHE_TEST_NO_SUCH_PW"),
                                        ([], "没有收件人"), (["--to", "fin@example.com", "--kpi", "无此文件.xlsx"], "找不到文件")])
def test_month_end_script_checks_its_options_before_computing_or_closing(books, mail_env, bad, says):
    import subprocess
    import sys
    from pathlib import Path

    attendance, _ = books
    before = attendance.read_bytes()
    mail_env.delenv("KAOHE_TEST_NO_SUCH_PW", raising=False)
    mail_env.setenv("KAOHE_SMTP_SECURITY", "none")
    script = Path(__file__).resolve().parents[1] / "scripts" / "month_end.py"
    done = subprocess.run([sys.executable, str(script), str(attendance), "--month", "2026-11", "--close-by", "王会计",
                           *bad], capture_output=True, text=True, timeout=300)
    assert done.returncode == 2 and says in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert attendance.read_bytes() == before  # neither computed nor closed nor logged
    assert not list(attendance.parent.glob("*.bak-*")) and not list(attendance.parent.glob("财务汇总*"))


def test_send_of_an_unclosed_month_needs_unclosed(books, mail_env, tmp_path, capsys):
    attendance, _ = books
    finance_file = tmp_path / "财务汇总_2026-11.xlsx"
    assert main(["finance", str(attendance), "--month", "2026-11", "--out", str(finance_file), "-q"]) == 0
    controller, inbox = serve(auth_require_tls=False)
    try:
        plain(mail_env, controller)
        assert main(["send", str(finance_file), "--to", "fin@example.com"]) == 2
        assert "--unclosed" in capsys.readouterr().err and not inbox.messages
        assert main(["send", str(finance_file), "--to", "fin@example.com", "--unclosed"]) == 0
    finally:
        controller.stop()
    assert len(inbox.messages) == 1
    assert (tmp_path / "财务汇总_2026-11.xlsx").exists()
