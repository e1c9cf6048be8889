#!/bin/bash
# RepositoryDockerNode.sh: keep the Hinemos repository in sync with every Docker host (the manual's
# batch script; docs/repository-sync.md).
# cron runs it every five minutes (see crontab.example). Order as in the manual: Add for every host,
# then Delete for every host, then Update for every host. A failing step does not stop the others;
# the exit status is 1 if any step failed, 0 otherwise.
#
#   RepositoryDockerNode.sh [OPTION...]   OPTIONs go to every script, e.g. -m http://mgr:8080/HinemosWS

# ---- settings: edit here ----------------------------------------------------------------------
# One line per Docker host: "<IP address of its Docker Remote API> <facility ID of its Hinemos node>"
# (the environment variable REPOSITORY_DOCKER_HOSTS, one such pair per line, replaces this list)
HOSTS=(
    "10.0.200.123 docker_host1"
    "10.0.200.204 docker_host2"
)
# Where the RepositoryDockerNode*.py scripts are (default: the directory of this file)
BIN=${HINEMOS_DOCKER_BIN:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}
# -------------------------------------------------------------------------------------------------

if [[ -n ${REPOSITORY_DOCKER_HOSTS:-} ]]; then
    mapfile -t HOSTS < <(grep -v '^[[:space:]]*$' <<<"$REPOSITORY_DOCKER_HOSTS")
fi

status=0
for script in RepositoryDockerNodeAdd.py RepositoryDockerNodeDelete.py RepositoryDockerNodeUpdate.py; do
    for host in "${HOSTS[@]}"; do
        read -r ip facility_id <<<"$host"
        "$BIN/$script" -i "$ip" -f "$facility_id" "$@" || {
            echo "RepositoryDockerNode.sh: $script -i $ip -f $facility_id failed (exit $?)" >&2
            status=1
        }
    done
done
exit $status
