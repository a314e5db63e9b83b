#!/usr/bin/env bash
# bench-compare.sh: kafka-bench beside librdkafka (rdk_perf) and franz-go (franz-bench.sh),
# interleaved, each run on a fresh embedded Tansu, and a markdown table of medians.
#
#   scripts/bench-compare.sh [-n ROUNDS] [-c CASES] [-s SCALE] [-o DIR]
#
#   -n ROUNDS  rounds (default 3); every round runs each case once per client, clients in turn
#   -c CASES   comma-separated subset of: p100,p100lz4,p1k,p400,c100,t100,t400 (default: all)
#              p* produce (100 B none, 100 B lz4, 1 KB none, 400 B none), c100 consume 100 B,
#              t* kafka-bench --tracked (the plain figure at the same size is p100 / p400)
#   -s SCALE   multiplies every record count and franz-go's window (default 1; 0.01 for a smoke test)
#   -o DIR     keeps every run's output and results.tsv there (default: a temporary folder)
#
# Counts at scale 1: produce 1,000,000 x 100 B, 500,000 x 400 B, 300,000 x 1 KB; consume
# 3,000,000 x 100 B (written by kafka-bench first, then read by the client under test);
# franz-go, which runs until stopped and prints a rate a second, runs for FRANZ_SECONDS (10,
# at least 6): its msgs/s is the median of its per-second lines from the first one at half
# the peak on (it ramps up over a few seconds; never the first line), for consume the lines
# between the first and the last non-zero one; its records are the sum of all lines.
# CPU per record is user+sys from /usr/bin/time over the whole client process, divided by
# its records. Settings as rdk_perf's: linger 5 ms, batch 1,000,000, idempotence, acks all,
# 6 partitions created before each produce run.
#
# Peers come from ../shared/peers (rdk_perf built into .peers-bin/ by its build.sh); when
# that folder is missing the peers are skipped with a message and the table has our column only.
# KAFKA_BENCH_BASE=/path/to/an/older/kafka-bench adds it as a fourth client ("base"), to show
# a change is no slower than before in the same run. kafka-bench must be built first:
#   swift build -c release --package-path Benchmarks --product kafka-bench
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PEERS=${PEERS_DIR:-$ROOT/../shared/peers}
KB=${KAFKA_BENCH:-$ROOT/Benchmarks/.build/release/kafka-bench}
KB_BASE=${KAFKA_BENCH_BASE:-}
RDK=$ROOT/.peers-bin/rdk_perf
FRANZ=$PEERS/franz-bench.sh
ROUNDS=3 CASES=p100,p100lz4,p1k,p400,c100,t100,t400 SCALE=1 OUT=""
FRANZ_SECONDS=${FRANZ_SECONDS:-10}

say() { echo "bench-compare: $*" >&2; }
while getopts "n:c:s:o:h" opt; do
    case $opt in
        n) ROUNDS=$OPTARG ;;
        c) CASES=$OPTARG ;;
        s) SCALE=$OPTARG ;;
        o) OUT=$OPTARG ;;
        *) sed -n '2,28p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
    esac
done
[ -x "$KB" ] || { say "no $KB: swift build -c release --package-path Benchmarks --product kafka-bench"; exit 1; }
[ -n "$OUT" ] || OUT=$(mktemp -d /tmp/bench-compare.XXXXXX)
mkdir -p "$OUT"
RESULTS=$OUT/results.tsv
: >"$RESULTS"

scaled() { python3 -c "import sys; print(max(1, int(float(sys.argv[1]) * float(sys.argv[2]))))" "$1" "$SCALE"; }

CLIENTS=(swift)
[ -z "$KB_BASE" ] || { [ -x "$KB_BASE" ] && CLIENTS+=(base) || { say "no $KB_BASE"; exit 1; }; }
if [ -d "$PEERS" ]; then
    if [ ! -x "$RDK" ]; then
        say "building rdk_perf into .peers-bin/"
        (cd "$ROOT" && "$PEERS/build.sh" "$ROOT/.peers-bin" >&2) || say "rdk_perf did not build: librdkafka skipped"
    fi
    [ -x "$RDK" ] && CLIENTS+=(rdk)
    [ -x "$FRANZ" ] && CLIENTS+=(franz)
else
    say "$PEERS is missing: librdkafka and franz-go are skipped"
fi

# Runs one case for one client on a fresh broker; appends "case client round msgs_per_s records cpu_s" to results.
run_one() {
    local case=$1 client=$2 round=$3
    local size codec=none count mode=produce tracked=""
    case $case in
        p100) size=100; count=$(scaled 1000000) ;;
        p100lz4) size=100; codec=lz4; count=$(scaled 1000000) ;;
        p400) size=400; count=$(scaled 500000) ;;
        p1k) size=1000; count=$(scaled 300000) ;;
        c100) size=100; count=$(scaled 3000000); mode=consume ;;
        t100) size=100; count=$(scaled 1000000); tracked=--tracked ;;
        t400) size=400; count=$(scaled 500000); tracked=--tracked ;;
        *) say "unknown case $case"; exit 2 ;;
    esac
    local log=$OUT/$case-$client-$round.log timing=$OUT/$case-$client-$round.time
    local window
    window=$(python3 -c "import sys; print(max(6, round(float(sys.argv[1]) * float(sys.argv[2]))))" "$FRANZ_SECONDS" "$SCALE")
    # The command run against the broker; $KAFKA_BOOTSTRAP_SERVERS is expanded by the inner shell.
    local fill="" run
    [ "$mode" = consume ] && fill="\"$KB\" create \$KAFKA_BOOTSTRAP_SERVERS bench 6 && \"$KB\" produce \$KAFKA_BOOTSTRAP_SERVERS bench $count $size none >/dev/null && "
    local timed="/usr/bin/time -f '%U %S' -o '$timing'"
    case $client/$mode in
        swift/produce) run="\"$KB\" create \$KAFKA_BOOTSTRAP_SERVERS bench 6 && $timed \"$KB\" produce \$KAFKA_BOOTSTRAP_SERVERS bench $count $size $codec $tracked" ;;
        base/produce) run="\"$KB\" create \$KAFKA_BOOTSTRAP_SERVERS bench 6 && $timed \"$KB_BASE\" produce \$KAFKA_BOOTSTRAP_SERVERS bench $count $size $codec" ;;
        base/consume) run="$timed \"$KB_BASE\" consume \$KAFKA_BOOTSTRAP_SERVERS bench $count" ;;
        rdk/produce) run="\"$KB\" create \$KAFKA_BOOTSTRAP_SERVERS bench 6 && $timed \"$RDK\" produce \$KAFKA_BOOTSTRAP_SERVERS bench $count $size $codec" ;;
        swift/consume) run="$timed \"$KB\" consume \$KAFKA_BOOTSTRAP_SERVERS bench $count" ;;
        rdk/consume) run="$timed \"$RDK\" consume \$KAFKA_BOOTSTRAP_SERVERS bench $count" ;;
        franz/produce) run="\"$KB\" create \$KAFKA_BOOTSTRAP_SERVERS bench 6 && { timeout -s INT $window $timed \"$FRANZ\" -brokers \$KAFKA_BOOTSTRAP_SERVERS -topic bench -pprof '' -record-bytes $size -linger 5ms -compression $codec -static-record || true; }" ;;
        franz/consume) run="{ timeout -s INT $window $timed \"$FRANZ\" -brokers \$KAFKA_BOOTSTRAP_SERVERS -topic bench -pprof '' -consume || true; }" ;;
    esac
    rm -f "$timing"
    if ! (cd "$ROOT" && scripts/broker.sh run -- sh -c "$fill$run") >"$log" 2>&1; then
        say "$case $client round $round failed (log: $log)"
        return 0
    fi
    python3 - "$case" "$client" "$round" "$log" "$timing" "$count" "$mode" >>"$RESULTS" <<'EOF'
import re, statistics, sys
case, client, rnd, log, timing, count, mode = sys.argv[1:]
text = open(log, errors="replace").read()
try:
    user, system = open(timing).read().split()[-2:]
    cpu = float(user) + float(system)
except (OSError, ValueError):
    cpu = float("nan")
if client == "franz":
    scale = {"": 1, "k": 1e3, "M": 1e6}
    rates = [float(n) * scale[u] for n, u in re.findall(r"([0-9.]+)([kM]?) records/s", text)]
    records = sum(rates)
    if mode == "consume":
        busy = [i for i, r in enumerate(rates) if r > 0]
        full = rates[busy[0] + 1:busy[-1]] if len(busy) > 2 else [r for r in rates if r > 0]
    else:
        # It ramps up over a few seconds on Tansu: count from the first line at half its peak.
        peak = max(rates, default=0)
        start = next((i for i, r in enumerate(rates) if r >= peak / 2), 0)
        full = rates[max(start, 1):] or rates
    rate = statistics.median(full) if full else float("nan")
else:
    line = re.search(r"msgs=(\d+) secs=\S+ msgs_per_s=(\d+)", text)
    if not line:
        sys.exit(0)
    records, rate = int(line.group(1)), float(line.group(2))
print(f"{case}\t{client}\t{rnd}\t{rate:.0f}\t{records:.0f}\t{cpu:.3f}")
EOF
    tail -n 1 "$RESULTS" | sed 's/^/bench-compare: /' >&2
}

IFS=, read -r -a CASE_LIST <<<"$CASES"
for round in $(seq 1 "$ROUNDS"); do
    for case in "${CASE_LIST[@]}"; do
        for client in "${CLIENTS[@]}"; do
            # Peers have no tracking: the tracked cases run kafka-bench only.
            [[ $case == t* && $client != swift ]] && continue
            run_one "$case" "$client" "$round"
        done
    done
done

python3 - "$RESULTS" "$ROUNDS" "${CLIENTS[*]}" <<'EOF'
import collections, datetime, statistics, sys
path, rounds, clients = sys.argv[1], sys.argv[2], sys.argv[3].split()
runs = collections.defaultdict(list)
for line in open(path):
    case, client, _, rate, records, cpu = line.split("\t")
    rate, records, cpu = float(rate), float(records), float(cpu)
    runs[case, client].append((rate, cpu * 1e6 / records if records else float("nan")))
def cell(case, client):
    got = runs.get((case, client))
    if not got:
        return None
    return statistics.median(r for r, _ in got), statistics.median(c for _, c in got), len(got)
def text(value):
    return "n/a" if value is None else f"{value[0]:,.0f} ({value[1]:.2f})"
names = {"swift": "swift-kafka-native", "base": "swift-kafka-native (base)", "rdk": "librdkafka", "franz": "franz-go"}
labels = {"p100": "produce 100 B", "p100lz4": "produce 100 B lz4", "p400": "produce 400 B", "p1k": "produce 1 KB",
          "c100": "consume 100 B", "t100": "tracked produce 100 B", "t400": "tracked produce 400 B"}
print(f"Medians of {rounds} interleaved rounds, {datetime.date.today()}, msgs/s (CPU µs per record, user+sys):\n")
print("| Case | " + " | ".join(names[c] for c in clients) + "".join(f" | vs {names[c]}" for c in clients[1:]) + " |")
print("| --- " * (1 + 2 * len(clients) - 1) + "|")
for case in labels:
    if not any((case, c) in runs for c in clients):
        continue
    cells = [cell(case, c) for c in clients]
    ours = cells[0]
    ratios = [f"{ours[0] / other[0]:.2f}x" if ours and other else "n/a" for other in cells[1:]]
    print(f"| {labels[case]} | " + " | ".join(text(c) for c in cells) + "".join(f" | {r}" for r in ratios) + " |")
tracked = [(t, p) for t, p in (("t100", "p100"), ("t400", "p400")) if (t, "swift") in runs and (p, "swift") in runs]
if tracked:
    print("\n| Records | plain msgs/s (CPU µs) | tracked | tracked vs plain |\n| --- | --- | --- | --- |")
    for t, p in tracked:
        plain, tr = cell(p, "swift"), cell(t, "swift")
        print(f"| {labels[p].split()[-2]} B | {text(plain)} | {text(tr)} | {(tr[0] / plain[0] - 1) * 100:+.0f}% |")
EOF
say "runs and results.tsv in $OUT"
