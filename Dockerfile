# Campfire server image: small (python slim, no compilers kept, no test extras) and non-root.
#   docker build -t campfire .          (scripts/docker-build.sh does this where Docker runs)
#   docker run -p 8765:8765 -e CAMPFIRE_STORE=redis://redis:6379/0 campfire
# Settings are CAMPFIRE_* environment variables (docs/configuration.md); the image listens on
# 0.0.0.0:8765 and keeps the embedded store and media under /data.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY games ./games
COPY server ./server
COPY sdk ./sdk
RUN python -m venv /opt/campfire \
 && /opt/campfire/bin/pip install --no-cache-dir --upgrade pip \
 && /opt/campfire/bin/pip install --no-cache-dir '.[server]'

FROM python:3.11-slim
RUN useradd --system --uid 10001 --home-dir /data --create-home campfire
COPY --from=build /opt/campfire /opt/campfire
ENV PATH=/opt/campfire/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    CAMPFIRE_HOST=0.0.0.0 \
    CAMPFIRE_PORT=8765 \
    CAMPFIRE_STORE=/data/campfire.db \
    CAMPFIRE_DATA_DIR=/data
USER campfire
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8765
HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8765/healthz', timeout=2).status != 200)"
ENTRYPOINT ["campfire"]
CMD ["serve"]
