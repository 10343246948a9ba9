"""Parsing what HR actually types into cells.

Real dates and times, Excel serial numbers (times are binary fractions: 08:45 is stored as
0.36458333333333331, so every time is rounded to the nearest second first), and text such as
``2026-11-02 8:30``, ``2026/11/2``, ``2026年11月2日``, ``8:30``, ``08时30分`` (full-width digits read as
their half-width forms). 工号 is always text: ``001`` stays ``001`` and a number 1.0 becomes ``1``; ids are
compared in one form, :func:`normal_id`. A date typed without its year (``9月8日``) is read by
:func:`parse_month_day`: which year it means depends on the month computed (kaohe.engine.inputs).

Each parser returns ``None`` for a blank cell and raises ``ValueError`` (with a short Chinese
reason) for a value it cannot understand.
"""
from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import math
import re
import unicodedata
from dataclasses import dataclass

EXCEL_EPOCH = dt.datetime(1899, 12, 30)
EPOCH_1904 = dt.datetime(1904, 1, 1)
_EPOCH = contextvars.ContextVar("kaohe_date_epoch", default=EXCEL_EPOCH)


def epoch() -> dt.datetime:
    """Serial 0 of the workbook being read or written (1899-12-30, or 1904-01-01 in the 1904 system)."""
    return _EPOCH.get()


@contextlib.contextmanager
def date_system(is_1904: bool):
    """Read and write date serial numbers in a workbook's own date system (workbookPr date1904)."""
    token = _EPOCH.set(EPOCH_1904 if is_1904 else EXCEL_EPOCH)
    try:
        yield
    finally:
        _EPOCH.reset(token)
# Serial numbers outside these bounds are not plausible dates (1900-01-01 .. 2099-12-31).
MIN_SERIAL, MAX_SERIAL = 1, 73415
MIN_YEAR, MAX_YEAR = 1900, 2099

_DATE_RE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*")
_COMPACT_DATE_RE = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*")
_TIME_RE = re.compile(r"^\s*(\d{1,2})\s*[:：时]\s*(\d{1,2})\s*(?:分)?\s*(?:[:：]?\s*(\d{1,2})(?:\.\d+)?\s*秒?)?\s*$")
# How to write what could not be read (the way forward, in every message about a date or time cell).
TIME_HINT = "请写成 24 小时制的时刻，如 13:30（下午一点半）"
DATE_HINT = "请写成 2026-11-11 这样的日期"
DATETIME_HINT = "请写成“2026-11-11 13:30”这样的日期和 24 小时制时刻"
_WEEKDAY_TAIL = re.compile(r"\s*(星期|周)[一二三四五六日天]\s*")
# ISO 8601 as a cell of type "d" holds it (SheetJS with cellDates: 2026-10-09T08:25:25.000Z). The text is the
# wall-clock time Excel shows: the Z (or an offset) is not a time zone to convert from.
_ISO_RE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?\s*$")


def is_blank(value) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _iso(value) -> dt.datetime | None:
    """An ISO 8601 date-time text (a cell of type "d"), as the wall-clock time it spells; None if it is not one."""
    match = _ISO_RE.match(value) if isinstance(value, str) else None
    if not match:
        return None
    y, mo, d, h, mi = (int(match.group(i)) for i in range(1, 6))
    try:
        return dt.datetime(y, mo, d, h, mi, int(match.group(6) or 0))
    except ValueError:
        raise ValueError(f"不存在的日期时间“{value}”") from None


def round_second(value: dt.datetime) -> dt.datetime:
    """Round to the nearest whole second (binary fractions from Excel)."""
    if value.microsecond == 0:
        return value
    base = value.replace(microsecond=0)
    return base + dt.timedelta(seconds=1) if value.microsecond >= 500_000 else base


def _from_serial(number: float) -> dt.datetime:
    base = epoch()
    shift = (base - EXCEL_EPOCH).days
    if not (MIN_SERIAL <= number + shift <= MAX_SERIAL):
        raise ValueError("日期序号超出范围")
    return round_second(base + dt.timedelta(seconds=round(number * 86400)))


def _number(value) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError("不是有效数字")
        return float(value)
    return None


def _check_year(value):
    if not (MIN_YEAR <= value.year <= MAX_YEAR):
        raise ValueError(f"年份 {value.year} 超出范围")
    return value


def parse_datetime(value) -> dt.datetime | None:
    """A date-time: a datetime, a date (at 00:00), a serial number or text."""
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return _check_year(round_second(value.replace(tzinfo=None)))
    if isinstance(value, dt.date):
        return _check_year(dt.datetime(value.year, value.month, value.day))
    number = _number(value)
    if number is not None:
        return _from_serial(number)
    if _iso(value) is not None:
        return _check_year(_iso(value))
    if isinstance(value, str):
        text = _half_width(value).replace("T", " ")
        date, rest = _split_date(text)
        if date is None:
            raise ValueError(f"{_no_year(value) or f'无法识别的日期时间“{value}”'}：{DATETIME_HINT}")
        rest = _WEEKDAY_TAIL.sub(" ", rest).strip()
        if not rest:
            return _check_year(dt.datetime(date.year, date.month, date.day))
        try:
            time = parse_time(rest)
            assert time is not None  # rest is not blank
        except ValueError:
            raise ValueError(f"无法识别的时间“{rest}”：{DATETIME_HINT}") from None
        return _check_year(dt.datetime.combine(date, time))
    raise ValueError(f"无法识别的日期时间“{value}”：{DATETIME_HINT}")


def _split_date(text: str) -> tuple[dt.date | None, str]:
    match = _DATE_RE.match(text) or _COMPACT_DATE_RE.match(text)
    if not match:
        return None, text
    try:
        date = dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        raise ValueError(f"不存在的日期“{text}”") from None
    return date, text[match.end():]


def parse_date(value) -> dt.date | None:
    """A date: a date, a datetime (its date), a serial number or text."""
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return _check_year(value).date()
    if isinstance(value, dt.date):
        return _check_year(value)
    number = _number(value)
    if number is not None:
        if not float(number).is_integer() and number % 1 > 0.99999:
            number = round(number)
        return _from_serial(number).date()
    if _iso(value) is not None:
        return _check_year(_iso(value)).date()
    if isinstance(value, str):
        date, rest = _split_date(_half_width(value))
        rest = _WEEKDAY_TAIL.sub(" ", rest).strip()
        if date is None or (rest and parse_time(rest) is None):
            raise ValueError(f"{_no_year(value) or f'无法识别的日期“{value}”'}：{DATE_HINT}")
        return _check_year(date)
    raise ValueError(f"无法识别的日期“{value}”：{DATE_HINT}")


def parse_time(value) -> dt.time | None:
    """A time of day: a time, a datetime (its time), a day fraction, or text like 8:30 / 08时30分."""
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return round_second(value).time()
    if isinstance(value, dt.time):
        return round_second(dt.datetime.combine(dt.date(2000, 1, 1), value)).time()
    if isinstance(value, dt.timedelta):
        seconds = round(value.total_seconds())
        if not 0 <= seconds < 86400:
            raise ValueError("时间超出一天")
        return (dt.datetime(2000, 1, 1) + dt.timedelta(seconds=seconds)).time()
    number = _number(value)
    if number is not None:
        if not 0 <= number < 1:
            raise ValueError(f"时间数值 {value:g} 不在 0 到 1 之间")
        seconds = round(number * 86400)
        if seconds == 86400:
            seconds -= 1
        return (dt.datetime(2000, 1, 1) + dt.timedelta(seconds=seconds)).time()
    iso = _iso(value)
    if iso is not None:
        return iso.time()
    if isinstance(value, str):
        match = _TIME_RE.match(value)
        if match:
            h, m, s = int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)
            if h < 24 and m < 60 and s < 60:
                return dt.time(h, m, s)
            if h == 24 and m == 0 and s == 0:
                return dt.time(23, 59, 59)
        raise ValueError(f"无法识别的时间“{value}”：{TIME_HINT}")
    raise ValueError(f"无法识别的时间“{value}”：{TIME_HINT}")


def _half_width(text: str) -> str:
    """Text as compared and parsed: NFKC (full-width digits, letters and punctuation to half-width), trimmed."""
    return unicodedata.normalize("NFKC", text).strip()


def normal_id(text: str) -> str:
    """The one form ids are compared in (工号, 考勤号码, UserId …), never the form shown: NFKC — full-width
    ``１０３`` is ``103`` — and trimmed. Leading zeros are kept (``001`` is not ``1``: that match is
    a separate, reported step of the identity rule)."""
    return _half_width(str(text))


_MONTH_DAY_RE = re.compile(r"^(\d{1,2})\s*(?:月\s*(\d{1,2})\s*[日号]?|[-/]\s*(\d{1,2}))\s*")


@dataclass(frozen=True)
class MonthDay:
    """A date typed without its year (``9月8日``, ``10-13``, ``9/8 08:30``): month, day, the time if any."""

    month: int
    day: int
    time: dt.time | None
    text: str  # as typed

    def on(self, year: int) -> dt.date:
        """This date in ``year``; ValueError for a day the year lacks (2月29日 of 2027)."""
        try:
            return dt.date(year, self.month, self.day)
        except ValueError:
            raise ValueError(f"{year}年没有{self.month}月{self.day}日") from None


def parse_month_day(value) -> MonthDay | None:
    """A text date without a year, with an optional weekday and time after it; None for anything else."""
    if not isinstance(value, str):
        return None
    text = _half_width(value)
    m = _MONTH_DAY_RE.match(text)
    if not m:
        return None
    month, day = int(m.group(1)), int(m.group(2) or m.group(3))
    rest = _WEEKDAY_TAIL.sub(" ", text[m.end():]).strip()
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    try:
        time = parse_time(rest) if rest else None
    except ValueError:
        return None
    return MonthDay(month, day, time, value.strip())


def _no_year(value: str) -> str:
    """The reason for a text date without a year (where its year cannot be decided), else ''."""
    return f"日期“{value.strip()}”没有年份" if parse_month_day(value) else ""


def parse_id(value) -> str | None:
    """工号 as text: ``001`` stays ``001``; a number 1.0 becomes ``1``."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise ValueError("工号不能是逻辑值")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("工号无效")
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (dt.date, dt.time, dt.timedelta)):
        raise ValueError("工号不能是日期或时间")
    text = str(value).strip()
    if len(text) > 64:
        raise ValueError("工号过长")
    return text


def parse_number(value) -> float | None:
    """A number: a number, or text such as ``5,000``, ``¥5000`` or ``45.2%``."""
    if is_blank(value):
        return None
    number = _number(value)
    if number is not None:
        return number
    if isinstance(value, str):
        text = value.strip().replace(",", "").replace("，", "").replace("¥", "").replace("￥", "").replace("元", "")
        scale = 1.0
        if text.endswith("%"):
            text, scale = text[:-1], 0.01
        try:
            number = float(text) * scale
        except ValueError:
            raise ValueError(f"不是数字“{value}”") from None
        if not math.isfinite(number):
            raise ValueError(f"不是数字“{value}”")
        return number
    raise ValueError(f"不是数字“{value}”")


def parse_text(value) -> str | None:
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def column_letter(index: int) -> str:
    """0-based column index to Excel letters (0 -> A)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters

