#!/usr/bin/env bash
# The suite's main job as a demo on embedded defaults, on a fresh Debian machine (run as root):
#
#   bash tools/demo.sh
#
# Brings the test bed up if needed (tools/testbed.sh), installs the suite into .venv, starts the
# embedded Hinemos stand-in (python -m hinemos_docker.sandbox) as a Hinemos 7.1 manager (REST API,
# today's Hinemos) on a free port, creates labelled demo containers on the local dockerd, registers
# them under two Docker host facility IDs (the same daemon seen through tcp://127.0.0.1:2375 and the
# unix socket: two hosts sharing the scopes), stops one container and removes another, runs Update
# and Delete, runs the cron wrapper once (it finds nothing left to do), prints the resulting scope
# tree, then runs the same Add and Update against a Hinemos 6.2 stand-in (SOAP web services) with the
# manual's -m URL, runs a few monitors on the demo containers, shows what a real manager would notify
# for them (the stand-in's receiving side), then removes its containers and stops the stand-ins.
# Safe to rerun.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=$ROOT/.venv
PY=$VENV/bin/python
BIN=$ROOT/bin
HD_TESTBED_DIR=${HD_TESTBED_DIR:-/tmp/hinemos-docker-testbed}
DEMO_LABEL=hinemos-docker-demo=1
HOST1=docker_host1
HOST2=docker_host2
if [[ -x /usr/bin/docker ]]; then DOCKER_CLI=/usr/bin/docker; else DOCKER_CLI=docker; fi

log() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
die() { printf 'demo.sh: ERROR: %s\n' "$*" >&2; exit 1; }
dk() { env -u DOCKER_HOST "$DOCKER_CLI" -H unix:///var/run/docker.sock "$@"; }
# run a bin script with the venv's interpreter, as an operator would run the installed one
script() { local name=$1; shift; "$PY" "$BIN/$name" "$@"; }

remove_demo_containers() {
    local ids
    ids=$(dk ps -aq --filter "label=$DEMO_LABEL")
    if [[ -n $ids ]]; then
        # shellcheck disable=SC2086  # one ID per word
        dk rm -f $ids >/dev/null
    fi
}

# first_line FILE PID WHAT: the first line a background process writes to FILE (up to 10 s)
first_line() {
    local file=$1 pid=$2 what=$3 line=
    for _ in $(seq 100); do
        line=$(head -n1 "$file")
        [[ -z $line ]] || break
        kill -0 "$pid" 2>/dev/null || die "$what did not start: $(cat "$file" "$file.err" 2>/dev/null)"
        sleep 0.1
    done
    [[ -n $line ]] || die "$what printed nothing within 10 s"
    printf '%s\n' "$line"
}

WORK=
SANDBOX_PIDS=()
RECEIVER_PID=
cleanup() {
    remove_demo_containers || true
    local pid
    for pid in "${SANDBOX_PIDS[@]}" $RECEIVER_PID; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    [[ -z $WORK ]] || rm -rf "$WORK"
}

# start_sandbox VERSION: a stand-in manager of that Hinemos version; sets URL to its base URL
start_sandbox() {
    local version=$1 out=$WORK/sandbox-$1.out pid
    "$PY" -m hinemos_docker.sandbox --port 0 --version "$version" --data "$WORK/repository-$version.json" \
        --notification EVENT_FOR_POLLING >"$out" 2>"$out.err" &
    pid=$!
    SANDBOX_PIDS+=("$pid")
    URL=$(first_line "$out" "$pid" "the stand-in")
    echo "Hinemos $version manager: $URL (user hinemos, password hinemos)"
}

# manager ACTION: on the manager at $URL, through the suite's repository client (either API):
# "scopes" makes what an operator made beforehand (web1 and web2 exist, web3 does not: the manual's
# example; and the manager server's own node, which runs the monitors' commands), "tree" prints the
# scope tree
manager() {
    "$PY" - "$URL" "$1" <<'EOF'
import sys
from hinemos_docker import hinemos_manager, manager_url

def show(item, depth):
    flag = "" if item["facilityType"] != 1 or item["valid"] else "   (management flag OFF)"
    print(f"{'    ' * depth}{item['facilityName']} ({item['facilityId']}){flag}")
    if not item["builtInFlg"]:
        for child in item["children"]:
            show(child, depth + 1)

client = hinemos_manager.connect(manager_url.parse(sys.argv[1]), "hinemos", "hinemos")
try:
    if sys.argv[2] == "scopes":
        for scope in ("web1", "web2"):
            client.add_scope("", scope, scope)
            print(f"scope {scope} created")
        client.add_node({"facilityId": "manager_server", "facilityName": "manager_server", "facilityType": 1,
                         "platformFamily": "LINUX", "ipAddressVersion": 4, "ipAddressV4": "127.0.0.1",
                         "nodeName": "manager_server", "ownerRoleId": "ALL_USERS"})
        print("node manager_server created")
    else:
        for top in client.facility_tree()["children"]:
            show(top, 0)
finally:
    client.close()
EOF
}

log "test bed"
bash "$ROOT/tools/testbed.sh" up
# shellcheck disable=SC1091  # written by testbed.sh up
source "$HD_TESTBED_DIR/env"

log "install into $VENV"
# the same venv tools/test.sh uses; reused when it works, the package installed once (editable)
if ! { [[ -x $PY ]] && "$PY" -c 'import sys' 2>/dev/null; }; then
    rm -rf "$VENV"
    python3 -m venv "$VENV" || die "'python3 -m venv' failed (Debian needs python3-venv)"
fi
if ! "$PY" -m pip show -q hinemos-docker >/dev/null 2>&1; then
    (cd "$ROOT" && "$PY" -m pip install -q -e .) || die "pip install -e . failed"
fi
echo "ok: $("$PY" -m pip show hinemos-docker 2>/dev/null | grep -m1 '^Version')"

WORK=$(mktemp -d /tmp/hinemos-docker-demo.XXXXXX)
trap cleanup EXIT
remove_demo_containers  # leftovers of an interrupted run

log "Hinemos stand-in: Hinemos 7.1 (REST API)"
start_sandbox 7.1
manager scopes

log "demo containers"
IMAGE=${HD_TEST_IMAGE:-hinemos-docker-test:latest}
run_demo() {  # run_demo NAME LABEL_VALUE [docker run options...] -- COMMAND...
    local name=$1 scopes=$2
    shift 2
    local labels=(-l "$DEMO_LABEL")
    [[ -z $scopes ]] || labels+=(-l "hinemosAssignScopeId=$scopes")
    local options=()
    while [[ $1 != -- ]]; do options+=("$1"); shift; done
    shift
    dk run -d --name "$name" "${labels[@]}" "${options[@]}" "$IMAGE" "$@" >/dev/null
    echo "$name  hinemosAssignScopeId=${scopes:-(none)}  $*"
}
run_demo demo_A web1 -- httpd -f -p 80 -h /var/www
run_demo demo_B web1,web2 -p 127.0.0.1::80 -- httpd -f -p 80 -h /var/www
run_demo demo_C web1,web3 -- sleep 3600
run_demo demo_D "" -- sleep 3600

log "RepositoryDockerNodeAdd.py for two Docker hosts"
script RepositoryDockerNodeAdd.py -i 127.0.0.1 -f "$HOST1" -m "$URL"
script RepositoryDockerNodeAdd.py -i unix:///var/run/docker.sock -f "$HOST2" -m "$URL"

log "stop demo_C, remove demo_D"
dk stop -t 0 demo_C >/dev/null && echo "demo_C stopped"
dk rm -f demo_D >/dev/null && echo "demo_D removed"

log "RepositoryDockerNodeUpdate.py"
script RepositoryDockerNodeUpdate.py -i 127.0.0.1 -f "$HOST1" -m "$URL"
script RepositoryDockerNodeUpdate.py -i unix:///var/run/docker.sock -f "$HOST2" -m "$URL"

log "RepositoryDockerNodeDelete.py"
script RepositoryDockerNodeDelete.py -i 127.0.0.1 -f "$HOST1" -m "$URL"
script RepositoryDockerNodeDelete.py -i unix:///var/run/docker.sock -f "$HOST2" -m "$URL"

log "the cron wrapper, once (bin/RepositoryDockerNode.sh): everything is in sync already"
# the wrapper runs the installed scripts; here the tree's, with the venv's interpreter first on PATH
PATH=$VENV/bin:$PATH REPOSITORY_DOCKER_HOSTS="127.0.0.1 $HOST1
127.0.0.1 $HOST2" "$BIN/RepositoryDockerNode.sh" -m "$URL" >"$WORK/cron.log" 2>&1 ||
    die "the cron wrapper failed: $(tail -n 3 "$WORK/cron.log")"
echo "$(grep -c '^Completed\.$' "$WORK/cron.log") of 6 steps completed;" \
    "nodes of demo containers created or assigned: $(grep -cE '^(Creating|Assigning) docker_host[12]-demo_.\.$' \
    "$WORK/cron.log" || true)"

log "SettingDockerAdd.py: the manual's monitor settings and a jobunit of command jobs for demo_A"
script SettingDockerAdd.py -m "$URL" --job-host 127.0.0.1 --job-container demo_A
log "SettingDockerAdd.py again: nothing to do"
script SettingDockerAdd.py -m "$URL" --job-host 127.0.0.1 --job-container demo_A | grep -c '\[skip\]$' |
    sed 's/$/ settings already registered, none changed/'

log "the Hinemos scope tree (リポジトリ[スコープ]ビュー)"
manager tree

log "the same sync against Hinemos 6.2 (SOAP web services), with the manual's -m URL"
start_sandbox 6.2
manager scopes
script RepositoryDockerNodeAdd.py -i 127.0.0.1 -f "$HOST1" -m "$URL/"
script RepositoryDockerNodeUpdate.py -i 127.0.0.1 -f "$HOST1" -m "$URL/"
script SettingDockerAdd.py -m "$URL/" | grep -c '^Creating monitor setting' | sed 's/$/ monitor settings created over SOAP/'
manager tree

log "monitors on the demo containers"
echo "\$ MonitorDockerHostStatus.py -i 127.0.0.1 --count"
script MonitorDockerHostStatus.py -i 127.0.0.1 --count
echo "\$ MonitorDockerContainerResourceCpu.py -i 127.0.0.1 -n 'demo_*' -k demo_cpu"
script MonitorDockerContainerResourceCpu.py -i 127.0.0.1 -n 'demo_*' -k demo_cpu --state-dir "$WORK"
echo "\$ MonitorDockerContainerResourceMemory.py -i 127.0.0.1 -n 'demo_*'"
script MonitorDockerContainerResourceMemory.py -i 127.0.0.1 -n 'demo_*'
echo "\$ MonitorDockerContainerProcess.py -i 127.0.0.1 -n demo_A -prog httpd"
script MonitorDockerContainerProcess.py -i 127.0.0.1 -n demo_A -prog httpd
echo "\$ MonitorDockerContainerStatus.py -i 127.0.0.1 -n 'demo_*' -s 127.0.0.1:${HD_SYSLOG_PORT:-15514}"
script MonitorDockerContainerStatus.py -i 127.0.0.1 -n 'demo_*' -s "127.0.0.1:${HD_SYSLOG_PORT:-15514}"

log "what a real Hinemos manager notifies (the stand-in's receiving side, with the settings registered above)"
# the receiving side reads the repository and the settings the 7.1 stand-in keeps in its data file
"$PY" -m hinemos_docker.sandbox.receiving syslog --data "$WORK/repository-7.1.json" >"$WORK/receiver.out" \
    2>"$WORK/receiver.out.err" &
RECEIVER_PID=$!
read -r _ UDP_PORT _ _ <<<"$(first_line "$WORK/receiver.out" "$RECEIVER_PID" "the receiver")"
echo "system-log monitors CONTAINER_STATUS and CONTAINER_EVENT (scope docker_host), syslog on 127.0.0.1:$UDP_PORT"
echo "\$ MonitorDockerContainerStatus.py -i 127.0.0.1 -n 'demo_*' -s 127.0.0.1:$UDP_PORT"
script MonitorDockerContainerStatus.py -i 127.0.0.1 -n 'demo_*' -s "127.0.0.1:$UDP_PORT" >/dev/null
sleep 0.5
kill "$RECEIVER_PID" 2>/dev/null || true
wait "$RECEIVER_PID" 2>/dev/null || true
echo "notifications (demo_C is stopped: its node is unmanaged, so the message goes to the Docker host nodes,"
echo "which share the IP 127.0.0.1 here; running containers are normal and not notified):"
tail -n +2 "$WORK/receiver.out"
echo "(CONTAINER_EVENT as registered, 'hinemos_docker: \{.*', takes Docker events only; the manual's .* would"
echo " notify the state messages as events too)"
echo
echo "custom monitor CONTAINER_CPU on node $HOST1 (info 0-80, warning 80-90, agent buffer 512 bytes):"
echo "\$ MonitorDockerContainerResourceCpu.py -i 127.0.0.1 -n 'demo_*' -k demo_cpu | judge"
script MonitorDockerContainerResourceCpu.py -i 127.0.0.1 -n 'demo_*' -k demo_cpu --state-dir "$WORK" |
    "$PY" -m hinemos_docker.sandbox.receiving judge CONTAINER_CPU "$HOST1" --data "$WORK/repository-7.1.json"
echo "\$ MonitorDockerContainerResourceCpu.py -i 127.0.0.1 -n 'nothing_runs_*' -k demo_none | judge"
script MonitorDockerContainerResourceCpu.py -i 127.0.0.1 -n 'nothing_runs_*' -k demo_none --state-dir "$WORK" |
    "$PY" -m hinemos_docker.sandbox.receiving judge CONTAINER_CPU "$HOST1" --data "$WORK/repository-7.1.json"
echo "(empty stdout would have been UNKNOWN every interval; the (none) line keeps the monitor quiet)"

log "clean-up: demo containers removed, stand-ins stopped"
