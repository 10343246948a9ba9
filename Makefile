PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test coverage bench clean

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

clean:
	rm -rf $(VENV) out build *.egg-info
