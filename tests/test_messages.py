"""What HR reads at the command line is Chinese first: argument errors, usage, every option's help."""
import argparse

import pytest

from builders import ROSTER_HEADER, person, write_book
from kaohe.doors.cli import build_parser, main


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


def _refusal(capsys, argv):
    code = main(argv)
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and err.startswith("错误：") and " / Error: " in err
    return code, err


def test_a_misspelt_sheet_is_named_in_the_refusal(tmp_path, capsys):
    book = write_book(tmp_path / "b.xlsx", {"员工名册": [ROSTER_HEADER, person()], "打卡纪录": [["工号", "打卡时间"]]})
    code, err = _refusal(capsys, ["compute-month", str(book), "--month", "2026-11"])
    assert code == 2 and "缺少必需的工作表“打卡记录”，您是否想用“打卡纪录”？" in err


def test_no_suggestion_when_nothing_is_close(tmp_path, capsys):
    book = write_book(tmp_path / "b.xlsx", {"员工名册": [ROSTER_HEADER, person()], "Sheet1": [["x"]]})
    code, err = _refusal(capsys, ["compute-month", str(book), "--month", "2026-11"])
    assert code == 2 and "缺少必需的工作表“打卡记录”" in err and "您是否想用" not in err


def test_an_excel_lock_says_how_to_clear_it_after_a_crash(tmp_path, capsys):
    book = write_book(tmp_path / "b.xlsx", {"员工名册": [ROSTER_HEADER, person()], "打卡记录": [["工号", "打卡时间"]]})
    (tmp_path / "~$b.xlsx").write_bytes(b"x")
    code, err = _refusal(capsys, ["compute-month", str(book), "--month", "2026-11"])
    assert code == 2 and "若已关闭（例如 Excel 崩溃后），可删除同一文件夹中的隐藏文件 ~$b.xlsx" in err


def test_finance_and_compute_month_refuse_a_workbook_open_in_excel(tmp_path, capsys):
    """The finance export records itself in the workbook (财务发送记录), so it writes it: not while it is open."""
    book = write_book(tmp_path / "b.xlsx", {"员工名册": [ROSTER_HEADER, person()],
                                            "打卡记录": [["工号", "打卡时间"], ["001", "2026-11-02 08:55"]]})
    (tmp_path / "~$b.xlsx").write_bytes(b"x")
    before = book.read_bytes()
    for command in (["finance", str(book), "--month", "2026-11", "--out", str(tmp_path / "out") + "/"],
                    ["compute-month", str(book), "--month", "2026-11"]):
        code, err = _refusal(capsys, command)
        assert code == 2 and "打开" in err and book.read_bytes() == before
    assert not (tmp_path / "out" / "财务汇总_2026-11.xlsx").exists()


def test_a_present_sheet_without_its_header_is_not_suggested_as_itself(tmp_path, capsys):
    book = write_book(tmp_path / "r.xlsx", {"员工名册": [ROSTER_HEADER, person()], "考核评分": [["备注"], ["x"]]})
    code, err = _refusal(capsys, ["review", str(book), "--quarter", "2026Q3"])
    assert code == 2 and "工作表“考核评分”中找不到表头" in err and "您是否想用" not in err
