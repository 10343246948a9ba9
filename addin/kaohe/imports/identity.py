"""Who is who: outside ids (clock PIN, DingTalk UserId, WeCom 账号, 旺旺, 工号) to 工号.

One rule, shared with :mod:`kaohe.imports.chitu` and :mod:`kaohe.imports.reconcile` and, for the sheets HR
keeps, with :mod:`kaohe.engine.inputs` (whose :class:`~kaohe.engine.inputs.IdIndex` both use): ids are
compared in one form (:func:`kaohe.values.normal_id`: full-width digits are digits, spaces around do not
count). Each outside id a row carries, in the vendor's order (DingTalk 工号 then UserId, WeCom 账号 then
工号, the clock's PIN), is looked up in 人员对照's column of its kind, then among 员工名册's 工号 (a clock
whose 考勤号码 is the 工号 needs no 人员对照); then each once leading zeros are ignored (``12`` for
``0012``, only when that names one person: listed as a 提示); then the name without a leaver mark
(``（已离职）``, ``(离职)``, ``-离职``). The 工号 written is 员工名册's, as HR typed it there. An id nobody
maps is a 问题清单 row with its punch count; nothing is dropped silently.
"""
from __future__ import annotations

import dataclasses
import datetime as dt

from kaohe.engine.inputs import IdIndex, roster_index
from kaohe.findings import Finding, InputRefused
from kaohe.imports.files import SKIPPED_SHOWN, Source, cell_text, clean_name
from kaohe import terms
from kaohe.values import is_blank

ID_LABELS = {"clock": "考勤号码", "dingtalk": "钉钉UserId", "wecom": "企业微信账号", "wangwang": "旺旺", "emp": "工号",
             "name": "姓名"}
ID_KINDS = ("clock", "dingtalk", "wecom", "wangwang")  # the outside ids of 人员对照 (besides 工号)


class IdMaps:
    """Outside id -> 工号, per kind of id (clock, dingtalk, wecom, wangwang; emp: 员工名册's 工号) and by name."""

    def __init__(self, roster_ids=()):
        self.emp = roster_index(roster_ids)
        self.kinds: dict[str, IdIndex] = {k: IdIndex() for k in ID_KINDS}
        self.name: dict[str, str] = {}
        self.zeros: list[tuple[str, str, str]] = []  # (kind, outside id, 工号) matched only once zeros are ignored

    def add(self, kind: str, ident, emp) -> None:
        """人员对照: ``ident`` of ``kind`` is ``emp`` (written as 员工名册 writes that 工号)."""
        if is_blank(emp) or is_blank(ident):
            return
        emp = cell_text(emp)
        self.kinds[kind].add(cell_text(ident), self.emp.get(emp) or self.emp.without_zeros(emp) or emp)

    def _indexes(self, kind: str) -> list[IdIndex]:
        """Where an id of ``kind`` is looked up, in order: 人员对照's column of its kind, then 员工名册's 工号."""
        return [self.kinds[kind], self.emp] if kind in self.kinds else [self.emp]

    def find(self, ids, name: str = "") -> str | None:
        """The 工号 of whoever these outside ids name: each id exactly (人员对照, then 员工名册), then each
        without leading zeros, then the name."""
        for kind, ident in ids:
            for index in self._indexes(kind):
                if (found := index.get(ident)) is not None:
                    return found
        for kind, ident in ids:
            for index in self._indexes(kind):
                if (found := index.without_zeros(ident)) is not None:
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
                        "已按去掉前导零匹配；如不对，请在人员对照中写明", "ATT-03", "第十八条", level=terms.LEVEL_INFO,
                        code="import.leading_zeros")]


def identity_maps(roster, mapping) -> IdMaps:
    maps = IdMaps(roster["emp"])
    for emp, name in zip(roster["emp"], roster["name"]):
        if name:
            maps.name.setdefault(clean_name(name), maps.emp.get(emp) or emp)
    if mapping is not None:
        f = mapping.frame
        for kind, column in (("clock", "clock_id"), ("dingtalk", "dingtalk_id"), ("wecom", "wecom_id"),
                             ("wangwang", "wangwang")):
            for emp, ident in zip(f["emp"], f[column]):
                maps.add(kind, ident, emp)
    return maps


def resolve(src: Source, maps: IdMaps) -> tuple[list[tuple[str, dt.datetime, str, dt.date | None, str]],
                                                list[Finding]]:
    """Each punch of a source as (工号, 打卡时间, 来源, 归属日期, 类型), and findings for the ids nobody maps (with
    their punch count). A source of which no punch names anyone is refused (exit 2): nothing of it would be
    imported."""
    rows = []
    unknown: dict[tuple[str, str, str], tuple[list[str], list[dt.datetime]]] = {}  # (kind, id, name) -> punches
    maps.zeros = []
    for p in src.punches:
        emp = maps.find(p.ids, p.name)
        if emp is None:
            kind, ident = p.ids[0] if p.ids else ("name", p.name)
            sources, stamps = unknown.setdefault((kind, ident, p.name), ([], []))
            sources.append(p.source)
            stamps.append(p.ts)
            continue
        rows.append((emp, p.ts, p.source, p.workday, p.kind))
    findings = [Finding(src.path.name, _line(sources[0]), f"{ID_LABELS[kind]}“{ident}”"
                        f"{f'（{name}）' if name and name != ident else ''}"
                        f"在人员对照和员工名册中都找不到（{len(sources)}条打卡，首条 {sources[0]}）",
                        "这些打卡未导入；请在人员对照中补上", "ATT-03", "第十八条", month=months_of(stamps), code="import.unknown_id")
                for (kind, ident, name), (sources, stamps) in sorted(unknown.items())]
    if not rows and unknown:
        shown = "、".join(f"{ID_LABELS[k]}“{i}”" for k, i, _ in sorted(unknown)[:SKIPPED_SHOWN])
        raise InputRefused(f"{src.path.name} 的 {len(src.punches)} 条打卡没有一条对得上员工：{len(unknown)} 个编号（{shown}"
                           f"{'…' if len(unknown) > SKIPPED_SHOWN else ''}）在人员对照和员工名册中都找不到。"
                           "请在人员对照中写明考勤号码对应的工号；未导入任何文件，工作簿未改动",
                           f"no punch of {src.path.name} matches anyone ({len(unknown)} ids unknown to 人员对照 and "
                           f"员工名册); nothing imported")
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
