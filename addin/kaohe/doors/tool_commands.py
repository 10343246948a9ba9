"""The command line's tool commands: blank templates, the rules reference, the Excel add-in, the WPS add-in
and its local service (kaohe.doors.cli lists them with the month's commands)."""
from __future__ import annotations

import sys
from pathlib import Path


def cmd_template(args) -> int:
    from kaohe.jobs.templates import write_template

    path = write_template(args.kind, Path(args.out), year=args.year, force=args.force)
    print(f"已写入模板 / template written: {path}")
    return 0


def cmd_addin(args) -> int:
    from kaohe.doors import addin

    if args.action == "build":
        path = addin.build(Path(args.out) if args.out else addin.SHIPPED)
        print(f"已生成加载项 / add-in built: {path}")
    else:
        print(addin.install())
    return 0


def cmd_serve(args) -> int:
    from kaohe.doors import serve

    serve.serve(args.port, tuple(args.allow_origin or ()))
    return 0


def cmd_wps(args) -> int:
    from kaohe.doors import wps

    lines = (wps.install(args.port, args.offline, args.origin, args.autostart, not args.no_start)
             if args.action == "install" else wps.uninstall())
    print("\n".join(lines))
    return 0


def cmd_rules(args) -> int:
    from kaohe.jobs import reference, templates

    if args.out:
        print(f"已写入 / written: {templates.write_rules_workbook(Path(args.out))}")
    else:
        sys.stdout.write(reference.rules_text())
    return 0


def cmd_add_sheet(args) -> int:
    from kaohe.jobs.add_sheet import add_sheet

    written, backup = add_sheet(Path(args.book), args.sheet, Path(args.out) if args.out else None)
    print(f"已添加工作表“{args.sheet}” / sheet added: {written}" + (f"（备份 / backup: {backup}）" if backup else ""))
    return 0
