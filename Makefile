# shopwarden — the two commands a newcomer needs are `make run` and `make test`.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test lint layers bench eval screenshots clean

$(STAMP): pyproject.toml
	@command -v $(PY) >/dev/null 2>&1 || { echo "need $(PY) (Python >= 3.11)"; exit 1; }
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/shopwarden demo-serve

test: $(STAMP)
	bash scripts/test.sh

# Everything a reviewer would otherwise point out by hand, before the tests (.ci/run): ruff (ruff.toml),
# mypy ([tool.mypy] in pyproject.toml: strict for core and service) and the import contract.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	PYTHONPATH=src:. $(BIN)/lint-imports

# The import contract in pyproject.toml ([tool.importlinter]): layers core -> store -> service -> edge, no cycles.
layers: $(STAMP)
	PYTHONPATH=src:. $(BIN)/lint-imports

screenshots: $(STAMP)
	SHOPWARDEN_SCREENSHOTS=$(CURDIR)/docs/screenshots $(BIN)/python -m pytest -q tests/web

eval: $(STAMP)
	bash scripts/ensure-photos.sh
	$(BIN)/python -m evals.evaluate

bench: $(STAMP)
	$(BIN)/python -m bench.run
	$(BIN)/python -m bench.events --violations 3000 --listings 1000 --runs 2

clean:
	rm -rf $(VENV) var .pytest_cache
