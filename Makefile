# Two commands do all set-up on a fresh machine:  make demo  |  make test
VENV   := .venv
PYTHON ?= python3.11
DEBIAN := fonts-wqy-zenhei fonts-wqy-microhei fonts-arphic-ukai fonts-arphic-uming

.PHONY: setup demo test test-paddle bench
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

test: setup $(VENV)-paddle/.installed
	$(VENV)/bin/python -m pytest -q
	$(MAKE) --no-print-directory test-paddle

# paddleocr pins its own numpy and OpenCV builds, so its backend is tested in a venv of its own
$(VENV)-paddle/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)-paddle
	$(VENV)-paddle/bin/pip install -q --upgrade pip
	$(VENV)-paddle/bin/pip install -q -e '.[test,paddle]'
	touch $@

test-paddle: $(VENV)-paddle/.installed
	$(VENV)-paddle/bin/python -m pytest -q tests/test_ocr.py -k paddle

bench: setup
	$(VENV)/bin/python benchmarks/run.py
