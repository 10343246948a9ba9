"""Who is who: outside ids (clock PIN, DingTalk UserId, WeCom 账号, 旺旺, 工号) to 工号.

One rule, shared with :mod:`kaohe.imports.chitu` and :mod:`kaohe.imports.reconcile`: each outside id a row carries, in
the vendor's order (DingTalk 工号 then UserId, WeCom 账号 then 工号, the clock's PIN), through 人员对照
and 员工名册; then the name without a leaver mark (``（已离职）``, ``(离职)``, ``-离职``). Ids that
only match once leading zeros are ignored (``12`` for ``0012``) are matched and listed as a 提示.
An id nobody maps is a 问题清单 row with its punch count; nothing is dropped silently.
"""
from __future__ import annotations

import dataclasses
import datetime as dt

from kaohe.findings import Finding
from kaohe.imports.files import SKIPPED_SHOWN, Source, clean_name
from kaohe.workbook import contract as c
from kaohe.values import is_blank, parse_id

ID_LABELS = {"clock": "考勤号码", "dingtalk": "钉钉UserId", "wecom": "企业微信账号", "emp": "工号", "name": "姓名"}


def _unzeroed(ident: str) -> str:
    return ident.lstrip("0") or "0"


class IdMaps:
    """Outside id -> 工号, per kind of id (clock, dingtalk, wecom, wangwang, emp) and by name."""

    def __init__(self):
        self.exact: dict[str, dict[str, str]] = {k: {} for k in ("clock", "dingtalk", "wecom", "wangwang", "emp")}
        self.name: dict[str, str] = {}
        self.zeros: list[tuple[str, str, str]] = []  # (kind, outside id, 工号) matched only once zeros are ignored
        self._unzeroed: dict[str, dict[str, set]] = {}  # built on first use, dropped by add

    def add(self, kind: str, ident, emp: str) -> None:
        if emp and not is_blank(ident):
            self._unzeroed.pop(kind, None)
            self.exact[kind][parse_id(ident) if kind in ("clock", "emp") else str(ident).strip()] = emp

    def _without_zeros(self, kind: str, ident: str) -> str | None:
        """The one 工号 whose id of ``kind`` equals ``ident`` once leading zeros are dropped, if only one."""
        if not ident.isdigit():
            return None
        if kind not in self._unzeroed:
            table: dict[str, set] = {}
            for key, emp in self.exact[kind].items():
                if key.isdigit():
                    table.setdefault(_unzeroed(key), set()).add(emp)
            self._unzeroed[kind] = table
        hits = self._unzeroed[kind].get(_unzeroed(ident), set())
        return next(iter(hits)) if len(hits) == 1 else None

    def find(self, ids, name: str = "") -> str | None:
        """The 工号 of whoever these outside ids name: each id exactly, then each without leading zeros,
        then the name."""
        for kind, ident in ids:
            found = self.exact[kind].get(ident)
            if found:
                return found
        for kind, ident in ids:
            found = self._without_zeros(kind, ident)
            if found:
                if (kind, ident, found) not in self.zeros:
                    self.zeros.append((kind, ident, found))
                return found
        return self.name.get(clean_name(name)) if name else None

    def zero_finding(self, source: str) -> list[Finding]:
        if not self.zeros:
            return []
        shown = "、".join(f"{ID_LABELS[k]}“{i}”→工号 {e}" for k, i, e in self.zeros[:SKIPPED_SHOWN])
        return [Finding(source, "", f"{len(self.zeros)} 个编号只有去掉前导零后才对得上（{shown}"
                        f"{'…' if len(self.zeros) > SKIPPED_SHOWN else ''}）",
                        "已按去掉前导零匹配；如不对，请在人员对照中写明", "ATT-03", "第十八条", level=c.LEVEL_INFO,
                        code="import.leading_zeros")]


def identity_maps(roster, mapping) -> IdMaps:
    maps = IdMaps()
    for emp, name in zip(roster["emp"], roster["name"]):
        maps.add("emp", emp, emp)
        if name:
            maps.name.setdefault(clean_name(name), emp)
    if mapping is not None:
        f = mapping.frame
        for kind, column in (("clock", "clock_id"), ("dingtalk", "dingtalk_id"), ("wecom", "wecom_id"),
                             ("wangwang", "wangwang")):
            for emp, ident in zip(f["emp"], f[column]):
                maps.add(kind, ident, emp)
    return maps


def resolve(src: Source, maps: IdMaps) -> tuple[list[tuple[str, dt.datetime, str, dt.date | None]], list[Finding]]:
    """Each punch of a source with its 工号 (工号, 打卡时间, 来源, 归属日期), and findings for the ids nobody maps
    (with their punch count)."""
    rows, unknown = [], {}
    maps.zeros = []
    for p in src.punches:
        emp = maps.find(p.ids, p.name)
        if emp is None:
            kind, ident = p.ids[0] if p.ids else ("name", p.name)
            sources, stamps = unknown.setdefault((kind, ident, p.name), ([], []))
            sources.append(p.source)
            stamps.append(p.ts)
            continue
        rows.append((emp, p.ts, p.source, p.workday))
    findings = [Finding(src.path.name, _line(sources[0]), f"{ID_LABELS[kind]}“{ident}”"
                        f"{f'（{name}）' if name and name != ident else ''}"
                        f"在人员对照和员工名册中都找不到（{len(sources)}条打卡，首条 {sources[0]}）",
                        "这些打卡未导入；请在人员对照中补上", "ATT-03", "第十八条", month=months_of(stamps), code="import.unknown_id")
                for (kind, ident, name), (sources, stamps) in sorted(unknown.items())]
    month = months_of([p.ts for p in src.punches])
    found = [f if f.month else dataclasses.replace(f, month=month) for f in src.findings + maps.zero_finding(src.path.name)]
    return sorted(set(rows)), found + findings


def _line(source: str) -> str:
    """The 单元格 column of a finding about a source row: ``第12行`` from ``1_attlog.dat:12``."""
    at = str(source).rsplit(":", 1)[-1]
    return f"第{at}行" if at.isdigit() else ""


def months_of(stamps) -> str:
    """The month (YYYY-MM) of punch times, or the months joined with 、 when they span several."""
    return "、".join(sorted({f"{t:%Y-%m}" for t in stamps if isinstance(t, dt.date)}))
