"""deploy/compose.yaml (issue #19): no container engine runs here, so its topology is checked by
reading it: the services it promises, a health check on each, every variable it gives the app a
setting the app reads, and the same settings as make topology-test (deploy/topology) uses."""

import re
from pathlib import Path

import pytest
import yaml

from deploy.topology.__main__ import app_environment
from deploy.topology.postgres import Clusters

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = ROOT / "deploy" / "compose.yaml"
APP_IMAGE = "paydown:latest"
# Read by gunicorn and config/healthcheck.py in the image, and by boto3 from the environment
# (django-storages leaves the keys to it), not by Django's settings.
READ_BY_THE_IMAGE = {"WEB_CONCURRENCY", "PORT", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}
# Where the compose file differs from the one-machine run, and why.
ONLY_IN_COMPOSE = {
    "CSRF_TRUSTED_ORIGINS",  # the public https origin; the run talks to the nodes directly
    "BEHIND_TLS_PROXY",  # TLS ends at the proxy; the run has no TLS
    "PROXY_COUNT",  # one proxy in front; the run's client is the balancer
    "WEB_CONCURRENCY",  # gunicorn's processes; the run starts gunicorn with --workers 2
}
ONLY_IN_THE_RUN = {
    "DEBUG",  # "0", the default when unset
    "HTTPS",  # "0": loopback without TLS
}
ENV_READ = re.compile(
    r"""(?:os\.environ\.get|os\.environ\[|env_int|env_bool|env_list)\(?\s*["']([A-Z0-9_]+)["']"""
)


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def settings_the_app_reads() -> set[str]:
    names = set()
    for path in (ROOT / "config").glob("*.py"):
        names |= set(ENV_READ.findall(path.read_text()))
    return names


def app_services(compose: dict) -> dict[str, dict]:
    return {name: s for name, s in compose["services"].items() if s.get("image") == APP_IMAGE}


def test_the_topology_has_its_services(compose):
    services = compose["services"]
    commands = {name: str(s.get("command", "")) for name, s in app_services(compose).items()}

    assert sorted(name for name, c in commands.items() if c.startswith("gunicorn")) == [
        "web-1",
        "web-2",
    ]
    assert sorted(name for name, c in commands.items() if "'worker'" in c) == [
        "worker-1",
        "worker-2",
    ]
    assert services["db"]["image"].startswith("postgres:")
    assert "pg_basebackup" in services["db-replica"]["command"][0]
    assert {"redis", "s3", "proxy", "migrate", "s3-bucket"} <= set(services)
    proxy = (ROOT / "deploy" / "nginx.conf").read_text()
    assert "server web-1:8000" in proxy and "server web-2:8000" in proxy


def test_every_long_running_service_has_a_health_check(compose):
    """The one-shot jobs (migrations, the bucket) are waited for until they complete instead."""
    one_shot = {name for name, s in compose["services"].items() if s.get("restart") == "no"}
    unchecked = [
        name
        for name, s in compose["services"].items()
        if name not in one_shot and not s.get("healthcheck", {}).get("test")
    ]

    assert one_shot == {"migrate", "s3-bucket"}
    assert unchecked == []


def test_every_variable_given_to_the_app_is_a_setting_it_reads(compose):
    known = settings_the_app_reads() | READ_BY_THE_IMAGE
    unknown = {
        (name, variable)
        for name, service in app_services(compose).items()
        for variable in service["environment"]
        if variable not in known
    }

    assert unknown == set()


def test_the_check_can_tell_an_unknown_variable():
    assert "DATABASE_REPLICA_URL" in settings_the_app_reads()
    assert "DATABASE_REPLICAS_URL" not in settings_the_app_reads()


def test_web_nodes_and_workers_share_one_environment(compose):
    services = app_services(compose)
    web = set(services["web-1"]["environment"])

    assert set(services["web-2"]["environment"]) == web
    assert set(services["worker-1"]["environment"]) == web - {"WEB_CONCURRENCY"}
    assert set(services["worker-2"]["environment"]) == web - {"WEB_CONCURRENCY"}
    assert set(services["migrate"]["environment"]) <= web


def test_compose_and_make_topology_test_use_the_same_settings(compose):
    composed = set(compose["services"]["web-1"]["environment"])
    run = set(app_environment(Clusters("15", 5440, 5441), 6380, 9000, 8001))

    assert composed - run == ONLY_IN_COMPOSE
    assert run - composed == ONLY_IN_THE_RUN


def test_the_files_the_compose_file_mounts_are_there(compose):
    for service in compose["services"].values():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("./") and source != "./certs":  # the operator's TLS files
                assert (COMPOSE.parent / source).exists(), source
