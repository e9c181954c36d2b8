#!/usr/bin/env bash
# Build the server image and check it starts, where Docker is available. The test suite never
# needs Docker; run this by hand or in a CI job that has a Docker engine.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v docker >/dev/null 2>&1 || ! docker info >/dev/null 2>&1; then
  echo "docker-build: no Docker engine here; nothing to check" >&2
  exit 0
fi
tag="${1:-campfire:dev}"
docker build -t "$tag" .
docker run --rm "$tag" --version
echo "docker-build: built $tag; run it with: docker run -p 8765:8765 $tag"
