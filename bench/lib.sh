# bench/lib.sh: the benchmarks' private stack (gazette and nginx on their own
# ports, in their own directory) and their measurements with wrk. Sourced by
# bench/run and bench/scale after scripts/lib.sh, with SECONDS_EACH, ROUNDS,
# THREADS and CONNECTIONS set.

HOST=127.0.0.1
BIN="$GZ_ROOT/build/gazette"
STATIC_COPY=/bench-static-copy.html
GAZETTE_CHILD=""
NGINX_CHILD=""

# bench_check_numbers : the environment's counts are positive integers.
bench_check_numbers() {
  for v in "$SECONDS_EACH" "$THREADS" "$CONNECTIONS" "$ROUNDS"; do
    [[ "$v" =~ ^[1-9][0-9]*$ ]] || gz_die "BENCH_SECONDS, BENCH_THREADS, BENCH_CONNECTIONS and BENCH_ROUNDS must be positive integers"
  done
}

# bench_stop : stop nginx and gazette if they are running.
bench_stop() {
  if [[ -n "$NGINX_CHILD" ]]; then
    gz_stop_pid "$NGINX_CHILD" TERM 10 || true
    NGINX_CHILD=""
  fi
  if [[ -n "$GAZETTE_CHILD" ]]; then
    gz_stop_pid "$GAZETTE_CHILD" TERM 20 || gz_say "gazette did not stop in time"
    GAZETTE_CHILD=""
  fi
}

# bench_settings DB : raise the guards against ballot stuffing and comment
# floods, since every request of a benchmark comes from one address.
bench_settings() {
  local kv
  for kv in rating_ip_cap=1000000 comment_flood_seconds=0 comment_flood_hourly=100000; do
    "$BIN" setting --db "$1" "${kv%%=*}" "${kv#*=}" >/dev/null || gz_die "cannot set ${kv%%=*}"
  done
}

# bench_start DIR DB : serve DB through gazette and nginx, their files in
# DIR (whose static/ folder nginx serves the static copy from). Stops a
# stack left in DIR by an interrupted run first. Sets BASE, NGX, SOCK and
# GAZETTE_CHILD, and the site's base_url to BASE.
bench_start() {
  local dir="$1" db="$2" pid extra nginx port
  NGX="$dir/nginx"
  SOCK="$dir/gazette.sock"
  ((${#SOCK} <= 100)) || gz_die "the repository path is too long for a unix socket ($SOCK)"
  if pid="$(gz_pid_alive "$NGX/nginx.pid" nginx)"; then gz_stop_pid "$pid" TERM 10 || true; fi
  if pid="$(gz_pid_alive "$dir/gazette.pid" gazette)"; then gz_stop_pid "$pid" TERM 20 || true; fi
  rm -rf "$NGX" "$SOCK" "$dir/static"
  mkdir -p "$NGX" "$dir/static"
  # nginx keeps gazette's answers; gazette purges them through this socket.
  "$BIN" setting --db "$db" cache_nginx "unix:$NGX/purge.sock" >/dev/null \
    || gz_die "cannot set cache_nginx"
  "$BIN" serve --db "$db" --listen "unix:$SOCK" --templates "$GZ_ROOT/www/templates" \
    2>"$dir/gazette.log" &
  GAZETTE_CHILD=$!
  echo "$GAZETTE_CHILD" >"$dir/gazette.pid"
  gz_wait_file "$SOCK" 60 "$GAZETTE_CHILD" \
    || gz_die "gazette serve did not start: $(tail -n 1 "$dir/gazette.log")"
  # nginx serves the static copy with the same content type as gazette's page.
  extra="        location = $STATIC_COPY {
            alias $dir/static/article.html;
            default_type \"text/html; charset=utf-8\";
            types { }
        }"
  nginx="$(gz_nginx_bin)"
  port="$(gz_free_port "${BENCH_PORT:-18480}")"
  gz_render_nginx "$NGX/nginx.conf" "$HOST:$port" "unix:$SOCK" "$GZ_ROOT/www/static" "$NGX" \
    "$(dirname "$db")/media" "$(gz_upload_max "$BIN" "$db")" "$extra"
  # One address sends every request: raise nginx's limits per address.
  sed -i -e 's/rate=10r\/s/rate=1000000r\/s/' -e 's/limit_conn gazette_conn 64;/limit_conn gazette_conn 60000;/' \
    "$NGX/nginx.conf"
  "$nginx" -p "$NGX/" -c "$NGX/nginx.conf" -e "$NGX/error.log" &
  NGINX_CHILD=$!
  gz_wait_file "$NGX/nginx.pid" 20 "$NGINX_CHILD" \
    || gz_die "nginx did not start: $(tail -n 1 "$NGX/error.log")"
  gz_wait_http "$HOST" "$port" / 20 || gz_die "the site did not answer on port $port"
  BASE="http://$HOST:$port"
  BENCH_DIR="$dir"
  # The site's address is the stack's, so that its forms accept posts from
  # its own pages (their Origin).
  "$BIN" setting --db "$db" base_url "$BASE" >/dev/null || gz_die "cannot set base_url"
}

# bench_static_copy PATH : copy the page at PATH to the static copy nginx
# serves, and check that both answer the same bytes.
bench_static_copy() {
  curl -sf -o "$BENCH_DIR/static/article.html" "$BASE$1" || gz_die "GET $1 failed"
  cmp -s "$BENCH_DIR/static/article.html" <(curl -s "$BASE$STATIC_COPY") \
    || gz_die "the static copy differs from the page at $1"
}

# bench_expect_hit PATH : nginx must answer PATH from its cache (asked
# twice, the second answer says X-Cache: HIT).
bench_expect_hit() {
  curl -s -o /dev/null "$BASE$1"
  curl -s -o /dev/null -D - "$BASE$1" | grep -qi '^X-Cache: HIT' \
    || gz_die "nginx does not keep $1 (no X-Cache: HIT)"
}

# bench_expect_200 PATH... : every target must answer 200 before it is
# measured.
bench_expect_200() {
  local path code
  for path in "$@"; do
    code="$(curl -s -o /dev/null -w '%{http_code}' "$BASE$path")"
    [[ "$code" = 200 ]] || gz_die "GET $path answered $code, not 200"
  done
}

# measure NAME PATH [SCRIPT] [CONNECTIONS] : run wrk against PATH (with the
# Lua SCRIPT, default report.lua) after a one-second warm-up of reads and
# store its BENCH line in RESULT[NAME]. Reads pass nginx's cache by (the
# figures are gazette's), unless BENCH_BYPASS=0 (see report.lua).
declare -A RESULT
measure() {
  local name="$1" path="$2" script="${3:-report.lua}" conns="${4:-$CONNECTIONS}" out
  if [[ "$script" = report.lua || "$script" = random.lua ]]; then
    wrk -t "$THREADS" -c "$conns" -d 1s -s "$GZ_ROOT/bench/$script" "$BASE$path" >/dev/null 2>&1 || true
  fi
  out="$(wrk -t "$THREADS" -c "$conns" -d "${SECONDS_EACH}s" --timeout 5s \
    -s "$GZ_ROOT/bench/$script" "$BASE$path" 2>&1)" || gz_die "wrk failed on $path: $out"
  RESULT[$name]="$(grep '^BENCH ' <<<"$out" | tail -n 1)"
  [[ -n "${RESULT[$name]}" ]] || gz_die "wrk printed no result for $path: $out"
  grep '^NON2XX ' <<<"$out" | sed "s/^/$name: /" >>"${BENCH_NON2XX:-$BENCH_DIR/non2xx.txt}" || true
}

# field NAME KEY : print the value of KEY in the BENCH line of NAME.
field() {
  sed -E "s/.* $2=([^ ]+).*/\1/" <<<" ${RESULT[$1]}"
}

# median NAME : keep in RESULT[NAME] the round of NAME with the median
# requests/s (the rounds are in RESULT[NAME_1] .. RESULT[NAME_n]).
median() {
  local name="$1" i lines=()
  for ((i = 1; i <= ROUNDS; i++)); do lines+=("${RESULT[${name}_$i]}"); done
  RESULT[$name]="$(printf '%s\n' "${lines[@]}" | sed -E 's/.* rps=([^ ]+).*/\1 &/' |
    sort -n | awk -v n="$ROUNDS" 'NR == int((n + 1) / 2) { sub(/^[^ ]+ /, ""); print }')"
}

# bench_failed NAME... : 0 when some run of NAME... had a response that
# was not 2xx or a socket error.
bench_failed() {
  local name
  for name in "$@"; do
    if [[ "$(field "$name" non2xx)" != 0 || "$(field "$name" socket_errors)" != 0 ]]; then
      return 0
    fi
  done
  return 1
}

# bench_memory PID : print the resident memory of PID now and at its peak
# (MiB), as "rss=N peak=M".
bench_memory() {
  awk '/^VmRSS:/ { rss = $2 } /^VmHWM:/ { hwm = $2 }
       END { printf "rss=%.0f peak=%.0f", rss / 1024, hwm / 1024 }' "/proc/$1/status"
}
