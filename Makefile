# nnkit: every target creates the virtual environment it needs.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: test release bench audit torch clean help

help:
	@echo "make release   build dist/<hw>/student.zip and dist/<hw>/autograder.zip for every homework"
	@echo "make test      run the test suite (creates $(VENV) on first use)"
	@echo "make bench     run the benchmarks in bench/ (never part of make test)"
	@echo "make audit     run the hidden tests of every homework against the mutant bank"
	@echo "make torch     add torch (CPU) to $(VENV): the reference is then cross-checked against it"

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "make: $(PYTHON) is Python $$($(PYTHON) -c 'import platform; print(platform.python_version())'); the instructor side needs 3.11 or newer (constraints.txt pins numpy 2.4.6): make PYTHON=python3.11 ... (the autograder itself runs on 3.10: docs/RELIABILITY.md)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -c constraints.txt -e '.[dev]'
	@touch $@

# every core: the suite is mostly grading runs, which are CPU-bound and independent
# (tests/conftest.py deals the minute-long ones out first)
test: $(STAMP)
	$(PY) -m pytest -q -n auto --dist worksteal

release: $(STAMP)
	$(VENV)/bin/nnkit release --out dist

bench: $(STAMP)
	$(PY) bench/run_all.py

torch: $(STAMP)
	$(PY) -m pip install -q --disable-pip-version-check -c constraints.txt torch

audit: $(STAMP)
	$(VENV)/bin/nnkit audit --hw all

clean:
	rm -rf dist build .pytest_cache
