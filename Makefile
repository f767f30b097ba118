# Two commands do all set-up on a fresh machine:  make demo  |  make test
VENV   := .venv
PYTHON ?= python3.11
DEBIAN := fonts-wqy-zenhei fonts-wqy-microhei fonts-arphic-ukai fonts-arphic-uming

.PHONY: setup demo test test-extras bench
setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@if [ ! -e /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ] && command -v apt-get >/dev/null; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(DEBIAN); fi
	@command -v $(PYTHON) >/dev/null || { echo "needs $(PYTHON)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e '.[test]'
	touch $@

demo: setup
	$(VENV)/bin/ogi-extract predict examples/sample_scanned.pdf --format text

test: setup $(VENV)-extras/.installed
	$(VENV)/bin/python -m pytest -q
	$(MAKE) --no-print-directory test-extras

# paddleocr, the peers and augraphy pin their own numpy and OpenCV builds: their tests run in a venv of their own
$(VENV)-extras/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)-extras
	$(VENV)-extras/bin/pip install -q --upgrade pip
	$(VENV)-extras/bin/pip install -q -e '.[test,paddle,peers,synth]'
	touch $@

test-extras: $(VENV)-extras/.installed
	$(VENV)-extras/bin/python -m pytest -q tests/test_ocr.py tests/test_evaluate.py tests/test_synth.py -k "paddle or peer or augraphy"

bench: setup
	$(VENV)/bin/python benchmarks/run.py
	$(VENV)/bin/python benchmarks/forms.py
