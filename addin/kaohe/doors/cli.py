"""The kaohe command: the same engine on .xlsx files, no Excel needed.

Exit status: 0 done (problems listed in 问题清单 are not failures); 1 the job failed (a
message says why); 2 the input cannot be used, with a one-line Chinese and English reason
and nothing written.
"""
from __future__ import annotations

import argparse
import errno
import os
import sys
from pathlib import Path

from kaohe import __version__
from kaohe.findings import InputRefused
from kaohe.jobs.mail import MailError
from kaohe.doors.cliargs import ChineseArgumentParser, month_arg
from kaohe.doors.tool_commands import cmd_add_sheet, cmd_addin, cmd_rules, cmd_serve, cmd_template, cmd_wps

DESCRIPTION = """考核 kaohe —— 把公司的考勤、请假和绩效制度用到 HR 的 Excel 工作簿里。
kaohe applies the company's attendance, leave and performance policy to HR's Excel workbooks.

不带 --out 时直接修改工作簿，并先在旁边保存备份（name.bak-时间.xlsx）。
Without --out a command edits BOOK in place, after writing a backup beside it.
退出码 / exit status: 0 完成 done · 1 失败 failed · 2 输入无法使用 input unusable."""


def _say(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def _progress(args):
    """Progress goes to an interactive terminal only: logs and refusals stay one line."""
    return _say if sys.stderr.isatty() and not args.quiet else None


def _money(x: float) -> str:
    return f"{x:,.2f}"


def cmd_compute_month(args) -> int:
    from kaohe.jobs.month import compute_month_job

    job = compute_month_job(Path(args.book), args.month, Path(args.out) if args.out else None,
                            progress=_progress(args))
    print_month_summary(job)
    return 0


def print_written(job) -> None:
    print(f"已写入 / written: {job.written}")
    if job.backup:
        print(f"备份 / backup: {job.backup}")


def print_month_summary(job) -> None:
    s = job.summary
    print_written(job)
    print(f"员工 {s['employees']} 人 · 罚款 ¥{_money(s['fines'])} · 扣款 ¥{_money(s['deductions'])} · "
          f"{s.get('pay_name', '加班费')} ¥{_money(s['overtime_pay'])} · "
          f"问题 {job.problems} 条，其中错误 {s.get('errors', 0)} 条（见“问题清单”）")


def cmd_check_leave(args) -> int:
    from kaohe.jobs.month import check_leave_job

    job = check_leave_job(Path(args.book), Path(args.out) if args.out else None,
                          progress=_progress(args))
    print_written(job)
    print(f"请假 {job.summary['records']} 条 · 通过 {job.summary['passed']} 条 · 问题 {job.problems} 条，"
          f"其中错误 {job.summary['errors']} 条（见“问题清单”）")
    return 0


def cmd_demo(args) -> int:
    from kaohe.jobs.month import compute_month_job
    from kaohe.jobs.sample import write_sample

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    sample = write_sample(out / f"考勤示例_{args.month}.xlsx", args.month)
    print(f"示例工作簿 / sample workbook: {sample}")
    result = out / f"考勤示例_{args.month}_结果.xlsx"
    result.unlink(missing_ok=True)  # the demo's own result of the last run: replaced, not backed up
    job = compute_month_job(sample, args.month, result, progress=_progress(args), command="demo")
    print_month_summary(job)
    return 0


def cmd_kpi(args) -> int:
    from kaohe.jobs.kpi import kpi_job
    from kaohe.values import parse_date

    notice = None
    if args.notice_date:
        try:
            notice = parse_date(args.notice_date)
        except ValueError:
            raise InputRefused(f"通报日期无效：{args.notice_date}", f"bad --notice-date: {args.notice_date}") from None
    job = kpi_job(Path(args.book), args.month, notice, Path(args.out) if args.out else None, progress=_progress(args))
    print_written(job)
    print(f"团队 {job.summary['team']} 人 · 参加排名 {job.summary['scored']} 人 · 问题 {job.problems} 条（见“问题清单”）")
    return 0


def cmd_review(args) -> int:
    from kaohe.jobs.kpi import review_job

    job = review_job(Path(args.book), args.quarter or args.year, Path(args.out) if args.out else None,
                     progress=_progress(args))
    print_written(job)
    print(f"考核 {job.summary['scored']} 人 · 问题 {job.problems} 条（见“问题清单”）")
    return 0


def cmd_finance(args) -> int:
    from kaohe.jobs.finance import finance_job

    job = finance_job(Path(args.book), args.month, args.out,
                      Path(args.kpi) if args.kpi else None, args.password_env, progress=_progress(args),
                      skip_unmatched_kpi=args.skip_unmatched_kpi)
    s = job.summary
    print(f"已写入 / written: {job.written}" + ("（已加密 / encrypted）" if s["encrypted"] else ""))
    print(f"员工 {s['employees']} 人 · 扣款合计 ¥{_money(s['deductions'])} · {s.get('pay_name', '加班费')} ¥{_money(s['overtime_pay'])} · "
          f"KPI奖惩 ¥{_money(s['kpi'])} · 上月更正 ¥{_money(s['corrections'])} · 调整合计 ¥{_money(s['adjustment'])}")
    print("已月结：数字取自月结时的冻结数据" if s["closed"] else "本月尚未月结（发送时需加 --unclosed）")
    if s["version"] == "更正版":
        print("注意：本月已发送过财务，这是更正版（仅供核对，不是付款依据）；差额随以后月份的“上月更正”结算，"
              "发给财务需加 --resend 原因")
    if s["kpi_left_out"]:
        print(f"注意：未计入KPI奖惩（不在考勤员工名册中）：{s['kpi_left_out']} / KPI money left out for ids not in the roster")
    return 0


def cmd_close(args) -> int:
    from kaohe.jobs.close import close_job

    job = close_job(Path(args.book), args.month, args.by, args.reopen, progress=_progress(args))
    s = job.summary
    print_written(job)
    if args.reopen is not None:
        print(f"{args.month} 已重新打开（{s['by']}，原因：{s['reason']}）；重新计算后见“变更对比”")
    else:
        print(f"{args.month} 已月结（确认人 {s['by']}） · 员工 {s['employees']} 人 · 调整合计 ¥{_money(s['adjustment'])} · "
              f"月度汇总指纹 {s['summary_fp']}")
    return 0


def cmd_slips(args) -> int:
    from kaohe.jobs.slips import slips_job

    job = slips_job(Path(args.book), args.month, Path(args.out) if args.out else None, args.dept,
                    progress=_progress(args))
    s = job.summary
    print(f"已写入 / written: {job.written}")
    print(f"PDF: {s['pdf']}" if s["pdf"] else "未安装 LibreOffice，未生成 PDF / LibreOffice not installed: no PDF")
    print(f"员工 {s['employees']} 人 · 共 {s['pages']} 页" + ("" if s["closed"] else "（本月尚未月结）"))
    if s["stale"]:
        print("注意：本月月结后输入有改动，确认单的每日明细按当前输入，金额为月结时的数字", file=sys.stderr)
    return 0


def cmd_send(args) -> int:
    from kaohe.jobs.sending import send_job

    sent = send_job(Path(args.file), args.to, book=Path(args.book) if args.book else None, unclosed=args.unclosed,
                    any_file=args.any_file, resend=args.resend, outlook=args.outlook)
    if args.outlook:
        print("已在 Outlook 中打开草稿（已记为发送财务） / opened as an Outlook draft (recorded as sent)")
        return 0
    what = f"{sent.month} {sent.version}" if sent.month else args.file
    mark = "（重发，勿重复支付） / resent for information" if args.resend else ""
    print(f"已发送 / sent: {what} → {', '.join(sent.recipients)}{mark}")
    return 0


def cmd_import(args) -> int:
    from kaohe.jobs.importing import import_job

    job = import_job(Path(args.book), [Path(s) for s in args.sources], args.kind, progress=_progress(args),
                     replace=args.replace)
    if job.summary.get("unchanged"):
        print("已导入过，无变化（工作簿未改动） / already imported: nothing changed, nothing written")
        return 0
    print_written(job)
    print(f"导入打卡 {job.summary['punches']} 条、KPI指标 {job.summary['metrics']} 行（{'、'.join(job.summary['kinds'])}） · "
          f"问题 {job.problems} 条（见“问题清单”）")
    return 0


def cmd_reconcile(args) -> int:
    from kaohe.jobs.importing import reconcile_job

    job = reconcile_job(Path(args.book), Path(args.file), args.month, progress=_progress(args))
    print_written(job)
    print(f"核对 {job.summary['items']} 项 · 不一致 {job.summary['differing']} 项（见“核对”） · 问题 {job.problems} 条")
    return 0


MONTH_HELP = "月份，如 2026-11、2026/11、2026年11月、202611 / the month"
OUT_HELP = "另存为此文件，原文件不动 / write here, leave BOOK alone"


def _a(*names, **options) -> tuple[tuple, dict]:
    """One argument of a command: add_argument's arguments."""
    return names, options


def _book(help_: str):
    return _a("book", metavar="BOOK", help=help_)


ATTENDANCE_BOOK = _book("考勤工作簿 / the attendance workbook")
MONTH = _a("--month", required=True, type=month_arg, metavar="YYYY-MM", help=MONTH_HELP)
OUT = _a("--out", metavar="PATH", help=OUT_HELP)
FORCE = _a("--force", action="store_true", help="文件设为只读也写入 / write even a file marked read-only")

# name, help, handler, arguments (a list: a required choice of one of them)
COMMANDS = (
    ("compute-month", "计算本月考勤、请假、加班和扣款 / compute the attendance month", cmd_compute_month,
     (_book("考勤工作簿 .xlsx / the attendance workbook"), MONTH, OUT, FORCE)),
    ("check-leave", "校验全部请假记录 / validate every leave request", cmd_check_leave,
     (_book("考勤工作簿 .xlsx / the attendance workbook"), OUT, FORCE)),
    ("kpi", "生成KPI评分表 / the monthly KPI score sheet", cmd_kpi,
     (_book("客服绩效工作簿 / the KPI workbook"), MONTH,
      _a("--notice-date", metavar="YYYY-MM-DD", help="月度通报下发日期 / date of the monthly notice"), OUT, FORCE)),
    ("review", "季度/年度考核 / quarterly or annual review", cmd_review,
     (_book("考核工作簿 / the review workbook"),
      [_a("--quarter", metavar="YYYYQn", help="季度，如 2026Q3 / quarter"),
       _a("--year", metavar="YYYY", help="年度，如 2026 / year")], OUT, FORCE)),
    ("finance", "导出财务表（只含数值） / the values-only finance workbook", cmd_finance,
     (ATTENDANCE_BOOK, MONTH,
      _a("--out", metavar="PATH", help="文件或文件夹；默认与 BOOK 同一文件夹 / file or folder"),
      _a("--kpi", metavar="KPIBOOK", help="客服绩效工作簿，计入KPI奖惩 / KPI workbook for KPI money"),
      _a("--skip-unmatched-kpi", action="store_true",
         help="KPI工号不在考勤员工名册中时不计其奖惩（终端和财务表封面会列出） / leave out KPI money of ids "
              "not in the roster"),
      _a("--password-env", metavar="NAME", help="用此环境变量中的密码加密 / encrypt with the password in NAME"), FORCE)),
    ("close", "月结确认或重新打开一个月 / close a paid month, or reopen it", cmd_close,
     (ATTENDANCE_BOOK, MONTH, _a("--by", required=True, metavar="姓名", help="确认人 / who closes or reopens"),
      _a("--reopen", metavar="原因", help="重新打开并写明原因 / reopen, with the reason"), FORCE)),
    ("slips", "打印个人考勤确认单 / one slip per employee to sign", cmd_slips,
     (ATTENDANCE_BOOK, MONTH,
      _a("--out", metavar="FILE", help="确认单工作簿；PDF 与其同名 / the slips workbook (the PDF beside it)"),
      _a("--dept", metavar="部门", help="只打印此部门 / one department only"))),
    ("send", "把财务表发给财务（每月只发一次） / email the finance workbook (once a month)", cmd_send,
     (_a("file", metavar="FILE", help="财务汇总_YYYY-MM.xlsx"),
      _a("--to", action="append", metavar="ADDR", help="收件人，可重复；默认 KAOHE_MAIL_TO / recipient"),
      _a("--outlook", action="store_true", help="（Windows）在 Outlook 中打开草稿而不直接发送 / Outlook draft"),
      _a("--unclosed", action="store_true", help="月份尚未月结也发送 / send although the month is not closed"),
      _a("--any-file", action="store_true", help="发送不是 kaohe finance 导出的文件（含打卡时刻、人员明细表或同一工号"
         "多行日期记录的文件一律拒绝） / send a file kaohe finance did not write (never one with punch times, personal "
         "sheets or several dated rows per employee)"),
      _a("--book", metavar="BOOK", help="财务表来自的考勤工作簿（默认取财务表中记录的路径；加密的财务表必须写） / "
         "the attendance workbook the file came from"),
      _a("--resend", metavar="原因", help="本月已发送过：把更正版作为“更正版·勿重复支付”重发并写明原因 / "
         "mail a month already sent again, marked not to be paid twice"))),
    ("template", "生成空白模板 / write a blank workbook template", cmd_template,
     (_a("kind", choices=["attendance", "kpi", "review"], help="attendance 考勤 · kpi 客服绩效 · review 考核"),
      _a("--out", required=True, metavar="PATH", help="模板写到这里 / where to write the template"),
      _a("--year", type=int, default=None, help="节假日表的年份 / year of the 节假日 sheet"),
      _a("--force", action="store_true", help="覆盖已有文件 / overwrite an existing file"))),
    ("add-sheet", "给已有工作簿添加模板中的输入表（如 罚则） / add a template's input sheet to a workbook", cmd_add_sheet,
     (_book("考勤工作簿 / the attendance workbook"), _a("sheet", metavar="工作表名", help="如 罚则 / e.g. 罚则"), OUT, FORCE)),
    ("demo", "生成示例工作簿并计算一个月 / write a sample workbook and compute its month", cmd_demo,
     (_a("--out", default="out", metavar="DIR", help="输出文件夹 / output folder (default: out)"),
      _a("--month", default="2026-10", type=month_arg, metavar="YYYY-MM",
         help="示例的月份（默认 2026-10） / sample month"))),
    ("addin", "Excel 加载项：build 生成，install 安装（Windows） / build or install the Excel add-in", cmd_addin,
     (_a("action", choices=["build", "install"], help="build 生成 kaohe.xlam · install 安装到 Excel（Windows）"),
      _a("--out", metavar="PATH", help="build：输出文件或文件夹 / where to write kaohe.xlam"))),
    ("serve", "WPS 加载项的本机服务（只监听 127.0.0.1） / the WPS add-in's local service", cmd_serve,
     (_a("--port", type=int, default=52577, help="端口（默认 52577） / port"),
      _a("--allow-origin", action="append", metavar="ORIGIN",
         help="离线加载项页面的来源，如 null（仍需令牌） / origin of the offline add-in's page"))),
    ("wps", "WPS 加载项：install 安装，uninstall 卸载 / install or remove the WPS add-in", cmd_wps,
     (_a("action", choices=["install", "uninstall"], help="install 安装 · uninstall 卸载"),
      _a("--port", type=int, default=52577, help="kaohe 服务的端口（默认 52577） / the service's port"),
      _a("--offline", action="store_true", help="复制加载项到 jsaddons（WPS 不加载在线加载项时） / offline copy"),
      _a("--origin", default="null", help="--offline：加载项页面的来源（默认 null） / the copy's page origin"),
      _a("--autostart", choices=["auto", "systemd", "xdg", "none"], default="auto",
         help="Linux：登录时如何启动服务（默认 auto） / how the service starts at login"),
      _a("--no-start", action="store_true", help="现在不启动服务 / do not start the service now"))),
    ("rules", "规则说明：每个规则编号的条款、含义、参数和默认值 / the rule reference", cmd_rules,
     (_a("--out", metavar="PATH", help="写成工作簿（如 规则说明.xlsx）；不写则显示在屏幕上 / write a workbook"),)),
    ("import", "导入考勤机、钉钉、企业微信打卡和赤兔客服指标 / import punches and service metrics", cmd_import,
     (_book("导入到此工作簿（考勤或客服绩效） / the workbook to import into"),
      _a("sources", metavar="SOURCE", nargs="+", help="考勤机 attlog.dat / 刷卡记录、钉钉、企业微信、赤兔报表"),
      _a("--kind", choices=["auto", "zkteco", "zktime", "dingtalk", "wecom", "clock-report", "punch-table", "chitu"],
         default="auto", help="文件格式；auto 按内容识别（默认） / the export's format (default: recognise)"),
      _a("--replace", action="store_true",
         help="先清空打卡导入/KPI导入再导入（默认累加，每个文件一组） / clear the import sheets first"), FORCE)),
    ("reconcile", "与钉钉/企业微信的统计核对 / compare with DingTalk's or WeCom's statistics", cmd_reconcile,
     (ATTENDANCE_BOOK, _a("file", metavar="FILE", help="钉钉月度汇总/每日统计或企业微信日报 / the external statistics"),
      MONTH, FORCE)),
)


def build_parser() -> argparse.ArgumentParser:
    p = ChineseArgumentParser(prog="kaohe", description=DESCRIPTION)
    p.add_argument("--version", action="version", version=f"kaohe {__version__}",
                   help="显示版本号并退出 / show the version and exit")
    sub = p.add_subparsers(dest="command", metavar="命令 command")
    for name, help_, func, arguments in COMMANDS:
        sp = sub.add_parser(name, help=help_, description=help_)
        sp.set_defaults(func=func)
        sp.add_argument("-q", "--quiet", action="store_true", help="不显示进度 / no progress messages")
        _add_arguments(sp, arguments)
    return p


def _add_arguments(parser, arguments) -> None:
    for argument in arguments:
        if isinstance(argument, list):  # exactly one of these
            _add_arguments(parser.add_mutually_exclusive_group(required=True), argument)
        else:
            names, options = argument
            parser.add_argument(*names, **options)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # -h, --version (0) or an argument error already printed (2)
        return exc.code if isinstance(exc.code, int) else 2
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    try:
        from kaohe.jobs.common import allowing_read_only

        with allowing_read_only(args.command != "template" and getattr(args, "force", False)):
            return args.func(args)
    except InputRefused as exc:
        print(f"错误：{exc.zh} / Error: {exc.en}", file=sys.stderr)
        return 2
    except MailError as exc:
        print(f"发送失败：{exc.zh} / Error: {exc.en}", file=sys.stderr)
        return 1
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
            print("失败：磁盘空间不足，工作簿未改动 / Failed: no space left on the disk; the workbook was not changed",
                  file=sys.stderr)
        elif isinstance(exc, PermissionError):  # kaohe's hidden lock or temporary file: the folder is what to fix
            where = Path(exc.filename or "")
            hidden = where.name.startswith(".~kaohe")
            zh, en = (f"文件夹 {where.parent}", f"folder {where.parent}") if hidden else (where, where)
            print(f"失败：没有权限写入 {zh}，工作簿未改动 / Failed: permission denied: {en}", file=sys.stderr)
        else:
            print(f"失败：{exc} / Failed: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("已中断，工作簿未改动 / interrupted; the workbook was not changed", file=sys.stderr)
        return 1
    except Exception as exc:  # the door catches everything: one readable line, no traceback
        if os.environ.get("KAOHE_DEBUG"):
            raise
        print(f"失败：{type(exc).__name__}: {exc} / Failed (set KAOHE_DEBUG=1 for details)", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
