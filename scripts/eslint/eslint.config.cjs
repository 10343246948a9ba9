/*
 * The WPS add-in's JavaScript (wps/) is held to ECMAScript 5: WPS embeds an older browser engine.
 * Syntax by the parser (ecmaVersion 5, classic scripts); ES2015+ built-ins and methods by eslint-plugin-es-x
 * (restrict-to-es5, aggressive: any .includes() or .startsWith() is refused, whatever its object).
 * Run from the repository root: scripts/eslint/node_modules/.bin/eslint -c scripts/eslint/eslint.config.cjs wps
 */
const js = require("@eslint/js");
const esx = require("eslint-plugin-es-x");

module.exports = [
    js.configs.recommended,
    esx.configs["flat/restrict-to-es5"],
    {
        files: ["wps/**/*.js"],
        languageOptions: {
            ecmaVersion: 5,
            sourceType: "script",
            globals: {
                window: "readonly", document: "readonly", XMLHttpRequest: "readonly"
            }
        },
        settings: { "es-x": { aggressive: true } },
        rules: {
            "no-unused-vars": ["error", { vars: "local", caughtErrors: "none" }],
            "no-implicit-globals": "off",
            "strict": ["error", "function"]
        }
    }
];
