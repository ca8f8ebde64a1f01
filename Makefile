# Egen provhantering — the two commands are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
APPS := frontend-citizen frontend-professional

.PHONY: run test preflight lint typecheck test-python test-frontend test-e2e openapi frontends bench clean validate-deploy

run: $(VENV)/.installed frontends
	$(PY) -m api.serve

# `make test` on a fresh machine: the preflight stops in the first seconds when Chromium is
# missing and cannot be installed; the test runs use the configured or local PostgreSQL and
# Redis, else start embedded ones for the run (tests/support/bootstrap.py).
test: preflight $(VENV)/.installed frontends lint validate-deploy test-frontend test-python test-e2e

preflight:
	$(PYTHON) -m tests.support.bootstrap --chromium-only --haproxy

$(VENV)/.installed: requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

# The frontends are npm workspaces (package.json at the root: frontend-shared and the two apps)
# with one package-lock.json and one node_modules. npm ci only when the lock file changed; the
# apps are rebuilt every time (a few seconds).
frontends: openapi/openapi.json
	@if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then \
	  npm ci --no-audit --no-fund || exit 1; \
	fi
	@for app in $(APPS); do (cd $$app && npm run build) || exit 1; done

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports
	$(PY) -m api.openapi_export --check

test-frontend: frontends
	@for workspace in frontend-shared $(APPS); do (cd $$workspace && npm test) || exit 1; done

# The browser tests run in a pytest process of their own: Playwright's sync API keeps an
# event loop running in the main thread, which the async API tests cannot share.
test-python: $(VENV)/.installed
	$(PY) -m tests.support.bootstrap --haproxy -- $(PY) -m pytest -q --ignore=tests/e2e

test-e2e: $(VENV)/.installed frontends
	$(PY) -m tests.support.bootstrap --chromium -- $(PY) -m pytest -q tests/e2e

# deploy/: the Kubernetes manifests rendered with kustomize (kubectl's) and validated offline:
# kubernetes-validate's bundled schemas (strict) and checkov, in a venv of their own.
DEPLOY_VENV := .venv-deploy
$(DEPLOY_VENV)/.installed: deploy/validate/requirements.lock
	test -x $(DEPLOY_VENV)/bin/python || $(PYTHON) -m venv $(DEPLOY_VENV)
	$(DEPLOY_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(DEPLOY_VENV)/bin/python -m pip install --quiet -r deploy/validate/requirements.lock
	touch $@

validate-deploy: $(DEPLOY_VENV)/.installed
	$(DEPLOY_VENV)/bin/python deploy/validate/validate.py

openapi: $(VENV)/.installed
	$(PY) -m api.openapi_export

bench: $(VENV)/.installed frontends
	$(PY) -m bench.run

clean:
	rm -rf $(VENV) $(DEPLOY_VENV) var test-artifacts bench/results node_modules frontend-shared/client $(addsuffix /dist,$(APPS))
