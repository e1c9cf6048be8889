"""RepositoryDockerNodeAdd/Delete/Update against the real dockerd and the stand-in manager: the same
scenarios over SOAP (the 6.0 and 6.2 WSDL shapes) and over the 7.x REST API, each read back through
an independent client of that API (plain requests for REST).

The scripts register every container of the daemon, and other tests' containers come and go
meanwhile: each test has its own stand-in and host facility IDs, and asserts only about its own
containers' nodes.
"""
import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from hinemos_docker.commands.repository_sync import ADD, DELETE, UPDATE
from tests.fixtures.ports import refusing_port
from tests.fixtures.sandbox import SYNC_VERSIONS, read_back
from tests.fixtures.scripts import installed_script
from tests.fixtures.sync import DOCKER_UNIX, by_hand, endpoint, fid, members, ok, variables

every_api = pytest.mark.parametrize("sandbox_version", SYNC_VERSIONS)

ROOT = Path(__file__).resolve().parents[2]
VOLATILE = re.compile(r"Datetime$|^description$|^modifyUserId$")


@pytest.fixture
def client(sandbox):
    return read_back(sandbox)


@every_api
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


@every_api
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
        "ipAddressVersion": client.ipv4, "ipAddressV4": "127.0.0.1", "platformFamily": "LINUX",
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


@every_api
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


@every_api
def test_delete_removes_only_the_removed_containers_node(sync, sandbox, client, hosts, make_container):
    keep = make_container("keep")
    gone = make_container("gone")
    host1, host2 = hosts
    ok(sync(ADD, sandbox, host1))
    ok(sync(ADD, sandbox, host2, *DOCKER_UNIX))
    client.add_node(by_hand(client, f"{host1}-byhand"))
    gone.remove(force=True)
    result = ok(sync(DELETE, sandbox, host1))
    assert result.lines[result.lines.index(fid(host1, gone)) + 1] == "Deleting."
    assert result.lines[result.lines.index(fid(host1, keep)) + 1] == "Exists. [skip]"
    assert f"{host1}-byhand" not in result.lines
    assert client.is_node(fid(host1, gone)) is None
    for still in (fid(host1, keep), fid(host2, gone), fid(host2, keep), f"{host1}-byhand", host1, host2):
        assert client.is_node(still) is True, still
    assert client.is_node(f"{host1}_scope") is False
    again = ok(sync(DELETE, sandbox, host1))
    assert fid(host1, gone) not in again.lines


@every_api
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


@every_api
def test_host_node_registered_by_hand_is_left_as_it_was(sync, sandbox, client, hosts, make_container):
    host = hosts[0]
    make_container("guest")
    client.add_node(by_hand(client, host, facilityName="Docker host by hand", ipAddressV4="10.1.2.3",
                            nodeName="dockerhost", description="registered by the operator"))
    before = client.node(host)
    result = ok(sync(ADD, sandbox, host))
    assert f"{host} already exists. [skip]" in result.lines
    assert client.node(host) == before  # modifyDatetime included: never written
    assert host in members(client, "docker_host")


@pytest.mark.parametrize("api", ["auto", "soap", "rest"])
def test_manager_down_exits_1_with_one_line_before_the_docker_listing(sync, hosts, api):
    with refusing_port() as port:
        root = f"http://127.0.0.1:{port}"
        result = sync(ADD, root + "/HinemosWS", hosts[0], "--hinemos-api", api)
    assert result.code == 1
    shown = {"auto": f"{root}/HinemosWeb/api/AccessRestEndpoints/access/healthCheck_forMC",
             "soap": f"{root}/HinemosWS/RepositoryEndpoint?wsdl",
             "rest": f"{root}/HinemosWeb/api/AccessRestEndpoints/access/login"}
    assert result.err.splitlines() == [
        f"RepositoryDockerNodeAdd.py: cannot reach the Hinemos manager at {shown[api]}: connection refused"]
    assert result.lines == ["Started.", "Logging in to the Hinemos manager."]


@every_api
def test_wrong_password_exits_1_with_one_line_before_the_docker_listing(sync, sandbox, hosts, tmp_path):
    password_file = tmp_path / "password"
    password_file.write_text("not-the-password\n")
    password_file.chmod(0o600)
    result = sync(UPDATE, sandbox, hosts[0], "--password-file", str(password_file))
    assert result.code == 1
    assert result.err.splitlines() == [
        f"RepositoryDockerNodeUpdate.py: Hinemos manager at {endpoint(sandbox)} raised InvalidUserPass: "
        "user(hinemos)/password is invalid combination"]
    assert "Getting the Docker container information." not in result.lines


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


@every_api
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
        f"RepositoryDockerNodeAdd.py: Hinemos manager at {endpoint(faulty)} raised "
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
    assert repository_of(read_back(repaired), [host], world) == repository_of(read_back(clean), [host], world)


@every_api
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
        f"RepositoryDockerNodeDelete.py: Hinemos manager at {endpoint(sandbox)} "
        "raised UsedFacility: Monitor setting MON1 uses it / Job JOB1 uses it"]
    assert client.is_node(fid(host, gone)) is True
    with sandbox.lock:
        sandbox.repository.mark_used(fid(host, gone))
    ok(sync(DELETE, sandbox, host))
    assert client.is_node(fid(host, gone)) is None


@every_api
def test_japanese_messages_under_a_ja_locale(sync, sandbox, hosts, make_container, monkeypatch):
    box = make_container("box")
    monkeypatch.setenv("LANG", "ja_JP.UTF-8")
    result = sync(ADD, sandbox, hosts[0])
    assert result.code == 0, result.err
    assert result.lines[:2] == ["開始しました。", "Hinemosマネージャにログインしています。"]
    assert f"{fid(hosts[0], box)} を作成します。" in result.lines and result.lines[-1] == "完了しました。"


@every_api
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
