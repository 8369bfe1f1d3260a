"""A PostgreSQL primary and its streaming replica as two clusters of the machine's PostgreSQL
(Debian's pg_createcluster), made for one topology run and dropped after it. Run as root."""

import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

PRIMARY = "paydown_topology_primary"
REPLICA = "paydown_topology_replica"
USER = "paydown_topology"
PASSWORD = "paydown_topology"
DATABASE = "paydown_topology"


def run(*argv: str, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        argv, capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=120
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed ({done.returncode}):\n{done.stderr.strip()}")
    return done.stdout


def as_postgres(command: str, env: dict[str, str] | None = None) -> str:
    return run("su", "postgres", "-c", command, env=env)


def version() -> str:
    """The machine's PostgreSQL major version: the highest installed (15 on Debian 12)."""
    return max(os.listdir("/usr/lib/postgresql"), key=int)


@dataclass
class Clusters:
    version: str
    primary_port: int
    replica_port: int

    def url(self, port: int) -> str:
        return f"postgres://{USER}:{PASSWORD}@127.0.0.1:{port}/{DATABASE}"

    @property
    def primary_url(self) -> str:
        return self.url(self.primary_port)

    @property
    def replica_url(self) -> str:
        return self.url(self.replica_port)

    def sql(self, port: int, query: str) -> str:
        return run(
            "psql", self.url(port), "-qAtX", "-c", query, env={"PGCONNECT_TIMEOUT": "3"}
        ).strip()

    def create(self) -> None:
        """The primary, its role and database; then the replica: a base backup of the primary
        with -R (standby.signal and the primary's address), started as a hot standby."""
        self.drop()  # what an interrupted run left behind
        v = self.version
        options = "-o max_connections=200 -o wal_level=replica"
        run("pg_createcluster", *f"{v} {PRIMARY} -p {self.primary_port} --start {options}".split())
        as_postgres(
            f'psql -p {self.primary_port} -qc "CREATE ROLE {USER} LOGIN REPLICATION CREATEDB '
            f"PASSWORD '{PASSWORD}'\" -c 'CREATE DATABASE {DATABASE} OWNER {USER}'"
        )
        run("pg_createcluster", *f"{v} {REPLICA} -p {self.replica_port} {options}".split())
        data = Path(f"/var/lib/postgresql/{v}/{REPLICA}")
        run("find", str(data), "-mindepth", "1", "-delete")  # pg_basebackup fills an empty one
        as_postgres(
            f"pg_basebackup -h 127.0.0.1 -p {self.primary_port} -U {USER} -D {data} -R -X stream -c fast",
            env={"PGPASSWORD": PASSWORD},
        )
        self.start_replica()
        self.wait_until_streaming()

    def start_replica(self) -> None:
        run("pg_ctlcluster", self.version, REPLICA, "start")

    def stop_replica(self) -> None:
        """As if its machine went away: no clean shutdown."""
        run("pg_ctlcluster", self.version, REPLICA, "stop", "-m", "immediate")

    def wait_until_streaming(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if self.sql(self.primary_port, "SELECT count(*) FROM pg_stat_replication") == "1":
                    return
            except RuntimeError:
                pass
            time.sleep(0.5)
        raise RuntimeError("the replica did not start streaming from the primary")

    def replica_lag(self) -> tuple[float, int] | None:
        """How far the replica's replay is behind the primary: seconds (pg_stat_replication's
        replay_lag, 0 when it has caught up) and bytes of WAL; None when unknown."""
        try:
            row = self.sql(
                self.primary_port,
                "SELECT coalesce(extract(epoch FROM max(replay_lag)), 0),"
                " coalesce(max(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)), 0)"
                " FROM pg_stat_replication",
            )
        except RuntimeError:
            return None
        seconds, lag_bytes = row.split("|")
        return float(seconds), int(float(lag_bytes))

    def rows_read(self, port: int) -> int:
        """Rows returned by queries on that server's database so far (pg_stat_database)."""
        return int(
            self.sql(
                port, f"SELECT tup_returned FROM pg_stat_database WHERE datname = '{DATABASE}'"
            )
        )

    def drop(self) -> None:
        for name in (REPLICA, PRIMARY):
            if Path(f"/etc/postgresql/{self.version}/{name}").exists():
                run("pg_dropcluster", "--stop", self.version, name)
