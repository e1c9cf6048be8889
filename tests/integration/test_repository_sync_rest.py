"""The sync against Hinemos 7.x stand-ins (REST only): every `-m` form, the protocol chosen by probing
or forced, a node variable an operator added surviving Update (PUT replaces the whole node), and the
repository a run leaves over REST compared field by field with the one it leaves over SOAP.

What the sync wrote is read back with plain requests (tests/fixtures/rest_api.py), never through our
client edge.
"""
import re

import pytest

from hinemos_docker.commands.repository_sync import ADD, DELETE, UPDATE
from tests.fixtures.rest_api import PlainRest
from tests.fixtures.sandbox import REST_VERSIONS, read_back
from tests.fixtures.sync import fid, members, ok, variables

rest_versions = pytest.mark.parametrize("sandbox_version", REST_VERSIONS)
# the 7.x enum names of the SOAP codes, from the manager's DTO enums (independent of our client's table)
REST_NAMES = {"facilityType": {"TYPE_SCOPE": 0, "TYPE_NODE": 1},
              "ipAddressVersion": {"IPV4": 4, "IPV6": 6},
              "snmpVersion": {"TYPE_V1": 0, "TYPE_V2": 1, "TYPE_V3": 3},
              "snmpSecurityLevel": {"NONE": "", "NOAUTH_NOPRIV": "noauth_nopriv",
                                    "AUTH_NOPRIV": "auth_nopriv", "AUTH_PRIV": "auth_priv"},
              "snmpAuthProtocol": {"NONE": "", "MD5": "MD5", "SHA": "SHA"},
              "snmpPrivProtocol": {"NONE": "", "DES": "DES", "AES": "AES"},
              "wbemProtocol": {"NONE": "", "HTTP": "http", "HTTPS": "https"},
              "winrmProtocol": {"NONE": "", "HTTP": "http", "HTTPS": "https"}}
# what differs between runs (dates, the description's time), and notReferFlg, computed per caller
VOLATILE = re.compile(r"Datetime$|^description$|^modifyUserId$|^createUserId$|Crypt$|^notReferFlg$")
ROW_COLUMNS = {"regDate", "regUser", "updateDate", "updateUser", "searchTarget"}


@rest_versions
@pytest.mark.parametrize("path", ["", "/HinemosWeb/api"])
def test_add_update_delete_on_7x_with_the_bare_or_the_api_url(sync, sandbox, hosts, make_container, path):
    stays, stops, goes = make_container("stays"), make_container("stops"), make_container("goes")
    host = hosts[0]
    url = sandbox.root_url + path
    result = ok(sync(ADD, url, host))
    assert result.lines[2] == f"endpoint: {sandbox.root_url}/HinemosWeb/api"
    rest = PlainRest(sandbox.base_url)
    for container in (stays, stops, goes):
        node = rest.node(fid(host, container))
        assert (node["ipAddressVersion"], node["valid"], variables(node)["DOCKER_HOST"]) == \
            ("IPV4", True, host)
    assert {fid(host, c) for c in (stays, stops, goes)} <= set(members(rest, f"{host}_scope"))

    stops.stop(timeout=0)
    goes.remove(force=True)
    ok(sync(UPDATE, url, host))
    node = rest.node(fid(host, stops))
    assert (node["valid"], variables(node)["DOCKER_STATUS"]) == (False, "exited")
    result = ok(sync(DELETE, url, host))
    assert result.lines[result.lines.index(fid(host, goes)) + 1] == "Deleting."
    assert rest.node(fid(host, goes)) is None and rest.node(fid(host, stays))["valid"] is True
    # three runs, each one login and one logout (the reader logged in once more)
    assert (sandbox.calls["deleteNode"], sandbox.calls["login"], sandbox.calls["logout"]) == (1, 4, 3)


@pytest.mark.parametrize("sandbox_version", ["7.1"])
def test_the_manuals_url_reaches_a_7x_manager_through_the_probe(sync, sandbox, hosts, make_container):
    box = make_container("box")
    result = ok(sync(ADD, sandbox.root_url + "/HinemosWS/", hosts[0]))
    assert result.lines[2] == f"endpoint: {sandbox.base_url}"
    assert PlainRest(sandbox.base_url).is_node(fid(hosts[0], box)) is True


@pytest.mark.parametrize("path", ["", "/HinemosWS/", "/HinemosWS/RepositoryEndpoint?wsdl"])
def test_bare_and_manual_urls_reach_a_6_2_manager_over_soap(sync, sandbox, hosts, make_container, path):
    box = make_container("box")
    result = ok(sync(ADD, sandbox.root_url + path, hosts[0]))
    assert result.lines[2] == f"endpoint: {sandbox.endpoint_url}?wsdl"
    assert read_back(sandbox).is_node(fid(hosts[0], box)) is True
    assert sandbox.calls["getFacilityTree"] == 1


@pytest.mark.parametrize("sandbox_version, api, error", [
    ("7.1", "soap", "cannot reach the Hinemos manager at {root}/HinemosWS/RepositoryEndpoint?wsdl: HTTP 404"),
    ("6.2", "rest", "the Hinemos manager at {root}/HinemosWeb/api/AccessRestEndpoints/access/login has no "
                    "such REST API (HTTP 404)"),
])
def test_a_forced_api_the_manager_lacks_is_one_line(sync, sandbox, hosts, api, error):
    result = sync(ADD, sandbox.root_url, hosts[0], "--hinemos-api", api)
    assert result.code == 1
    expected = f"RepositoryDockerNodeAdd.py: {error.format(root=sandbox.root_url)}"
    assert len(result.err.splitlines()) == 1 and result.err.startswith(expected)
    assert "Getting the Docker container information." not in result.lines


@rest_versions
def test_what_an_operator_added_to_a_node_survives_update(sync, sandbox, hosts, make_container):
    worker = make_container("worker")
    host = hosts[0]
    ok(sync(ADD, sandbox, host))
    rest = PlainRest(sandbox.base_url)
    node = rest.node(fid(host, worker))
    node["nodeVariableInfo"].append({"nodeVariableName": "OPERATOR_NOTE",
                                     "nodeVariableValue": "on call: ops"})
    node["nodeHostnameInfo"].append({"hostname": "worker.example"})
    node["nodeNoteInfo"] = [{"noteId": 0, "note": "added by hand"}]
    node.update(snmpCommunity="private", administrator="ops team")
    rest.repo("PUT", f"/node/{fid(host, worker)}", json=node)

    worker.stop(timeout=0)
    ok(sync(UPDATE, sandbox, host))
    node = rest.node(fid(host, worker))
    assert node["valid"] is False and variables(node)["DOCKER_STATUS"] == "exited"
    assert variables(node)["OPERATOR_NOTE"] == "on call: ops"
    assert [h["hostname"] for h in node["nodeHostnameInfo"]] == ["worker.example", worker.id[:12]]
    assert [n["note"] for n in node["nodeNoteInfo"]] == ["added by hand"]
    assert (node["snmpCommunity"], node["administrator"]) == ("private", "ops team")


def comparable(node, api):
    """A node as both APIs can show it: SOAP codes, no dates or row bookkeeping columns, and no empty
    values (SOAP leaves an empty element out, JSON writes it as null or [])."""
    def clean(value):
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()
                    if k not in ROW_COLUMNS and not VOLATILE.search(k) and v not in (None, "", [])}
        if isinstance(value, list):
            return sorted((clean(v) for v in value), key=repr)
        return value
    if api == "rest":
        node = {k: REST_NAMES[k].get(v, v) if k in REST_NAMES else v for k, v in node.items()}
    return clean(node)


def test_soap_and_rest_runs_leave_the_same_repository(sync, make_sandbox, hosts, make_container):
    soap, rest = make_sandbox(version="6.2"), make_sandbox(version="7.1")
    for sandbox in (soap, rest):
        read_back(sandbox).add_scope("", "web1", "web1")
    web = make_container("web", labels={"hinemosAssignScopeId": "web1"}, command="httpd -f -p 80 -h /var/www",
                         ports={"80/tcp": ("127.0.0.1", None)})
    db = make_container("db", state="exited")
    host = hosts[0]
    for sandbox in (soap, rest):
        ok(sync(ADD, sandbox, host))
    web.stop(timeout=0)
    for sandbox in (soap, rest):
        ok(sync(UPDATE, sandbox, host))
    readers = {"soap": read_back(soap), "rest": read_back(rest)}
    for facility_id in (fid(host, web), fid(host, db), host):
        nodes = {api: comparable(reader.node(facility_id), api) for api, reader in readers.items()}
        common = set(nodes["soap"]) & set(nodes["rest"])
        owned = {"facilityName", "nodeName", "valid", "ipAddressVersion", "ipAddressV4", "platformFamily",
                 "ownerRoleId", "nodeHostnameInfo", "snmpVersion"}
        assert owned | ({"nodeVariableInfo"} if facility_id != host else set()) <= common
        differing = {k: (nodes["soap"][k], nodes["rest"][k]) for k in common
                     if nodes["soap"][k] != nodes["rest"][k]}
        assert differing == {}, facility_id
    ours = {fid(host, web), fid(host, db), host}  # the daemon is shared: others' containers come and go
    for scope in ("docker_container", "docker_host", f"{host}_scope", "web1"):
        mine = [set(members(reader, scope)) & ours for reader in readers.values()]
        assert mine[0] == mine[1] != set(), scope


@pytest.mark.parametrize("sandbox_version", ["7.1"])
def test_a_token_that_expires_mid_run_costs_one_new_login(sync, sandbox, hosts, make_container, monkeypatch):
    from hinemos_docker.hinemos_rest import RestRepositoryClient
    worker = make_container("worker")
    host = hosts[0]
    ok(sync(ADD, sandbox, host))
    worker.stop(timeout=0)
    read_node = RestRepositoryClient.node
    expired = []

    def node_after_expiry(self, facility_id):
        if not expired:  # between the tree read and the first node read, the token's term ends
            expired.append(facility_id)
            sandbox.expire_tokens()
        return read_node(self, facility_id)

    monkeypatch.setattr(RestRepositoryClient, "node", node_after_expiry)
    sandbox.calls.clear()
    ok(sync(UPDATE, sandbox, host))
    assert expired and sandbox.calls["login"] == 2 and sandbox.calls["logout"] == 1
    node = PlainRest(sandbox.base_url).node(fid(host, worker))
    assert (node["valid"], variables(node)["DOCKER_STATUS"]) == (False, "exited")
