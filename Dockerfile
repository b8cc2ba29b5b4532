# One image for the whole suite; each Deployment picks its process by command, e.g.
#   python -m tianmen_safety api | worker | relay | migrate | replay
# Build: docker build -t tianmen/suite:<version> .   (see docs/operations.md)

# Build stage: uv installs the locked dependencies and the suite's own packages into /opt/tianmen.
FROM python:3.11.14-slim-bookworm AS build
# uv from PyPI, the same pinned version the Makefile uses; it stays in this stage.
RUN pip install --no-cache-dir --disable-pip-version-check "uv==0.13.9"
ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/opt/tianmen
WORKDIR /src
# Dependencies first, so a code change does not reinstall them.
COPY pyproject.toml uv.lock ./
COPY libs/events/pyproject.toml libs/events/
COPY libs/runtime/pyproject.toml libs/runtime/
COPY libs/devkit/pyproject.toml libs/devkit/
COPY services/registry/pyproject.toml services/registry/
COPY services/telemetry/pyproject.toml services/telemetry/
COPY services/safety/pyproject.toml services/safety/
COPY services/credit/pyproject.toml services/credit/
COPY services/reports/pyproject.toml services/reports/
COPY services/gateway/pyproject.toml services/gateway/
RUN uv sync --locked --no-default-groups --no-install-workspace --python /usr/local/bin/python3.11
COPY libs libs
COPY services services
RUN uv sync --locked --no-default-groups --no-editable --python /usr/local/bin/python3.11

# Final stage: the interpreter and /opt/tianmen only; no uv, no compilers, no source tree.
FROM python:3.11.14-slim-bookworm
ENV PATH=/opt/tianmen/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
COPY --from=build /opt/tianmen /opt/tianmen
# A numeric non-root user (Kubernetes' runAsNonRoot can check it); the root filesystem is
# mounted read-only in the pods, with an emptyDir on /tmp.
USER 10001:10001
WORKDIR /tmp
EXPOSE 8000
CMD ["python", "-m", "tianmen_gateway", "api"]
