#!/bin/sh
# Builds the image on a machine that reaches Debian's and PyPI's packages but no container
# registry (this project's development machines): the Python base is made from Debian's
# packages with debootstrap instead of pulled, and the apps are the ones `make frontends`
# built (Node is then not needed in the build). Root, podman and debootstrap from Debian:
#   apt-get install -y podman debootstrap
# Then: deploy/container/build-local.sh  → localhost/egen-provhantering:local
set -eu
cd "$(dirname "$0")/../.."
WORK=${WORK:-var/container}
STORAGE="--storage-driver vfs"
mkdir -p "$WORK"
if ! podman $STORAGE image exists localhost/pep-debian-python:bookworm; then
  rm -rf "$WORK/rootfs"
  debootstrap --variant=minbase --include=python3,python3-venv,ca-certificates \
    bookworm "$WORK/rootfs" http://deb.debian.org/debian
  tar -C "$WORK/rootfs" -c . | podman $STORAGE import - localhost/pep-debian-python:bookworm
  rm -rf "$WORK/rootfs"
fi
test -f frontend-citizen/dist/index.html && test -f frontend-professional/dist/index.html \
  || { echo "run 'make frontends' first" >&2; exit 2; }
# A network that inspects TLS needs its CA for pip: the host's bundle, mounted read-only.
CA=/etc/ssl/certs/ca-certificates.crt
podman $STORAGE build --isolation chroot --network host \
  -v "$CA:/etc/ssl/build-ca.crt:ro" --build-arg PIP_CERT=/etc/ssl/build-ca.crt \
  --build-arg PYTHON_IMAGE=localhost/pep-debian-python:bookworm \
  --build-arg FRONTENDS=frontends-prebuilt \
  -f deploy/container/Containerfile -t localhost/egen-provhantering:local .
