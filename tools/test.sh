#!/usr/bin/env bash
# Run the whole test suite on this machine with one command:
#   bash tools/test.sh [pytest args...]       e.g. bash tools/test.sh -k testbed
#   bash tools/test.sh --unit [pytest args...]  only tests/unit: no apt, no dockerd, no test bed
# Steps: bring the test bed up (not with --unit), create/refresh the venv at .venv, install the
# package with its test extras, lint with ruff, then pytest with the test bed's settings in the
# environment.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=$ROOT/.venv
PYTHON=${HD_PYTHON:-python3}  # the interpreter the venv is made from
HD_TESTBED_DIR=${HD_TESTBED_DIR:-/tmp/hinemos-docker-testbed}

log() { printf 'test.sh: %s\n' "$*"; }
die() { printf 'test.sh: ERROR: %s\n' "$*" >&2; exit 1; }
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }

TIMINGS=()
STEP='' STEP_T0=''
# timed LABEL FUNCTION [ARGS...]: run a step, remember its duration, stop on failure
timed() {
    STEP=$1 STEP_T0=$EPOCHREALTIME
    shift
    log "== $STEP"
    "$@"
    TIMINGS+=("$(printf '%-13s %6ss' "$STEP" "$(since "$STEP_T0")")")
    STEP=
}

# on exit before pytest: what finished, and which step failed after how long
print_timings() {
    [[ -z $STEP ]] || TIMINGS+=("$(printf '%-13s %6ss  FAILED' "$STEP" "$(since "$STEP_T0")")")
    log "timings:"
    printf '  %s\n' "${TIMINGS[@]}"
}

step_testbed() {
    bash "$ROOT/tools/testbed.sh" up
}

step_venv() {
    # reuse a working venv; one whose interpreter vanished (python upgraded, tree moved) is remade
    if [[ -x $VENV/bin/python ]] && "$VENV/bin/python" -c 'import sys' 2>/dev/null; then
        log "reusing $VENV"
        return 0
    fi
    rm -rf "$VENV"
    "$PYTHON" -m venv "$VENV" || die "'$PYTHON -m venv' failed (Debian needs python3-venv)"
}

step_install() {
    # Skip the ~10 s pip run when nothing that shapes the install changed since the last one:
    # setup.py, the bin scripts (pip copies them into the venv, so their contents count) and the
    # interpreter.
    local stamp=$VENV/.hinemos-docker-install key
    key=$(
        cd "$ROOT"
        {
            cat setup.py
            ls bin/
            cat bin/*
            "$VENV/bin/python" -VV
        } | sha256sum
    )
    if [[ -f $stamp && $(cat "$stamp") == "$key" ]]; then
        log "package and test extras already installed"
        return 0
    fi
    rm -f "$stamp"
    (cd "$ROOT" && "$VENV/bin/python" -m pip install -q -e '.[test]') || die "pip install -e '.[test]' failed"
    printf '%s\n' "$key" >"$stamp"
}

step_lint() {
    (cd "$ROOT" && "$VENV/bin/ruff" check .) || die "ruff check failed"
}

step_pytest() {
    local rc=0
    if [[ $UNIT_ONLY == 1 ]]; then
        set -- tests/unit "$@"
    else
        # shellcheck disable=SC1091  # written by testbed.sh up
        source "$HD_TESTBED_DIR/env"
    fi
    (cd "$ROOT" && "$VENV/bin/python" -m pytest -q "$@") || rc=$?
    case $rc in
    0) ;;
    5) die "pytest ran no tests (exit 5): that is a failure here" ;;
    *) die "pytest failed (exit $rc)" ;;
    esac
}

UNIT_ONLY=0
main() {
    local t0=$EPOCHREALTIME
    if [[ ${1:-} == --unit ]]; then
        UNIT_ONLY=1
        shift
    fi
    trap 'print_timings' EXIT
    [[ $UNIT_ONLY == 1 ]] || timed testbed step_testbed
    timed venv step_venv
    timed install step_install
    timed ruff step_lint
    # Timings go out before pytest, so that pytest's summary stays the last line (CI reads it);
    # pytest's own line gives its duration.
    TIMINGS+=("$(printf '%-13s %6ss' 'before pytest' "$(since "$t0")")")
    trap - EXIT
    print_timings
    log "== pytest"
    step_pytest "$@"
}

main "$@"
