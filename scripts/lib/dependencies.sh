# dependencies.sh: sourced by test.sh and demo.sh. Makes sure the system packages
# the build needs and the Python peers the interop tests use are present.

# Debian packages: C libraries behind the system-library targets (found through
# pkg-config), socat for TLS-fronting tests, python3 + pip for the broker and peers.
APT_PACKAGES=(pkg-config libssl-dev zlib1g-dev libsnappy-dev liblz4-dev libzstd-dev socat python3 python3-pip xz-utils)

# pip distribution = Python module, for the reference peers tests compare against.
PYTHON_PEERS=(
    "kafka-python=kafka"
    "confluent-kafka=confluent_kafka"
    "python-snappy=snappy"
    "lz4=lz4"
    "zstandard=zstandard"
    "botocore=botocore"
    "aws-msk-iam-sasl-signer-python=aws_msk_iam_sasl_signer"
    "scramp=scramp"
)

deps_say() { echo "$(basename "$0"): $*" >&2; }

# Installs missing APT_PACKAGES with apt-get when root; otherwise prints the command and fails.
ensure_apt_packages() {
    if ! command -v dpkg-query >/dev/null 2>&1; then
        deps_say "not a Debian system: make sure these are installed: ${APT_PACKAGES[*]}"
        return 0
    fi
    local missing=() package
    for package in "${APT_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    local command="apt-get install -y --no-install-recommends ${missing[*]}"
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        deps_say "installing ${missing[*]}"
        { apt-get update -qq && DEBIAN_FRONTEND=noninteractive $command -qq; } >&2 \
            || { deps_say "failed: $command"; return 1; }
    else
        deps_say "missing packages; run as root: apt-get update && $command"
        return 1
    fi
}

# Makes the Python peers importable. Missing ones go into <repo>/.tansu/python
# (pip --target): nothing touches the system interpreter, so PEP 668's
# externally-managed Python is no obstacle. Exports PYTHONPATH for the tests.
ensure_python_peers() {
    local root=$1 py=${PYTHON:-python3} target="$1/.tansu/python"
    export PYTHONPATH="$target${PYTHONPATH:+:$PYTHONPATH}"
    local missing=() entry
    for entry in "${PYTHON_PEERS[@]}"; do
        "$py" -c "import ${entry#*=}" >/dev/null 2>&1 || missing+=("${entry%%=*}")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if ! "$py" -m pip --version >/dev/null 2>&1; then
        deps_say "pip unavailable; interop tests that need ${missing[*]} will skip"
        return 0
    fi
    deps_say "installing Python peers into $target: ${missing[*]}"
    mkdir -p "$target"
    "$py" -m pip install --quiet --disable-pip-version-check --no-input --target "$target" "${missing[@]}" >&2 \
        || deps_say "pip install ${missing[*]} failed; tests that need them will skip"
}
