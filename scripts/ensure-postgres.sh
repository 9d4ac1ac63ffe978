#!/usr/bin/env bash
# Make sure a PostgreSQL server answers on 127.0.0.1:5432 with a `test` database (trust auth).
# The development and CI machines start one; a fresh machine elsewhere gets Debian's.
set -euo pipefail
answers() { pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null || python3 - <<'PY'
import socket, sys
s = socket.socket(); s.settimeout(1)
sys.exit(0 if s.connect_ex(("127.0.0.1", 5432)) == 0 else 1)
PY
}
if answers; then exit 0; fi
echo "no PostgreSQL on 127.0.0.1:5432; installing and starting one" >&2
if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq postgresql >/dev/null
fi
ver=$(ls /etc/postgresql | sort -V | tail -n1)
conf=/etc/postgresql/$ver/main
sed -i -E 's/^(local|host)(\s+all\s+all\s+.*)\s(peer|scram-sha-256|md5)$/\1\2 trust/' "$conf/pg_hba.conf" || true
grep -q '127.0.0.1/32 *trust' "$conf/pg_hba.conf" || echo 'host all all 127.0.0.1/32 trust' >> "$conf/pg_hba.conf"
pg_ctlcluster --skip-systemctl-redirect "$ver" main start || pg_ctlcluster "$ver" main start
for _ in $(seq 1 30); do answers && break; sleep 1; done
su postgres -c "psql -tc \"SELECT 1 FROM pg_database WHERE datname='test'\" | grep -q 1 || createdb test"
answers
