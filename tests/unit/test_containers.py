"""Status -> State conversion, selection by -c/-n, names, label scopes and ports (pure)."""
import pytest

from hinemos_docker import containers
from hinemos_docker.errors import AmbiguousContainer, ContainerNotFound, DockerError, UsageError


@pytest.mark.parametrize("status, state", [
    # the manual's strings (docs/rules.md#container-state and the examples)
    ("", "exited"),
    ("Up 4 minutes", "running"),
    ("Up 2 minutes", "running"),
    ("Exited (0) 16 seconds ago", "exited"),
    ("Exited (0) 2 minutes ago", "exited"),
    ("Up 3 minutes (Paused)", "paused"),
    ("Restarting (1) 5 seconds ago", "restarting"),
    # current Docker status strings
    ("Up 3 hours (healthy)", "running"),
    ("Up 10 seconds (health: starting)", "running"),
    ("Up 5 days (unhealthy)", "running"),
    ("Up 2 minutes (Paused)", "paused"),
    ("Up About a minute", "running"),
    ("Up Less than a second", "running"),
    ("Exited (137) About an hour ago", "exited"),
    ("Created", "exited"),
    ("Removal In Progress", "exited"),
    ("Dead", "exited"),
])
def test_state_from_status(status, state):
    assert containers.state_from_status(status) == state


def test_unknown_status_is_an_error_naming_it():
    with pytest.raises(DockerError, match="cannot convert container status 'Frozen solid'"):
        containers.state_from_status("Frozen solid")


def _container(cid, name, status="Up 1 minute", **extra):
    return {"Id": cid, "Names": [f"/{name}"], "Status": status, **extra}


LISTING = [
    _container("16c155fe269b" + "a" * 52, "conteiner_C"),
    _container("f4bbbade7641" + "b" * 52, "conteiner_B", "Exited (0) 3 seconds ago"),
    _container("f0184f3feddc" + "c" * 52, "conteiner_A", "Up 2 minutes (Paused)"),
    _container("9a9a9a9a9a9a" + "d" * 52, "web", "Restarting (1) 2 seconds ago"),
]


def test_no_selection_keeps_every_container_in_api_order():
    assert containers.select(LISTING) == LISTING


def test_name_prefix_with_star_keeps_api_order():
    selected = containers.select(LISTING, container_name_value="conteiner*")
    names = [containers.container_name(c) for c in selected]
    assert names == ["conteiner_C", "conteiner_B", "conteiner_A"]


def test_id_prefix_with_star_may_select_several_or_none():
    assert len(containers.select(LISTING, container_id="f*")) == 2
    assert containers.select(LISTING, container_id="0*") == []


def test_exact_name_and_short_id_select_one():
    assert containers.select(LISTING, container_name_value="web") == [LISTING[3]]
    # -c #[NODE_NAME] passes the 12-character ID
    assert containers.select(LISTING, container_id="f4bbbade7641") == [LISTING[1]]
    assert containers.select(LISTING, container_id=LISTING[2]["Id"]) == [LISTING[2]]


def test_exact_name_is_not_a_prefix():
    with pytest.raises(ContainerNotFound, match="no such container: container name 'conteiner'"):
        containers.select(LISTING, container_name_value="conteiner")


def test_ambiguous_id_prefix_names_the_candidates():
    with pytest.raises(AmbiguousContainer, match="ambiguous.*f4bbbade7641, f0184f3feddc"):
        containers.select(LISTING, container_id="f")


def test_both_selections_at_once_are_refused():
    from hinemos_docker.cli import build_parser
    from hinemos_docker.commands.process_monitor import COMMAND
    with pytest.raises(UsageError, match="not allowed with"):
        build_parser(COMMAND).parse_args(["-c", "f*", "-n", "web"])


def test_resource_monitors_select_running_containers_only():
    # docs/rules.md#running-only: a stopped match selects nothing, an unknown exact name is still an error
    assert containers.select_running(LISTING) == [LISTING[0]]
    assert containers.select_running(LISTING, container_name_value="conteiner*") == [LISTING[0]]
    assert containers.select_running(LISTING, container_name_value="conteiner_B") == []
    with pytest.raises(ContainerNotFound):
        containers.select_running(LISTING, container_name_value="conteiner")


def test_name_ignores_link_aliases_and_leading_slash():
    assert containers.container_name({"Id": "x" * 64, "Names": ["/other/alias", "/db"]}) == "db"


def test_count_and_size_by_state_cover_every_state():
    listing = [dict(c, SizeRw=n) for c, n in zip(LISTING, (10, 20, 30, None))]
    assert containers.count_by_state(listing) == {"running": 1, "restarting": 1, "paused": 1, "exited": 1}
    assert containers.size_by_state(listing) == {"running": 10, "restarting": 0, "paused": 30, "exited": 20}
    assert containers.count_by_state([]) == {"running": 0, "restarting": 0, "paused": 0, "exited": 0}


@pytest.mark.parametrize("value, scopes", [
    ("web1", ["web1"]),
    ("web1,web2", ["web1", "web2"]),
    (" web1 , web3 ,, ", ["web1", "web3"]),
    ("web1,web1", ["web1"]),
    ("", []),
])
def test_label_scopes(value, scopes):
    assert containers.label_scopes({"hinemosAssignScopeId": value}) == scopes


def test_no_label_is_none():
    assert containers.label_scopes({"other": "x"}) is None
    assert containers.label_scopes(None) is None


def test_published_ports_like_the_docker_cli():
    ports = [{"PrivatePort": 80, "Type": "tcp"},
             {"IP": "127.0.0.1", "PrivatePort": 80, "PublicPort": 32768, "Type": "tcp"},
             {"IP": "0.0.0.0", "PrivatePort": 53, "PublicPort": 5353, "Type": "udp"}]
    assert containers.published_ports(ports) == "127.0.0.1:32768->80/tcp, 0.0.0.0:5353->53/udp"
    assert containers.published_ports([{"PrivatePort": 80, "Type": "tcp"}]) == ""
    assert containers.published_ports(None) == ""
