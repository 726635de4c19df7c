# shellcheck shell=bash
# Shared shell functions for scripts/run, scripts/test and bench/run.
# Source it from bash; it sets GZ_ROOT to the repository root.

GZ_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
GZ_PROG="${GZ_PROG:-$(basename "$0")}"

# Debian packages needed to build and run Gazette (libssl-dev: webhooks to
# https addresses; jq: the API guide's examples; openssl: the webhook tests'
# certificate); the last three hold the demo site's photographs
# (demo/CREDITS).
GZ_BUILD_PACKAGES=(build-essential cmake pkg-config libsqlite3-dev libfcgi-dev
  libcjson-dev libcmark-dev libsodium-dev libcmocka-dev sqlite3 libvips-dev libxml2-dev libxml2-utils
  libnginx-mod-http-cache-purge libssl-dev jq openssl
  lomiri-wallpapers-16.04 lomiri-wallpapers-20.04 mate-backgrounds)

# Where the demo's photographs are (their paths in demo/site.json are
# relative to it).
GZ_DEMO_PICTURES=/usr/share/backgrounds

# Debian packages needed to build and run the fuzz targets (scripts/fuzz):
# clang and its libFuzzer and sanitizer runtimes.
GZ_FUZZ_PACKAGES=(clang libclang-rt-14-dev)

# gz_say MESSAGE... : print one line on stderr, prefixed with the program name.
gz_say() {
  printf '%s: %s\n' "$GZ_PROG" "$*" >&2
}

# gz_die MESSAGE... : print one line on stderr and exit 1.
gz_die() {
  gz_say "$*"
  exit 1
}

# gz_have_package NAME : true when the Debian package NAME is installed.
gz_have_package() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

# gz_nginx_bin : print the path of the nginx binary, or nothing.
gz_nginx_bin() {
  local p
  for p in "$(command -v nginx 2>/dev/null)" /usr/sbin/nginx /usr/local/sbin/nginx; do
    if [[ -n "$p" && -x "$p" ]]; then
      printf '%s\n' "$p"
      return 0
    fi
  done
  return 1
}

# gz_ensure_packages NAME... : install the Debian packages that are missing.
# A few names stand for a command rather than a package: "nginx" is satisfied
# by any nginx binary, "nodejs" and "npm" by node and npm on PATH (which may
# come from elsewhere than Debian), "chromium" by /usr/bin/chromium.
# Runs apt-get update only when something is missing; exits with one line on
# failure.
gz_ensure_packages() {
  local missing=() pkg
  for pkg in "$@"; do
    case "$pkg" in
      nginx) gz_nginx_bin >/dev/null && continue ;;
      nodejs) command -v node >/dev/null 2>&1 && continue ;;
      npm) command -v npm >/dev/null 2>&1 && continue ;;
      chromium) [[ -x /usr/bin/chromium ]] && continue ;;
    esac
    gz_have_package "$pkg" || missing+=("$pkg")
  done
  ((${#missing[@]} == 0)) && return 0
  if [[ $(id -u) -ne 0 ]]; then
    gz_die "missing Debian packages: ${missing[*]} (run as root, or install them first)"
  fi
  local log
  log="$(mktemp "${TMPDIR:-/tmp}/gazette-apt.XXXXXX")"
  gz_say "installing ${missing[*]} (log: $log)"
  if ! DEBIAN_FRONTEND=noninteractive apt-get update -q >"$log" 2>&1; then
    gz_die "apt-get update failed; see $log"
  fi
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      "${missing[@]}" >>"$log" 2>&1; then
    gz_die "apt-get install ${missing[*]} failed; see $log"
  fi
  rm -f "$log"
}

# gz_build DIR CMAKE_ARGS... : configure and build the tree DIR (relative to
# the repository root or absolute). The output goes to DIR/build.log; on
# failure its tail is shown and the function returns non-zero.
gz_build() {
  local dir="$1"
  shift
  [[ "$dir" = /* ]] || dir="$GZ_ROOT/$dir"
  mkdir -p "$dir"
  local log="$dir/build.log"
  local jobs
  jobs="$(nproc 2>/dev/null || echo 2)"
  gz_say "building $(basename "$dir")/ (log: $log)"
  if ! { cmake -S "$GZ_ROOT" -B "$dir" "$@" && cmake --build "$dir" -j "$jobs"; } \
      >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    gz_say "build of $(basename "$dir")/ failed; see $log"
    return 1
  fi
}

# gz_port_in_use PORT : true when something listens on TCP PORT (any address).
gz_port_in_use() {
  local port="$1"
  if command -v ss >/dev/null 2>&1; then
    ss -Htln "sport = :$port" 2>/dev/null | grep -q .
    return
  fi
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
}

# gz_free_port FIRST : print the first TCP port from FIRST up that is free.
gz_free_port() {
  local port="$1"
  while gz_port_in_use "$port"; do
    port=$((port + 1))
  done
  printf '%s\n' "$port"
}

# gz_http_status HOST PORT PATH : print the HTTP status code of GET PATH, or
# nothing when the server does not answer within 5 seconds.
gz_http_status() {
  local host="$1" port="$2" path="$3" line=""
  {
    exec 3<>"/dev/tcp/$host/$port" || return 1
    printf 'GET %s HTTP/1.0\r\nHost: %s:%s\r\nConnection: close\r\n\r\n' \
      "$path" "$host" "$port" >&3
    IFS= read -r -t 5 line <&3 || true
    exec 3<&- 3>&-
  } 2>/dev/null
  line="${line#HTTP/* }"
  printf '%s\n' "${line%% *}"
}

# gz_wait_http HOST PORT PATH SECONDS : wait until GET PATH answers with any
# status below 500; false on timeout.
gz_wait_http() {
  local host="$1" port="$2" path="$3" limit=$(($4 * 10)) i status
  for ((i = 0; i < limit; i++)); do
    status="$(gz_http_status "$host" "$port" "$path")"
    if [[ "$status" =~ ^[1-4][0-9][0-9]$ ]]; then
      return 0
    fi
    sleep 0.1
  done
  return 1
}

# gz_wait_file PATH SECONDS PID : wait until PATH exists (a socket, say);
# false on timeout or when process PID has exited.
gz_wait_file() {
  local path="$1" limit=$(($2 * 10)) pid="$3" i
  for ((i = 0; i < limit; i++)); do
    [[ -e "$path" ]] && return 0
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

# gz_pid_alive PIDFILE PATTERN : print the pid in PIDFILE and succeed when
# that process is alive and its command line (arguments joined by spaces)
# matches the extended regular expression PATTERN.
gz_pid_alive() {
  local pidfile="$1" name="$2" pid
  [[ -r "$pidfile" ]] || return 1
  pid="$(tr -dc '0-9' <"$pidfile")"
  [[ -n "$pid" ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -Eq -- "$name" || return 1
  printf '%s\n' "$pid"
}

# gz_stop_pid PID SIGNAL SECONDS : send SIGNAL to PID and wait for it to exit,
# then SIGKILL it if it is still there. True when it exited in time.
gz_stop_pid() {
  local pid="$1" sig="$2" limit=$(($3 * 10)) i
  kill -s "$sig" "$pid" 2>/dev/null || return 0
  for ((i = 0; i < limit; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    # A child of this shell stays a zombie until reaped; reap it if so.
    if [[ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" = Z ]]; then
      wait "$pid" 2>/dev/null
      return 0
    fi
    sleep 0.1
  done
  kill -s KILL "$pid" 2>/dev/null
  return 1
}

# gz_upload_max BIN DB : print nginx's body limit for uploads, in step with
# the site's upload_max_mb setting (default 20): the setting plus a MiB for
# the form's other fields, e.g. "21m".
gz_upload_max() {
  local mb
  mb="$("$1" setting --db "$2" upload_max_mb 2>/dev/null || true)"
  [[ "$mb" =~ ^[0-9]+$ ]] || mb=20
  printf '%sm\n' "$((mb + 1))"
}

# gz_nginx_modules : print the folder of nginx's dynamic modules (where
# Debian's libnginx-mod-http-cache-purge puts its module).
gz_nginx_modules() {
  local nginx dir
  nginx="$(gz_nginx_bin)" || return 1
  dir="$("$nginx" -V 2>&1 | tr ' ' '\n' | sed -n 's/^--modules-path=//p')"
  printf '%s\n' "${dir:-/usr/lib/nginx/modules}"
}

# gz_render_nginx OUT LISTEN FASTCGI STATIC_ROOT RUNTIME_DIR MEDIA_ROOT
# UPLOAD_MAX [EXTRA] [TRUSTED] : write nginx.conf to OUT from
# scripts/nginx.conf.in and create the runtime directories it names; TRUSTED
# lists the addresses of the edges in front, if any, whose X-Forwarded-For
# names the reader. Start nginx with it as
#   nginx -p RUNTIME_DIR/ -c OUT -e RUNTIME_DIR/error.log
# and tell gazette where nginx takes purges:
#   gazette setting --db DB cache_nginx unix:RUNTIME_DIR/purge.sock
gz_render_nginx() {
  local out="$1" listen="$2" fastcgi="$3" static="$4" runtime="$5" media="$6" upload="$7"
  local extra="${8:-}" trusted="${9:-}" user_line="" text real_ip="" addr
  [[ $(id -u) -eq 0 ]] && user_line="user root;"
  for addr in $trusted; do
    real_ip+="        set_real_ip_from $addr;"$'\n'
  done
  mkdir -p "$runtime/tmp" "$runtime/cache"
  text="$(<"$GZ_ROOT/scripts/nginx.conf.in")"
  text="${text//@USER_LINE@/"$user_line"}"
  text="${text//@RUNTIME_DIR@/"$runtime"}"
  text="${text//@LISTEN@/"$listen"}"
  text="${text//@FASTCGI@/"$fastcgi"}"
  text="${text//@STATIC_ROOT@/"$static"}"
  text="${text//@MEDIA_ROOT@/"$media"}"
  text="${text//@UPLOAD_MAX@/"$upload"}"
  text="${text//@EXTRA_LOCATIONS@/"$extra"}"
  text="${text//@MODULES@/"$(gz_nginx_modules)"}"
  text="${text//@TRUSTED_PROXIES@/"$real_ip"}"
  printf '%s\n' "$text" >"$out"
}

# gz_render_vcl OUT ORIGIN_HOST ORIGIN_PORT PURGERS [STALE_REVALIDATE] :
# write a Varnish VCL for an edge in front of the origin's nginx to OUT
# from scripts/varnish/gazette.vcl.in. PURGERS lists the addresses or
# CIDR blocks allowed to purge (the origin's), separated by spaces;
# STALE_REVALIDATE is gazette's cache_stale_revalidate (default 30).
gz_render_vcl() {
  local out="$1" host="$2" port="$3" purgers="$4" stale="${5:-30}" acl="" item text
  for item in $purgers; do
    if [[ "$item" == */* ]]; then
      acl+="    \"${item%/*}\"/${item#*/};"$'\n'
    else
      acl+="    \"$item\";"$'\n'
    fi
  done
  text="$(<"$GZ_ROOT/scripts/varnish/gazette.vcl.in")"
  text="${text//@ORIGIN_HOST@/"$host"}"
  text="${text//@ORIGIN_PORT@/"$port"}"
  text="${text//@PURGERS@/"$acl"}"
  text="${text//@STALE_REVALIDATE@/"$stale"}"
  printf '%s\n' "$text" >"$out"
}
