"""Repository sync, pure: desired state, snapshot and the Add/Delete/Update plans
(docs/rules.md#sync-add, docs/rules.md#sync-delete, docs/rules.md#sync-update).

`Manager` below is a few lines of the manager's repository semantics
(docs/hinemos-facts.md#repository-operations: one ID space, assign needs a scope and nodes,
modifyNode replaces the node) that replay a plan's calls, so a test can run Add/Update/Delete in
sequence and look at the repository afterwards.
"""
import json
import re
from datetime import datetime
from pathlib import Path

import pytest

from hinemos_docker import repository_model
from hinemos_docker.repository_model import (
    Facility,
    Repository,
    desired_state,
    repository_from_tree,
)
from hinemos_docker.repository_plan import ACTIONS, applied, refreshed_node

ACTION = {action.name: action for action in ACTIONS}
DATA = Path(__file__).parent.parent / "data" / "repository"
NOW = datetime(2015, 8, 31, 16, 5, 7)
IP = "100.74.26.24"


def fresh_tree():
    """getFacilityTree of a fresh manager, reduced to the built-ins the sync meets (constructed)."""
    def item(fid, type_=0, children=(), built_in=True):
        return {"facilityId": fid, "facilityName": fid, "facilityType": type_, "valid": True,
                "builtInFlg": built_in, "children": list(children)}
    return item("_ROOT_", 2, [
        item("REGISTERED"), item("UNREGISTERED"),
        item("OWNER", children=[item("ALL_USERS"), item("ADMINISTRATORS")]),
        item("OS", children=[item("LINUX"), item("WINDOWS")]),
    ], built_in=False)


class Manager:
    """What the manager does with the calls of a plan (enough of
    docs/hinemos-facts.md#repository-operations to replay them)."""

    def __init__(self, scopes=()):
        repo = repository_from_tree(fresh_tree())
        self.facilities = dict(repo.facilities)
        self.members = {k: set(v) for k, v in repo.members.items()}
        self.nodes = {}
        for scope in scopes:
            self.add_scope("", scope, scope)

    def add_scope(self, parent, fid, name):
        assert fid not in self.facilities, f"FacilityDuplicate {fid}"
        assert not parent or self.facilities[parent].is_scope
        self.facilities[fid] = Facility(fid, name, 0, True, False)
        self.members[parent or "_ROOT_"].add(fid)
        self.members[fid] = set()

    def add_node(self, info):
        fid = info["facilityId"]
        assert fid not in self.facilities, f"FacilityDuplicate {fid}"
        assert all(v["nodeVariableValue"] for v in info.get("nodeVariableInfo", [])), "empty variable value"
        self.facilities[fid] = Facility(fid, info["facilityName"], 1, info.get("valid", True), False)
        self.nodes[fid] = dict(info)
        for scope in ("REGISTERED", info["ownerRoleId"], info["platformFamily"]):
            self.members[scope].add(fid)

    def modify_node(self, info):
        fid = info["facilityId"]
        assert self.facilities[fid].is_node and info["valid"] is not None
        self.facilities[fid] = Facility(fid, info["facilityName"], 1, info["valid"], False)
        self.nodes[fid] = dict(info)

    def assign_node_scope(self, scope, ids):
        assert ids and self.facilities[scope].is_scope and not self.facilities[scope].built_in
        assert all(self.facilities[fid].is_node for fid in ids)
        self.members[scope].update(ids)

    def delete_nodes(self, ids):
        assert all(self.facilities[fid].is_node for fid in ids)
        for fid in ids:
            del self.facilities[fid]
            self.nodes.pop(fid, None)
            for members in self.members.values():
                members.discard(fid)

    def snapshot(self, action, desired):
        repo = Repository(dict(self.facilities), {k: set(v) for k, v in self.members.items()})
        return repo.with_nodes({fid: self.nodes.get(fid) for fid in ACTION[action].node_ids(desired, repo)})

    def run(self, action, desired):
        """Plan against the current repository, replay the calls; returns the plan."""
        plan = ACTION[action].plan(desired, self.snapshot(action, desired))
        for call in plan.calls:
            getattr(self, call.operation)(*call.args)
        return plan

    def variables(self, fid):
        return repository_model.node_variables(self.nodes[fid])


def container(name, cid, status="Up 4 minutes", labels=None, ports=(), command="httpd -D FOREGROUND",
              image="httpd:2.4"):
    """One entry of GET /containers/json (constructed, in the API's shape)."""
    return {"Id": cid.ljust(64, "0"), "Names": [f"/{name}"], "Image": image, "Command": command,
            "Status": status, "Ports": list(ports), "Labels": dict(labels or {})}


def label(value):
    return {"hinemosAssignScopeId": value}


def hand_node(fid, name=None, docker_host=None, **extra):
    """A node registered by hand (or by another tool), with a DOCKER_HOST variable if given."""
    info = {"facilityId": fid, "facilityName": name or fid, "ownerRoleId": "ALL_USERS",
            "platformFamily": "LINUX", **extra}
    if docker_host:
        info["nodeVariableInfo"] = [{"nodeVariableName": "DOCKER_HOST", "nodeVariableValue": docker_host}]
    return info


def want(containers, host="docker_host1", ip=IP):
    return desired_state(host, ip, containers, NOW)


def recorded():
    return json.loads((DATA / "containers.json").read_text())


def lines(plan, japanese=False):
    return [line.render(japanese) for step in plan.steps for line in step.lines]


def operations(plan):
    return [(call.operation, call.args) for call in plan.calls]


# ---- desired state ---------------------------------------------------------------------------

def test_container_nodes_from_the_recorded_list():
    desired = want(recorded())
    by_name = {n.name: n for n in desired.containers}
    assert [n.name for n in desired.containers] == [f"conteiner_{x}" for x in "EDCBA"]
    assert {n: c.state for n, c in by_name.items()} == {
        "conteiner_E": "paused", "conteiner_D": "exited", "conteiner_C": "running",
        "conteiner_B": "running", "conteiner_A": "running"}
    assert by_name["conteiner_C"].label_scopes == ("web1", "web3")
    assert by_name["conteiner_D"].label_scopes is None
    assert re.fullmatch(r"127\.0\.0\.1:\d+->80/tcp", by_name["conteiner_B"].ports)
    assert "127.0.0.1:18080->80/tcp" in by_name["conteiner_E"].ports
    assert by_name["conteiner_A"].ports == ""


def test_container_node_properties_and_the_six_variables():
    desired = want(recorded())
    node = next(n for n in desired.containers if n.name == "conteiner_B")
    info = node.node_info(desired.description)
    variables = {v["nodeVariableName"]: v["nodeVariableValue"] for v in info.pop("nodeVariableInfo")}
    assert info == {
        "facilityId": "docker_host1-conteiner_B", "facilityName": "conteiner_B",
        "description": "Auto detect at 2015-08-31 16:05:07", "ownerRoleId": "ALL_USERS",
        "platformFamily": "LINUX", "ipAddressVersion": 4, "ipAddressV4": IP, "nodeName": "d3ae9e7db574",
        "nodeHostnameInfo": [{"hostname": "d3ae9e7db574"}], "valid": True}
    assert variables == {
        "DOCKER_CONTAINER_ID": "d3ae9e7db574", "DOCKER_COMMAND": "httpd -f -p 80 -h /var/www",
        "DOCKER_PORTS": node.ports, "DOCKER_IMAGE": "hinemos-docker-test:latest",
        "DOCKER_STATUS": "running", "DOCKER_HOST": "docker_host1"}


def test_empty_values_are_never_sent_and_long_ones_are_cut():
    desired = want([container("quiet", "abc", command="", ports=()),
                    container("chatty", "def", command="x" * 5000)])
    quiet, chatty = (n.variables() for n in desired.containers)
    assert set(quiet) == {"DOCKER_CONTAINER_ID", "DOCKER_IMAGE", "DOCKER_STATUS", "DOCKER_HOST"}
    assert len(chatty["DOCKER_COMMAND"]) == repository_model.VARIABLE_VALUE_MAX


def test_host_node_per_decisions_8():
    host = want([]).host_node()
    assert host == {"facilityId": "docker_host1", "facilityName": "docker_host1", "nodeName": "docker_host1",
                    "nodeHostnameInfo": [{"hostname": "docker_host1"}], "platformFamily": "LINUX",
                    "ipAddressVersion": 4, "ipAddressV4": IP, "ownerRoleId": "ALL_USERS",
                    "description": "Auto detect at 2015-08-31 16:05:07", "valid": True}


@pytest.mark.parametrize("state", ["exited", "paused", "restarting"])
def test_only_running_containers_are_managed(state):
    status = {"exited": "Exited (0) 16 seconds ago", "paused": "Up 2 minutes (Paused)",
              "restarting": "Restarting (1) 5 seconds ago"}[state]
    node = want([container("c", "abc", status=status)]).containers[0]
    assert (node.state, node.valid) == (state, False)


def test_snapshot_from_the_facility_tree():
    tree = fresh_tree()
    tree["children"].append({"facilityId": "web1", "facilityName": "Web", "facilityType": 0, "valid": True,
                             "builtInFlg": False, "children": [
                                 {"facilityId": "n1", "facilityName": "n1", "facilityType": 1, "valid": False,
                                  "builtInFlg": False, "children": []}]})
    repo = repository_from_tree(tree)
    assert "_ROOT_" not in repo.facilities
    assert repo.is_scope("web1") and repo.is_node("n1") and not repo.facilities["n1"].valid
    assert repo.members["web1"] == {"n1"} and repo.members["OWNER"] == {"ALL_USERS", "ADMINISTRATORS"}
    assert repo.facilities["ALL_USERS"].built_in and not repo.facilities["web1"].built_in


# ---- Add -------------------------------------------------------------------------------------

def test_add_on_an_empty_repository_creates_scopes_nodes_and_batched_assignments():
    manager = Manager(scopes=["web1", "web2"])
    desired = want(recorded())
    plan = manager.run("add", desired)
    ids = [f"docker_host1-conteiner_{x}" for x in "EDCBA"]
    assert operations(plan)[:4] == [("add_scope", ("", "docker_container", "docker_container")),
                                    ("add_scope", ("", "docker_host", "docker_host")),
                                    ("add_scope", ("", "docker_map", "docker_map")),
                                    ("add_scope", ("docker_map", "docker_host1_scope", "docker_host1_scope"))]
    assert operations(plan)[4][0] == "add_node" and operations(plan)[4][1][0]["facilityId"] == "docker_host1"
    assert operations(plan)[5] == ("assign_node_scope", ("docker_host", ["docker_host1"]))
    assert [args[0]["facilityId"] for op, args in operations(plan)[6:11]] == ids
    assert operations(plan)[11:] == [
        ("assign_node_scope", ("docker_container", ids)),
        ("assign_node_scope", ("docker_host1_scope", ids)),
        ("assign_node_scope", ("web1", ["docker_host1-conteiner_C", "docker_host1-conteiner_B",
                                        "docker_host1-conteiner_A"])),
        ("assign_node_scope", ("web2", ["docker_host1-conteiner_B"])),
    ]
    assert manager.members["docker_map"] == {"docker_host1_scope"}
    assert [manager.facilities[fid].valid for fid in ids] == [False, False, True, True, True]
    assert "[skip] Scope web3 does not exist; skipping the assignment." in lines(plan)


def test_a_second_run_over_an_unchanged_world_plans_nothing():
    manager = Manager(scopes=["web1", "web2"])
    desired = want(recorded())
    manager.run("add", desired)
    for action in ("add", "update", "delete", "add"):
        assert manager.run(action, desired).calls == [], action


def test_second_add_says_what_exists():
    manager = Manager()
    desired = want([container("conteiner_A", "f0184f3feddc")])
    manager.run("add", desired)
    text = lines(manager.run("add", desired))
    assert "docker_container already exists. [skip]" in text
    assert "docker_host1 already exists. [skip]" in text
    assert "docker_host1-conteiner_A already exists. [skip]" in text
    assert text.count("docker_host1-conteiner_A is already assigned. [skip]") == 2


def test_two_hosts_share_the_scopes_and_keep_their_own_nodes():
    manager = Manager()
    world = [container("web", "aaa"), container("db", "bbb")]
    manager.run("add", want(world, "docker_host1"))
    plan = manager.run("add", want(world, "docker_host2", "10.0.200.204"))
    touched = {args[1] if op == "add_scope" else args[0].get("facilityId") if op == "add_node" else args[0]
               for op, args in operations(plan)}
    assert touched == {"docker_host2_scope", "docker_host2", "docker_host2-web", "docker_host2-db",
                       "docker_host", "docker_container"}
    assert manager.members["docker_container"] == {"docker_host1-web", "docker_host1-db", "docker_host2-web",
                                                   "docker_host2-db"}
    assert manager.members["docker_host"] == {"docker_host1", "docker_host2"}
    assert manager.members["docker_map"] == {"docker_host1_scope", "docker_host2_scope"}
    assert manager.nodes["docker_host2-web"]["ipAddressV4"] == "10.0.200.204"
    for host in ("docker_host1", "docker_host2"):
        for action in ("add", "update", "delete"):
            assert manager.run(action, want(world, host)).calls == [], (host, action)


def test_label_scopes_existing_missing_built_in_and_not_a_scope():
    manager = Manager(scopes=["web1"])
    manager.add_node(hand_node("plain"))
    labels = label("web1, web3,ALL_USERS,plain,,docker_host1_scope")
    plan = manager.run("add", want([container("c", "abc", labels=labels)]))
    assert lines(plan)[-6:] == [
        "Assigning docker_host1-c to the scopes in its label. Target scopes "
        "['web1', 'web3', 'ALL_USERS', 'plain', 'docker_host1_scope']",
        "Assigning docker_host1-c.",
        "[skip] Scope web3 does not exist; skipping the assignment.",
        "[skip] Scope ALL_USERS is a built-in scope; skipping the assignment.",
        "[skip] plain is not a scope; skipping the assignment.",
        "[skip] Scope docker_host1_scope is managed by the repository scripts (docker_container, "
        "docker_host, docker_map and the hosts' scopes); skipping the assignment.",
    ]
    assert operations(plan)[-1] == ("assign_node_scope", ("web1", ["docker_host1-c"]))
    assert "docker_host1-c" in manager.members["web1"]


@pytest.mark.parametrize("action", ["add", "update"])
def test_labels_never_put_a_node_into_the_scripts_own_scopes(action):
    manager = Manager(scopes=["web1"])
    manager.run("add", want([container("other", "fff")], "docker_host2", "10.0.200.204"))
    own = "docker_host,docker_map,docker_container,docker_host2_scope,docker_host1_scope"
    labelled = [container("c", "abc", labels=label(f"{own},web1"))]
    if action == "update":
        manager.run("add", want([container("c", "abc")]))
    plan = manager.run(action, want(labelled))
    for scope in own.split(","):
        assert any(line.startswith(f"[skip] Scope {scope} is managed by the repository scripts")
                   for line in lines(plan)), scope
        assert (f"[skip] スコープ {scope} はDocker連携スクリプトが管理するスコープのため、"
                "割り当てをスキップします。") in lines(plan, japanese=True)
    assert "docker_host1-c" not in manager.members["docker_host"] | manager.members["docker_map"] \
        | manager.members["docker_host2_scope"]
    assert "docker_host1-c" in manager.members["web1"]
    assert [args for op, args in operations(plan) if op == "assign_node_scope" and args[0] in own.split(",")
            and action == "update"] == []


def test_hand_made_host_node_is_only_assigned():
    manager = Manager()
    manager.add_node({"facilityId": "docker_host1", "facilityName": "My host", "ownerRoleId": "ALL_USERS",
                      "platformFamily": "LINUX", "ipAddressV4": "10.9.9.9", "description": "by hand"})
    before = dict(manager.nodes["docker_host1"])
    plan = manager.run("add", want([container("c", "abc")]))
    assert not [args for op, args in operations(plan)
                if op in ("add_node", "modify_node") and args[0]["facilityId"] == "docker_host1"]
    assert ("assign_node_scope", ("docker_host", ["docker_host1"])) in operations(plan)
    assert manager.nodes["docker_host1"] == before
    assert manager.run("update", want([container("c", "abc")])).calls == []
    assert manager.nodes["docker_host1"] == before


def test_conflicting_facilities_are_skipped_not_faulted():
    manager = Manager()
    manager.add_scope("", "docker_host1-c", "a scope by hand")
    manager.add_node(hand_node("docker_map"))
    world = [container("c", "abc"), container("d", "def")]
    plan = manager.run("add", want(world))
    text = lines(plan)
    assert "[skip] docker_host1-c exists as a scope; it cannot be created as a node." in text
    assert "[skip] docker_map exists as a node; it cannot be created as a scope." in text
    assert "[skip] Scope docker_map cannot be used; skipping." in text
    assert "docker_host1_scope" not in manager.facilities
    assert text.count("[skip] Scope docker_host1_scope cannot be used; skipping.") == 1
    assert manager.members["docker_container"] == {"docker_host1-d"}
    update = manager.run("update", want(world))
    assert update.calls == [] and "[skip] docker_host1-c exists as a scope; it cannot be created as a node." \
        in lines(update)


def test_names_the_manager_would_refuse_are_skipped():
    too_long = "n" * 129
    manager = Manager()
    plan = manager.run("add", want([container(too_long, "abc"), container("ok", "def")]))
    assert lines(plan)[lines(plan).index("Creating Docker container nodes.") + 1] == (
        f"[skip] Container {too_long}: facility ID docker_host1-{too_long} cannot be registered in Hinemos "
        "(facility ID: up to 512 of A-Z a-z 0-9 - _ . @; facility name: up to 128 characters); skipping it.")
    assert set(manager.nodes) == {"docker_host1", "docker_host1-ok"}
    long_host = want([container("c", "abc")], host="h" * 511).containers[0]
    assert not long_host.registrable


# ---- Update ----------------------------------------------------------------------------------

def test_stopped_container_flips_status_and_management_flag():
    manager = Manager()
    manager.run("add", want([container("c", "abc"), container("d", "def")]))
    plan = manager.run("update", want([container("c", "abc", status="Exited (0) 16 seconds ago"),
                                       container("d", "def")]))
    assert lines(plan) == ["Updating Docker container nodes.", "docker_host1-c", "running -> exited",
                           "docker_host1-d", "running -> running [skip]"]
    assert [op for op, _ in operations(plan)] == ["modify_node"]
    assert manager.facilities["docker_host1-c"].valid is False
    assert manager.variables("docker_host1-c")["DOCKER_STATUS"] == "exited"
    plan = manager.run("update", want([container("c", "abc"), container("d", "def")]))
    assert lines(plan)[2] == "exited -> running" and manager.facilities["docker_host1-c"].valid is True


def test_recreated_container_refreshes_the_derived_properties_and_keeps_the_rest():
    manager = Manager()
    manager.run("add", want([container("c", "abc", ports=[{"IP": "0.0.0.0", "PrivatePort": 80,
                                                            "PublicPort": 8080, "Type": "tcp"}])]))
    node = manager.nodes["docker_host1-c"]
    node["nodeVariableInfo"].append({"nodeVariableName": "OPERATOR_NOTE", "nodeVariableValue": "keep me"})
    node["nodeHostnameInfo"].append({"hostname": "web.example"})
    node["snmpCommunity"] = "secret"
    recreated = [container("c", "fff", command="sleep 3600", image="busybox")]
    plan = manager.run("update", want(recreated))
    assert lines(plan) == ["Updating Docker container nodes.", "docker_host1-c", "running -> running",
                           "The container was recreated; refreshing the node: nodeName, hostname, "
                           "DOCKER_CONTAINER_ID, DOCKER_COMMAND, DOCKER_PORTS, DOCKER_IMAGE"]
    node = manager.nodes["docker_host1-c"]
    assert node["nodeName"] == "fff000000000"
    assert [h["hostname"] for h in node["nodeHostnameInfo"]] == ["web.example", "fff000000000"]
    assert node["snmpCommunity"] == "secret"
    assert manager.variables("docker_host1-c") == {
        "OPERATOR_NOTE": "keep me", "DOCKER_CONTAINER_ID": "fff000000000", "DOCKER_COMMAND": "sleep 3600",
        "DOCKER_IMAGE": "busybox", "DOCKER_STATUS": "running", "DOCKER_HOST": "docker_host1"}
    assert manager.run("update", want(recreated)).calls == []


def test_refreshed_node_is_none_when_nothing_differs():
    desired = want([container("c", "abc")])
    node = desired.containers[0]
    assert refreshed_node(node, node.node_info(desired.description)) == (None, [])


def test_update_skips_unregistered_and_foreign_nodes():
    manager = Manager(scopes=["web1"])
    manager.add_node(hand_node("docker_host1-mine", "mine", docker_host="other", nodeName="hand"))
    labels = label("web1")
    plan = manager.run("update", want([container("new", "abc", labels=labels),
                                       container("mine", "def", labels=labels)]))
    assert lines(plan) == [
        "Updating Docker container nodes.",
        "docker_host1-new", "[skip] No node is registered (RepositoryDockerNodeAdd.py registers it).",
        "docker_host1-mine", "[skip] Not a container node of docker_host1 (DOCKER_HOST: other).",
    ]
    assert plan.calls == []


def test_update_assigns_label_scopes_that_exist_and_never_releases():
    manager = Manager(scopes=["web1"])
    manager.run("add", want([container("c", "abc", labels=label("web1"))]))
    manager.add_scope("", "web2", "web2")
    plan = manager.run("update", want([container("c", "abc", labels=label("web2,web3"))]))
    assert lines(plan)[-3:] == ["Checking the label of docker_host1-c hinemosAssignScopeId: ['web2', 'web3']",
                                "Assigning to scope web2.",
                                "[skip] Scope web3 does not exist; skipping the assignment."]
    assert operations(plan) == [("assign_node_scope", ("web2", ["docker_host1-c"]))]
    assert "docker_host1-c" in manager.members["web1"] and "docker_host1-c" in manager.members["web2"]


# ---- Delete ----------------------------------------------------------------------------------

def test_delete_removes_only_this_hosts_nodes_of_gone_containers():
    manager = Manager()
    world = [container("a", "aaa"), container("b", "bbb")]
    manager.run("add", want(world, "docker_host1"))
    manager.run("add", want(world, "docker_host2"))
    manager.run("add", want([container("y", "ddd")], "docker_host1-x"))  # its node IDs share the prefix
    manager.add_node(hand_node("docker_host1-byhand"))
    plan = manager.run("delete", want([container("a", "aaa")], "docker_host1"))
    assert lines(plan) == ["Deleting Docker container nodes.",
                           "docker_host1-a", "Exists. [skip]",
                           "docker_host1-b", "Deleting."]
    assert operations(plan) == [("delete_nodes", (["docker_host1-b"],))]
    assert {"docker_host1-x-y", "docker_host1-byhand", "docker_host2-b", "docker_host1",
            "docker_host1_scope"} <= set(manager.facilities)
    assert manager.run("delete", want([container("a", "aaa")], "docker_host1")).calls == []


def test_delete_keeps_a_node_whose_container_still_runs_under_its_name():
    """A node of this host under another ID (e.g. an older naming) is kept while its container lives."""
    manager = Manager()
    manager.run("add", want([container("a", "aaa")]))
    manager.add_node(hand_node("docker_host1_a", "a", docker_host="docker_host1"))
    manager.assign_node_scope("docker_host1_scope", ["docker_host1_a"])
    plan = manager.run("delete", want([container("a", "aaa")]))
    assert plan.calls == [] and lines(plan)[-2:] == ["docker_host1_a", "Exists. [skip]"]
    plan = manager.run("delete", want([]))
    assert operations(plan) == [("delete_nodes", (["docker_host1-a", "docker_host1_a"],))]


def test_reads_are_only_what_a_plan_needs():
    manager = Manager()
    world = [container("a", "aaa"), container("b", "bbb")]
    manager.run("add", want(world))
    repo = manager.snapshot("add", want(world))
    assert ACTION["add"].node_ids(want(world), repo) == []
    assert ACTION["update"].node_ids(want(world), repo) == ["docker_host1-a", "docker_host1-b"]
    assert ACTION["delete"].node_ids(want(world), repo) == []
    assert ACTION["delete"].node_ids(want(world[:1]), repo) == ["docker_host1-b"]


# ---- the manual's examples of Add, Delete and Update, in Japanese ---------------------------------

def manual_add_world():
    """The containers of the manual's Add example (constructed): newest first, no published port."""
    return [container("conteiner_C", "16c155fe269b", labels=label("web1,web3")),
            container("conteiner_B", "f4bbbade7641", labels=label("web1,web2")),
            container("conteiner_A", "f0184f3feddc", labels=label("web1"))]


MANUAL_ADD = """\
Dockerコンテナの情報を取得します。
port not bind
Id:16c155fe269b Name:conteiner_C Status:'Up 4 minutes' :running
port not bind
Id:f4bbbade7641 Name:conteiner_B Status:'Up 4 minutes' :running
port not bind
Id:f0184f3feddc Name:conteiner_A Status:'Up 4 minutes' :running
スコープを作成します。
docker_container を作成します。
docker_host を作成します。
docker_map を作成します。
docker_host1_scope を作成します。
Dockerホストノードを作成します。
docker_host1 を作成します。
Dockerホストノードを docker_host スコープへ割り当てます。
docker_host1 を割り当てます。
Dockerコンテナノードを作成します。
docker_host1-conteiner_C を作成します。
docker_host1-conteiner_B を作成します。
docker_host1-conteiner_A を作成します。
Dockerコンテナノードを docker_container スコープへ割り当てます。
docker_host1-conteiner_C を割り当てます。
docker_host1-conteiner_B を割り当てます。
docker_host1-conteiner_A を割り当てます。
Dockerコンテナノードを docker_host1_scope スコープへ割り当てます。
docker_host1-conteiner_C を割り当てます。
docker_host1-conteiner_B を割り当てます。
docker_host1-conteiner_A を割り当てます。
docker_host1-conteiner_C をラベルにあるスコープへ割り当てます。対象スコープ ['web1', 'web3']
docker_host1-conteiner_C を割り当てます。
[skip] スコープ web3 が存在しないため、割り当てをスキップします。
docker_host1-conteiner_B をラベルにあるスコープへ割り当てます。対象スコープ ['web1', 'web2']
docker_host1-conteiner_B を割り当てます。
docker_host1-conteiner_B を割り当てます。
docker_host1-conteiner_A をラベルにあるスコープへ割り当てます。対象スコープ ['web1']
docker_host1-conteiner_A を割り当てます。"""


def test_the_manuals_add_example():
    manager = Manager(scopes=["web1", "web2"])
    desired = want(manual_add_world())
    text = [line.render(True) for line in ACTION["add"].container_lines(desired)] + lines(
        manager.run("add", desired), japanese=True)
    assert text == MANUAL_ADD.splitlines()


MANUAL_UPDATE = """\
Dockerコンテナの情報を取得します。
Id:0e0d8cdf3ab7 Name:conteiner_C Status:'Exited (0) 16 seconds ago' :exited
Id:1eae26f41927 Name:conteiner_B Status:'Up 35 minutes' :running
Id:b66e046560f3 Name:conteiner_A Status:'Up 35 minutes' :running
Dockerコンテナノードを更新します。
docker_host1-conteiner_C
running -> exited
docker_host1-conteiner_B
running -> running [skip]
docker_host1-conteiner_A
running -> running [skip]
docker_host1-conteiner_C のラベルを確認します hinemosAssignScopeId: ['web1', 'web3']
[skip] 既にスコープ web1 に割り当てられています
[skip] スコープ web3 が存在しないため、割り当てをスキップします
docker_host1-conteiner_B のラベルを確認します hinemosAssignScopeId: ['web1', 'web2']
[skip] 既にスコープ web1 に割り当てられています
[skip] 既にスコープ web2 に割り当てられています
docker_host1-conteiner_A のラベルを確認します hinemosAssignScopeId: ['web1']
[skip] 既にスコープ web1 に割り当てられています"""


def manual_world(c_status="Up 35 minutes", with_d=True):
    """The containers of the manual's Delete and Update examples (constructed)."""
    world = [container("conteiner_C", "0e0d8cdf3ab7", c_status, label("web1,web3")),
             container("conteiner_B", "1eae26f41927", "Up 35 minutes", label("web1,web2")),
             container("conteiner_A", "b66e046560f3", "Up 35 minutes", label("web1"))]
    return world + [container("conteiner_D", "5d1f2a3b4c5d", "Up 35 minutes")] if with_d else world


def test_the_manuals_delete_example():
    manager = Manager(scopes=["web1", "web2"])
    manager.run("add", want(manual_world()))
    desired = want(manual_world(with_d=False))
    assert [line.render(True) for line in ACTION["delete"].container_lines(desired)] == [
        "Dockerコンテナの情報を取得しました。", "Id:0e0d8cdf3ab7 Name:conteiner_C",
        "Id:1eae26f41927 Name:conteiner_B", "Id:b66e046560f3 Name:conteiner_A"]
    text = lines(manager.run("delete", desired), japanese=True)
    # the manual's order (C, D, A, B) is not specified; each node's verdict is
    assert text[0] == "Dockerコンテナノードを削除します。"
    assert dict(zip(text[1::2], text[2::2])) == {
        "docker_host1-conteiner_C": "存在します。[skip]", "docker_host1-conteiner_D": "削除します。",
        "docker_host1-conteiner_A": "存在します。[skip]", "docker_host1-conteiner_B": "存在します。[skip]"}
    assert "docker_host1-conteiner_D" not in manager.facilities


def test_the_manuals_update_example():
    manager = Manager(scopes=["web1", "web2"])
    manager.run("add", want(manual_world(with_d=False)))
    desired = want(manual_world(c_status="Exited (0) 16 seconds ago", with_d=False))
    text = [line.render(True) for line in ACTION["update"].container_lines(desired)] + lines(
        manager.run("update", desired), japanese=True)
    assert text == MANUAL_UPDATE.splitlines()


# ---- one snapshot for a whole run (the cron wrapper's) -------------------------------------------

def test_one_snapshot_carried_through_applied_plans_as_a_fresh_read_would():
    """The many-hosts run reads the tree once and carries it through repository_plan.applied: every
    plan, for every host and step, is the one a fresh snapshot of the manager gives."""
    fresh, carried = Manager(["web1"]), Manager(["web1"])
    old = [container("a", "aaa"), container("b", "bbb"), container("c", "ccc", labels=label("web1"))]
    for manager in (fresh, carried):
        for host in ("docker_host1", "docker_host2"):
            manager.run("add", want(old, host))
    # the hosts' worlds now: removed, stopped, recreated, new with a label; a host never seen
    worlds = {"docker_host1": [container("a", "aaa", status="Exited (0) 1 minute ago"),
                               container("c", "cc2", labels=label("web1")),
                               container("d", "ddd", labels=label("web1"))],
              "docker_host2": [container("a", "aaa"), container("e", "eee")],
              "docker_host3": [container("a", "aaa", labels=label("web1"))]}
    wanted = {host: want(world, host) for host, world in worlds.items()}
    snapshot = carried.snapshot("add", wanted["docker_host1"])
    snapshot = snapshot.with_nodes({fid: carried.nodes.get(fid) for desired in wanted.values()
                                    for action in ("delete", "update")
                                    for fid in ACTION[action].node_ids(desired, snapshot)})
    made = set()
    for host, desired in wanted.items():
        for action in ("add", "delete", "update"):
            expected = fresh.run(action, desired)
            made.update(call.operation for call in expected.calls)
            plan = ACTION[action].plan(desired, snapshot)
            assert (lines(plan), operations(plan)) == (lines(expected), operations(expected)), (host, action)
            for call in plan.calls:
                getattr(carried, call.operation)(*call.args)
            snapshot = applied(snapshot, plan.calls)
    assert snapshot.facilities == carried.facilities
    implicit = ("REGISTERED", "ALL_USERS", "LINUX")  # the manager's own memberships of every node
    assert ({s: m for s, m in snapshot.members.items() if s not in implicit}
            == {s: m for s, m in carried.members.items() if s not in implicit})
    assert made >= {"add_scope", "add_node", "assign_node_scope", "modify_node", "delete_nodes"}
