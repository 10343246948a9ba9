"""argparse speaking Chinese first: usage, section titles, -h, and every argument error.

An argument error is one line like every other refusal of the command —
``错误：缺少必需的参数 --month（…） / Error: the following arguments are required: --month`` —
and exit status 2 (input unusable), as argparse itself uses.
"""
from __future__ import annotations

import argparse
import re
import sys

from kaohe.periods import MonthError, parse_month

# argparse's English messages (Python 3.9-3.13) and their Chinese; matched on the whole message
_MESSAGES = [
    (r"the following arguments are required: (.+)", "缺少必需的参数 {0}"),
    (r"one of the arguments (.+) is required", "必须给出其中一个参数：{0}"),
    (r"unrecognized arguments: (.+)", "无法识别的参数：{0}"),
    (r"argument (.+?): invalid choice: (.+?) \(choose from (.+)\)", "参数 {0} 的值 {1} 无效，可选：{2}"),
    (r"argument (.+?): expected one argument", "参数 {0} 后面需要写一个值"),
    (r"argument (.+?): expected at least one argument", "参数 {0} 后面至少需要写一个值"),
    (r"argument (.+?): not allowed with argument (\S+)", "参数 {0} 不能与 {1} 同时使用"),
    (r"argument (.+?): invalid (\w+) value: (.+)", "参数 {0} 的值 {2} 无效"),
    (r"argument (.+?): ignored explicit argument (.+)", "参数 {0} 不接受值 {1}"),
    (r"ambiguous option: (\S+) could match (.+)", "选项 {0} 不明确，可能是：{1}"),
    (r"argument (.+?): (.+)", "参数 {0}：{1}"),
]


def chinese(message: str) -> str:
    """The Chinese of one argparse error message (the English itself if it is not known)."""
    for pattern, zh in _MESSAGES:
        m = re.fullmatch(pattern, message, re.S)
        if m:
            return zh.format(*m.groups())
    return message


class ChineseHelpFormatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        return super().add_usage(usage, actions, groups, "用法 usage: " if prefix is None else prefix)


class ChineseArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose texts are Chinese first; subparsers inherit the class."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", ChineseHelpFormatter)
        add_help = kwargs.pop("add_help", True)
        kwargs["add_help"] = False  # added below, with a Chinese help text
        super().__init__(*args, **kwargs)
        self._positionals.title = "参数 arguments"
        self._optionals.title = "选项 options"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                              help="显示本帮助并退出 / show this help and exit")

    def error(self, message: str):
        zh, en = chinese(message), message
        if " / " in message and "：" in message:  # a type function's own "中文 / English"
            zh, en = chinese(message.split(" / ")[0]), message.split(" / ", 1)[1]
        print(f"错误：{zh}（用法见 {self.prog} -h） / Error: {en}", file=sys.stderr)
        raise SystemExit(2)


def month_arg(text: str) -> str:
    """--month through the one month parser (kaohe.periods); a bad month is an argument error."""
    try:
        return parse_month(text)
    except MonthError as exc:
        raise argparse.ArgumentTypeError(f"{exc.zh} / {exc.en}") from None
