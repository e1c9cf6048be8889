"""RepositoryDockerNodeAdd/Delete/Update against the real dockerd and the stand-in manager, with
both WSDL versions.

The scripts register every container of the daemon, and other tests' containers come and go
meanwhile: each test has its own stand-in and host facility IDs, and asserts only about its own
containers' nodes.
"""
import json
import os
import re
import socket
import subprocess
from pathlib import Path

import pytest

from hinemos_docker import hinemos_ws
from hinemos_docker.commands.repository import ADD, DELETE, UPDATE
from tests.fixtures.ports import refusing_port
from tests.fixtures.sandbox import SANDBOX_PASSWORD, SANDBOX_USER, SANDBOX_VERSIONS
from tests.fixtures.scripts import installed_script

both_versions = pytest.mark.parametrize("sandbox_version", SANDBOX_VERSIONS)

ROOT = Path(__file__).resolve().parents[2]
DOCKER_TCP = ["-i", "127.0.0.1", "-p", "2375"]
DOCKER_UNIX = ["-i", "unix:///var/run/docker.sock"]
VOLATILE = re.compile(r"Datetime$|^description$|^modifyUserId$")


@pytest.fixture
def sync(run_script, monkeypatch):
    """sync(COMMAND, sandbox_or_url, host, *more args) -> ScriptResult; English messages."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG", "HINEMOS_USER", "HINEMOS_PASSWORD", "DOCKER_HOST"):
        monkeypatch.delenv(name, raising=False)

    def run(command, manager, host, *args):
        url = getattr(manager, "base_url", manager)
        docker = args if "-i" in args else DOCKER_TCP
        return run_script(command, *docker, "-m", url, "-f", host, *[a for a in args if a not in docker])
    return run


@pytest.fixture
def client(sandbox):
    return hinemos_ws.connect(sandbox.base_url, SANDBOX_USER, SANDBOX_PASSWORD)


@pytest.fixture
def hosts(unique_prefix):
    return f"{unique_prefix}host1", f"{unique_prefix}host2"


def ok(result):
    assert (result.code, result.err) == (0, ""), result.out
    assert result.lines[0] == "Started." and result.lines[-1] == "Completed."
    return result


def members(client, scope):
    """Direct members of a scope, from the facility tree."""
    def find(item):
        if item["facilityId"] == scope:
            return item
        return next((found for child in item["children"] if (found := find(child))), None)
    item = find(client.facility_tree())
    return None if item is None else [child["facilityId"] for child in item["children"]]


def variables(node):
    return {v["nodeVariableName"]: v["nodeVariableValue"] for v in node.get("nodeVariableInfo") or []}


def fid(host, container):
    return f"{host}-{container.name}"


@both_versions
def test_add_for_two_hosts_twice_makes_no_fault_and_no_duplicate(sync, sandbox, client, hosts,
                                                                  make_container, unique_prefix):
    client.add_scope("", "web1", "web1")
    web = make_container("web", labels={"hinemosAssignScopeId": "web1,web3"})
    db = make_container("db", state="exited")
    host1, host2 = hosts
    first = ok(sync(ADD, sandbox, host1))
    ok(sync(ADD, sandbox, host2, *DOCKER_UNIX))
    assert f"Creating {fid(host1, web)}." in first.lines
    assert "[skip] Scope web3 does not exist; skipping the assignment." in first.lines
    again = [ok(sync(ADD, sandbox, host1)), ok(sync(ADD, sandbox, host2, *DOCKER_UNIX))]
    for host, result in zip(hosts, again):
        for line in ("docker_container already exists. [skip]", f"{host}_scope already exists. [skip]",
                     f"{fid(host, web)} already exists. [skip]", f"{host} is already assigned. [skip]",
                     "[skip] Already assigned to scope web1."):
            assert line in result.lines
        created = {f"Creating {x}." for x in (host, f"{host}_scope", fid(host, web), fid(host, db))}
        assert not created & set(result.lines)
    mine = {fid(h, c) for h in hosts for c in (web, db)}
    in_scope = members(client, "docker_container")
    assert len(in_scope) == len(set(in_scope)) and mine <= set(in_scope)
    assert sorted(members(client, "docker_map")) == sorted(f"{h}_scope" for h in hosts)
    assert sorted(members(client, "docker_host")) == sorted(hosts)
    for host in hosts:
        assert {fid(host, web), fid(host, db)} <= set(members(client, f"{host}_scope"))
    # the daemon is shared: other containers may carry the label web1 too; this test's are its prefix's
    ours = [m for m in members(client, "web1") if f"-{unique_prefix}" in m]
    assert sorted(ours) == sorted(fid(h, web) for h in hosts)
    assert members(client, "web3") is None and client.is_node("web3") is None


@both_versions
def test_nodes_carry_the_documented_properties_and_six_variables(sync, sandbox, client, hosts,
                                                                 make_container):
    served = make_container("served", command="httpd -f -p 80 -h /var/www",
                            ports={"80/tcp": ("127.0.0.1", None)})
    plain = make_container("plain", state="exited")
    host = hosts[0]
    result = ok(sync(ADD, sandbox, host))
    port = served.attrs["NetworkSettings"]["Ports"]["80/tcp"][0]["HostPort"]
    index = next(i for i, line in enumerate(result.lines) if line.startswith(f"Id:{plain.id[:12]} "))
    assert re.fullmatch(rf"Id:{plain.id[:12]} Name:{plain.name} Status:'Exited \(137\) .*' :exited",
                        result.lines[index])
    assert result.lines[index - 1] == "port not bind"
    served_at = next(i for i, line in enumerate(result.lines) if line.startswith(f"Id:{served.id[:12]} "))
    assert result.lines[served_at].endswith(" :running") and result.lines[served_at - 1] != "port not bind"

    node = client.node(fid(host, served))
    assert {k: node[k] for k in ("facilityId", "facilityName", "nodeName", "ipAddressVersion", "ipAddressV4",
                                 "platformFamily", "ownerRoleId", "valid")} == {
        "facilityId": fid(host, served), "facilityName": served.name, "nodeName": served.id[:12],
        "ipAddressVersion": 4, "ipAddressV4": "127.0.0.1", "platformFamily": "LINUX",
        "ownerRoleId": "ALL_USERS", "valid": True}
    assert [h["hostname"] for h in node["nodeHostnameInfo"]] == [served.id[:12]]
    assert re.fullmatch(r"Auto detect at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d", node["description"])
    assert variables(node) == {
        "DOCKER_CONTAINER_ID": served.id[:12], "DOCKER_COMMAND": "httpd -f -p 80 -h /var/www",
        "DOCKER_PORTS": f"127.0.0.1:{port}->80/tcp", "DOCKER_IMAGE": "hinemos-docker-test:latest",
        "DOCKER_STATUS": "running", "DOCKER_HOST": host}

    node = client.node(fid(host, plain))
    assert node["valid"] is False
    assert variables(node) == {
        "DOCKER_CONTAINER_ID": plain.id[:12], "DOCKER_COMMAND": "sleep 3600",
        "DOCKER_IMAGE": "hinemos-docker-test:latest", "DOCKER_STATUS": "exited", "DOCKER_HOST": host}

    host_node = client.node(host)
    assert {k: host_node[k] for k in ("facilityName", "nodeName", "ipAddressV4", "platformFamily",
                                      "ownerRoleId", "valid")} == {
        "facilityName": host, "nodeName": host, "ipAddressV4": "127.0.0.1", "platformFamily": "LINUX",
        "ownerRoleId": "ALL_USERS", "valid": True}
    assert host_node["description"].startswith("Auto detect at ")


@both_versions
def test_update_follows_the_state_with_status_and_management_flag(sync, sandbox, client, hosts,
                                                                  make_container):
    worker = make_container("worker")
    host = hosts[0]
    ok(sync(ADD, sandbox, host))
    worker.stop(timeout=0)
    result = ok(sync(UPDATE, sandbox, host))
    at = result.lines.index(fid(host, worker))
    assert result.lines[at + 1] == "running -> exited"
    node = client.node(fid(host, worker))
    assert (node["valid"], variables(node)["DOCKER_STATUS"]) == (False, "exited")
    result = ok(sync(UPDATE, sandbox, host))
    assert result.lines[result.lines.index(fid(host, worker)) + 1] == "exited -> exited [skip]"
    worker.start()
    ok(sync(UPDATE, sandbox, host))
    node = client.node(fid(host, worker))
    assert (node["valid"], variables(node)["DOCKER_STATUS"]) == (True, "running")


@both_versions
def test_delete_removes_only_the_removed_containers_node(sync, sandbox, client, hosts, make_container):
    keep = make_container("keep")
    gone = make_container("gone")
    host1, host2 = hosts
    ok(sync(ADD, sandbox, host1))
    ok(sync(ADD, sandbox, host2, *DOCKER_UNIX))
    by_hand = f"{host1}-byhand"
    client.add_node({"facilityId": by_hand, "facilityName": "by hand", "ownerRoleId": "ALL_USERS",
                     "platformFamily": "LINUX", "ipAddressVersion": 4, "ipAddressV4": "10.0.0.1",
                     "nodeName": "byhand"})
    gone.remove(force=True)
    result = ok(sync(DELETE, sandbox, host1))
    assert result.lines[result.lines.index(fid(host1, gone)) + 1] == "Deleting."
    assert result.lines[result.lines.index(fid(host1, keep)) + 1] == "Exists. [skip]"
    assert by_hand not in result.lines
    assert client.is_node(fid(host1, gone)) is None
    for still in (fid(host1, keep), fid(host2, gone), fid(host2, keep), by_hand, host1, host2):
        assert client.is_node(still) is True, still
    assert client.is_node(f"{host1}_scope") is False
    again = ok(sync(DELETE, sandbox, host1))
    assert fid(host1, gone) not in again.lines


@both_versions
def test_recreated_container_gets_node_name_and_variables_refreshed(sync, sandbox, client, hosts,
                                                                   make_container):
    old = make_container("app")
    host = hosts[0]
    ok(sync(ADD, sandbox, host))
    old.remove(force=True)
    new = make_container("app", command="httpd -f -p 80 -h /var/www")
    result = ok(sync(UPDATE, sandbox, host))
    at = result.lines.index(fid(host, new))
    assert result.lines[at + 1:at + 3] == [
        "running -> running",
        "The container was recreated; refreshing the node: nodeName, hostname, DOCKER_CONTAINER_ID, "
        "DOCKER_COMMAND"]
    node = client.node(fid(host, new))
    assert node["nodeName"] == new.id[:12]
    assert [h["hostname"] for h in node["nodeHostnameInfo"]] == [new.id[:12]]
    assert variables(node)["DOCKER_CONTAINER_ID"] == new.id[:12]
    assert variables(node)["DOCKER_COMMAND"] == "httpd -f -p 80 -h /var/www"
    result = ok(sync(UPDATE, sandbox, host))
    assert result.lines[result.lines.index(fid(host, new)) + 1] == "running -> running [skip]"


@both_versions
def test_host_node_registered_by_hand_is_left_as_it_was(sync, sandbox, client, hosts, make_container):
    host = hosts[0]
    make_container("guest")
    client.add_node({"facilityId": host, "facilityName": "Docker host by hand", "ownerRoleId": "ALL_USERS",
                     "platformFamily": "LINUX", "ipAddressVersion": 4, "ipAddressV4": "10.1.2.3",
                     "nodeName": "dockerhost", "description": "registered by the operator"})
    before = client.node(host)
    result = ok(sync(ADD, sandbox, host))
    assert f"{host} already exists. [skip]" in result.lines
    assert client.node(host) == before  # modifyDatetime included: never written
    assert host in members(client, "docker_host")


def test_manager_down_exits_1_with_one_line(sync, hosts):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}/HinemosWS"
    result = sync(ADD, url, hosts[0])
    assert result.code == 1
    assert result.err.splitlines() == [
        f"RepositoryDockerNodeAdd.py: cannot reach the Hinemos manager at {url}/RepositoryEndpoint?wsdl: "
        "connection refused"]


@both_versions
def test_wrong_password_exits_1_with_one_line(sync, sandbox, hosts, tmp_path):
    password_file = tmp_path / "password"
    password_file.write_text("not-the-password\n")
    result = sync(UPDATE, sandbox, hosts[0], "--password-file", str(password_file))
    assert result.code == 1
    assert len(result.err.splitlines()) == 1
    assert "raised InvalidUserPass: user(hinemos)/password is invalid combination" in result.err


def repository_of(client, hosts, containers):
    """What the sync made for these hosts and containers, without times and run-dependent text."""
    def clean(node):
        node = {k: v for k, v in node.items() if not VOLATILE.search(k)}
        node["nodeVariableInfo"] = sorted(variables(node).items())
        node["nodeHostnameInfo"] = [h["hostname"] for h in node.get("nodeHostnameInfo") or []]
        return node
    ids = [fid(h, c) for h in hosts for c in containers] + list(hosts)
    scopes = ["docker_container", "docker_host", "docker_map"] + [f"{h}_scope" for h in hosts]
    mine = set(ids) | set(scopes)
    return ({fid_: clean(client.node(fid_)) for fid_ in ids},
            {scope: sorted(set(members(client, scope) or []) & mine) for scope in scopes})


@both_versions
def test_fault_mid_run_exits_1_and_a_rerun_converges(sync, make_sandbox, sandbox_version, hosts,
                                                      make_container, tmp_path):
    """A manager without the LINUX OS scope (a trimmed platform master) faults on addNode after the
    scopes were created; once it is back, a rerun ends where an uninterrupted run ends."""
    world = [make_container("a"), make_container("b", state="exited")]
    host = hosts[0]
    data = tmp_path / "faulty.json"
    make_sandbox(version=sandbox_version, data=data).stop()
    state = json.loads(data.read_text())
    linux = state["facilities"].pop("LINUX")
    state["children"]["OS"].remove("LINUX")
    data.write_text(json.dumps(state))

    faulty = make_sandbox(version=sandbox_version, data=data)
    result = sync(ADD, faulty, host)
    assert result.code == 1
    assert result.err.splitlines() == [
        f"RepositoryDockerNodeAdd.py: Hinemos manager at {faulty.base_url}/RepositoryEndpoint?wsdl raised "
        "HinemosUnknown: FacilityEntity.findByPrimaryKey, facilityId = LINUX"]
    assert result.lines[-1] == f"Creating {host}." and "Creating docker_container." in result.lines
    faulty.stop()

    state = json.loads(data.read_text())
    state["facilities"]["LINUX"] = linux
    state["children"]["OS"].append("LINUX")
    data.write_text(json.dumps(state))
    repaired = make_sandbox(version=sandbox_version, data=data)
    ok(sync(ADD, repaired, host))
    clean = make_sandbox(version=sandbox_version)
    ok(sync(ADD, clean, host))
    connect = lambda s: hinemos_ws.connect(s.base_url, SANDBOX_USER, SANDBOX_PASSWORD)
    assert repository_of(connect(repaired), [host], world) == repository_of(connect(clean), [host], world)


@both_versions
def test_node_in_use_stops_delete_with_one_line_until_released(sync, sandbox, client, hosts, make_container):
    gone = make_container("gone")
    host = hosts[0]
    ok(sync(ADD, sandbox, host))
    gone.remove(force=True)
    with sandbox.lock:  # what a monitor setting on the node does in the manager (UsedFacility)
        sandbox.repository.mark_used(fid(host, gone), "Monitor setting MON1 uses it", "Job JOB1 uses it")
    result = sync(DELETE, sandbox, host)
    assert result.code == 1
    assert result.err.splitlines() == [
        f"RepositoryDockerNodeDelete.py: Hinemos manager at {sandbox.base_url}/RepositoryEndpoint?wsdl "
        "raised UsedFacility: Monitor setting MON1 uses it / Job JOB1 uses it"]
    assert client.is_node(fid(host, gone)) is True
    with sandbox.lock:
        sandbox.repository.mark_used(fid(host, gone))
    ok(sync(DELETE, sandbox, host))
    assert client.is_node(fid(host, gone)) is None


@both_versions
def test_japanese_messages_under_a_ja_locale(sync, sandbox, hosts, make_container, monkeypatch):
    box = make_container("box")
    monkeypatch.setenv("LANG", "ja_JP.UTF-8")
    result = sync(ADD, sandbox, hosts[0])
    assert result.code == 0, result.err
    assert result.lines[:2] == ["開始しました。", "Hinemosマネージャにログインしています。"]
    assert f"{fid(hosts[0], box)} を作成します。" in result.lines and result.lines[-1] == "完了しました。"


@both_versions
def test_facility_id_taken_by_a_scope_is_skipped_not_faulted(sync, sandbox, client, hosts, make_container):
    taken = make_container("taken")
    host = hosts[0]
    client.add_scope("", fid(host, taken), "a scope made by hand")
    result = ok(sync(ADD, sandbox, host))
    assert f"[skip] {fid(host, taken)} exists as a scope; it cannot be created as a node." in result.lines
    assert fid(host, taken) not in members(client, "docker_container")
    ok(sync(UPDATE, sandbox, host))
    assert client.is_node(fid(host, taken)) is False


def test_cron_wrapper_runs_every_step_and_reports_a_failed_one(make_sandbox, hosts, make_container):
    """RepositoryDockerNode.sh: Add, Delete, Update for every host; a host whose daemon is
    unreachable fails its three steps, the other host's steps still run, and the exit status is 1."""
    sandbox = make_sandbox()
    box = make_container("box")
    good, bad = hosts
    with refusing_port() as port:
        unreachable = f"tcp://127.0.0.1:{port}"
        env = {**os.environ, "LANG": "C.UTF-8",
               "REPOSITORY_DOCKER_HOSTS": f"127.0.0.1 {good}\n{unreachable} {bad}\n"}
        for name in ("LC_ALL", "PYTHONPATH", "HINEMOS_DOCKER_BIN"):
            env.pop(name, None)
        result = subprocess.run([str(installed_script("RepositoryDockerNode.sh")), "-m", sandbox.base_url],
                                capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 1, result.stderr
    failed = [line for line in result.stderr.splitlines() if line.startswith("RepositoryDockerNode.sh: ")]
    assert failed == [f"RepositoryDockerNode.sh: {script} -i {unreachable} -f {bad} failed (exit 1)"
                      for script in ("RepositoryDockerNodeAdd.py", "RepositoryDockerNodeDelete.py",
                                     "RepositoryDockerNodeUpdate.py")]
    out = result.stdout.splitlines()
    steps = ["Creating scopes.", "Deleting Docker container nodes.", "Updating Docker container nodes."]
    assert [line for line in out if line in steps] == steps
    assert f"Creating {fid(good, box)}." in out and out.count("Completed.") == 3
