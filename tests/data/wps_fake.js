/*
 * A stand-in for WPS 表格 as an add-in's page sees it, shaped after Kingsoft's type declarations
 * (npm et-jsapi-declare: Et.Application, Et.Workbooks, Et.Workbook, Et.Sheets, Et.Worksheet, WPS.AddonRoot,
 * and the global alert and confirm, whose answer is 1 or 0).
 *
 * It records every call in fakeWps.log, refuses any use of a closed workbook and, like WPS on Windows, keeps an
 * owner file ~$<name> beside a workbook while it is open: Open and Close tell the test's "disk" (a small HTTP
 * server of the test) synchronously, which makes and removes that file. kaohe refuses to write a workbook that
 * has an owner file, so a button that writes can only succeed if the add-in closed the workbook first.
 * Answers to InputBox and confirm are queued by the test (fakeWps.answers, fakeWps.confirms; false = Cancel).
 */
(function () {
    "use strict";
    var fake = { log: [], answers: [], confirms: [], books: {}, disk: "", open: [], statusBar: false };

    function note(kind, detail) {
        fake.log.push([kind, detail === undefined ? null : detail]);
    }

    function disk(op, path) {
        if (!fake.disk) {
            return;
        }
        var xhr = new XMLHttpRequest();
        xhr.open("POST", fake.disk + "/" + op, false);
        xhr.setRequestHeader("Content-Type", "text/plain;charset=UTF-8");
        xhr.send(path);
    }

    function Worksheet(book, name) {
        this.Parent = book;
        this.Name = name;
    }
    Worksheet.prototype.Activate = function () {
        this.Parent.check();
        this.Parent.active = this.Name;
        note("activate", this.Name);
    };

    function Sheets(book) {
        this.Parent = book;
    }
    Object.defineProperty(Sheets.prototype, "Count", {
        get: function () { this.Parent.check(); return this.Parent.names.length; }
    });
    Sheets.prototype.Item = function (index) {
        this.Parent.check();
        var name = typeof index === "number" ? this.Parent.names[index - 1] : index;
        if (this.Parent.names.indexOf(name) < 0) {
            throw new Error("no sheet " + index);
        }
        return new Worksheet(this.Parent, name);
    };

    function Workbook(fullName, spec) {
        var cut = Math.max(fullName.lastIndexOf("/"), fullName.lastIndexOf("\\"));
        this.FullName = fullName;
        this.Name = fullName.slice(cut + 1);
        this.Path = spec.path !== undefined ? spec.path : fullName.slice(0, Math.max(cut, 0));
        this.Saved = spec.saved !== false;
        this.names = spec.sheets.slice();
        this.active = spec.active || spec.sheets[0];
        this.closed = false;
    }
    Workbook.prototype.check = function () {
        if (this.closed) {
            throw new Error("a closed workbook was used: " + this.Name);
        }
    };
    Object.defineProperty(Workbook.prototype, "Sheets", { get: function () { this.check(); return new Sheets(this); } });
    Object.defineProperty(Workbook.prototype, "ActiveSheet", {
        get: function () { this.check(); return new Worksheet(this, this.active); }
    });
    Workbook.prototype.Save = function () {
        this.check();
        note("save", this.FullName);
        this.Saved = true;
    };
    Workbook.prototype.Close = function (saveChanges) {
        this.check();
        note("close", saveChanges === undefined ? null : saveChanges);
        this.closed = true;
        fake.open.splice(fake.open.indexOf(this), 1);
        disk("close", this.FullName);
    };

    var workbooks = {
        Open: function (filename) {
            var spec = fake.books[filename];
            if (!spec) {
                throw new Error("WPS cannot open " + filename);
            }
            var book = new Workbook(filename, spec);
            fake.open.push(book);
            note("open", filename);
            disk("open", filename);
            return book;
        },
        Item: function (index) { return fake.open[index - 1]; }
    };
    Object.defineProperty(workbooks, "Count", { get: function () { return fake.open.length; } });

    var app = {
        Workbooks: workbooks,
        PluginStorage: {
            items: {},
            setItem: function (key, value) { this.items[key] = String(value); },
            getItem: function (key) { return this.items[key]; }
        },
        InputBox: function (prompt, title, initial) {
            note("ask", [prompt, title, initial]);
            return fake.answers.length ? fake.answers.shift() : initial;
        }
    };
    Object.defineProperty(app, "ActiveWorkbook", {
        get: function () { return fake.open.length ? fake.open[fake.open.length - 1] : null; }
    });
    Object.defineProperty(app, "StatusBar", {
        get: function () { return fake.statusBar; },
        set: function (value) { fake.statusBar = value; note("status", value); }
    });

    window.Application = app;
    window.wps = app;
    window.alert = function (text) { note("message", String(text)); };
    window.confirm = function (text) {
        note("confirm", String(text));
        return fake.confirms.length && !fake.confirms.shift() ? 0 : 1;
    };
    /* A workbook the user has open (spec: sheets, active, saved, path for one never saved). */
    fake.start = function (fullName, spec) {
        fake.books[fullName] = spec;
        return workbooks.Open(fullName);
    };
    window.fakeWps = fake;
}());
