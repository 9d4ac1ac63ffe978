#!/usr/bin/env bash
# Make sure a NATS server with JetStream answers on 127.0.0.1:4222 (tests/consume, `shopwarden consume`).
# The development and CI machines run one; elsewhere Debian's nats-server is installed and started
# in the background with its store under var/nats (it outlives the test run, as PostgreSQL does).
set -euo pipefail
cd "$(dirname "$0")/.."
answers() { python3 - <<'PY'
import socket, sys
s = socket.socket(); s.settimeout(1)
sys.exit(0 if s.connect_ex(("127.0.0.1", 4222)) == 0 else 1)
PY
}
if answers; then exit 0; fi
echo "no NATS on 127.0.0.1:4222; starting one with JetStream" >&2
server=$(command -v nats-server || echo /usr/sbin/nats-server)
if [ ! -x "$server" ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq nats-server >/dev/null
  server=$(command -v nats-server || echo /usr/sbin/nats-server)
fi
mkdir -p var/nats
nohup "$server" -js -a 127.0.0.1 -p 4222 -sd "$PWD/var/nats" >var/nats/server.log 2>&1 &
for _ in $(seq 1 30); do answers && break; sleep 0.5; done
answers
