"""``kaohe wps install`` / ``uninstall``: the 考勤绩效 tab in WPS 表格, and kaohe serve started at login.

Install, for the user who runs it (everything under their home, so a test can point it at a scratch home):

1. **publish.xml** (WPS's list of add-ins, ``jsaddons/`` under ``%APPDATA%\\kingsoft\\wps`` on Windows,
   ``~/.local/share/Kingsoft/wps`` on Linux, UOS and Kylin): kaohe's entry is **merged** in — every other
   add-in's entry stays as it was, a backup ``publish.xml.bak-<time>`` is kept (Kingsoft's own tool overwrites
   the file). The entry is ``<jspluginonline name="kaohe" type="et" url="http://127.0.0.1:PORT/TOKEN/">``: WPS
   loads the add-in from kaohe serve. The URL holds the user's token, so publish.xml and its backups are
   written readable by the user only, and on Linux the jsaddons folder too (0700).
   ``--offline``: a copy of the add-in in ``jsaddons/kaohe_<version>/`` (token and the service's address
   written into its index.html) and a ``<jsplugin … url="kaohe_<version>">`` entry, for a WPS that will not
   load an online add-in; the service then answers CORS for the copy's origin (``--origin``, ``null`` for a
   page loaded from a file) and still requires the token.
2. **kaohe serve at login**: Windows a scheduled task (``schtasks /SC ONLOGON``; the registry's Run key when
   the task cannot be made); Linux a systemd user unit when the user's systemd answers, else an XDG autostart
   entry (``~/.config/autostart``). The service is started now too.
3. A record (``wps.json`` beside the token) of what was done, read by uninstall; then: restart WPS
   (Linux WPS keeps itself preloaded: ``quickstartoffice restart``).

Uninstall stops the service and undoes each step: the login entry, kaohe's entries in publish.xml (a
backup kept, the other add-ins kept), the jsaddons/kaohe_* copies, the token and the record.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

from lxml import etree

from kaohe import __version__
from kaohe.doors import serve
from kaohe.findings import InputRefused

NAME = "kaohe"
TASK = "kaohe-serve"
UNIT = "kaohe-serve.service"
RESTART_LINUX = "请重启 WPS：关闭所有 WPS 窗口，再在终端运行 quickstartoffice restart（WPS 常驻预加载，不重启看不到新选项卡）。"
RESTART_WINDOWS = "请完全退出 WPS（包括任务栏通知区域的 WPS 图标）后重新打开。"


def windows() -> bool:
    return os.name == "nt"


def wps_dir() -> Path:
    if windows():
        return Path(os.environ.get("APPDATA", Path.home())) / "kingsoft" / "wps"
    return Path.home() / ".local" / "share" / "Kingsoft" / "wps"


def jsaddons() -> Path:
    return wps_dir() / "jsaddons"


def record_path() -> Path:
    return serve.config_dir() / "wps.json"


def wps_found() -> bool:
    """WPS has run for this user, or its programs are installed."""
    return wps_dir().is_dir() or any(shutil.which(p) for p in ("wps", "et", "quickstartoffice")) \
        or Path("/opt/kingsoft/wps-office").is_dir()


# --- publish.xml -----------------------------------------------------------------------------------

PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def read_publish(path: Path):
    """publish.xml as a tree (a new one when there is none); refused, untouched, when it is not WPS's list."""
    if not path.exists() or not path.read_bytes().strip():
        return etree.fromstring(b"<jsplugins/>", PARSER)
    try:
        root = etree.fromstring(path.read_bytes(), PARSER)
    except etree.XMLSyntaxError as exc:
        raise InputRefused(f"{path} 不是有效的 XML，未作改动：请检查或删除后重试", f"{path} is not valid XML: {exc}") from None
    if root.tag != "jsplugins":
        raise InputRefused(f"{path} 的根元素不是 jsplugins，未作改动", f"{path}: root element is not jsplugins")
    return root


def _remove(el) -> None:
    """Remove an element, keeping the whitespace that followed it."""
    parent, prev = el.getparent(), el.getprevious()
    if prev is not None:
        prev.tail = el.tail
    else:
        parent.text = el.tail
    parent.remove(el)


def _append(root, el) -> None:
    """Append an element indented like the others."""
    inner = root.text if root.text and not root.text.strip() else "\n  "
    if len(root):
        el.tail, root[-1].tail = root[-1].tail, inner
    else:
        root.text, el.tail = inner, "\n"
    root.append(el)


def without_kaohe(root) -> int:
    """Remove kaohe's entries (online or offline, of any type); how many there were."""
    ours = [el for el in root if el.tag in ("jsplugin", "jspluginonline") and el.get("name") == NAME]
    for el in ours:
        _remove(el)
    return len(ours)


def entry(port: int, token: str, offline: bool):
    """kaohe's publish.xml entry: WPS loads the add-in from kaohe serve, or from the offline copy."""
    if offline:
        attrs = {"name": NAME, "type": "et", "url": f"{NAME}_{__version__}", "version": __version__}
    else:
        attrs = {"name": NAME, "type": "et", "url": f"http://127.0.0.1:{port}/{token}/", "debug": ""}
    el = etree.Element("jsplugin" if offline else "jspluginonline")
    for key, value in {**attrs, "enable": "enable_dev", "install": "null", "customDomain": ""}.items():
        el.set(key, value)
    return el


def backup(path: Path) -> Path | None:
    """A copy ``path.bak-YYYYmmdd-HHMMSS`` (``-2``… when taken), readable by the user only."""
    if not path.exists():
        return None
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target, n = path.with_name(f"{path.name}.bak-{stamp}"), 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.bak-{stamp}-{n}")
    shutil.copyfile(path, target)
    private_file(target)
    return target


def private_file(path: Path) -> None:
    if not windows():
        os.chmod(path, 0o600)


def write_publish(path: Path, root) -> None:
    """Write publish.xml through a temporary file (the old one stays whole if writing fails)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.kaohe.tmp")
    tmp.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8") + b"\n")
    private_file(tmp)
    os.replace(tmp, path)


def merge(path: Path, new) -> Path | None:
    """kaohe's entry merged into publish.xml (replacing an older kaohe entry); the backup."""
    root = read_publish(path)
    without_kaohe(root)
    if new is not None:
        _append(root, new)
    saved = backup(path)
    write_publish(path, root)
    return saved


# --- the offline copy ------------------------------------------------------------------------------

def remove_copies(folder: Path) -> list[Path]:
    gone = [p for p in folder.glob(f"{NAME}_*") if p.is_dir()] if folder.is_dir() else []
    for p in gone:
        shutil.rmtree(p)
    return gone


def copy_addin(folder: Path, port: int, token: str) -> Path:
    """The add-in's files in ``jsaddons/kaohe_<version>/``, index.html with the token and the service's address."""
    remove_copies(folder)
    target = folder / f"{NAME}_{__version__}"
    files = serve.addin_files()
    files["index.html"] = serve.page(files, token, f"http://127.0.0.1:{port}")
    for name, data in files.items():
        dest = target / name
        dest.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        dest.write_bytes(data)
        private_file(dest)
    return target


# --- kaohe serve at login --------------------------------------------------------------------------

def serve_command(port: int, origins: tuple[str, ...]) -> list[str]:
    python = Path(sys.executable)
    if windows() and (python.parent / "pythonw.exe").exists():  # no console window at login
        python = python.parent / "pythonw.exe"
    command = [str(python), "-m", "kaohe.doors.cli", "serve", "--port", str(port)]
    for origin in origins:
        command += ["--allow-origin", origin]
    return command


def quoted(args: list[str]) -> str:
    """A command line for a systemd unit or a .desktop Exec key: double quotes where needed, ``"`` and ``\\`` escaped.

    ``$``, a backquote and ``%`` mean different things to the two (variables, field codes): refused."""
    def one(a: str) -> str:
        if any(ch in a for ch in "$`%"):
            raise InputRefused(f"路径或参数中有 $、` 或 % 字符，无法写入登录启动项：{a}", f"cannot quote {a!r} for a login entry")
        if a and not any(ch in a for ch in ' \t"\'\\;&|<>()*?#~='):
            return a
        return '"' + "".join("\\" + ch if ch in '"\\' else ch for ch in a) + '"'
    return " ".join(one(a) for a in args)


def systemd_dir() -> Path:
    return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "systemd" / "user"


def autostart_file() -> Path:
    return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "autostart" / f"{TASK}.desktop"


def run(args: list[str]) -> bool:
    """Run a system tool; whether it succeeded (a missing tool is a failure)."""
    try:
        return subprocess.run(args, capture_output=True, timeout=60).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def has_systemd() -> bool:
    return bool(shutil.which("systemctl")) and run(["systemctl", "--user", "show-environment"])


def login_systemd(command: list[str], start: bool) -> str:
    unit = systemd_dir() / UNIT
    unit.parent.mkdir(parents=True, exist_ok=True)
    unit.write_text("[Unit]\nDescription=kaohe serve: the WPS add-in's local service\n\n"
                    f"[Service]\nExecStart={quoted(command)}\nRestart=on-failure\n\n"
                    "[Install]\nWantedBy=default.target\n", encoding="utf-8")
    ok = run(["systemctl", "--user", "daemon-reload"]) and run(
        ["systemctl", "--user", "enable", *(["--now"] if start else []), UNIT])
    if not ok:
        raise InputRefused(f"systemctl --user enable {UNIT} 失败：可改用 --autostart xdg", f"systemctl --user enable {UNIT} failed")
    return f"登录时启动：systemd 用户服务 {unit}"


def login_xdg(command: list[str], start: bool) -> str:
    entry_file = autostart_file()
    entry_file.parent.mkdir(parents=True, exist_ok=True)
    entry_file.write_text("[Desktop Entry]\nType=Application\nName=kaohe 考勤绩效服务\n"
                          "Comment=kaohe serve: the WPS add-in's local service\n"
                          f"Exec={quoted(command)}\nTerminal=false\nNoDisplay=true\nX-GNOME-Autostart-enabled=true\n",
                          encoding="utf-8")
    if start:
        start_now(command)
    return f"登录时启动：{entry_file}"


def login_windows(command: list[str], start: bool) -> str:
    line = subprocess.list2cmdline(command)
    if run(["schtasks", "/Create", "/F", "/TN", TASK, "/SC", "ONLOGON", "/RL", "LIMITED", "/TR", line]):
        where = f"登录时启动：计划任务 {TASK}"
    else:  # a user who may not make a logon task: the Run key of their own registry hive
        run_key(line)
        where = "登录时启动：HKCU\\" + RUN_KEY + " " + TASK
    if start:
        start_now(command)
    return where


RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"


def run_key(line: str | None) -> None:
    """Set kaohe's value in the user's Run key (Windows), or with None remove it."""
    if sys.platform != "win32":
        return
    import winreg

    try:
        with winreg.CreateKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:
            if line is None:
                winreg.DeleteValue(key, TASK)
            else:
                winreg.SetValueEx(key, TASK, 0, winreg.REG_SZ, line)
    except OSError:
        if line is not None:
            raise


def start_now(command: list[str]) -> None:
    """Start kaohe serve now, detached from this terminal."""
    flags = getattr(subprocess, "DETACHED_PROCESS", 0) | getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)
    subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                     start_new_session=not windows(), creationflags=flags if windows() else 0)


LOGIN = {"systemd": login_systemd, "xdg": login_xdg, "windows": login_windows}


def login_kind(choice: str) -> str:
    if windows():
        return "windows"
    if choice == "auto":
        return "systemd" if has_systemd() else "xdg"
    return choice


def private_token() -> str:
    """The user's token; a new one when the file is missing or other users could read it."""
    try:
        return serve.load_token()
    except InputRefused:
        return serve.new_token()


def install(port: int = serve.DEFAULT_PORT, offline: bool = False, origin: str = "null", autostart: str = "auto",
            start: bool = True) -> list[str]:
    """Install the WPS add-in for this user; the lines to show."""
    lines = [] if wps_found() else ["注意：没有找到 WPS。先安装并打开一次 WPS，再运行 kaohe wps install 也可以。"]
    folder = jsaddons()
    folder.mkdir(parents=True, exist_ok=True)
    if not windows():
        os.chmod(folder, 0o700)  # publish.xml holds the token: no other user may read it
    token = private_token()
    if offline:
        lines.append(f"加载项副本：{copy_addin(folder, port, token)}")
    else:
        remove_copies(folder)
    saved = merge(folder / "publish.xml", entry(port, token, offline))
    lines.append(f"已写入 {folder / 'publish.xml'}" + (f"（原文件备份为 {saved.name}，其他加载项保留）" if saved else ""))
    kind = "none" if autostart == "none" else login_kind(autostart)
    origins = (origin,) if offline else ()
    if kind != "none":
        lines.append(LOGIN[kind](serve_command(port, origins), start))
    record = {"port": port, "offline": offline, "origins": list(origins), "autostart": kind, "version": __version__}
    record_path().write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    private_file(record_path())
    lines.append(RESTART_WINDOWS if windows() else RESTART_LINUX)
    return lines


def stop_service(port: int) -> bool:
    """Ask a running kaohe serve to stop (it needs the token like every API call)."""
    try:
        token = serve.load_token(create=False)
        request = urllib.request.Request(f"http://127.0.0.1:{port}/api/stop", data=b"{}", method="POST",
                                         headers={serve.TOKEN_HEADER: token, "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=5) as reply:
            return reply.status == 200
    except (OSError, InputRefused):
        return False


def unlogin(kind: str) -> str | None:
    if kind == "systemd":
        run(["systemctl", "--user", "disable", "--now", UNIT])
        (systemd_dir() / UNIT).unlink(missing_ok=True)
        run(["systemctl", "--user", "daemon-reload"])
        return f"已删除 systemd 用户服务 {UNIT}"
    if kind == "xdg":
        autostart_file().unlink(missing_ok=True)
        return f"已删除 {autostart_file()}"
    if kind == "windows":
        run(["schtasks", "/Delete", "/F", "/TN", TASK])
        run_key(None)
        return f"已删除计划任务 {TASK}"
    return None


def uninstall() -> list[str]:
    """Undo :func:`install`; the lines to show."""
    try:
        record = json.loads(record_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        record = {"port": serve.DEFAULT_PORT, "autostart": "windows" if windows() else "xdg"}
    lines = ["已停止 kaohe 服务"] if stop_service(int(record.get("port", serve.DEFAULT_PORT))) else []
    done = unlogin(record.get("autostart", "none"))
    lines += [done] if done else []
    publish = jsaddons() / "publish.xml"
    if publish.exists() and without_kaohe(read_publish(publish)):
        saved = merge(publish, None)
        lines.append(f"已从 {publish} 删除 kaohe（备份 {saved.name if saved else ''}，其他加载项保留）")
    lines += [f"已删除 {p}" for p in remove_copies(jsaddons())]
    for path in (serve.token_path(), record_path()):
        path.unlink(missing_ok=True)
    lines.append(RESTART_WINDOWS if windows() else RESTART_LINUX)
    return lines
