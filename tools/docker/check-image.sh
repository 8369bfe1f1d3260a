#!/usr/bin/env bash
# Check a built Paydown image where `podman run` does not work: read its config, then chroot into a
# mounted container filesystem as the image's user and run the app's own commands there.
#   tools/docker/check-image.sh [IMAGE]          (default localhost/paydown:check; needs root)
# Checks: user, healthcheck and command in the config; the static manifest; `check --deploy`;
# WeasyPrint renders a PDF; the shipped banks load from the paydown package; the image's CMD (migrate + gunicorn, on 127.0.0.1:$PORT only) serves
# /healthz and static files; `python -m config.healthcheck` exits 0 against it.
set -euo pipefail

IMAGE="${1:-localhost/paydown:check}"
PORT="${PORT:-8099}"
NAME="paydown-check-$$"
ROOT=""
SERVER_PID=""

cleanup() {
  if [ -n "$SERVER_PID" ]; then kill -TERM -- "-$SERVER_PID" 2>/dev/null || true; sleep 2; fi
  if [ -n "$ROOT" ]; then
    umount "$ROOT/dev/shm" 2>/dev/null || true
    umount "$ROOT/proc" 2>/dev/null || true
  fi
  podman umount "$NAME" >/dev/null 2>&1 || true
  podman rm "$NAME" >/dev/null 2>&1 || true
}
trap cleanup EXIT
fail() { echo "check-image: FAIL: $*" >&2; exit 1; }

echo "== config"
user=$(podman image inspect "$IMAGE" --format '{{.Config.User}}')
health=$(podman image inspect "$IMAGE" --format '{{json .HealthCheck}}' 2>/dev/null || true)
[ -n "$health" ] && [ "$health" != "null" ] || health=$(podman image inspect "$IMAGE" | python3 -c \
  'import json, sys; print(json.dumps(json.load(sys.stdin)[0].get("Healthcheck")))')
cmd=$(podman image inspect "$IMAGE" --format '{{index .Config.Cmd 2}}')
echo "user: $user"; echo "healthcheck: $health"; echo "cmd: $cmd"
case "$user" in "" | root | 0 | 0:*) fail "the image runs as root" ;; esac
case "$health" in *config.healthcheck*) ;; *) fail "no HEALTHCHECK (build with --format docker)" ;; esac
case "$cmd" in *'gunicorn config.wsgi --bind 0.0.0.0:${PORT}'*) ;; *) fail "CMD does not run gunicorn on \$PORT" ;; esac
podman image inspect "$IMAGE" --format 'size: {{.Size}} bytes'

podman create --name "$NAME" "$IMAGE" >/dev/null
ROOT=$(podman mount "$NAME")
mount -t proc proc "$ROOT/proc"
# What a container runtime gives: a writable /dev/shm (gunicorn's heartbeat files go there).
mount -t tmpfs -o mode=1777,size=64m shm "$ROOT/dev/shm"

# The image's environment, as the image's user, in /app.
mapfile -t image_env < <(podman image inspect "$IMAGE" --format '{{range .Config.Env}}{{println .}}{{end}}' | sed '/^$/d')
in_image() {
  chroot --userspec="$user" "$ROOT" /usr/bin/env -i "${image_env[@]}" HOME=/home/paydown "$@"
}
secret=$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')

echo "== static files"
test -f "$ROOT/app/var/staticfiles/staticfiles.json" || fail "no staticfiles.json"
python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["paths"]), "files in the manifest")' \
  "$ROOT/app/var/staticfiles/staticfiles.json"

echo "== translations (compiled at build time)"
for language in de fr; do
  test -f "$ROOT/app/locale/$language/LC_MESSAGES/django.mo" || fail "no compiled $language catalog"
done
in_image SECRET_KEY="$secret" DATABASE_URL=sqlite:////tmp/check.sqlite3 sh -c 'cd /app && python -c "
import django
django.setup()
from django.utils import translation
with translation.override(\"de\"):
    said = translation.gettext(\"Log out\")
assert said != \"Log out\", said
print(\"German:\", said)
"'
test ! -e "$ROOT/usr/bin/msgfmt" || fail "gettext was left in the image"

echo "== manage.py check --deploy"
in_image SECRET_KEY="$secret" ALLOWED_HOSTS=localhost DATABASE_URL=sqlite:////tmp/check.sqlite3 \
  sh -c 'cd /app && python manage.py check --deploy --fail-level WARNING'

echo "== WeasyPrint"
in_image sh -c 'cd /app && python -c "
import weasyprint
pdf = weasyprint.HTML(string=\"<h1>Paydown</h1><p>PDF check: é – €</p>\").write_pdf()
assert pdf.startswith(b\"%PDF-\")
print(\"weasyprint\", weasyprint.__version__, \"rendered\", len(pdf), \"bytes\")
"'

echo "== SAML sign-in: the xmlsec binding loads, so allauth's SAML provider is installed"
in_image SECRET_KEY="$secret" ALLOWED_HOSTS=localhost sh -c 'cd /app && python -c "
import django; django.setup()
from django.conf import settings
import xmlsec
assert settings.SAML_AVAILABLE, \"SAML_AVAILABLE is off\"
assert \"allauth.socialaccount.providers.saml\" in settings.INSTALLED_APPS
print(\"xmlsec\", xmlsec.__version__, \"and the SAML provider load\")
"'

echo "== the paydown package (pure core, shipped banks) and its command"
in_image sh -c 'cd /app && python -c "
from paydown import bankfile
print(len([bankfile.load(p.read_bytes()) for p in bankfile.SHIPPED]), \"shipped banks load\")
" && paydown --version'

echo "== gunicorn and the healthcheck on 127.0.0.1:$PORT"
server_cmd=${cmd//0.0.0.0/127.0.0.1}
setsid chroot --userspec="$user" "$ROOT" /usr/bin/env -i "${image_env[@]}" HOME=/home/paydown \
  PORT="$PORT" WEB_CONCURRENCY=2 SECRET_KEY="$secret" ALLOWED_HOSTS=localhost \
  CSRF_TRUSTED_ORIGINS=https://localhost BEHIND_TLS_PROXY=1 sh -c "cd /app && $server_cmd" >/tmp/paydown-check-gunicorn.log 2>&1 &
SERVER_PID=$!
ok=""
for _ in $(seq 30); do
  if in_image PORT="$PORT" ALLOWED_HOSTS=localhost sh -c 'cd /app && python -m config.healthcheck'; then
    ok=1; break
  fi
  sleep 1
done
[ -n "$ok" ] || { tail -20 /tmp/paydown-check-gunicorn.log; fail "healthcheck never passed"; }
echo "healthcheck: exit 0"
code=$(curl -sS -o /dev/null -w '%{http_code}' -H 'Host: localhost' "http://127.0.0.1:$PORT/accounts/login/")
[ "$code" = 301 ] || fail "plain HTTP gave $code, not a redirect to HTTPS"
page=$(curl -fsS -H 'Host: localhost' -H 'X-Forwarded-Proto: https' "http://127.0.0.1:$PORT/accounts/login/")
css=$(grep -o '/static/css/[^"]*\.css' <<<"$page" | head -1)
[ -n "$css" ] || fail "the login page links no hashed stylesheet"
curl -fsS -o /dev/null -H 'Host: localhost' -H 'X-Forwarded-Proto: https' "http://127.0.0.1:$PORT$css" \
  || fail "$css is not served"
echo "plain HTTP redirects to HTTPS; behind the proxy the login page and $css are served"
echo "check-image: all checks passed"
