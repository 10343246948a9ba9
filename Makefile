PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint coverage bench wheelhouse clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/kaohe demo --out out/

ESLINT := scripts/eslint/node_modules/.bin/eslint

# ESLint at the versions of its lock file: it holds the WPS add-in's JavaScript to ES5 (tests/doors/test_wps.py).
$(ESLINT): scripts/eslint/package-lock.json
	npm ci --no-audit --no-fund --prefix scripts/eslint
	touch $(ESLINT)

test: lint $(ESLINT)
	$(BIN)/python -m pytest

# ruff and mypy, configured in pyproject.toml: both must be clean.
lint: $(STAMP)
	$(BIN)/ruff check addin tests scripts
	$(BIN)/mypy

# Branch coverage of the whole suite; the engine (addin/kaohe/engine) is held to 95 %.
coverage: $(STAMP)
	$(BIN)/python -m coverage run -m pytest
	$(BIN)/python -m coverage report --include='addin/kaohe/engine/*,addin/kaohe/policy/*'
	$(BIN)/python -m coverage report --include='addin/kaohe/engine/*' --fail-under=95

bench: $(STAMP)
	$(BIN)/python scripts/bench.py

# The Windows install's wheelhouse (scripts/install_windows.ps1): kaohe's wheel and every dependency
# as win_amd64 / CPython 3.11 wheels. pywin32 and tzdata are named because pip evaluates their
# "Windows only" markers for this machine, not for --platform. Add python-3.11.x-amd64.exe yourself.
wheelhouse: $(STAMP)
	rm -rf wheelhouse
	$(BIN)/python -m pip wheel --no-deps -w wheelhouse .
	$(BIN)/python -m pip download --only-binary=:all: --platform win_amd64 --python-version 3.11 \
		-d wheelhouse wheelhouse/kaohe-*.whl pywin32 tzdata
	@echo "wheelhouse/ is ready: add python-3.11.x-amd64.exe from python.org"

clean:
	rm -rf $(VENV) out build wheelhouse *.egg-info
