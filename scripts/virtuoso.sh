#!/bin/sh
# Run a private Virtuoso Open Source (Debian's virtuoso-opensource) on loopback, for tests and trials.
#
#   scripts/virtuoso.sh start DIR   database in DIR, free loopback ports; prints the SPARQL URL when it answers
#   scripts/virtuoso.sh stop DIR    stops the server started in DIR, by its PID
#   scripts/virtuoso.sh url DIR     prints the SPARQL URL of the server running in DIR
#
# DIR holds virtuoso.ini, the database, virtuoso.pid, http.port and sql.port. SPARQL Update is granted
# to the anonymous SPARQL user (fine on loopback; never do this on a public server).
set -e
cmd=${1:-}; dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop|url DIR" >&2; exit 2; }
ini_src=/etc/virtuoso-opensource-7/virtuoso.ini

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
alive() { [ -f "$dir/virtuoso.pid" ] && kill -0 "$(cat "$dir/virtuoso.pid")" 2>/dev/null; }

case "$cmd" in
start)
  command -v virtuoso-t >/dev/null 2>&1 || { echo "error: virtuoso-t not found; run scripts/install-test-tools.sh (installs virtuoso-opensource)" >&2; exit 2; }
  if alive; then echo "http://127.0.0.1:$(cat "$dir/http.port")/sparql"; exit 0; fi
  mkdir -p "$dir/db"
  dir=$(cd "$dir" && pwd)
  http=$(free_port); sql=$(free_port)
  while [ "$sql" = "$http" ]; do sql=$(free_port); done
  sed -e "s#/var/lib/virtuoso-opensource-7/db#$dir/db#g" \
      -e "/^\[Parameters\]/,/^\[/ s#^ServerPort.*#ServerPort = 127.0.0.1:$sql#" \
      -e "/^\[HTTPServer\]/,/^\[/ s#^ServerPort.*#ServerPort = 127.0.0.1:$http#" \
      -e "s#^DirsAllowed.*#DirsAllowed = ., $dir, /usr/share/virtuoso-opensource-7/vad#" \
      -e "s#^ResultSetMaxRows.*#ResultSetMaxRows = 10000000#" \
      -e "s#^MaxQueryExecutionTime.*#MaxQueryExecutionTime = 600#" \
      "$ini_src" > "$dir/virtuoso.ini"
  echo "$http" > "$dir/http.port"; echo "$sql" > "$dir/sql.port"
  ( cd "$dir" && exec virtuoso-t +configfile "$dir/virtuoso.ini" +foreground > "$dir/server.log" 2>&1 ) &
  echo $! > "$dir/virtuoso.pid"
  i=0
  until python3 -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=5)" "http://127.0.0.1:$http/sparql?query=ASK%7B%7D" 2>/dev/null; do
    i=$((i+1))
    if ! alive || [ $i -gt 120 ]; then
      echo "error: Virtuoso did not start; see $dir/server.log and $dir/db/virtuoso.log" >&2
      alive && kill "$(cat "$dir/virtuoso.pid")"
      exit 1
    fi
    sleep 1
  done
  isql-vt "127.0.0.1:$sql" dba dba exec='grant SPARQL_UPDATE to "SPARQL";' >/dev/null
  echo "http://127.0.0.1:$http/sparql"
  ;;
stop)
  if alive; then
    pid=$(cat "$dir/virtuoso.pid"); kill "$pid"
    i=0; while kill -0 "$pid" 2>/dev/null && [ $i -lt 30 ]; do sleep 1; i=$((i+1)); done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  fi
  rm -f "$dir/virtuoso.pid"
  ;;
url)
  alive || { echo "error: no Virtuoso running in $dir; start it with $0 start $dir" >&2; exit 1; }
  echo "http://127.0.0.1:$(cat "$dir/http.port")/sparql"
  ;;
*) echo "usage: $0 start|stop|url DIR" >&2; exit 2 ;;
esac
