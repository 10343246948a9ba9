/*
 * kaohe serve, seen from the add-in: XMLHttpRequest to the page's own origin (or, in the offline copy, to the
 * address written into index.html), each request carrying the token kaohe serve put into the page.
 * ECMAScript 5 only.
 */
var KaoheService = (function () {
    "use strict";

    function meta(name) {
        var element = document.querySelector("meta[name='" + name + "']");
        return element ? element.getAttribute("content") : "";
    }

    var token = meta("kaohe-token");
    var base = meta("kaohe-base");

    function open(method, path, async) {
        var xhr = new XMLHttpRequest();
        xhr.open(method, base + path, async);
        xhr.setRequestHeader("X-Kaohe-Token", token);
        if (method === "POST") {
            xhr.setRequestHeader("Content-Type", "application/json");
        }
        return xhr;
    }

    function parse(xhr) {
        try {
            return JSON.parse(xhr.responseText);
        } catch (e) {
            return {};
        }
    }

    /* A synchronous call (the ribbon's callbacks stay synchronous): {status, data}; status 0 when unreachable. */
    function call(method, path, body) {
        var xhr = open(method, path, false);
        try {
            xhr.send(body ? JSON.stringify(body) : null);
        } catch (e) {
            return { status: 0, data: {} };
        }
        return { status: xhr.status, data: parse(xhr) };
    }

    function running() {
        return call("GET", "/api/ping").status === 200;
    }

    function press(button, book) {
        return call("POST", "/api/press", {
            button: button, path: book ? book.fullName : "", unsaved: book ? !book.saved : false
        });
    }

    /* Answer command seq (null: none yet) and receive the next one: done(status, command), asynchronously. */
    function exchange(session, seq, reply, done) {
        var xhr = open("POST", "/api/sessions/" + encodeURIComponent(session), true);
        xhr.onreadystatechange = function () {
            if (xhr.readyState === 4) {
                done(xhr.status, parse(xhr));
            }
        };
        xhr.send(JSON.stringify({ seq: seq, answer: reply.answer, error: reply.error }));
    }

    return { running: running, press: press, exchange: exchange };
}());
