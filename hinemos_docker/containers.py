"""Pure rules about containers: Status -> State, selection by -c/-n, names, label scopes, ports.

No I/O: everything works on the JSON of GET /containers/json.
"""
from collections import Counter

from .errors import AmbiguousContainer, ContainerNotFound, DockerRefused, UsageError

STATES = ("running", "restarting", "paused", "exited")
SCOPE_LABEL = "hinemosAssignScopeId"


def state_from_status(status):
    """The State (running, restarting, paused, exited) of a docker-ps Status (docs/rules.md#container-state).

    Beyond the manual: current Docker also says `Up 3 hours (healthy)`, `Created`,
    `Removal In Progress` and `Dead`; containers that are not running and not restartable
    count as exited, like the manual's empty Status of a never-started container.
    """
    words = (status or "").split()
    if not words:
        return "exited"
    first = words[0]
    if first == "Up":
        return "paused" if "(Paused)" in words else "running"
    if first == "Restarting":
        return "restarting"
    if first in ("Exited", "Created", "Dead") or status.startswith("Removal In Progress"):
        return "exited"
    raise DockerRefused(f"cannot convert container status '{status}'")


def container_state(container):
    return state_from_status(container.get("Status", ""))


def container_name(container):
    """The container's own name without Docker's leading '/' (link aliases hold another '/')."""
    names = container.get("Names") or []
    own = [n.lstrip("/") for n in names if "/" not in n.lstrip("/")]
    return (own or [n.lstrip("/") for n in names] or [container["Id"][:12]])[0]


def short_id(container_id, length=12):
    return container_id[:length]


def count_by_state(containers):
    """Number of containers per State, every state present (zero included)."""
    counts = Counter(container_state(c) for c in containers)
    return {state: counts.get(state, 0) for state in STATES}


def size_by_state(containers):
    """Sum of SizeRw per State, every state present."""
    sizes = dict.fromkeys(STATES, 0)
    for container in containers:
        sizes[container_state(container)] += container.get("SizeRw") or 0
    return sizes


def is_pattern(value):
    return value.endswith("*")


def select(containers, container_id=None, container_name_value=None):
    """The containers chosen by -c/-n, in API order (docs/rules.md#container-selection).

    `abc*` selects every container whose ID (or name) starts with `abc` and may select none.
    Without `*`, -c is a unique ID prefix (as `-c #[NODE_NAME]` passes 12 characters) and -n an
    exact name; either must designate exactly one container.
    """
    if container_id is None and container_name_value is None:
        return list(containers)
    by_id = container_id is not None
    wanted = container_id if by_id else container_name_value
    what = "container ID" if by_id else "container name"
    if not wanted:
        raise UsageError(f"empty {what}")

    def field(container):
        return container["Id"] if by_id else container_name(container)

    if is_pattern(wanted):
        prefix = wanted[:-1]
        return [c for c in containers if field(c).startswith(prefix)]
    if by_id:
        matches = [c for c in containers if c["Id"].startswith(wanted.lower())]
        if len(matches) > 1:
            raise AmbiguousContainer(f"container ID '{wanted}' is ambiguous: it matches "
                             f"{', '.join(short_id(c['Id']) for c in matches)}")
    else:
        matches = [c for c in containers if container_name(c) == wanted]
    if not matches:
        raise ContainerNotFound(f"no such container: {what} '{wanted}'")
    return matches


def select_running(containers, container_id=None, container_name_value=None):
    """The running containers chosen by -c/-n, for resource monitors (docs/rules.md#running-only).

    Pass every container (all=1) when -c/-n is given, so that a stopped match selects nothing
    (exit 0) instead of failing as an unknown container; without -c/-n the running list will do.
    """
    return [c for c in select(containers, container_id, container_name_value)
            if container_state(c) == "running"]


def label_scopes(labels):
    """Scope facility IDs of the hinemosAssignScopeId label: split on ',', blanks trimmed,
    empty items and repeats dropped (docs/rules.md#label-scopes)."""
    value = (labels or {}).get(SCOPE_LABEL)
    if value is None:
        return None
    scopes = []
    for item in value.split(","):
        item = item.strip()
        if item and item not in scopes:
            scopes.append(item)
    return scopes


def published_ports(ports):
    """DOCKER_PORTS as the docker CLI's PORTS column: `<hostIP>:<public>-><private>/<type>`
    joined by ', ', only published ports; '' when nothing is published
    (docs/rules.md#node-variables)."""
    published = []
    for port in ports or []:
        if port.get("PublicPort") is None:
            continue
        host = f"{port.get('IP') or '0.0.0.0'}:{port['PublicPort']}"
        text = f"{host}->{port['PrivatePort']}/{port.get('Type', 'tcp')}"
        if text not in published:
            published.append(text)
    return ", ".join(published)
