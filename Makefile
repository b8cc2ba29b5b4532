# Tianmen machinery supervision suite — the two commands a newcomer needs: `make run`, `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(CURDIR)/$(VENV)

KUSTOMIZE_VERSION := v5.7.1

.PHONY: env postgres java chromium console-build bench bench-consumer bench-telemetry bench-replay bench-fold bench-registry bench-view bench-gateway soak run test test-faults unit integration \
	lint format schemas openapi kafka console clean k8s-generate k8s-validate hadolint node crds

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check "uv==0.13.9"

$(VENV)/.synced: $(UV) uv.lock pyproject.toml $(wildcard libs/*/pyproject.toml services/*/pyproject.toml)
	$(UV) sync --locked --python $(PYTHON)
	@touch $@

env: $(VENV)/.synced ## the Python environment (uv workspace, locked)

.cache/kafka/.fetched: $(VENV)/.synced | java
	$(PY) -m tianmen_devkit.kafka fetch
	@touch $@

kafka: .cache/kafka/.fetched ## fetch the Apache Kafka jars from Maven Central (once)

java: ## Java and Maven from Debian's packages (the local broker runs Kafka's jars, fetched by Maven)
	@(command -v java && command -v mvn) >/dev/null 2>&1 || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless maven)

postgres: ## PostgreSQL server binaries from Debian's packages (the tests start a throwaway server)
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql)

chromium: ## Debian's Chromium and CJK fonts, for the browser tests (Playwright never downloads a browser here)
	@(test -x /usr/bin/chromium && fc-list :lang=zh | grep -q .) || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk)

CONSOLE := services/gateway/console
CONSOLE_SOURCES := $(shell find $(CONSOLE)/src -type f -not -name schema.d.ts 2>/dev/null) \
	$(CONSOLE)/index.html $(CONSOLE)/package-lock.json $(CONSOLE)/vite.config.ts docs/openapi/gateway.json

$(CONSOLE)/node_modules/.package-lock.json: $(CONSOLE)/package-lock.json
	@command -v npm >/dev/null 2>&1 || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm)
	# not `npm ci`: Vite's Windows-only optional dependency is absent from the registry (404), which
	# `npm ci` refuses; `install --no-save` installs the locked versions and leaves the lock alone
	cd $(CONSOLE) && npm install --no-save --no-audit --no-fund

$(CONSOLE)/dist/index.html: $(CONSOLE)/node_modules/.package-lock.json $(CONSOLE_SOURCES)
	cd $(CONSOLE) && npm run build

console-build: $(CONSOLE)/dist/index.html ## the consoles (TypeScript + Vite), served by the gateway at /console/

run: env kafka console-build ## start Kafka and all six services; prints where to point a browser
	$(PY) -m tianmen_devkit.run

# The tests' processes keep their compiled bytecode in .cache/pycache (decision 118): with
# PYTHONDONTWRITEBYTECODE set (as on this machine), every service, CLI and server a test starts
# compiled FastAPI, SQLAlchemy, pydantic... from source again: ~20 s of CPU for each suite of six.
# The prefix keeps __pycache__ out of the tree; the first process to import a module writes it.
PYTEST := PYTHONDONTWRITEBYTECODE= PYTHONPYCACHEPREFIX=$(CURDIR)/.cache/pycache $(PY) -m pytest

test: env kafka postgres k8s-validate chromium console-build ## unit, integration and browser tests against a real Kafka broker (fault tests in reduced form)
	$(PYTEST) --durations=25 -m "not faults_full"

unit: env ## unit and API tests only (no broker)
	$(PYTEST) -m "not integration"

integration: env kafka postgres
	$(PYTEST) --durations=25 tests/integration

test-faults: env kafka postgres ## the full randomized fault tests; the seed is printed, TIANMEN_FAULT_SEED=<seed> repeats a run
	TIANMEN_FAULTS=full $(PYTEST) -s --timeout=1200 tests/integration/test_faults*.py tests/integration/test_crash_recovery.py

bench-consumer: env kafka postgres ## consumer throughput: our loop and a Faust agent vs a decode-only baseline
	$(PY) benchmarks/bench_consumer.py

bench-telemetry: env kafka postgres ## telemetry at city scale: pipeline (SQLite, PostgreSQL) and Faust vs plain usage vs raw decode, report-to-alert p50/p99, JT/T 808 reports/s (BENCH_TELEMETRY_ARGS)
	$(PY) benchmarks/bench_telemetry.py $(BENCH_TELEMETRY_ARGS)

bench-view: env ## the gateway's composed enterprise view at 1, 150, 600 violations vs a bare FastAPI endpoint
	$(PY) benchmarks/bench_enterprise_view.py

bench-gateway: env kafka ## an authenticated staff read through the gateway to the registry's store vs a bare FastAPI endpoint: req/s, p99 at half load
	$(PY) benchmarks/bench_gateway.py
bench-replay: env kafka ## safety + credit rebuild from the domain topics vs raw decode; audit ledgers; as_of_ms vs rebuild_ms (BENCH_REPLAY_ARGS)
	$(PY) benchmarks/bench_replay.py $(BENCH_REPLAY_ARGS)

bench-fold: env kafka ## per-alert cost at 10 vs 10,000 events of history; safety and credit replay vs decode-only
	$(PY) benchmarks/bench_fold.py

bench: env kafka postgres ## every make bench-*, then one table of ratios to same-run baselines (docs/benchmarks.md)
	@for target in $$(grep -oE '^bench-[a-z0-9-]+:' $(firstword $(MAKEFILE_LIST)) | tr -d ':'); do \
		$(MAKE) --no-print-directory $$target || exit 1; done
	$(PY) benchmarks/report.py

soak: env kafka ## (not in CI) 30 min of 8,000 machines at 1 report/s: is memory flat, lag bounded? SOAK_ARGS="--minutes 3"
	$(PY) benchmarks/soak.py $(SOAK_ARGS)

bench-registry: env ## bulk import of 8,000 machines from XLSX vs appending the same events straight
	$(PY) benchmarks/bench_registry.py

lint: env ## ruff and mypy (strict)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy libs/*/src services/*/src benchmarks tools
	@for tests in tests libs/*/tests services/*/tests; do $(VENV)/bin/mypy $$tests || exit 1; done
	$(PY) -m tianmen_events.schema_export check

format: env
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

schemas: env ## re-export the JSON Schema of every event into libs/events/schemas
	$(PY) -m tianmen_events.schema_export export

openapi: env ## re-export every service's OpenAPI document into docs/openapi (a test fails when stale)
	$(PY) -m tools.openapi export

console: env kafka ## read a topic with Kafka's own console consumer: make console TOPIC=registry.enterprise
	$(PY) -m tianmen_devkit.kafka console-consumer --bootstrap-server $${KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:9092} --topic $(TOPIC) --from-beginning

$(TOOLS)/bin/kustomize: ## kustomize, built by Go from its module (Debian's golang-go if there is no Go)
	@command -v go >/dev/null 2>&1 || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq golang-go)
	@GOBIN=$(CURDIR)/$(TOOLS)/bin GOTOOLCHAIN=local go install sigs.k8s.io/kustomize/kustomize/v5@$(KUSTOMIZE_VERSION) || \
		(command -v kubectl >/dev/null && echo "kustomize not built; k8s-validate uses kubectl kustomize")

k8s-generate: env ## regenerate deploy/k8s/base from the services and the topic table
	$(PY) -m tianmen_devkit.k8s generate

node: ## Node.js and npm from Debian's packages (they fetch and run the operators' CRD schemas)
	@(command -v node && command -v npm) >/dev/null 2>&1 || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm)

.cache/crds/.fetched: $(VENV)/.synced $(wildcard libs/devkit/crds/*) | node
	$(PY) -c "from tianmen_devkit.k8s import crds; print(crds.ensure())"

crds: .cache/crds/.fetched ## the Strimzi, CloudNativePG and Prometheus Operator CRD schemas from npm (pinned, once)

k8s-validate: env $(TOOLS)/bin/kustomize hadolint crds ## build every overlay and check it offline (docs: deploy/k8s/README.md)
	$(PY) -m tianmen_devkit.k8s check
	$(PY) -m tianmen_devkit.k8s validate

hadolint: env ## lint the Dockerfile
	$(VENV)/bin/hadolint Dockerfile

clean:
	rm -rf var .pytest_cache .mypy_cache .ruff_cache
