"""Custom document properties (``docProps/custom.xml``) of a workbook file: facts kept inside the file itself.

The finance workbook carries its month, its version and the fingerprint of its figures there
(kaohe.jobs.handoff), so that whatever the file is called or wherever it is moved, kaohe knows what it is.
A value longer than Excel's 255 characters is split over ``NAME``, ``NAME_2``, … and joined again on reading;
every other property (HR's own, kaohe's record of its sheets) is kept as it is.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

from lxml import etree

from kaohe.findings import InputRefused
from kaohe.workbook.parts import (CUSTOM_CT, CUSTOM_NS, CUSTOM_PART, CUSTOM_REL, PROPERTY_FMTID, VT_NS, Parts, dump,
                                  local, parse)
from kaohe.workbook.saving import write_package

LIMIT = 255  # Excel's limit for the text of a custom property
MAX_PART = 1 << 20  # a custom.xml larger than this is not one kaohe wrote: not read


def _pieces(value: str) -> list[str]:
    return [value[i:i + LIMIT] for i in range(0, len(value), LIMIT)] or [""]


def _names(root) -> dict[str, Any]:
    return {p.get("name") or "": p for p in root if local(p) == "property"}


def read_properties(path: Path) -> dict[str, str]:
    """Name -> text of the file's custom properties; {} when it has none or is no readable package
    (e.g. an encrypted workbook, whose package is inside the encryption)."""
    try:
        with zipfile.ZipFile(path) as z:
            if CUSTOM_PART not in z.namelist() or z.getinfo(CUSTOM_PART).file_size > MAX_PART:
                return {}
            root = parse(z.read(CUSTOM_PART))
    except (zipfile.BadZipFile, OSError, InputRefused, KeyError):
        return {}
    raw = {name: "".join(p.itertext()) for name, p in _names(root).items()}
    out = {}
    for name, text in raw.items():
        m = re.fullmatch(r"(.+)_(\d+)", name)
        if m and m.group(1) in raw:
            continue  # a piece of a longer value: joined below
        k, pieces = 2, [text]
        while f"{name}_{k}" in raw:
            pieces.append(raw[f"{name}_{k}"])
            k += 1
        out[name] = "".join(pieces)
    return out


def set_properties(parts: Parts, values: dict[str, str]) -> None:
    """Set ``values`` (text) as custom properties of the package in ``parts``, replacing same-named ones."""
    if CUSTOM_PART in parts.names or CUSTOM_PART in parts.trees:
        root = parts.edit(CUSTOM_PART)
    else:
        root = etree.Element(f"{{{CUSTOM_NS}}}Properties", nsmap={None: CUSTOM_NS, "vt": VT_NS})
        parts.put(CUSTOM_PART, root)
        parts.add_rel("", CUSTOM_REL, CUSTOM_PART)
        parts.set_override(CUSTOM_PART, CUSTOM_CT)
    present = _names(root)
    for name in values:
        for key in [n for n in present if n == name or re.fullmatch(re.escape(name) + r"_\d+", n)]:
            root.remove(present[key])
    pids = [int(p.get("pid")) for p in root if (p.get("pid") or "").isdigit()]
    pid = max(pids + [1])
    for name, value in values.items():
        for k, piece in enumerate(_pieces(str(value))):
            pid += 1
            prop = etree.SubElement(root, f"{{{CUSTOM_NS}}}property")
            prop.set("fmtid", PROPERTY_FMTID)
            prop.set("pid", str(pid))
            prop.set("name", name if not k else f"{name}_{k + 1}")
            etree.SubElement(prop, f"{{{VT_NS}}}lpwstr").text = piece


def write_properties(path: Path, values: dict[str, str]) -> None:
    """Set ``values`` as custom properties of the workbook file at ``path``, in place (a new file renamed over
    it; every other member copied unchanged)."""
    path = Path(path)
    with zipfile.ZipFile(path) as zin:
        parts = Parts(zin)
        set_properties(parts, values)
        replaced = {name: dump(parts.trees[name]) for name in parts.edited}
        write_package(parts, replaced, set(), path, path, None)
