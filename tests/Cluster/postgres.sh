#!/usr/bin/env bash
# A private PostgreSQL for the cluster tests and the jobs benchmark, on a loopback port, in a folder of its own.
#   tests/Cluster/postgres.sh start DIR PORT   installs Debian's postgresql if initdb is missing (root only),
#                                              initdb into DIR/data, starts it; prints the connection string
#   tests/Cluster/postgres.sh stop DIR         stops it (DIR can then be deleted)
# PostgreSQL refuses to run as root: as root, the server runs as the postgres user the Debian package creates.
set -euo pipefail

find_bin() {
  local d
  for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && { echo "$d"; return 0; }; done
  command -v initdb >/dev/null 2>&1 && { dirname "$(readlink -f "$(command -v initdb)")"; return 0; }
  return 1
}

as_owner() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

cmd=${1:?usage: postgres.sh start DIR PORT | stop DIR}
dir=${2:?folder}
case "$cmd" in
  start)
    port=${3:?port}
    if ! bin=$(find_bin); then
      if [ "$(id -u)" -ne 0 ]; then echo "PostgreSQL is not installed (no initdb) and installing it needs root." >&2; exit 2; fi
      # Test projects start in parallel: one installs, the others wait for it and then find initdb.
      exec 9>/tmp/forecasting-postgres-install.lock
      flock 9
      if ! bin=$(find_bin); then
        echo "installing postgresql (apt-get)..." >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >&2 && apt-get install -y -qq -o DPkg::Lock::Timeout=300 postgresql >&2
        bin=$(find_bin) || { echo "initdb still missing after installing postgresql." >&2; exit 2; }
      fi
      flock -u 9
    fi
    mkdir -p "$dir"
    if [ "$(id -u)" -eq 0 ]; then chown -R postgres "$dir"; fi
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
        as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 >"$dir/initdb.log" 2>&1 ||
        { cat "$dir/initdb.log" >&2; exit 3; }
    fi
    # Loopback only, sockets in DIR; durability settings off: a test cluster is thrown away.
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
      -o "-p $port -c listen_addresses=127.0.0.1 -k $dir -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >&2 ||
      { cat "$dir/server.log" >&2; exit 4; }
    echo "Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
    ;;
  stop)
    bin=$(find_bin) || exit 0
    [ -f "$dir/data/postmaster.pid" ] && as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >&2 || true
    ;;
  *) echo "unknown command $cmd" >&2; exit 1 ;;
esac
