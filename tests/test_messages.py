"""What HR reads at the command line is Chinese first: argument errors, usage, every option's help."""
import argparse

import pytest

from kaohe.cli import build_parser, main


def _every_action(parser):
    for action in parser._actions:
        yield parser.prog, action
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                yield from _every_action(sub)


def test_every_option_and_argument_has_help():
    missing = [f"{prog} {action.dest}" for prog, action in _every_action(build_parser())
               if not isinstance(action, argparse._SubParsersAction) and not action.help]
    assert missing == []


@pytest.mark.parametrize("argv, zh", [
    (["compute-month", "b.xlsx"], "错误：缺少必需的参数 --month"),
    (["template", "payroll", "--out", "x.xlsx"], "错误：参数 kind 的值 'payroll' 无效，可选："),
    (["review", "b.xlsx", "--quarter", "2026Q1", "--year", "2026"], "错误：参数 --year 不能与 --quarter 同时使用"),
    (["finance", "b.xlsx", "--month", "2026-11", "--colour"], "错误：无法识别的参数：--colour"),
    (["kpi", "b.xlsx", "--month"], "错误：参数 --month 后面需要写一个值"),
])
def test_argument_errors_are_one_chinese_line_and_exit_2(capsys, argv, zh):
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and err.startswith(zh) and " / Error: " in err
    assert "usage:" not in err and "error:" not in err


def test_help_is_chinese_first(capsys):
    assert main(["finance", "-h"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("用法 usage: kaohe finance") and "选项 options:" in out and "显示本帮助并退出" in out
