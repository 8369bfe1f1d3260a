# Paydown production image: gunicorn behind your TLS proxy, WeasyPrint's libraries, non-root.
# How to build, run and check it: docs/docker.md. BASE_IMAGE lets an offline build use a local
# Debian base (tools/docker/make-local-base.sh). Only `python3` is taken from the base (Debian's
# own python3 has no `python`); after the venv exists everything runs /venv/bin/python.
ARG BASE_IMAGE=python:3.11-slim-bookworm

FROM ${BASE_IMAGE} AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PYTHONDONTWRITEBYTECODE=1
# A current pip, as the Makefile's: Debian's pip 23.0 refuses a locked extra (weasyprint needs
# fonttools[woff]) in --require-hashes mode as if it were unpinned.
RUN python3 -m venv /venv && /venv/bin/pip install --quiet --upgrade pip
COPY requirements.lock /tmp/requirements.lock
# Wheels only: the slim base has no compiler, and no package's build script runs here.
RUN /venv/bin/pip install --require-hashes --only-binary=:all: -r /tmp/requirements.lock
# The pure core and the shipped bank files (cli/, the `paydown` package); its dependencies are in
# the lock above. Building it fetches setuptools into pip's isolated build environment.
COPY cli /tmp/cli
RUN /venv/bin/pip install --no-deps /tmp/cli

FROM ${BASE_IMAGE} AS runtime
# WeasyPrint needs pango (with pangoft2, harfbuzz, fontconfig) and at least one font; gettext
# compiles the translations below and is removed after.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-dejavu-core gettext \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 10001 paydown \
 && useradd --uid 10001 --gid paydown --no-log-init --create-home --home-dir /home/paydown \
      --shell /usr/sbin/nologin paydown
ENV PATH=/venv/bin:$PATH PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PORT=8000 \
    DJANGO_SETTINGS_MODULE=config.settings
WORKDIR /app
COPY --from=build /venv /venv
# The code stays root's, read-only to the app; only /app/var (SQLite, if used) is the app's.
COPY . /app
# collectstatic needs settings that load; the key is thrown away with this layer. Bytecode is
# compiled here because the app cannot write it next to its root-owned code at run time.
RUN SECRET_KEY=collectstatic-only /venv/bin/python manage.py collectstatic --no-input --verbosity 0 \
 && SECRET_KEY=compilemessages-only /venv/bin/python manage.py compilemessages --verbosity 0 \
 && test -f /app/locale/de/LC_MESSAGES/django.mo \
 && apt-get purge -y --auto-remove gettext \
 && /venv/bin/python -m compileall -q /app \
 && test -f /app/var/staticfiles/staticfiles.json \
 && mkdir -p /app/var/data \
 && chown paydown:paydown /app/var /app/var/data
# Numeric, so an orchestrator's "run as non-root" check can verify it without /etc/passwd.
USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["/venv/bin/python", "-m", "config.healthcheck"]
# The web process migrates and loads the shipped question banks (idempotent) before serving. Run the
# background worker from the same image: `docker run … paydown python manage.py worker`.
CMD ["sh", "-c", "python manage.py migrate --no-input && python manage.py load_default_banks && exec gunicorn config.wsgi --bind 0.0.0.0:${PORT} --workers ${WEB_CONCURRENCY:-3} --worker-tmp-dir /dev/shm --access-logfile -"]
