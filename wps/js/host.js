/*
 * The add-in's one door into WPS: every call to Application (Kingsoft's et-jsapi-declare: Et.Application
 * with WPS.AddonRoot), alert and confirm is here, so the rest runs against any object of the same shape.
 * ECMAScript 5 only (WPS embeds an older browser engine; scripts/eslint holds the files to ES5).
 */
var KaoheHost = (function () {
    "use strict";

    var TITLE = "考勤绩效";

    function app() {
        return window.Application || window.wps;
    }

    /* The active workbook: the object itself, its full name ("工作簿1" when never saved) and whether it is saved. */
    function activeBook() {
        var book = app().ActiveWorkbook;
        if (!book) {
            return null;
        }
        return { book: book, fullName: String(book.FullName || ""), saved: book.Saved !== false };
    }

    function save(book) {
        book.Save();
    }

    function activeSheet(book) {
        var sheet = book.ActiveSheet;
        return sheet ? String(sheet.Name) : null;
    }

    /* Close without saving: the service has the user save first (or stops when the user declines). */
    function close(book) {
        book.Close(false);
    }

    /* Open the workbook again and go back to the sheet that was active; the reopened workbook. */
    function reopen(path, sheetName) {
        var book = app().Workbooks.Open(path);
        var sheets = book.Sheets;
        var i;
        for (i = 1; sheetName && i <= sheets.Count; i += 1) {
            if (String(sheets.Item(i).Name) === sheetName) {
                sheets.Item(i).Activate();
                break;
            }
        }
        return book;
    }

    /* The status bar: a text, or WPS's own when text is empty (StatusBar = false, as in Excel). */
    function status(text) {
        app().StatusBar = text ? String(text) : false;
    }

    function message(text) {
        window.alert(String(text));
    }

    /* A text from the user; null when cancelled (InputBox answers false then). */
    function ask(prompt, initial) {
        var answer = app().InputBox(String(prompt), TITLE, initial ? String(initial) : "");
        if (answer === false || answer === null || answer === undefined) {
            return null;
        }
        return String(answer);
    }

    /* Yes or no; WPS's confirm answers 1 or 0. */
    function yes(prompt) {
        return Boolean(window.confirm(String(prompt)));
    }

    return {
        activeBook: activeBook, save: save, activeSheet: activeSheet, close: close, reopen: reopen,
        status: status, message: message, ask: ask, yes: yes
    };
}());
