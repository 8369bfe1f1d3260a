#!/usr/bin/env bash
# Build a local stand-in for python:3.11-slim-bookworm where no container registry can be reached:
# Debian bookworm (minbase) plus Debian's python3 (3.11), python3-venv and ca-certificates, imported
# into podman as localhost/paydown-base:bookworm (or the tag given as $1). Then, from the repo root:
#   podman build --isolation=chroot --format docker \
#     --build-arg BASE_IMAGE=localhost/paydown-base:bookworm -t paydown:check .
# Needs root, debootstrap and podman (apt-get install -y podman debootstrap); takes 1-2 minutes.
set -euo pipefail

TAG="${1:-localhost/paydown-base:bookworm}"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
# CA certificates that this machine added to its own trust store (a TLS-inspecting egress proxy, for
# one): the base trusts them too, or pip cannot reach PyPI during the build. Set EXTRA_CA_DIR= to skip.
EXTRA_CA_DIR="${EXTRA_CA_DIR-/usr/local/share/ca-certificates}"
SECURITY_MIRROR="${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}"

for tool in debootstrap podman chroot; do
  if ! command -v "$tool" >/dev/null; then
    echo "make-local-base: $tool is missing (apt-get install -y podman debootstrap)" >&2
    exit 1
  fi
done

ROOTFS="$(mktemp -d /tmp/paydown-base.XXXXXX)"
chmod 755 "$ROOTFS"  # it becomes the image's /: mktemp's 0700 would lock out non-root users
cleanup() {
  umount "$ROOTFS/proc" 2>/dev/null || true
  rm -rf --one-file-system "$ROOTFS"
}
trap cleanup EXIT

debootstrap --variant=minbase bookworm "$ROOTFS" "$MIRROR"

# Same sources as the official Debian images, security updates included; no recommends, like -slim.
cat > "$ROOTFS/etc/apt/sources.list" <<SOURCES
deb $MIRROR bookworm main
deb $MIRROR bookworm-updates main
deb $SECURITY_MIRROR bookworm-security main
SOURCES
cat > "$ROOTFS/etc/apt/apt.conf.d/90paydown-slim" <<'APT'
APT::Install-Recommends "false";
APT::Install-Suggests "false";
APT
# Like debian:bookworm-slim: no manuals, docs (copyright kept) or translations, now or in later layers.
cat > "$ROOTFS/etc/dpkg/dpkg.cfg.d/90paydown-slim" <<'DPKG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/lintian/*
DPKG
cp /etc/resolv.conf "$ROOTFS/etc/resolv.conf" && chmod 644 "$ROOTFS/etc/resolv.conf"
if [ -n "$EXTRA_CA_DIR" ] && compgen -G "$EXTRA_CA_DIR/*.crt" >/dev/null; then
  mkdir -p "$ROOTFS/usr/local/share/ca-certificates"
  cp "$EXTRA_CA_DIR"/*.crt "$ROOTFS/usr/local/share/ca-certificates/"
  echo "make-local-base: the base also trusts: $(cd "$EXTRA_CA_DIR" && echo ./*.crt)"
fi
mount -t proc proc "$ROOTFS/proc"
chroot "$ROOTFS" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
  sh -ec 'apt-get update -qq
          apt-get upgrade -y -qq -o Dpkg::Use-Pty=0
          apt-get install -y -qq -o Dpkg::Use-Pty=0 python3 python3-venv ca-certificates
          apt-get clean
          python3 --version'
umount "$ROOTFS/proc"

# No package lists, caches, logs, or docs left over from debootstrap;
# the build machine's resolver and hostname stay out.
rm -rf "$ROOTFS"/var/lib/apt/lists/* "$ROOTFS"/var/cache/apt/*.bin "$ROOTFS"/var/log/*.log \
  "$ROOTFS"/var/log/apt/* "$ROOTFS"/tmp/* "$ROOTFS"/var/tmp/*
find "$ROOTFS/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
rm -rf "$ROOTFS"/usr/share/man/* "$ROOTFS"/usr/share/info/* "$ROOTFS"/usr/share/locale/*
: > "$ROOTFS/etc/resolv.conf"
: > "$ROOTFS/etc/hostname"

# Unlike the official image there is no `python` or `pip` here, only `python3`: the Dockerfile
# relies on nothing else.
tar --numeric-owner -C "$ROOTFS" -c . | podman import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV LANG=C.UTF-8' \
  --change 'CMD ["python3"]' \
  - "$TAG"
echo "make-local-base: built $TAG"
