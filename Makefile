PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test coverage bench wheelhouse clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/kaohe demo --out out/

test: $(STAMP)
	$(BIN)/python -m pytest

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
