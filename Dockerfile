# One image for every Colo service. Pick the service with the command (see docker-compose.yml), e.g.
#   docker run colo uvicorn --factory orders.app:create --host 0.0.0.0 --port 8002
# or with SERVICE and PORT for the default command.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1

# What WeasyPrint (billing's PDFs) needs; libharfbuzz-subset0 makes font subsetting native (about 6x faster).
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Locked, hash-checked dependencies first: this layer is rebuilt only when the lock changes.
COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock

COPY shared/ shared/
COPY services/ services/
RUN set -eu; \
    args="-e shared"; \
    for pyproject in services/*/pyproject.toml; do args="$args -e ${pyproject%/pyproject.toml}"; done; \
    pip install --no-deps --no-build-isolation $args

RUN useradd --system --uid 10001 --home-dir /app colo && mkdir -p /app/var && chown colo /app/var
USER colo

ENV SERVICE=stock \
    PORT=8005
EXPOSE 8001 8002 8003 8004 8005 8006 8007
CMD ["sh", "-c", "exec uvicorn --factory \"$SERVICE.app:create\" --host 0.0.0.0 --port \"$PORT\""]
