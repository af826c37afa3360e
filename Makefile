# Set-up and everyday commands. `make demo` and `make test` are all a fresh machine needs.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
TEI := $(VENV)/bin/tei-tools

.PHONY: demo test install schema register shapes bench clean golden

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

demo: install
	$(TEI) convert samples/ -o encoded
	$(TEI) validate encoded

test: install
	$(PY) -m pytest -q

golden: install
	$(PY) -m pytest -q tests/test_golden.py --update-golden

schema: install
	$(PY) tools/build_schema.py

register: install
	$(PY) -m pip install --quiet -e '.[register]'
	$(PY) tools/build_register.py

shapes: install
	$(PY) -m pip install --quiet -e '.[shapes]'
	$(PY) tools/build_name_shapes.py

bench: install
	$(PY) bench/run.py
	$(PY) bench/entities.py
	$(PY) bench/entities.py --data bench/heldout

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache
