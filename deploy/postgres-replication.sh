#!/bin/sh
# Run once by the postgres image when it creates the primary's data (deploy/compose.yaml): let the
# replica stream from the compose network with the same password as the app.
set -eu
echo "host replication paydown all scram-sha-256" >> "$PGDATA/pg_hba.conf"
