"""Markdown tables of the generated docs (docs/规则说明.md, docs/工作簿约定.md)."""
from __future__ import annotations


def md_cell(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ") if text not in (None, "") else ""


def md_table(headers, rows) -> list[str]:
    out = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    return out + ["| " + " | ".join(md_cell(v) for v in row) + " |" for row in rows]
