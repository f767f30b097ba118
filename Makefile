# Two commands do all set-up on a fresh machine:  make demo  |  make test
VENV   := .venv
PYTHON ?= python3.11
DEBIAN := fonts-wqy-zenhei fonts-wqy-microhei fonts-arphic-ukai fonts-arphic-uming chromium libreoffice-writer-nogui
# One environment holds every extra: configs/constraints.txt puts numpy and all four OpenCV
# distributions at the versions paddlex pins; the contrib-headless build is reinstalled last so
# that the one `cv2` on disk is a build that satisfies all (img2table needs cv2.ximgproc).
CV2    := $(shell grep '^opencv-contrib-python-headless==' configs/constraints.txt)

.PHONY: setup demo test bench lint
setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml configs/constraints.txt
	@if { [ ! -e /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ] || ! command -v chromium || ! command -v soffice; } >/dev/null \
	    && command -v apt-get >/dev/null; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(DEBIAN); fi
	@command -v $(PYTHON) >/dev/null || { echo "needs $(PYTHON)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -c configs/constraints.txt -e '.[test,paddle,peers,synth,transformers,ray]'
	$(VENV)/bin/pip install -q --force-reinstall --no-deps '$(CV2)'
	touch $@

demo: setup
	$(VENV)/bin/ogi-extract predict examples/sample_scanned.pdf --format text

test: setup lint
	$(VENV)/bin/python -m pytest -q

lint: setup  # configured in pyproject.toml
	$(VENV)/bin/ruff check ogi_extract tests benchmarks
	$(VENV)/bin/mypy

bench: setup
	$(VENV)/bin/python benchmarks/run.py
	$(VENV)/bin/python benchmarks/forms.py
