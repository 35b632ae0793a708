#!/usr/bin/env bash
# Start PostgreSQL and Redis on loopback where they are not running yet (dev machines and CI).
# Installs them from Debian's packages when they are missing. Safe to run again.
set -euo pipefail

pg_up() { pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; }
redis_up() { redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

fresh_pg=0
if ! command -v pg_ctlcluster >/dev/null || ! command -v redis-server >/dev/null; then
  command -v pg_ctlcluster >/dev/null || fresh_pg=1
  as_root apt-get update -qq
  as_root apt-get install -y -qq postgresql redis-server >/dev/null
fi
if [ "$fresh_pg" = 1 ]; then
  # a throw-away development/CI server: trust connections from loopback, as the tests expect
  hba=$(ls /etc/postgresql/*/main/pg_hba.conf | sort -V | tail -n 1)
  as_root sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
fi

if ! pg_up; then
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || \
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main reload
  # trust on loopback, as the test settings expect (development and CI only)
  for _ in $(seq 1 30); do pg_up && break; sleep 1; done
fi

if ! redis_up; then
  as_root mkdir -p /var/lib/redis /var/log/redis
  as_root redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" \
    --appendonly no --dir /var/lib/redis --logfile /var/log/redis/achterban.log
  for _ in $(seq 1 30); do redis_up && break; sleep 1; done
fi

pg_up || { echo "PostgreSQL is not answering on 127.0.0.1:5432" >&2; exit 1; }
redis_up || { echo "Redis is not answering on 127.0.0.1:6379" >&2; exit 1; }
echo "PostgreSQL and Redis are up on 127.0.0.1."
