"""Hostile and broken input, faults in the middle of a save, and two runs at once."""
import datetime as dt
import hashlib
import os
import re
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from builders import ROSTER_HEADER, full_day, person, workdays, write_book
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kaohe.doors.cli import main
from kaohe.engine.month import compute_month
from kaohe.workbook.read import read_book
from kaohe.values import parse_datetime

try:  # POSIX only: file-size limits for the full-disk test; the module still loads on Windows
    import resource
except ImportError:
    resource = None

ROOT = Path(__file__).resolve().parents[1]
POSIX = pytest.mark.skipif(os.name != "posix", reason="kills processes with POSIX signals and file-size limits")
OUTPUTS = ("每日明细", "月度汇总", "请假校验", "问题清单", "运行记录")


def kaohe(*args, limit_fsize=None, timeout=120):
    """Run the kaohe command in a fresh process; returns (exit status, stderr, peak RSS MB or None)."""
    def limits():
        if limit_fsize:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes past the limit fail with EFBIG
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit_fsize, limit_fsize))
    # Peak memory of this process only: VmHWM (ru_maxrss would include the forked parent); Linux only.
    code = ("import os, re, sys\nfrom kaohe.doors.cli import main\nrc = main(sys.argv[1:])\n"
            "status = open('/proc/self/status').read() if os.path.exists('/proc/self/status') else ''\n"
            "m = re.search(r'VmHWM:\\s+(\\d+)', status)\n"
            "print(m.group(1) if m else -1, file=sys.stderr)\n"
            "sys.exit(rc)")
    done = subprocess.run([sys.executable, "-c", code, *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, preexec_fn=limits if limit_fsize else None,
                          env={**os.environ, "PYTHONPATH": str(ROOT / "addin")})
    lines = done.stderr.strip().splitlines()
    peak = int(lines[-1])
    return done.returncode, "\n".join(lines[:-1]), None if peak < 0 else peak / 1024


def small_book(path):
    rows = [["工号", "打卡时间"]]
    for day in workdays(2026, 11):
        rows += full_day("001", day) + full_day("002", day)
    return write_book(path, {"员工名册": [ROSTER_HEADER, person(), person("002", "李四")], "打卡记录": rows})


def rewrite(src, dst, change):
    """Copy a package, passing each member through ``change(name, data) -> data``."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, change(info.filename, zin.read(info.filename)))
    return dst


def sheet_part(book, name):
    with zipfile.ZipFile(book) as z:
        wb = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(rf'name="{name}"[^>]*r:id="([^"]+)"', wb).group(1)
    target = re.search(rf'Id="{rid}"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="{rid}"', rels)
    target = target.group(1) or target.group(2)
    return target.lstrip("/") if target.startswith("/") else "xl/" + target


# --- hostile files -------------------------------------------------------------------


def assert_refused_cheaply(book, *fragments):
    """Refused with one line, the file untouched, without inflating the bomb (memory stays small)."""
    before = hashlib.sha256(book.read_bytes()).hexdigest()
    code, err, peak = kaohe("compute-month", book, "--month", "2026-11")
    assert code == 2, err
    assert len(err.splitlines()) == 1 and "错误：" in err and "/ Error:" in err
    for f in fragments:
        assert f in err
    assert peak is None or peak < 400, peak
    assert hashlib.sha256(book.read_bytes()).hexdigest() == before


def test_xml_entity_expansion_bomb(tmp_path):
    bomb = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;'
            b'&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">'
            b'<!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>')
    good = small_book(tmp_path / "good.xlsx")
    def arm(name, data):
        if name != "xl/styles.xml":
            return data
        body = data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data
        return bomb + re.sub(rb"(<styleSheet[^>]*>)", rb"\1<!-- x -->", body, count=1).replace(b"<!-- x -->", b"", 1)
    book = rewrite(good, tmp_path / "b.xlsx", arm)
    assert_refused_cheaply(book, "DOCTYPE")


def test_zip_bomb(tmp_path):
    good = small_book(tmp_path / "good.xlsx")
    part = sheet_part(good, "打卡记录")
    padding = b" " * (300 * 2**20)  # 300 MB of spaces inside the sheet XML: a few hundred KB packed
    book = rewrite(good, tmp_path / "b.xlsx", lambda n, d: d.replace(b"<sheetData>", b"<sheetData>" + padding, 1)
                   if n == part else d)
    assert book.stat().st_size < 2 * 2**20
    assert_refused_cheaply(book, "压缩炸弹")


def test_sheet_claiming_a_million_columns(tmp_path):
    good = small_book(tmp_path / "good.xlsx")
    part = sheet_part(good, "打卡记录")
    far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    book = rewrite(good, tmp_path / "b.xlsx", lambda n, d: d.replace(b"</sheetData>", far + b"</sheetData>", 1)
                   if n == part else d)
    assert_refused_cheaply(book, "范围过大")


def test_xlsb_and_csv_renamed_and_xls(tmp_path):
    xlsb = tmp_path / "b.xlsx"
    with zipfile.ZipFile(xlsb, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.bin", b"\x83\x01\x00")
    assert_refused_cheaply(xlsb, ".xlsb")
    csv = tmp_path / "c.xlsx"
    csv.write_text("工号,打卡时间\n001,2026-11-02 08:30\n", encoding="gbk")
    assert_refused_cheaply(csv, "不是 Excel 工作簿")
    xls = tmp_path / "d.xlsx"
    xls.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 4096)
    assert_refused_cheaply(xls, ".xls")


# --- formula and DDE injection -----------------------------------------------------

EVIL = ["=cmd|' /C calc'!A0", "+SUM(1,2)", "-2+3", "@SUM(A1)", '=HYPERLINK("http://evil","点我")', "=1+1"]


def test_no_input_text_becomes_a_formula_anywhere(tmp_path, monkeypatch):
    team = "网店客服组"
    roster = [ROSTER_HEADER + ["岗位", "绩效工资"]]
    for i, evil in enumerate(EVIL, start=1):
        roster.append([f"00{i}", evil, team, dt.date(2020, 1, 1), 4350, "男", None, None, None, "是", evil, 1000])
    rows = [["工号", "打卡时间", "设备"]]
    for day in workdays(2026, 11):
        for i in range(1, len(EVIL) + 1):
            rows += [r + [EVIL[0]] for r in full_day(f"00{i}", day)]
    leave = [["工号", "假别", "开始时间", "结束时间", "申请日期", "审批状态", "备注"],
             ["001", "事假", dt.date(2026, 11, 2), dt.date(2026, 11, 2), dt.date(2026, 11, 1), EVIL[0], EVIL[1]],
             ["002", EVIL[4], dt.date(2026, 11, 3), dt.date(2026, 11, 3), dt.date(2026, 11, 1), "已批准", EVIL[2]]]
    overtime = [["工号", "日期", "开始时间", "结束时间", "部门领导审批", "分管副总审批", "说明", "类型"],
                ["003", dt.date(2026, 11, 8), dt.time(9), dt.time(12), EVIL[0], EVIL[3], EVIL[5], EVIL[1]]]
    kpi = [["月份", "工号", "咨询转化率", "自评分", "报表整体质量"]] + [["2026-11", f"00{i}", 0.1 * i, 80, 20] for i in range(1, 7)]
    rules = [["指标", "权重", "方向", "目标值", "底线值", "评分人", "别名"],
             ["咨询转化率", 70, "越高越好", 0.6, 0.2, "数据", EVIL[0]], ["报表整体质量", 30, "越高越好", None, None, "店长", EVIL[4]]]
    book = write_book(tmp_path / "b.xlsx", {"员工名册": roster, "打卡记录": rows, "请假记录": leave, "加班申请": overtime,
                                            "KPI数据": kpi, "KPI规则": rules, "规则": [["参数", "值"], [EVIL[0], EVIL[1]]]})
    assert main(["compute-month", str(book), "--month", "2026-11", "-q"]) == 0
    assert main(["kpi", str(book), "--month", "2026-11", "-q"]) == 0
    assert main(["finance", str(book), "--month", "2026-11", "--out", str(tmp_path / "f.xlsx"), "--kpi", str(book), "-q"]) == 0
    with zipfile.ZipFile(book) as z:
        for name in OUTPUTS + ("KPI历史", "月度通报"):
            xml = z.read(sheet_part(book, name)).decode()
            assert "<f>" not in xml, name
        kpi_xml = z.read(sheet_part(book, "KPI评分_2026-11")).decode()
    formulas = re.findall(r"<f>(.*?)</f>", kpi_xml)
    assert formulas and all("cmd" not in f and "HYPERLINK" not in f and "evil" not in f for f in formulas)
    with zipfile.ZipFile(tmp_path / "f.xlsx") as z:
        assert not any("<f>" in z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))
    # The evil texts are still there, as text.
    names = [c.value for c in openpyxl.load_workbook(book)["月度汇总"]["B"]]
    assert EVIL[0] in names and EVIL[4] in names
    from kaohe.jobs.mail import Settings, compose
    msg = compose(tmp_path / "f.xlsx", Settings("h", 25, "none", "", "", "hr@example.com", ("f@example.com",), ""),
                  ("f@example.com",))
    body = msg.get_body(("plain",)).get_content()
    assert not any(e in body for e in EVIL)


# --- fuzzing -----------------------------------------------------------------------

JUNK = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30),
    st.sampled_from(EVIL + ["昨天", "25:61", "2026-02-30 08:00", "--", "\u202e\u200b"]),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12),
    st.integers(min_value=-10**9, max_value=10**12), st.booleans(),
    st.datetimes(min_value=dt.datetime(1800, 1, 1), max_value=dt.datetime(1899, 12, 31)),
    st.datetimes(min_value=dt.datetime(2100, 1, 1), max_value=dt.datetime(9999, 1, 1)),
)


def _outside_november(ts) -> bool:
    try:
        stamp = parse_datetime(ts)
    except ValueError:
        return False
    return stamp is not None and not dt.datetime(2026, 11, 1) <= stamp < dt.datetime(2026, 12, 1)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(junk=st.lists(st.tuples(st.booleans(), JUNK, JUNK), min_size=1, max_size=12),
       roster_junk=st.lists(st.tuples(JUNK, JUNK), max_size=3))
def test_fuzzed_input_never_crashes_and_leaves_good_rows_alone(tmp_path_factory, junk, roster_junk):
    tmp = tmp_path_factory.mktemp("fuzz")
    good_rows = [["工号", "打卡时间"]]
    for day in workdays(2026, 11):
        good_rows += full_day("001", day)
    good_rows += [["001", dt.datetime(2026, 11, 2, 8, 41)]]
    roster = [ROSTER_HEADER, person()]
    baseline = compute_month(read_book(write_book(tmp / "a.xlsx", {"员工名册": roster, "打卡记录": good_rows})).tables,
                             "2026-11").monthly
    bad_rows = list(good_rows)
    junk_cells = []
    for known, emp, ts in junk:
        # A junk row: a known 工号 with a junk time, or a junk 工号 (never a roster id) with any value.
        if known:
            try:
                if parse_datetime(ts) is not None:
                    continue  # a readable time (an Excel serial, say) is a punch, not junk
            except ValueError:
                pass
            bad_rows.append(["001", ts])
        else:
            bad_rows.append([f"X{emp}" if not isinstance(emp, bool) else "X", ts])
            if _outside_november(ts):
                continue  # an unknown 工号's punch of another month is that month's problem, not November's
        junk_cells.append(len(bad_rows))
    for i, (wage, hired) in enumerate(roster_junk):
        roster.append([f"Z{i}", "某人", "部门", hired, wage])
    book = write_book(tmp / "b.xlsx", {"员工名册": roster, "打卡记录": bad_rows})
    data = read_book(book)
    result = compute_month(data.tables, "2026-11")
    findings = [*data.findings, *result.findings]
    places = {(f.sheet, f.cell) for f in findings}
    for row in junk_cells:
        emp = bad_rows[row - 1][0]
        reported = ("打卡记录", f"B{row}") in places or ("打卡记录", f"A{row}") in places or any(
            f.sheet == "打卡记录" and str(emp) in f.problem for f in findings)
        assert reported, (row, bad_rows[row - 1])
    mine = result.monthly[result.monthly["emp"] == "001"].drop(columns=["basis"]).reset_index(drop=True)
    assert mine.equals(baseline.drop(columns=["basis"]).reset_index(drop=True))


# --- faults --------------------------------------------------------------------------


def valid_state(book, original: bytes) -> str:
    data = book.read_bytes()
    if data == original:
        return "original"
    with zipfile.ZipFile(book) as z:
        assert z.testzip() is None
    names = openpyxl.load_workbook(book, read_only=True).sheetnames
    assert all(s in names for s in OUTPUTS), names
    return "new"


# Where a run is killed: (module, function, call number, before/after the call). Deterministic
# moments across the save: copying members, writing kaohe's parts, the backup, the fsync, the renames.
KILL_POINTS = [("saving", "_copy_member", 1, "before"), ("saving", "_copy_member", 4, "before"),
               ("saving", "_write_part", 1, "before"), ("saving", "_write_part", 3, "after"),
               ("saving", "_atomic_copy", 1, "before"), ("saving", "_atomic_copy", 1, "after"),
               ("os", "fsync", 1, "before"), ("os", "fsync", 2, "after"), ("os", "replace", 1, "before"),
               ("os", "replace", 1, "after"), ("os", "replace", 2, "before"), ("os", "replace", 2, "after")]
KILLED_RUN = """import os, signal, sys
from kaohe.workbook import saving
from kaohe.jobs.month import compute_month_job
book, owner, name, at, when = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
module = saving if owner == "saving" else os
real, calls = getattr(module, name), [0]
def hook(*a, **k):
    calls[0] += 1
    if calls[0] == at and when == "before":
        os.kill(os.getpid(), signal.SIGKILL)
    out = real(*a, **k)
    if calls[0] == at and when == "after":
        os.kill(os.getpid(), signal.SIGKILL)
    return out
setattr(module, name, hook)
compute_month_job(book, "2026-11")
"""


@POSIX
def test_killed_at_any_moment_of_the_save_the_workbook_is_whole(tmp_path):
    book = small_book(tmp_path / "考勤.xlsx")
    original = book.read_bytes()
    states = {"original": 0, "new": 0}
    env = {**os.environ, "PYTHONPATH": str(ROOT / "addin")}
    for point in KILL_POINTS:
        subprocess.run([sys.executable, "-c", KILLED_RUN, str(book), *map(str, point)], env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
        states[valid_state(book, original)] += 1
        for bak in tmp_path.glob("考勤.bak-*.xlsx"):
            with zipfile.ZipFile(bak) as z:  # a backup is complete or absent
                assert z.testzip() is None
    assert states["original"] > 0
    assert states["new"] > 0
    # The next run removes what a killed run left behind (a hidden temp file, a stale lock).
    assert main(["compute-month", str(book), "--month", "2026-11", "-q"]) == 0
    assert not list(tmp_path.glob(".~kaohe-*")) and not list(tmp_path.glob(".~kaohe.*.lock"))


@POSIX
def test_full_disk_leaves_the_original(tmp_path):
    book = small_book(tmp_path / "b.xlsx")
    before = book.read_bytes()
    # Files may grow to just past the original's size: the backup fits, the new package does not.
    code, err, _ = kaohe("compute-month", book, "--month", "2026-11", limit_fsize=len(before) + 4096)
    assert code == 1 and "磁盘空间不足" in err and len(err.splitlines()) == 1
    assert book.read_bytes() == before
    assert not list(tmp_path.glob(".~kaohe-*"))


def test_two_runs_at_once_the_second_is_refused(tmp_path):
    book = small_book(tmp_path / "b.xlsx")
    before = book.read_bytes()
    # The first run holds the workbook's lock until told to go on (no timing involved).
    holder = ("import sys\nfrom kaohe.workbook.lock import run_lock\n"
              "with run_lock(sys.argv[1]):\n    print('locked', flush=True)\n    sys.stdin.readline()\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "addin")}
    first = subprocess.Popen([sys.executable, "-c", holder, str(book)], env=env, stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)
    assert first.stdout.readline().strip() == "locked"
    code, err, _ = kaohe("compute-month", book, "--month", "2026-11")
    first.communicate("go\n", timeout=60)
    assert first.returncode == 0 and book.read_bytes() == before
    assert code == 2 and "另一个 kaohe 正在处理此工作簿" in err
