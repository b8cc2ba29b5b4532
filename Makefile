# Tianmen machinery supervision suite — the two commands a newcomer needs: `make run`, `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(CURDIR)/$(VENV)

.PHONY: env postgres bench-consumer bench-registry run test unit integration lint format schemas kafka console clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check "uv==0.13.9"

$(VENV)/.synced: $(UV) uv.lock pyproject.toml $(wildcard libs/*/pyproject.toml services/*/pyproject.toml)
	$(UV) sync --locked --python $(PYTHON)
	@touch $@

env: $(VENV)/.synced ## the Python environment (uv workspace, locked)

.cache/kafka/.fetched: $(VENV)/.synced
	$(PY) -m tianmen_devkit.kafka fetch
	@touch $@

kafka: .cache/kafka/.fetched ## fetch the Apache Kafka jars from Maven Central (once)

postgres: ## PostgreSQL server binaries from Debian's packages (the tests start a throwaway server)
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql)

run: env kafka ## start Kafka and all six services; prints where to point a browser
	$(PY) -m tianmen_devkit.run

test: env kafka postgres ## unit and integration tests against a real Kafka broker
	$(PY) -m pytest

unit: env ## unit and API tests only (no broker)
	$(PY) -m pytest -m "not integration"

integration: env kafka postgres
	$(PY) -m pytest tests/integration

bench-consumer: env kafka postgres ## consumer throughput: our loop and a Faust agent vs a decode-only baseline
	$(PY) benchmarks/bench_consumer.py

bench-registry: env ## bulk import of 8,000 machines from XLSX vs appending the same events straight
	$(PY) benchmarks/bench_registry.py

lint: env ## ruff and mypy (strict)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy libs/*/src services/*/src benchmarks
	@for tests in tests libs/*/tests services/*/tests; do $(VENV)/bin/mypy $$tests || exit 1; done
	$(PY) -m tianmen_events.schema_export check

format: env
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

schemas: env ## re-export the JSON Schema of every event into libs/events/schemas
	$(PY) -m tianmen_events.schema_export export

console: env kafka ## read a topic with Kafka's own console consumer: make console TOPIC=registry.enterprise
	$(PY) -m tianmen_devkit.kafka console-consumer --bootstrap-server $${KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:9092} --topic $(TOPIC) --from-beginning

clean:
	rm -rf var .pytest_cache .mypy_cache .ruff_cache
