/*
 * The 考勤绩效 tab in WPS 表格 (ribbon.xml): the Excel ribbon's buttons, run by kaohe serve.
 *
 * A button's callback stays synchronous (an asynchronous callback broke ribbons in a WPS 12 build): it checks
 * that the service runs and presses the button there. The service then runs the Excel ribbon's own handler and
 * sends this page one command at a time (ask, confirm, save, close, reopen, status, message); the page performs
 * each through KaoheHost, the one module that calls WPS, and answers it, until the command "end".
 * ECMAScript 5 only.
 */
/* global KaoheHost, KaoheService */
var KAOHE_NOT_RUNNING = "kaohe 服务没有运行，考勤绩效 的按钮暂时不能使用。\n" +
    "kaohe 服务随登录自动启动：请注销后重新登录；或者打开终端（命令提示符）运行：kaohe serve\n" +
    "仍然不行，请 IT 重新运行 kaohe wps install。";
var KAOHE_LOST = "与 kaohe 服务的连接中断，本次操作没有完成。请稍后再试；如仍不行，请注销后重新登录。";
var KAOHE_BUSY = "kaohe 正在处理上一个按钮，请等它完成后再试。";

var kaoheRun = null;  /* the button being run: {session, book, path} */

/* ribbon.xml's onLoad. */
function KaoheLoad() {
    "use strict";
    kaoheRun = null;
    return true;
}

function KaoheImage() {
    "use strict";
    return "images/kaohe.svg";
}

/* One command from the service, through KaoheHost: {answer} or {error}. */
function kaohePerform(command) {
    "use strict";
    var run = kaoheRun;
    try {
        switch (command.op) {
        case "status":
            KaoheHost.status(command.text);
            return { answer: null };
        case "message":
            KaoheHost.message(command.text);
            return { answer: null };
        case "ask":
            return { answer: KaoheHost.ask(command.prompt, command.initial) };
        case "confirm":
            return { answer: KaoheHost.yes(command.prompt) };
        case "save":
            KaoheHost.save(run.book);
            return { answer: null };
        case "active_sheet":
            return { answer: KaoheHost.activeSheet(run.book) };
        case "close":
            KaoheHost.close(run.book);
            run.book = null;
            return { answer: null };
        case "reopen":
            run.book = KaoheHost.reopen(command.path, command.sheet);
            return { answer: null };
        default:
            return { error: "unknown command " + command.op };
        }
    } catch (e) {
        return { error: String(e && e.message ? e.message : e) };
    }
}

/* The service went away in the middle: say so, and open the workbook again if it was closed. */
function kaoheLost() {
    "use strict";
    var run = kaoheRun;
    kaoheRun = null;
    KaoheHost.status(null);
    if (run && !run.book && run.path) {
        try {
            KaoheHost.reopen(run.path, null);
        } catch (ignore) {
            /* the message below still tells the user */
        }
    }
    KaoheHost.message(KAOHE_LOST);
}

function kaohePump(seq, reply) {
    "use strict";
    KaoheService.exchange(kaoheRun.session, seq, reply, function (status, command) {
        if (status !== 200) {
            kaoheLost();
        } else if (command.op === "end") {
            kaoheRun = null;
        } else if (command.op === "wait") {
            kaohePump(null, {});
        } else {
            kaohePump(command.seq, kaohePerform(command));
        }
    });
}

/* The onAction of every button: control.Id is the button's id in ribbon.xml. */
function KaoheButton(control) {
    "use strict";
    var id = String(control.Id || control.id);
    var book;
    var pressed;
    if (kaoheRun) {
        KaoheHost.message(KAOHE_BUSY);
        return true;
    }
    if (!KaoheService.running()) {
        KaoheHost.message(KAOHE_NOT_RUNNING);
        return true;
    }
    book = KaoheHost.activeBook();
    pressed = KaoheService.press(id, book);
    if (pressed.status === 0) {
        KaoheHost.message(KAOHE_NOT_RUNNING);
    } else if (pressed.status !== 200) {
        KaoheHost.message(pressed.data.error || ("kaohe 服务拒绝了请求（" + pressed.status + "）"));
    } else {
        kaoheRun = { session: pressed.data.session, book: book ? book.book : null, path: book ? book.fullName : "" };
        window.setTimeout(function () {
            kaohePump(null, {});
        }, 0);
    }
    return true;
}
