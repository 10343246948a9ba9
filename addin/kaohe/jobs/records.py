"""kaohe's own record sheets (月结记录, 财务发送记录 and their hidden stores) read back as frames of engine fields."""
from __future__ import annotations

import pandas as pd

from kaohe.headers import sheet_columns
from kaohe.values import parse_id
from kaohe.workbook import contract as c


def records(rows: list[list] | None, sheet: c.OutputSheet) -> pd.DataFrame:
    """A kaohe-written sheet's rows as a frame of its engine fields (empty if absent)."""
    fields = [f for _, f in sheet.columns]
    if not rows:
        return pd.DataFrame(columns=fields)
    columns = sheet_columns(rows)
    index = {f: columns[h] for h, f in sheet.columns if h in columns}
    body = [r for r in rows[1:] if any(v not in (None, "") for v in r)]
    data = {f: [(r[i] if i < len(r) else None) if i is not None else None for r in body]
            for f, i in ((f, index.get(f)) for f in fields)}
    if "emp" in data:  # 工号 written as 员工名册 typed it (a number) is text inside kaohe
        data["emp"] = [parse_id(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v
                       for v in data["emp"]]
    frame = pd.DataFrame(data, columns=fields)
    return frame.replace({"": None})
