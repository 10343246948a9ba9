"""Saving a package: every member copied, replaced or left out into a temporary file, renamed over the target.

Saving is atomic: the new package is written to a temporary file in the same folder and
renamed over the target; when editing in place, the original is first copied to
``name.bak-YYYYmmdd-HHMMSS.xlsx`` (``-2``, ``-3``… when that name exists: a backup is never
overwritten). A failure at any point leaves the original untouched and no temporary file behind.
Members kaohe does not replace are copied as their compressed bytes (no inflate, no deflate).
"""
from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import os
import shutil
import stat
import struct
import zipfile
from pathlib import Path
from typing import Any

from kaohe.findings import InputRefused
from kaohe.workbook.lock import temp_file
from kaohe.workbook.parts import Parts
from kaohe.values import date_system

FAST = 1  # deflate level for kaohe's own parts: 3-4x faster than 6, a few % larger
_FORCE = contextvars.ContextVar("kaohe_write_read_only", default=False)


@contextlib.contextmanager
def forcing(flag: bool):
    """``--force``: write a file although it is marked read-only (for the jobs run inside)."""
    token = _FORCE.set(bool(flag))
    try:
        yield
    finally:
        _FORCE.reset(token)


def read_only(path: Path) -> bool:
    """Is the file marked read-only: no write bit in its mode, or (Windows) its read-only attribute. Judged by
    the mark, not by whether this process could write it (root, or an administrator, can)."""
    try:
        st = os.stat(path)
    except OSError:
        return False
    attributes = getattr(st, "st_file_attributes", 0)
    return not st.st_mode & 0o222 or bool(attributes & getattr(stat, "FILE_ATTRIBUTE_READONLY", 1))


def check_writable(path: Path) -> None:
    """A file marked read-only is refused (exit 2, untouched) unless ``--force`` (:func:`forcing`)."""
    if not _FORCE.get() and read_only(path):
        raise InputRefused(f"文件“{Path(path).name}”设为只读，kaohe 不会改写它；请取消只读（文件属性 > 只读），"
                           "或确认要写入时加 --force",
                           f"{Path(path).name} is marked read-only; clear the mark, or add --force to write it")


def check_kind(parts: Parts, src: Path, dst: Path) -> None:
    """An .xlsm stays .xlsm and an .xlsx stays .xlsx: Excel refuses a file whose extension lies."""
    macro = parts.macro_enabled()
    suffix = dst.suffix.lower()
    if src.resolve() != dst.resolve() and suffix in (".xlsx", ".xlsm") and (suffix == ".xlsm") != macro:
        want = ".xlsm" if macro else ".xlsx"
        raise InputRefused(f"输出文件的扩展名应为 {want}（输入是{'启用宏的' if macro else '不含宏的'}工作簿），"
                          "Excel 打不开扩展名不符的文件",
                           f"the output must be named {want} like the input; Excel refuses a mismatched extension")


def make_backup(path: Path) -> Path:
    """Copy ``path`` aside as ``name.bak-YYYYmmdd-HHMMSS[-n].ext``; an existing backup is never overwritten."""
    stamp = _stamp()
    return _atomic_copy(path, [path.with_name(f"{path.stem}.bak-{stamp}{'' if n == 1 else f'-{n}'}{path.suffix}")
                               for n in range(1, 1000)])


def _stamp() -> str:
    return dt.datetime.now().strftime("%Y%m%d-%H%M%S")


def backup_existing(path: Path) -> Path | None:
    """Before a file is replaced by a new one (kaohe finance): keep its bytes in a backup."""
    return make_backup(Path(path)) if Path(path).is_file() else None


def _atomic_copy(src: Path, names: list[Path]) -> Path:
    """Copy via a temporary file, then link it under the first free name: a backup is complete or absent."""
    fd, tmp = temp_file(names[0].parent)
    try:
        with os.fdopen(fd, "wb") as out, open(src, "rb") as fin:
            shutil.copyfileobj(fin, out, 1 << 20)
            out.flush()
            os.fsync(out.fileno())
        shutil.copystat(src, tmp)
        for name in names:
            try:
                os.link(tmp, name)  # fails if the name exists: never overwrites
            except FileExistsError:
                continue
            except OSError:  # no hard links on this file system
                if name.exists():
                    continue
                os.replace(tmp, name)
            return name
        raise InputRefused("备份文件名已用尽，请清理旧的备份", "no free backup name; remove old backups")
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _mode_for(src: Path, dst: Path) -> int:
    """Keep the permissions of the file being replaced (or of the source, for a new file)."""
    for path in (dst, src):
        try:
            return os.stat(path).st_mode & 0o777
        except OSError:
            continue
    return 0o644


class Stream:
    """A part rendered while it is written (``texts()`` yields its text in pieces): the XML of a large
    sheet is never held whole."""

    def __init__(self, texts):
        self.texts = texts

    def chunks(self):
        for text in self.texts():
            yield text.encode("utf-8")


def _write_part(zout: zipfile.ZipFile, zi: zipfile.ZipInfo, data) -> None:
    zi.compress_type = zipfile.ZIP_DEFLATED
    entry: Any = zi  # the deflate level's name is private before Python 3.13
    try:
        entry.compress_level = FAST
    except AttributeError:
        entry._compresslevel = FAST
    if isinstance(data, Stream):
        with zout.open(zi, "w", force_zip64=True) as fh:
            for block in data.chunks():
                fh.write(block)
    else:
        zout.writestr(zi, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=FAST)


def write_package(parts: Parts, replaced: dict, dropped: set[str], src: Path, dst: Path, fail_after) -> None:
    """Copy, replace or leave out each member into a temporary file, then rename it over ``dst``."""
    zin = parts.zin
    fd, tmp = temp_file(dst.parent)
    try:
        with os.fdopen(fd, "wb") as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as zout, \
                date_system(parts.workbook_flag("workbookPr", "date1904")):
            for k, info in enumerate(zin.infolist()):
                if fail_after is not None and k >= fail_after:
                    raise OSError("injected failure")
                if info.filename in dropped:
                    continue
                data = replaced.get(info.filename)
                if data is None:
                    _copy_member(zin, zout, info)
                else:
                    _write_part(zout, _like(info), data)
            for part in (p for p in replaced if p not in parts.names):
                _write_part(zout, zipfile.ZipInfo(part, date_time=(1980, 1, 1, 0, 0, 0)), replaced[part])
            raw.flush()
            os.fsync(raw.fileno())
        os.chmod(tmp, _mode_for(src, dst))
        os.replace(tmp, dst)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _like(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    zi = zipfile.ZipInfo(info.filename, date_time=info.date_time)
    zi.external_attr = info.external_attr
    zi.create_system = info.create_system
    return zi


def _copy_member(zin: zipfile.ZipFile, zout: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Copy one member unchanged: its compressed bytes as they are (no inflate, no deflate)."""
    if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise InputRefused(f"工作簿中的部件 {info.filename} 无法复制（加密或不支持的压缩方式）",
                           f"part {info.filename} cannot be copied (encrypted or unsupported compression)")
    # zipfile's local-header layout and its writer's state: private names, stable since Python 3.6
    zf: Any = zipfile
    fp: Any = zin.fp
    out: Any = zout
    fp.seek(info.header_offset)
    header = fp.read(zf.sizeFileHeader)
    fields = struct.unpack(zf.structFileHeader, header)
    if fields[zf._FH_SIGNATURE] != zf.stringFileHeader:
        raise InputRefused("工作簿文件已损坏，无法打开", f"bad local header for {info.filename}")
    fp.seek(info.header_offset + zf.sizeFileHeader + fields[zf._FH_FILENAME_LENGTH]
            + fields[zf._FH_EXTRA_FIELD_LENGTH])
    zi = _like(info)
    zi.compress_type = info.compress_type
    zi.CRC, zi.compress_size, zi.file_size = info.CRC, info.compress_size, info.file_size
    zi.flag_bits = info.flag_bits & ~0x08 & 0xFFFF  # sizes go in the local header, no data descriptor
    zi.header_offset = out.fp.tell()
    out.fp.write(zi.FileHeader(zip64=info.file_size > zipfile.ZIP64_LIMIT or info.compress_size > zipfile.ZIP64_LIMIT))
    remaining = info.compress_size
    while remaining:
        block = fp.read(min(remaining, 1 << 20))
        if not block:
            raise InputRefused("工作簿文件已损坏（数据不完整）", f"truncated data for {info.filename}")
        out.fp.write(block)
        remaining -= len(block)
    out.filelist.append(zi)
    out.NameToInfo[zi.filename] = zi
    out.start_dir = out.fp.tell()
    out._didModify = True
