# The two set-up commands: `make lab` opens the lessons, `make test` runs the whole suite.
# Both create .venv on first use and update it whenever pyproject.toml changes.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# The hub test's proxy (configurable-http-proxy, from npm), installed into the project folder.
HUB_NODE := .hub-node

.PHONY: lab lint test test-unit test-lessons test-browser test-faults bench pot schema checked-banks clean

lab: $(VENV)/.installed
	$(BIN)/rwanda-edu lab

# The linters (configured in pyproject.toml) must find nothing; `make test` runs them first.
lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/mypy

# Answers written while the lessons run go to a throw-away folder, never into lessons/answers.
test: lint $(VENV)/.installed-test $(HUB_NODE)/.installed
	RWANDA_EDU_ANSWERS="$$(mktemp -d)" $(BIN)/pytest tests lessons --nbval-lax -p no:cacheprovider

# The fast suite (about 20 s): no browser, no lesson runs, no slow fault, wheel or offline tests.
test-unit: $(VENV)/.installed-test
	$(BIN)/pytest tests --ignore=tests/browser -m "not slow and not lessons and not browser" -p no:cacheprovider -p no:nbval

test-lessons: $(VENV)/.installed-test
	RWANDA_EDU_ANSWERS="$$(mktemp -d)" $(BIN)/pytest lessons --nbval-lax -p no:cacheprovider

test-browser: $(VENV)/.installed-test $(HUB_NODE)/.installed
	$(BIN)/pytest tests/browser

# The fault tests with many more kill cycles than the default run.
test-faults: $(VENV)/.installed-test
	RWANDA_EDU_FAULT_CYCLES=2000 $(BIN)/pytest tests/test_store_faults.py

bench: $(VENV)/.installed-test
	$(BIN)/python bench/run.py

# The message template: every user-facing string of the package (rwanda_edu/_i18n.py).
pot: $(VENV)/.installed-test
	$(BIN)/pybabel extract -F babel.cfg --no-location --sort-output --omit-header -o rwanda_edu/locale/rwanda_edu.pot .

# The question-bank schema: the common part of rwanda_edu/questions/schema.json plus every question type's fragment.
schema: $(VENV)/.installed-test
	$(BIN)/python -c "from rwanda_edu.question_types import write_schema; write_schema()"

# Check every question bank in full and record its digest (rwanda_edu/questions/checked.json), so that
# loading a shipped bank skips the check; run it after editing a bank, the bank schema or the data.
checked-banks: $(VENV)/.installed-test
	$(BIN)/python -c "from rwanda_edu._questions import record_checked; record_checked()"

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

$(HUB_NODE)/.installed:
	npm install --prefix $(HUB_NODE) --no-audit --no-fund --loglevel=error configurable-http-proxy@5
	touch $@

clean:
	rm -rf $(VENV) $(HUB_NODE) build dist *.egg-info
