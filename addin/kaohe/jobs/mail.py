"""发送财务: mail the finance workbook to finance over SMTP.

Settings, environment first, then the user's settings file (``%APPDATA%\\kaohe\\mail.ini`` on
Windows, ``$XDG_CONFIG_HOME/kaohe/mail.ini`` or ``~/.config/kaohe/mail.ini`` elsewhere,
section ``[smtp]`` with the keys in lower case without the prefix, e.g. ``host``):

    KAOHE_SMTP_HOST, KAOHE_SMTP_PORT, KAOHE_SMTP_SECURITY (ssl / starttls / none),
    KAOHE_SMTP_USER, KAOHE_SMTP_PASSWORD, KAOHE_MAIL_FROM, KAOHE_MAIL_TO (default recipients,
    comma-separated), KAOHE_SMTP_CAFILE (extra CA certificates to trust, e.g. a company CA).

Passwords are never stored in a workbook. A settings file that holds a password must be
readable by its owner only (on POSIX it is refused otherwise).

Sending either completes or fails as a whole. What may be sent, and the record of what was sent (in the
attendance workbook), are kaohe.jobs.sending's business; this module composes and delivers the message.
The body's totals are the recorded figures of the file (kaohe.jobs.handoff), not a reading of the sheet,
and add up: 调整合计 = 加班费 − 罚款及扣款 + KPI奖惩 + 上月更正.
"""
from __future__ import annotations

import configparser
import os
import re
import smtplib
import socket
import ssl
import sys
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from kaohe.jobs.money import in_force
from kaohe.policy.items import pay_name
from kaohe.workbook import contract as c

XLSX_TYPE = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
DEFAULT_PORTS = {"ssl": 465, "starttls": 587, "none": 25}
TIMEOUT = 30


class MailError(Exception):
    """Sending failed: a one-line Chinese and English message (exit status 1)."""

    def __init__(self, zh: str, en: str):
        super().__init__(f"{zh} / {en}")
        self.zh, self.en = zh, en


@dataclass(frozen=True)
class Settings:
    host: str
    port: int
    security: str
    user: str
    password: str
    sender: str
    to: tuple[str, ...]
    cafile: str


def settings_file() -> Path:
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA", Path.home())) / "kaohe" / "mail.ini"
    return Path(os.environ.get("XDG_CONFIG_HOME", Path.home() / ".config")) / "kaohe" / "mail.ini"


def load_settings(env=None) -> Settings:
    env = os.environ if env is None else env
    values: dict[str, str] = {}
    path = settings_file()
    if path.exists():
        parser = configparser.ConfigParser()
        parser.read(path, encoding="utf-8")
        if parser.has_section("smtp"):
            values.update({k.lower(): v for k, v in parser.items("smtp")})
            if values.get("password") and os.name == "posix" and path.stat().st_mode & 0o077:
                raise MailError(f"邮件设置文件 {path} 含密码，但其他用户也能读取；请执行 chmod 600",
                                f"{path} holds a password but is readable by others; chmod 600 it")
    for key in ("host", "port", "security", "user", "password", "cafile"):
        if env.get(f"KAOHE_SMTP_{key.upper()}"):
            values[key] = env[f"KAOHE_SMTP_{key.upper()}"]
    for key, name in (("from", "KAOHE_MAIL_FROM"), ("to", "KAOHE_MAIL_TO")):
        if env.get(name):
            values[key] = env[name]
    if not values.get("host"):
        raise MailError("没有设置邮件服务器（KAOHE_SMTP_HOST）", "no mail server configured (KAOHE_SMTP_HOST)")
    security = (values.get("security") or "starttls").lower()
    if security not in DEFAULT_PORTS:
        raise MailError(f"KAOHE_SMTP_SECURITY 应为 ssl、starttls 或 none（收到 {security}）",
                        f"KAOHE_SMTP_SECURITY must be ssl, starttls or none (got {security})")
    try:
        port = int(values.get("port") or DEFAULT_PORTS[security])
    except ValueError:
        raise MailError("KAOHE_SMTP_PORT 应为数字", "KAOHE_SMTP_PORT must be a number") from None
    user = values.get("user", "")
    sender = values.get("from") or user
    if not sender:
        raise MailError("没有设置发件人（KAOHE_MAIL_FROM）", "no sender configured (KAOHE_MAIL_FROM)")
    to = tuple(a.strip() for a in re.split(r"[,;，；\s]+", values.get("to", "")) if a.strip())
    return Settings(values["host"], port, security, user, values.get("password", ""), sender, to,
                    values.get("cafile", ""))


@dataclass
class Facts:
    """What the subject and body say: the month, the number of employees, the totals by column, a mark for the
    subject (【更正版·勿重复支付】) and lines to put first (why a file already sent is mailed again)."""

    month: str | None = None
    employees: int | None = None
    totals: dict = field(default_factory=dict)
    mark: str = ""
    notice: list[str] = field(default_factory=list)


def finance_facts(path: Path) -> Facts:
    """What can be said of a file kaohe has no record of (``--any-file``): the month its name gives, and no
    figures — a sheet kaohe did not record is not read for totals."""
    m = re.search(r"(\d{4}-\d{2})", path.name)
    return Facts(month=m.group(1) if m else None)


def total_lines(facts: Facts) -> list[str]:
    """The body's totals from the recorded figures: each money item in force (kaohe.policy.items), what is
    deducted, KPI奖惩, 上月更正 and 调整合计, which adds up."""
    t, items = facts.totals, in_force()
    deducted = sum(t.get(i.header, 0) for i in items if not i.paid)
    return [f"人数：{facts.employees} 人", *(f"{i.header}合计：{t.get(i.header, 0):,.2f} 元" for i in items),
            f"罚款及扣款合计：{deducted:,.2f} 元",
            f"KPI奖惩合计：{t.get(c.KPI_COLUMN, 0):,.2f} 元",
            f"上月更正合计：{t.get(c.CORRECTION_COLUMN, 0):,.2f} 元" + (
                f"（补发为正，扣回为负，明细见附件“{c.CORRECTION_DETAIL.name}”表）" if t.get(c.CORRECTION_COLUMN, 0) else ""),
            f"调整合计：{t.get(c.ADJUSTMENT_COLUMN, 0):,.2f} 元"
            f"（正数为应增发；= {pay_name(items, ' + ')} − 罚款及扣款 + KPI奖惩 + 上月更正）", ""]


def compose(path: Path, settings: Settings, to: tuple[str, ...], facts: Facts | None = None) -> EmailMessage:
    facts = facts or finance_facts(path)
    month = facts.month or "本月"
    t = facts.totals
    msg = EmailMessage()
    msg["Subject"] = f"{facts.mark}{month} 考勤扣款及加班费汇总（财务汇总）"
    msg["From"] = settings.sender
    msg["To"] = ", ".join(to)
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain=settings.sender.split("@")[-1] if "@" in settings.sender else None)
    lines = ["财务同事：", "", *facts.notice, *([""] if facts.notice else []),
             f"附件是 {month} 的考勤扣款及加班费汇总（{path.name}）" + ("，仅供核对。" if facts.notice else "，请据此核算工资。"), ""]
    if t:
        lines += total_lines(facts)
    lines += ["表中每人每项金额均注明制度依据（条款编号）。如有疑问请联系人力资源部。", "", "—— kaohe 考核自动发送"]
    msg.set_content("\n".join(lines), charset="utf-8")
    msg.add_attachment(path.read_bytes(), maintype=XLSX_TYPE[0], subtype=XLSX_TYPE[1], filename=path.name)
    return msg


def ready(to: list[str] | None = None, env=None) -> tuple[Settings, tuple[str, ...]]:
    """The mail settings and the recipients (``to``, else KAOHE_MAIL_TO), or the :class:`MailError` that
    sending would meet for want of them; scripts check this before doing any work."""
    settings = load_settings(env)
    recipients = tuple(to or ()) or settings.to
    if not recipients:
        raise MailError("没有收件人：请用 --to 或设置 KAOHE_MAIL_TO", "no recipients: use --to or set KAOHE_MAIL_TO")
    return settings, recipients


def _deliver(msg, settings, recipients) -> dict:
    """Hand ``msg`` to the server as ``settings`` say; returns the recipients it refused."""
    context = ssl.create_default_context(cafile=settings.cafile or None)
    server: smtplib.SMTP  # SMTP_SSL is an SMTP
    if settings.security == "ssl":
        server = smtplib.SMTP_SSL(settings.host, settings.port, timeout=TIMEOUT, context=context)
    else:
        server = smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT)
    with server:
        if settings.security == "starttls":
            server.starttls(context=context)
        if settings.user:
            server.login(settings.user, settings.password)
        return server.send_message(msg, from_addr=settings.sender, to_addrs=list(recipients))


def _mail_error(exc: Exception, settings) -> MailError:
    """The one-line Chinese and English message for what went wrong talking to the server."""
    where = f"{settings.host}:{settings.port}"
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return MailError("邮件服务器拒绝登录，请检查用户名和密码", "the mail server refused the login")
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        bad = "、".join(exc.recipients)
        return MailError(f"邮件服务器拒绝了收件人：{bad}", f"the mail server refused the recipients: {bad}")
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return MailError(f"邮件服务器拒绝了发件人 {settings.sender}", "the mail server refused the sender")
    if isinstance(exc, smtplib.SMTPNotSupportedError):  # before OSError, of which every SMTPException is a kind
        return MailError(f"邮件服务器 {where} 不支持 STARTTLS 加密；如服务器只收明文邮件，"
                         "请设置 KAOHE_SMTP_SECURITY=none，如它用 SSL（常见端口 465），请设置 KAOHE_SMTP_SECURITY=ssl",
                         f"the mail server {where} does not offer STARTTLS; set KAOHE_SMTP_SECURITY=none (plain) or ssl")
    if isinstance(exc, ssl.SSLError):
        return MailError(f"与邮件服务器的加密连接失败（{exc.reason}）", f"TLS with the mail server failed: {exc}")
    if isinstance(exc, smtplib.SMTPResponseException):  # the server answered with an error code
        return MailError(f"发送失败：{exc}", f"sending failed: {exc}")
    return MailError(f"无法连接邮件服务器 {where}", f"cannot reach the mail server {where} ({exc})")


def transmit(msg: EmailMessage, settings: Settings, recipients: tuple[str, ...]) -> None:
    """Hand ``msg`` to the server; :class:`MailError` on any failure (a refused recipient included)."""
    try:
        refused = _deliver(msg, settings, recipients)
    except (TimeoutError, smtplib.SMTPException, ConnectionError, socket.gaierror, OSError) as exc:
        raise _mail_error(exc, settings) from None
    if refused:
        bad = "、".join(refused)
        raise MailError(f"部分收件人被拒绝：{bad}（其余已发送）", f"some recipients were refused: {bad}")


def outlook_draft(path: Path, to: list[str], facts: Facts | None = None) -> None:
    """Windows: open the message as an Outlook draft instead of sending it."""
    if sys.platform != "win32":
        raise MailError("Outlook 草稿只在 Windows 上可用", "Outlook drafts are available on Windows only")
    import win32com.client  # pywin32, installed with xlwings on Windows

    settings_to = tuple(to)
    msg = compose(Path(path), Settings("", 0, "none", "", "", "", settings_to, ""), settings_to, facts)
    outlook = win32com.client.Dispatch("Outlook.Application")
    item = outlook.CreateItem(0)
    item.To = "; ".join(settings_to)
    item.Subject = msg["Subject"]
    item.Body = msg.get_body(("plain",)).get_content()
    item.Attachments.Add(str(Path(path).resolve()))
    item.Display()
