# The two commands of the README: `make run` (set up and start) and `make test`.
SHELL := /bin/bash
PY := .venv/bin/python
export PORT ?= 8000
# A clean test database every run (a reused one could hold a stale schema).
PYTEST_ARGS ?= --create-db
SOCKET_SUITES := tests/incidents/test_sockets.py tests/incidents/test_fanout.py tests/incidents/test_department_socket.py

.PHONY: run test setup db demo lint lock bench messages clean backup restore screenshots

setup:  ## system packages, services, virtualenv, translations (idempotent)
	@bash deploy/bootstrap.sh

db: setup  ## the database, PostGIS, migrations
	@DJANGO_SETTINGS_MODULE=backend.settings.dev $(PY) manage.py ensure_database
	@DJANGO_SETTINGS_MODULE=backend.settings.dev $(PY) manage.py migrate --no-input -v 0

demo: db  ## demo data (idempotent)
	@DJANGO_SETTINGS_MODULE=backend.settings.dev $(PY) manage.py load_demo

run: demo  ## set up everything, then start web + worker + beat in the foreground
	@exec bash deploy/run.sh

test:  ## set up, then lint, migration check and the whole pytest suite (browser included)
	@ERC_WITH_BROWSER=1 bash deploy/bootstrap.sh
	@$(PY) deploy/check_lock.py
	@.venv/bin/ruff check .
	@.venv/bin/ruff format --check .
	@DJANGO_SETTINGS_MODULE=backend.settings.test $(PY) manage.py check
	@# The import rules between apps (pyproject.toml, [tool.importlinter]) and the module-size limit.
	@.venv/bin/lint-imports
	@$(PY) deploy/check_module_size.py
	@DJANGO_SETTINGS_MODULE=backend.settings.test $(PY) manage.py makemigrations --check --dry-run -v 1
	@$(PY) -m pytest $(PYTEST_ARGS) --ignore=tests/chaos
	@# Faults (own PostgreSQL cluster and Redis, processes killed): -s prints the recovery times.
	@$(PY) -m pytest -q -s -p no:cacheprovider tests/chaos
	@# CHANNEL_LAYER=core and BOARD_FANOUT=channels are supported settings: the socket suites run on them too.
	@CHANNEL_LAYER=core $(PY) -m pytest -q -p no:cacheprovider $(SOCKET_SUITES)
	@BOARD_FANOUT=channels $(PY) -m pytest -q -p no:cacheprovider $(SOCKET_SUITES)

screenshots:  ## replay each role's journey in Chromium; write its key screens (desk and phone) to docs/screenshots/
	@ERC_WITH_BROWSER=1 bash deploy/bootstrap.sh
	@rm -f docs/screenshots/*.png  # the gallery, docs/screenshots/README.md, names each file
	@ERC_SCREENSHOTS=$(CURDIR)/docs/screenshots $(PY) -m pytest -q -s -p no:cacheprovider tests/browser/journeys

lint:
	@.venv/bin/ruff check . && .venv/bin/ruff format --check .
	@.venv/bin/lint-imports && $(PY) deploy/check_module_size.py

lock:  ## re-resolve requirements*.in into requirements.lock (runtime) + requirements-dev.lock (needs the index)
	@rm -rf .venv-lock && python3 -m venv .venv-lock && .venv-lock/bin/pip install -q -r requirements.in \
	  && .venv-lock/bin/pip freeze > requirements.lock \
	  && .venv-lock/bin/pip install -q -r requirements-dev.in \
	  && { sed -n '1,2p' requirements-dev.lock; .venv-lock/bin/pip freeze | grep -vxFf requirements.lock; } > requirements-dev.lock.new \
	  && mv requirements-dev.lock.new requirements-dev.lock && rm -rf .venv-lock

messages:  ## extract translatable strings, fill them from locale/zh_Hans/fragments, compile
	@$(PY) manage.py makemessages -l zh_Hans --ignore=.venv --ignore=var --ignore=tests --no-obsolete
	@$(PY) deploy/i18n_merge.py
	@$(PY) manage.py compilemessages --ignore=.venv -v 0

bench:  ## the benchmark scripts; each prints its figures (see the README's table)
	@$(PY) tests/bench/bench_trace.py
	@$(PY) tests/bench/bench_nearest.py
	@$(PY) tests/bench/bench_sms.py
	@$(PY) tests/bench/bench_open.py
	@$(PY) tests/bench/bench_board.py --layer pubsub
	@$(PY) tests/bench/bench_room_pages.py

backup:  ## database (pg_dump custom format) + media in var/backups/erc-<UTC stamp>.tar
	@bash deploy/backup.sh

restore:  ## make restore FILE=var/backups/erc-<stamp>.tar (into an empty or absent database; FORCE=1 replaces)
	@bash deploy/restore.sh "$(FILE)"

clean:
	rm -rf var/static .pytest_cache
