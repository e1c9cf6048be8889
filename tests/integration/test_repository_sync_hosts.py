"""RepositoryDockerNodeSync.py (the cron wrapper's one run for many hosts) against the real dockerd
and the stand-in, over SOAP and REST: the same messages as the three scripts run host after host,
one facility tree read, parallel full-node reads (bounded by --manager-reads), and a failing host
or manager reported step by step while the other hosts are still synced.

The daemon is shared: each test has its own stand-in, host facility IDs and containers, and looks
only at lines and nodes of its own prefix.
"""
import re
import threading
import time

import pytest

from hinemos_docker.commands.repository_sync import ADD, DELETE, SYNC, UPDATE
from tests.fixtures.ports import refusing_port
from tests.fixtures.sandbox import read_back
from tests.fixtures.sync import DOCKER_TCP, DOCKER_UNIX, by_hand, fid, members, variables

both_apis = pytest.mark.parametrize("sandbox_version", ["6.2", "7.1"])
STEP_LINES = ("Started.", "Completed.", "Creating scopes.", "Deleting Docker container nodes.",
              "Updating Docker container nodes.")
FULL_READS = ("getNode", "getNodeFull")
TEST_PREFIX = re.compile(r"hdt[0-9a-f]{8}-")  # tests.fixtures.docker.unique_prefix


@pytest.fixture
def sync_hosts(run_script, monkeypatch):
    """sync_hosts(sandbox, [(docker target, host facility ID)...], *more args) -> ScriptResult."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG", "HINEMOS_USER", "HINEMOS_PASSWORD", "DOCKER_HOST"):
        monkeypatch.delenv(name, raising=False)

    def run(sandbox, hosts, *args):
        entries = [word for target, host in hosts for word in ("--host", f"{target} {host}")]
        return run_script(SYNC, *entries, "-m", sandbox.base_url, *args)
    return run


def ours(lines, prefix):
    """The lines a test may compare on a shared daemon: the step lines and those naming only its
    own facilities (not the container list, whose "Up N seconds" moves on between runs)."""
    def own(line):
        prefixes = set(TEST_PREFIX.findall(line))
        return prefixes == {prefix} and not line.startswith("Id:")
    return [line for line in lines if line in STEP_LINES or own(line)]


def full_reads(sandbox):
    return sum(sandbox.calls[op] for op in FULL_READS)


@both_apis
def test_one_run_prints_what_the_scripts_print_host_after_host_and_reads_the_tree_once(
        sync_hosts, run_script, make_sandbox, sandbox_version, hosts, make_container, unique_prefix):
    one_run, by_scripts = make_sandbox(version=sandbox_version), make_sandbox(version=sandbox_version)
    for sandbox in (one_run, by_scripts):
        read_back(sandbox).add_scope("", f"{unique_prefix}web", "web")
    make_container("web", labels={"hinemosAssignScopeId": f"{unique_prefix}web"})
    db = make_container("db")
    gone = make_container("gone")
    targets = list(zip(("127.0.0.1:2375", "unix:///var/run/docker.sock"), hosts))

    def scripts_run(sandbox):
        lines = []
        for (_, host), docker in zip(targets, (DOCKER_TCP, DOCKER_UNIX)):
            for command in (ADD, DELETE, UPDATE):
                result = run_script(command, *docker, "-m", sandbox.base_url, "-f", host)
                assert (result.code, result.err) == (0, "")
                lines += result.lines
        return lines

    first = sync_hosts(one_run, targets)
    assert (first.code, first.err) == (0, "")
    assert ours(first.lines, unique_prefix) == ours(scripts_run(by_scripts), unique_prefix)
    assert one_run.calls["getFacilityTree"] == 1
    assert ours(first.lines, unique_prefix).count("Completed.") == 6

    # a changed world: one stopped, one removed; the same plans as the scripts would make
    db.stop(timeout=0)
    gone.remove(force=True)
    one_run.calls.clear()
    second = sync_hosts(one_run, targets)
    assert (second.code, second.err) == (0, "")
    assert ours(second.lines, unique_prefix) == ours(scripts_run(by_scripts), unique_prefix)
    assert one_run.calls["getFacilityTree"] == 1 and one_run.calls["deleteNode"] == 2
    client = read_back(one_run)
    for host in hosts:
        assert variables(client.node(fid(host, db)))["DOCKER_STATUS"] == "exited"
        assert client.is_node(fid(host, gone)) is None
        assert fid(host, db) in members(client, f"{host}_scope")

    # nothing changed (for this test's containers: others come and go on the shared daemon)
    one_run.calls.clear()
    steady = sync_hosts(one_run, targets)
    assert (steady.code, steady.err) == (0, "")
    assert ours(steady.lines, unique_prefix) == ours(scripts_run(by_scripts), unique_prefix)
    assert not [line for line in ours(steady.lines, unique_prefix)
                if line.startswith(f"Creating {unique_prefix}") or line == "Deleting."]
    assert one_run.calls["getFacilityTree"] == 1


@both_apis
def test_full_node_reads_are_parallel_up_to_the_option(sync_hosts, make_sandbox, sandbox_version, hosts):
    """Nodes of the host's prefix whose container is gone are read in full (Delete checks their
    DOCKER_HOST): 24 of them, each answer 100 ms late, at most --manager-reads at once."""
    sandbox = make_sandbox(version=sandbox_version, latency_ms=100)
    client = read_back(sandbox)
    host = hosts[0]
    foreign = [{"nodeVariableName": "DOCKER_HOST", "nodeVariableValue": "another_host"}]
    for index in range(24):
        client.add_node(by_hand(client, f"{host}-byhand{index}", nodeVariableInfo=foreign))
    sandbox.calls.clear()
    result = sync_hosts(sandbox, [("127.0.0.1:2375", host)], "--manager-reads", "6")
    assert (result.code, result.err) == (0, "")
    assert full_reads(sandbox) >= 24 and sandbox.in_flight_peak == 6
    for index in range(24):
        assert client.node(f"{host}-byhand{index}") is not None  # another host's: never deleted


def test_the_bound_on_full_node_reads_holds_across_hosts(sync_hosts, make_sandbox, hosts):
    """Two hosts' reads are queued together (the next host's while one is applied): still at most
    --manager-reads reads in flight, beside the one call at a time of the host being applied, and
    every host's nodes are read."""
    sandbox = make_sandbox(latency_ms=100)
    client = read_back(sandbox)
    foreign = [{"nodeVariableName": "DOCKER_HOST", "nodeVariableValue": "another_host"}]
    for host in hosts:
        for index in range(8):
            client.add_node(by_hand(client, f"{host}-byhand{index}", nodeVariableInfo=foreign))
    sandbox.calls.clear()
    result = sync_hosts(sandbox, [("127.0.0.1:2375", host) for host in hosts], "--manager-reads", "3")
    assert (result.code, result.err) == (0, "")
    assert full_reads(sandbox) >= 16 and 3 <= sandbox.in_flight_peak <= 3 + 1


def test_rest_token_expiring_mid_run_is_renewed_once_for_all_readers(sync_hosts, make_sandbox, hosts):
    sandbox = make_sandbox(version="7.1", latency_ms=50)
    client = read_back(sandbox)
    host = hosts[0]
    foreign = [{"nodeVariableName": "DOCKER_HOST", "nodeVariableValue": "another_host"}]
    for index in range(40):
        client.add_node(by_hand(client, f"{host}-byhand{index}", nodeVariableInfo=foreign))
    sandbox.calls.clear()

    def expire_during_reads():
        deadline = time.monotonic() + 60
        while sandbox.calls["getNodeFull"] < 8 and time.monotonic() < deadline:
            time.sleep(0.005)
        sandbox.expire_tokens()
    expirer = threading.Thread(target=expire_during_reads)
    expirer.start()
    result = sync_hosts(sandbox, [("127.0.0.1:2375", host)], "--manager-reads", "8")
    expirer.join()
    assert (result.code, result.err) == (0, "")
    assert sandbox.calls["login"] == 2  # the run's login, and one renewal shared by the 8 readers
    assert sandbox.calls["getNodeFull"] >= 40 + 1  # the ones refused with the old token were retried


@both_apis
def test_a_failing_host_fails_its_three_steps_and_the_others_are_synced(
        sync_hosts, make_sandbox, sandbox_version, hosts, make_container):
    sandbox = make_sandbox(version=sandbox_version)
    box = make_container("box")
    bad, good = hosts
    with refusing_port() as port:
        unreachable = f"tcp://127.0.0.1:{port}"
        result = sync_hosts(sandbox, [(unreachable, bad), ("127.0.0.1", good)])
    assert result.code == 1
    errors = result.err.splitlines()
    scripts = ("RepositoryDockerNodeAdd.py", "RepositoryDockerNodeDelete.py", "RepositoryDockerNodeUpdate.py")
    assert [line for line in errors if line.startswith("RepositoryDockerNode.sh: ")] == [
        f"RepositoryDockerNode.sh: {script} -i {unreachable} -f {bad} failed (exit 1)" for script in scripts]
    own_lines = [line for line in errors if not line.startswith("RepositoryDockerNode.sh: ")]
    assert [line.split(":")[0] for line in own_lines] == list(scripts)
    assert all(f"127.0.0.1:{port}" in line for line in errors)
    # the bad host's three steps first (each stopped after its prologue), then the good host's
    assert result.lines.count("Started.") == 6 and result.lines.count("Completed.") == 3
    assert result.lines.index("Creating scopes.") > result.lines.index("Started.", 1 + 2 * 4)
    assert f"Creating {fid(good, box)}." in result.lines
    assert fid(good, box) in members(read_back(sandbox), "docker_container")


def test_an_unreachable_manager_fails_every_step(sync_hosts, hosts):
    with refusing_port() as port:
        url = f"http://127.0.0.1:{port}/HinemosWS"
        result = sync_hosts(type("Manager", (), {"base_url": url}), [("127.0.0.1", h) for h in hosts])
    assert result.code == 1
    failed = [line for line in result.err.splitlines() if line.startswith("RepositoryDockerNode.sh: ")]
    assert len(failed) == 6 and all(f"-f {hosts[0]} " in line for line in failed[:3])
    assert result.lines == ["Started.", "Logging in to the Hinemos manager."] * 6


def test_bad_host_entries_and_counts_are_usage_errors(run_script):
    assert run_script(SYNC, "--host", "127.0.0.1").code == 1
    assert run_script(SYNC).code == 1
    result = run_script(SYNC, "--host", "127.0.0.1 h1", "--manager-reads", "0")
    assert result.code == 1 and "calls in flight '0'" in result.err
