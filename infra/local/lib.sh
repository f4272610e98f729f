# shellcheck shell=bash disable=SC2034 # its variables are used by the sourcing scripts
# Shared helpers for the infra/local scripts. Sourced, never executed: the
# sourcing script has already done `set -euo pipefail`.

LOCAL_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$LOCAL_DIR/../.." && pwd)"
# Everything the servers write lives here, so a reset is one `rm -rf`.
DATA_DIR="${GATEWAY_DATA_DIR:-$REPO_ROOT/.data}"

# Ports and credentials: one source of defaults for servers and clients.
# shellcheck source-path=SCRIPTDIR source=env.sh
source "$LOCAL_DIR/env.sh"

# Exit code a wait_until probe returns to mean "give up now" (process died).
readonly WAIT_ABORT=100

LOG_TAG="${LOG_TAG:-infra}"
log() { printf '%s: %s\n' "$LOG_TAG" "$*"; }
warn() { printf '%s: warning: %s\n' "$LOG_TAG" "$*" >&2; }
die() {
  printf '%s: error: %s\n' "$LOG_TAG" "$*" >&2
  exit 1
}

# usage: wait_until TIMEOUT_S PROBE [ARGS...]
# Polls PROBE until it succeeds (0), returns WAIT_ABORT (-> 2), or the
# deadline passes (-> 1). Sub-second first poll keeps warm starts quick.
wait_until() {
  local timeout="$1" rc delay=0.2
  shift
  local deadline=$((SECONDS + timeout))
  while true; do
    rc=0
    "$@" || rc=$?
    if ((rc == 0)); then
      return 0
    elif ((rc == WAIT_ABORT)); then
      return 2
    elif ((SECONDS >= deadline)); then
      return 1
    fi
    sleep "$delay"
    delay=1
  done
}

# usage: tail_log FILE [LINES] -- the usual first clue when a start fails.
tail_log() {
  local file="$1" lines="${2:-50}"
  if [[ -f "$file" ]]; then
    printf -- '----- last %s lines of %s -----\n' "$lines" "$file" >&2
    tail -n "$lines" "$file" >&2
    printf -- '----- end of %s -----\n' "$file" >&2
  else
    printf '(no log file at %s)\n' "$file" >&2
  fi
}

# usage: port_open PORT -- cheap TCP check before spawning a heavier probe.
port_open() {
  # shellcheck disable=SC2016 # $1 expands in the inner bash
  timeout 2 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"' _ "$1" 2>/dev/null
}

# usage: read_pid FILE -- prints the pid stored in FILE, if any.
read_pid() {
  [[ -s "$1" ]] && head -n 1 "$1"
}

# usage: pid_alive PID
pid_alive() {
  [[ "$1" =~ ^[0-9]+$ ]] && kill -0 "$1" 2>/dev/null
}

# usage: take_lock DIR -- serialises start/stop of one service, so concurrent
# callers (parallel test jobs, up.sh run twice) cannot launch two servers on
# the same data. Held on fd 9 until the script exits; whatever is launched in
# the background must close it (9>&-) or it would hold the lock forever.
take_lock() {
  mkdir -p "$1"
  exec 9>"$1/.lock"
  flock 9
}

# usage: pid_gone PID -- for wait_until while a process shuts down.
pid_gone() {
  ! kill -0 "$1" 2>/dev/null
}

# usage: run_prefixed TAG CMD... -- runs CMD with TAG before every output
# line, so parallel starts in up.sh/down.sh stay readable. Exit code is CMD's
# (pipefail).
run_prefixed() {
  local tag="$1"
  shift
  "$@" 2>&1 | sed -u "s/^/[$tag] /"
}
