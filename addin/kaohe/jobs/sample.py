"""A realistic sample attendance workbook: for ``kaohe demo``, the benchmark and trying things out.

Deterministic (seeded): the same arguments give the same workbook. About 40 employees with
Chinese names and departments, four punches a workday with a realistic mix of lateness,
missing punches, absence, leave, overtime, a punch exception, proxy punching, a new hire on
paper attendance, a leaver, and one shift team (comprehensive hours) with a night shift
that ends the next morning.
"""
from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import openpyxl

from kaohe.calendar import Calendar, date_range
from kaohe.periods import month_bounds
from kaohe.policy import DEFAULT
from kaohe import terms
from kaohe.workbook import contract as c

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
         "秀兰", "霞", "平", "刚", "桂英", "建华", "文", "华", "红", "建国", "晓东", "海燕", "志强", "雪", "婷", "鹏"]
DEPARTMENTS = [("生产部", 12, "是"), ("仓储部", 6, "是"), ("网店客服组", 6, "否"), ("电子商务部", 6, "否"),
               ("行政人事部", 5, "否"), ("财务部", 5, "否")]
SHIFTS = [("早班", dt.time(6), dt.time(14)), ("中班", dt.time(14), dt.time(22)), ("夜班", dt.time(22), dt.time(6))]
ROTA_CYCLE = ["早班", "早班", "中班", "中班", "夜班", "夜班", None, None]


def _people(n: int, rng: random.Random) -> list[dict]:
    depts = [(name, production) for name, count, production in DEPARTMENTS for _ in range(count)]
    out = []
    for i in range(n):
        dept, production = depts[i % len(depts)]
        hired = dt.date(2015, 3, 1) + dt.timedelta(days=rng.randrange(0, 3650))
        out.append({
            "emp": f"{i + 1:04d}", "name": rng.choice(SURNAMES) + rng.choice(GIVEN), "dept": dept,
            "hired": hired, "base": float(rng.randrange(3500, 9000, 50)), "gender": rng.choice("男女"),
            "regular": hired + dt.timedelta(days=90), "work_start": hired - dt.timedelta(days=rng.randrange(0, 4000)),
            "system": terms.STANDARD_HOURS, "production": production, "left": None,
        })
    return out


def build_sample(month: str = "2026-10", employees: int = 40, seed: int = 7, rich: bool = True) -> dict[str, list[list]]:
    """The sample's sheets as ``{sheet: [header, *rows]}``."""
    rng = random.Random(seed)
    first, last = month_bounds(month)
    cal = Calendar(DEFAULT.rest_weekday)
    people = _people(employees, rng)
    shift_team = _special_people(people, first) if rich and employees >= 20 else []
    rota, shift_of = _rota(shift_team, first, last)
    punches: list[list] = [["工号", "姓名", "打卡时间", "设备"]]
    for p in people:
        for day in date_range(first, last):
            sessions = _sessions(p, day, cal, shift_of, rich)
            if sessions and rng.random() >= 0.005:  # else a whole day without a punch
                punches += [[p["emp"], p["name"], ts, "前台考勤机"] for start, end in sessions
                            for ts in _punch_pair(rng, start, end)]
    leave = [["工号", "姓名", "假别", "开始时间", "结束时间", "申请日期", "审批状态", "证明材料", "事由日期", "销假日期", "备注"]]
    overtime = [list(c.OVERTIME.required) + ["总经理审批", "类型", "补偿方式", "说明"]]
    exceptions = [list(c.EXCEPTIONS.required) + ["原因"]]
    proxy = [["工号", "日期", "备注"]]
    if rich and employees >= 20:
        _rich_records(people, first, cal, punches, leave, overtime, exceptions, proxy)
    sheets = {c.ROSTER.name: _roster_rows(people), c.PUNCHES.name: punches, c.LEAVE.name: leave,
              c.OVERTIME.name: overtime, c.EXCEPTIONS.name: exceptions, c.PROXY.name: proxy}
    if shift_team:
        sheets[c.ROTA.name] = rota
        sheets[c.SHIFTS.name] = [["班次", "时段1开始", "时段1结束"]] + [[n, a, b] for n, a, b in SHIFTS]
    return sheets


def _special_people(people: list[dict], first: dt.date) -> list[dict]:
    """A new hire (paper attendance), a leaver, and the 仓储部 shift team on comprehensive hours (returned)."""
    people[-1]["hired"] = first + dt.timedelta(days=19)
    people[-1]["regular"] = None
    people[-2]["left"] = first + dt.timedelta(days=14)
    shift_team = [p for p in people if p["dept"] == "仓储部"][:4]
    for p in shift_team:
        p["system"] = terms.COMPREHENSIVE_HOURS
    return shift_team


def _roster_rows(people: list[dict]) -> list[list]:
    roster = [list(c.ROSTER.required) + ["岗位", "性别", "转正日期", "离职日期", "参加工作日期", "工时制", "生产线"]]
    for p in people:
        roster.append([p["emp"], p["name"], p["dept"], p["hired"], p["base"], "职员", p["gender"], p["regular"],
                       p["left"], p["work_start"], p["system"], p["production"]])
    return roster


def _rota(shift_team: list[dict], first: dt.date, last: dt.date) -> tuple[list[list], dict]:
    """排班 rows of the shift team (a rotating cycle) and (工号, date) -> 班次."""
    rota, shift_of = [list(c.ROTA.required)], {}
    for k, p in enumerate(shift_team):
        for j, day in enumerate(date_range(first, last)):
            s = ROTA_CYCLE[(j + 2 * k) % len(ROTA_CYCLE)]
            if s:
                rota.append([p["emp"], day, s])
                shift_of[(p["emp"], day)] = s
    return rota, shift_of


def _sessions(p: dict, day: dt.date, cal: Calendar, shift_of: dict, rich: bool) -> list[tuple]:
    """The (start, end) of the sessions ``p`` works on ``day`` with punches (none: not employed, paper
    attendance, not scheduled)."""
    if p["hired"] > day or (p["left"] and day > p["left"]):
        return []
    if rich and (day - p["hired"]).days < DEFAULT.paper_attendance_days:
        return []  # paper attendance: no punches yet
    if p["system"] == terms.COMPREHENSIVE_HOURS:
        s = shift_of.get((p["emp"], day))
        if not s:
            return []
        a, b = next((a, b) for n, a, b in SHIFTS if n == s)
        return [(dt.datetime.combine(day, a), dt.datetime.combine(day, b) + (dt.timedelta(days=1) if b <= a else dt.timedelta()))]
    if not cal.is_workday(day):
        return []
    return [(dt.datetime.combine(day, DEFAULT.am_start), dt.datetime.combine(day, DEFAULT.am_end)),
            (dt.datetime.combine(day, DEFAULT.pm_start), dt.datetime.combine(day, DEFAULT.pm_end))]


def _punch_pair(rng: random.Random, start: dt.datetime, end: dt.datetime) -> list[dt.datetime]:
    """The punches of one session: mostly on time; some late, very late or early; a few missing one."""
    x = rng.random()
    tin = start - dt.timedelta(minutes=rng.randrange(1, 15), seconds=rng.randrange(60))
    tout = end + dt.timedelta(minutes=rng.randrange(0, 20), seconds=rng.randrange(60))
    if x < 0.05:
        tin = start + dt.timedelta(minutes=rng.randrange(1, 26), seconds=rng.randrange(60))
    elif x < 0.057:
        tin = start + dt.timedelta(minutes=rng.randrange(35, 150))
    elif x < 0.077:
        tout = end - dt.timedelta(minutes=rng.randrange(1, 20))
    y = rng.random()
    return [ts for ts, kept in ((tin, y >= 0.015), (tout, y < 0.015 or y >= 0.03)) if kept]


def _rich_records(people, first, cal, punches, leave, overtime, exceptions, proxy) -> None:
    """Leave, overtime, an exception and proxy punching, on the month's working days."""
    work = [d for d in date_range(first, first.replace(day=28)) if cal.is_workday(d)]
    off = [d for d in date_range(first, first.replace(day=28)) if not cal.is_workday(d)]
    std = [p for p in people if p["system"] == terms.STANDARD_HOURS][:30]
    _leave_records(std, work, punches, leave)
    _overtime_records(std, work, off, first, cal, punches, overtime)
    p = std[18]
    punches[1:] = [r for r in punches[1:] if not (r[0] == p["emp"] and r[2].date() == work[1] and r[2].hour < 10)]
    exceptions.append([p["emp"], work[1], terms.SLOT_AM_IN, "已批准", "外出拜访客户"])
    proxy.append([std[19]["emp"], work[6], "替同事打卡，经查属实"])


def _at(day, h, m=0):
    return dt.datetime.combine(day, dt.time(h, m))


def _leave_records(std, d, punches, leave) -> None:
    """Nine leave records of every kind and state; whole-day leave has no punches."""
    records = [
        (std[0], "事假", d[3], d[4], d[3] - dt.timedelta(days=3), "已批准", "", None, "家中有事"),
        (std[1], "病假", d[5], d[5], d[5], "已批准", "有", None, "门诊"),
        (std[2], "病假", d[6], d[6], d[6], "事后补单", "无", None, "未交病历"),
        (std[3], "年休假", d[7], d[9], d[7] - dt.timedelta(days=10), "已批准", "", None, ""),
        (std[4], "调休", d[10], d[10], d[10] - dt.timedelta(days=2), "已批准", "", None, "上月休息日加班"),
        (std[5], "婚假", d[11], d[13], d[11] - dt.timedelta(days=10), "已批准", "有", d[11] - dt.timedelta(days=30), ""),
        (std[6], "事假", d[8], d[8], d[8], "待审批", "", None, "未批先休"),
        (std[7], "丧假", d[12], d[12] + dt.timedelta(days=2), d[12], "已批准", "有", None, ""),
        (std[8], "事假", _at(d[14], 13, 30), _at(d[14], 17, 30), d[14] - dt.timedelta(days=2), "已批准", "", None, "下午办事"),
    ]
    for p, kind, start, end, applied, status, proof, event, note in records:
        leave.append([p["emp"], p["name"], kind, start, end, applied, status, proof or None, event, None, note])
        if not isinstance(start, dt.datetime):
            days = set(date_range(start, end))
            punches[1:] = [r for r in punches[1:] if not (r[0] == p["emp"] and r[2].date() in days)]


def _overtime_records(std, d, off, first, cal, punches, overtime) -> None:
    """Paid evening and holiday overtime, rest-day work for 调休, one unapproved, one training."""
    # The 调休 leave is backed by approved rest-day work of the month before (no punches kept for it).
    before = first - dt.timedelta(days=10)
    while cal.is_workday(before):
        before -= dt.timedelta(days=1)
    overtime.append([std[4]["emp"], before, dt.time(8, 30), dt.time(17, 30), "是", "是", None, "加班", "调休", "盘点"])
    for p in std[10:13]:  # weekday evening overtime, paid
        overtime.append([p["emp"], d[2], dt.time(18), dt.time(20), "是", "是", None, "加班", "加班费", "赶订单"])
        punches.append([p["emp"], p["name"], _at(d[2], 20, 6), "前台考勤机"])
    if off:
        for p in std[13:15]:
            overtime.append([p["emp"], off[0], dt.time(8, 30), dt.time(17, 30), "是", "是", None, "加班", "加班费", "节日值班"])
            punches += [[p["emp"], p["name"], _at(off[0], 8, 21), "前台考勤机"],
                        [p["emp"], p["name"], _at(off[0], 17, 40), "前台考勤机"]]
        p = std[15]
        overtime.append([p["emp"], off[-1], dt.time(9), dt.time(15), "是", "是", None, "加班", "调休", "发货"])
        punches += [[p["emp"], p["name"], _at(off[-1], 8, 55), "前台考勤机"],
                    [p["emp"], p["name"], _at(off[-1], 15, 12), "前台考勤机"]]
    overtime.append([std[16]["emp"], d[4], dt.time(18), dt.time(21), "是", None, None, "加班", "加班费", "未找副总签字"])
    overtime.append([std[17]["emp"], off[-1] if off else d[5], dt.time(9), dt.time(12), "是", "是", None, "培训", None, "消防培训"])


def write_sample(path: Path, month: str = "2026-10", employees: int = 40, seed: int = 7, rich: bool = True) -> Path:
    """Write the sample workbook (openpyxl, write-only: it streams large punch sheets)."""
    sheets = build_sample(month, employees, seed, rich)
    wb = openpyxl.Workbook(write_only=True)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
