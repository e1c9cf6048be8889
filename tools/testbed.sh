#!/usr/bin/env bash
# The project's test bed: a real dockerd, a locally imported busybox image, a private snmpd and a
# private rsyslogd, all on loopback, on a Debian 12 machine where we are root and have no systemd.
#
#   tools/testbed.sh up       install what is missing, start what is not running (idempotent)
#   tools/testbed.sh down     stop only what `up` started; remove containers labelled hinemos-docker-test
#   tools/testbed.sh status   one line per component
#   tools/testbed.sh env      print the settings file the tests source
#
# The facts behind each step are in docs/development.md (The test bed) and the comments below.
set -euo pipefail

# ---- settings (environment overrides the defaults) -------------------------------------------
HD_TESTBED_DIR=${HD_TESTBED_DIR:-/tmp/hinemos-docker-testbed}
HD_TEST_IMAGE=${HD_TEST_IMAGE:-hinemos-docker-test:latest}
HD_SNMP_PORT=${HD_SNMP_PORT:-16161}
HD_SYSLOG_PORT=${HD_SYSLOG_PORT:-15514}
HD_SYSLOG_TCP_PORT=${HD_SYSLOG_TCP_PORT:-15515}
HD_SNMP_COMMUNITY=${HD_SNMP_COMMUNITY:-public}
HD_SYSLOG_RECEIVED=$HD_TESTBED_DIR/received.jsonl

PACKAGES=(docker.io busybox-static iptables snmpd snmp rsyslog curl python3-venv openssl)
DOCKER_SOCK=/var/run/docker.sock
DOCKER_PIDFILE=/var/run/docker.pid  # dockerd's default: it refuses a second start only because of it
DOCKER_TCP=127.0.0.1:2375
DOCKERD_MARK=$HD_TESTBED_DIR/dockerd.started-by-testbed  # holds the pid of the dockerd WE started
SNMPD_PIDFILE=$HD_TESTBED_DIR/snmpd.pid
RSYSLOGD_PIDFILE=$HD_TESTBED_DIR/rsyslogd.pid
TEST_LABEL=hinemos-docker-test
MEM_TOTAL_OID=.1.3.6.1.4.1.2021.4.5.0  # UCD-SNMP-MIB memTotalReal.0

# Debian's CLI matches Debian's dockerd; a newer one in /usr/local/bin may also exist.
if [[ -x /usr/bin/docker ]]; then DOCKER_CLI=/usr/bin/docker; else DOCKER_CLI=docker; fi

# ---- small helpers -----------------------------------------------------------------------------
log() { printf 'testbed: %s\n' "$*"; }
die() { printf 'testbed: ERROR: %s\n' "$*" >&2; exit 1; }

# seconds since $1 (an $EPOCHREALTIME value), one decimal
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }

TIMINGS=()
# run a step and remember how long it took: timed LABEL FUNCTION [ARGS...]
timed() {
    local label=$1 t0=$EPOCHREALTIME
    shift
    "$@"
    TIMINGS+=("$(printf '%-22s %6ss' "$label" "$(since "$t0")")")
}

# The docker CLI always on the unix socket, so a stray DOCKER_HOST or context cannot redirect it.
dk() {
    env -u DOCKER_HOST -u DOCKER_CONTEXT -u DOCKER_TLS_VERIFY -u DOCKER_CERT_PATH \
        "$DOCKER_CLI" -H "unix://$DOCKER_SOCK" "$@"
}

# Is any live process named NAME running? (/proc scan: procps, and so pgrep, may be absent)
running_named() {
    local stat
    for stat in /proc/[0-9]*/stat; do
        alive "$(basename "$(dirname "$stat")")" "$1" && return 0
    done
    return 1
}

ping_unix() { curl -fsS --max-time 2 --unix-socket "$DOCKER_SOCK" http://localhost/_ping 2>/dev/null | grep -qx OK; }
ping_tcp() { curl -fsS --max-time 2 "http://$DOCKER_TCP/_ping" 2>/dev/null | grep -qx OK; }

# True when PID is a live process (a killed daemon re-parented to an init that does not reap
# lingers as a zombie, so the /proc directory alone proves nothing) whose command is NAME.
alive() {
    local pid=$1 name=$2 state
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    state=$(awk '{ sub(/^.*\) /, ""); print $1 }' "/proc/$pid/stat" 2>/dev/null) || return 1
    [[ -n $state && $state != Z && $state != X ]] || return 1
    [[ $(cat "/proc/$pid/comm" 2>/dev/null) == "$name" ]]
}

# Pid recorded in FILE if that process is alive and is NAME; prints nothing otherwise.
live_pid() {
    local file=$1 name=$2 pid
    [[ -s $file ]] || return 1
    pid=$(tr -dc '0-9' <"$file")
    alive "$pid" "$name" && printf '%s\n' "$pid"
}

# Is a local PROTO (udp|tcp) PORT bound? Reads /proc so it needs no iproute2.
port_bound() {
    local proto=$1 port=$2 hex
    hex=$(printf '%04X' "$port")
    # column 2 is local_address ADDR:PORT; for tcp only LISTEN (state 0A) counts
    awk -v p=":$hex" -v tcp="$([[ $proto == tcp ]] && echo 1)" \
        'NR > 1 && substr($2, length($2) - 4) == p && (!tcp || $4 == "0A") { found = 1 }
         END { exit !found }' "/proc/net/$proto" "/proc/net/${proto}6" 2>/dev/null
}

# Send TERM to PID (NAME), wait for it to go (or become a zombie), KILL after TIMEOUT seconds.
stop_pid() {
    local pid=$1 name=$2 timeout=$3 i
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < timeout * 10; i++)); do
        alive "$pid" "$name" || return 0
        sleep 0.1
    done
    log "$name (pid $pid) ignored TERM for ${timeout}s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do
        alive "$pid" "$name" || return 0
        sleep 0.1
    done
    die "$name (pid $pid) does not exit"
}

# Start a daemon detached from us: its own session, no stdin, output to a log, and without our
# lock fd 9 (a daemon inheriting it would hold the test-bed lock for ever) or our stdout (a CI
# pipe would never close).
spawn() {
    local logfile=$1
    shift
    setsid nohup "$@" </dev/null >>"$logfile" 2>&1 9>&- &
}

# Serialise concurrent up/down runs of several developers on one machine.
take_lock() {
    mkdir -p "$HD_TESTBED_DIR"
    exec 9>>"$HD_TESTBED_DIR/lock"
    flock -w 600 9 || die "another testbed.sh has held $HD_TESTBED_DIR/lock for 10 minutes"
}

# ---- packages ----------------------------------------------------------------------------------
missing_packages() {
    local p
    for p in "${PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' || printf '%s\n' "$p"
    done
}

install_packages() {
    local missing created_policy=
    mapfile -t missing < <(missing_packages)
    if ((${#missing[@]} == 0)); then
        log "packages: all present"
        return 0
    fi
    log "packages: installing ${missing[*]}"
    # Installing docker.io, snmpd or rsyslog would start the system services (dockerd without the
    # tcp socket, snmpd on udp/161): a policy-rc.d that says 101 forbids that.
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
        printf '#!/bin/sh\n# put here by hinemos-docker tools/testbed.sh for one apt-get install\nexit 101\n' \
            >/usr/sbin/policy-rc.d
        chmod 755 /usr/sbin/policy-rc.d
        created_policy=1
    fi
    local rc=0
    {
        export DEBIAN_FRONTEND=noninteractive
        # another developer's apt-get may hold the dpkg lock: wait for it instead of failing
        apt-get -o DPkg::Lock::Timeout=300 update -qq &&
            apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${missing[@]}"
    } >"$HD_TESTBED_DIR/apt.log" 2>&1 9>&- || rc=$?
    [[ -n $created_policy ]] && rm -f /usr/sbin/policy-rc.d
    if ((rc != 0)); then
        tail -n 20 "$HD_TESTBED_DIR/apt.log" >&2
        die "apt-get failed (exit $rc); full log in $HD_TESTBED_DIR/apt.log"
    fi
    mapfile -t missing < <(missing_packages)
    ((${#missing[@]} == 0)) || die "still missing after apt-get install: ${missing[*]}"
}

# ---- dockerd -----------------------------------------------------------------------------------
dockerd_pid() { live_pid "$DOCKER_PIDFILE" dockerd; }

# Our record that we started dockerd, if the process it names still runs; a stale mark goes.
dockerd_ours() {
    local pid
    if pid=$(live_pid "$DOCKERD_MARK" dockerd); then
        printf '%s\n' "$pid"
        return 0
    fi
    rm -f "$DOCKERD_MARK"
    return 1
}

# Poll /_ping for up to 60 s; give up early if the dockerd we started (pid $1, optional) died.
wait_docker_ping() {
    local pid=${1:-} i
    for ((i = 0; i < 600; i++)); do
        ping_unix && return 0
        [[ -z $pid ]] || alive "$pid" dockerd || return 1
        sleep 0.1
    done
    return 1
}

start_dockerd() {
    if ping_unix; then
        log "dockerd: already answering on $DOCKER_SOCK"
    elif running_named dockerd; then
        # someone is starting it right now: a second daemon would unlink the live socket
        log "dockerd: a dockerd process exists; waiting for it"
        wait_docker_ping || die "dockerd is running but $DOCKER_SOCK did not answer /_ping within 60 s"
    else
        log "dockerd: starting (log $HD_TESTBED_DIR/dockerd.log)"
        spawn "$HD_TESTBED_DIR/dockerd.log" dockerd -H "unix://$DOCKER_SOCK" -H "tcp://$DOCKER_TCP" -p "$DOCKER_PIDFILE"
        local started=$!
        if ! wait_docker_ping "$started"; then
            tail -n 20 "$HD_TESTBED_DIR/dockerd.log" >&2
            die "dockerd exited or did not answer /_ping within 60 s (tcp $DOCKER_TCP busy?);" \
                "log: $HD_TESTBED_DIR/dockerd.log"
        fi
        # the pid file is the daemon's own word; $! is the fallback (setsid execs without forking here)
        local pid
        pid=$(dockerd_pid) || pid=$started
        printf '%s\n' "$pid" >"$DOCKERD_MARK"
    fi
    ping_tcp || die "dockerd answers on $DOCKER_SOCK but not on tcp://$DOCKER_TCP;" \
        "it was started without -H tcp://$DOCKER_TCP: stop it and run 'tools/testbed.sh up' again"
}

# ---- test image --------------------------------------------------------------------------------
build_image() {
    if dk image inspect "$HD_TEST_IMAGE" >/dev/null 2>&1; then
        log "image: $HD_TEST_IMAGE present"
        return 0
    fi
    # No image registry is reachable: import a root file system made of busybox-static.
    local r=$HD_TESTBED_DIR/rootfs a
    rm -rf "$r"
    mkdir -p "$r"/{bin,etc,tmp,root,var/www,proc,sys,dev}
    cp /bin/busybox "$r/bin/busybox"
    for a in sh sleep httpd top ps find tar dd cat echo ls wget mkdir rm sync hostname id env kill head; do
        ln -sf busybox "$r/bin/$a"
    done
    echo 'root:x:0:0:root:/root:/bin/sh' >"$r/etc/passwd"
    echo 'root:x:0:' >"$r/etc/group"
    chmod 1777 "$r/tmp"
    tar -C "$r" -c . | dk import --change 'ENV PATH=/bin' --change 'CMD ["sh"]' - "$HD_TEST_IMAGE" >/dev/null ||
        die "docker import of $HD_TEST_IMAGE failed"
    rm -rf "$r"
    log "image: built $HD_TEST_IMAGE"
}

# ---- snmpd -------------------------------------------------------------------------------------
snmp_answers() {
    snmpget -v2c -c "$HD_SNMP_COMMUNITY" -On -m '' -t 1 -r 0 "127.0.0.1:$HD_SNMP_PORT" "$MEM_TOTAL_OID" 2>/dev/null |
        grep -q 'INTEGER: [0-9]'
}

start_snmpd() {
    if live_pid "$SNMPD_PIDFILE" snmpd >/dev/null; then
        log "snmpd: running (pid $(live_pid "$SNMPD_PIDFILE" snmpd))"
    else
        # Our own config: Debian's /etc/snmp/snmpd.conf exposes only the system subtree. The
        # address is given here only: given twice it fails with "Error opening specified endpoint".
        cat >"$HD_TESTBED_DIR/snmpd.conf" <<EOF
agentAddress udp:127.0.0.1:$HD_SNMP_PORT
rocommunity $HD_SNMP_COMMUNITY 127.0.0.1
EOF
        mkdir -p "$HD_TESTBED_DIR/snmp-persist"
        rm -f "$SNMPD_PIDFILE"
        log "snmpd: starting on udp 127.0.0.1:$HD_SNMP_PORT"
        # snmpd daemonises itself and writes the daemon's pid; -m '' skips ~300 MIB warnings
        SNMP_PERSISTENT_DIR=$HD_TESTBED_DIR/snmp-persist \
            snmpd -C -c "$HD_TESTBED_DIR/snmpd.conf" -m '' -Lf "$HD_TESTBED_DIR/snmpd.log" \
            -p "$SNMPD_PIDFILE" -I -smux </dev/null >>"$HD_TESTBED_DIR/snmpd.out" 2>&1 9>&- ||
            die "snmpd did not start (port $HD_SNMP_PORT busy?); logs: $HD_TESTBED_DIR/snmpd.{log,out}"
    fi
    local i
    for ((i = 0; i < 50; i++)); do
        snmp_answers && return 0
        sleep 0.1
    done
    tail -n 5 "$HD_TESTBED_DIR/snmpd.log" >&2 || true
    die "snmpd does not answer memTotalReal on udp 127.0.0.1:$HD_SNMP_PORT (community $HD_SNMP_COMMUNITY)"
}

# ---- rsyslogd ----------------------------------------------------------------------------------
write_rsyslog_conf() {
    local d=$HD_TESTBED_DIR
    mkdir -p "$d/rsyslog-work"
    # One JSON object a line; UDP and TCP inputs share the ruleset so both land in one file.
    cat >"$d/rsyslog.conf" <<EOF
global(workDirectory="$d/rsyslog-work")
module(load="imudp")
module(load="imtcp")
template(name="rec" type="list" option.jsonf="on") {
  property(outname="hostname" name="hostname" format="jsonf")
  property(outname="syslogtag" name="syslogtag" format="jsonf")
  property(outname="pri" name="pri" format="jsonf")
  property(outname="msg" name="msg" format="jsonf")
  property(outname="rawmsg" name="rawmsg" format="jsonf")
  property(outname="fromhost-ip" name="fromhost-ip" format="jsonf")
}
ruleset(name="rec") { action(type="omfile" file="$HD_SYSLOG_RECEIVED" template="rec") }
input(type="imudp" address="127.0.0.1" port="$HD_SYSLOG_PORT" ruleset="rec")
input(type="imtcp" address="127.0.0.1" port="$HD_SYSLOG_TCP_PORT" ruleset="rec")
EOF
}

start_rsyslogd() {
    if live_pid "$RSYSLOGD_PIDFILE" rsyslogd >/dev/null; then
        log "rsyslogd: running (pid $(live_pid "$RSYSLOGD_PIDFILE" rsyslogd))"
    else
        write_rsyslog_conf
        rsyslogd -N1 -f "$HD_TESTBED_DIR/rsyslog.conf" >"$HD_TESTBED_DIR/rsyslog-check.log" 2>&1 9>&- || {
            cat "$HD_TESTBED_DIR/rsyslog-check.log" >&2
            die "rsyslogd -N1 rejects $HD_TESTBED_DIR/rsyslog.conf"
        }
        rm -f "$RSYSLOGD_PIDFILE"
        log "rsyslogd: starting on udp 127.0.0.1:$HD_SYSLOG_PORT and tcp 127.0.0.1:$HD_SYSLOG_TCP_PORT"
        spawn "$HD_TESTBED_DIR/rsyslogd.log" rsyslogd -n -f "$HD_TESTBED_DIR/rsyslog.conf" -i "$RSYSLOGD_PIDFILE"
    fi
    local i
    for ((i = 0; i < 50; i++)); do
        if live_pid "$RSYSLOGD_PIDFILE" rsyslogd >/dev/null &&
            port_bound udp "$HD_SYSLOG_PORT" && port_bound tcp "$HD_SYSLOG_TCP_PORT"; then
            return 0
        fi
        sleep 0.1
    done
    tail -n 5 "$HD_TESTBED_DIR/rsyslogd.log" >&2 || true
    die "rsyslogd is not bound to udp $HD_SYSLOG_PORT and tcp $HD_SYSLOG_TCP_PORT (ports busy?);" \
        "log: $HD_TESTBED_DIR/rsyslogd.log"
}

# ---- env file ----------------------------------------------------------------------------------
write_env() {
    # DOCKER_HOST is deliberately absent: tests choose the socket or tcp URL themselves.
    local v
    {
        echo "# written by tools/testbed.sh up; source it before running the tests"
        for v in HD_TESTBED_DIR HD_TEST_IMAGE HD_SNMP_PORT HD_SNMP_COMMUNITY HD_SYSLOG_PORT \
            HD_SYSLOG_TCP_PORT HD_SYSLOG_RECEIVED; do
            printf 'export %s=%q\n' "$v" "${!v}"
        done
    } >"$HD_TESTBED_DIR/env.tmp"
    mv "$HD_TESTBED_DIR/env.tmp" "$HD_TESTBED_DIR/env"
}

# ---- subcommands -------------------------------------------------------------------------------
cmd_up() {
    local t0=$EPOCHREALTIME
    [[ $(id -u) == 0 ]] || die "run as root (apt-get, dockerd)"
    take_lock
    timed packages install_packages
    timed dockerd start_dockerd
    timed image build_image
    timed snmpd start_snmpd
    timed rsyslogd start_rsyslogd
    write_env
    log "up in $(since "$t0")s:"
    printf '  %s\n' "${TIMINGS[@]}"
    log "settings: $HD_TESTBED_DIR/env"
}

cmd_down() {
    take_lock
    local pid ids
    if ping_unix; then
        # only our own test containers, never anybody else's
        ids=$(dk ps -aq --filter "label=$TEST_LABEL")
        if [[ -n $ids ]]; then
            log "removing $(wc -w <<<"$ids") container(s) labelled $TEST_LABEL"
            # shellcheck disable=SC2086  # one id a word
            dk rm -f $ids >/dev/null
        fi
    fi
    if pid=$(live_pid "$RSYSLOGD_PIDFILE" rsyslogd); then
        log "stopping rsyslogd (pid $pid)"
        stop_pid "$pid" rsyslogd 10
    fi
    rm -f "$RSYSLOGD_PIDFILE"
    if pid=$(live_pid "$SNMPD_PIDFILE" snmpd); then
        log "stopping snmpd (pid $pid)"
        stop_pid "$pid" snmpd 10
    fi
    rm -f "$SNMPD_PIDFILE"
    if pid=$(dockerd_ours); then
        log "stopping dockerd (pid $pid, started by testbed.sh)"
        # dockerd stops its containers (10 s grace) and its containerd before it exits
        stop_pid "$pid" dockerd 60
        rm -f "$DOCKERD_MARK"
    elif ping_unix; then
        log "dockerd: left running (not started by testbed.sh)"
    fi
    log "down"
}

cmd_status() {
    local pid missing
    missing=$(missing_packages | tr '\n' ' ')
    printf '%-9s %s\n' packages "${missing:+missing: }${missing:-all installed}"
    if ping_unix; then
        pid=$(dockerd_pid || echo '?')
        printf '%-9s running (pid %s; %s; tcp %s %s)\n' dockerd "$pid" \
            "$(dockerd_ours >/dev/null && echo 'started by testbed.sh' || echo 'not ours')" \
            "$DOCKER_TCP" "$(ping_tcp && echo answers || echo 'NOT answering')"
        if dk image inspect "$HD_TEST_IMAGE" >/dev/null 2>&1; then
            printf '%-9s %s present\n' image "$HD_TEST_IMAGE"
        else
            printf '%-9s %s absent\n' image "$HD_TEST_IMAGE"
        fi
    else
        printf '%-9s not answering on %s\n' dockerd "$DOCKER_SOCK"
        printf '%-9s unknown (no dockerd)\n' image
    fi
    if pid=$(live_pid "$SNMPD_PIDFILE" snmpd); then
        printf '%-9s running (pid %s; udp 127.0.0.1:%s %s)\n' snmpd "$pid" "$HD_SNMP_PORT" \
            "$(snmp_answers && echo answers || echo 'NOT answering')"
    else
        printf '%-9s stopped\n' snmpd
    fi
    if pid=$(live_pid "$RSYSLOGD_PIDFILE" rsyslogd); then
        printf '%-9s running (pid %s; udp %s %s, tcp %s %s; %s)\n' rsyslogd "$pid" \
            "$HD_SYSLOG_PORT" "$(port_bound udp "$HD_SYSLOG_PORT" && echo bound || echo unbound)" \
            "$HD_SYSLOG_TCP_PORT" "$(port_bound tcp "$HD_SYSLOG_TCP_PORT" && echo bound || echo unbound)" \
            "$HD_SYSLOG_RECEIVED"
    else
        printf '%-9s stopped\n' rsyslogd
    fi
}

cmd_env() {
    [[ -f $HD_TESTBED_DIR/env ]] || die "no $HD_TESTBED_DIR/env: run 'tools/testbed.sh up' first"
    cat "$HD_TESTBED_DIR/env"
}

main() {
    case "${1:-}" in
    up) cmd_up ;;
    down) cmd_down ;;
    status) cmd_status ;;
    env) cmd_env ;;
    *)
        echo "usage: $0 up|down|status|env" >&2
        exit 2
        ;;
    esac
}

main "$@"
