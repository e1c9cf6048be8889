"""MonitorDockerContainerResourceDisk.py and ...Network.py against the real daemon: the keys of every
option combination in API order, traffic between an httpd container and a wget loop, zero disk I/O
(block accounting is empty on these machines), the 512-byte warning, and containers that vanish
between listing and stats."""
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import pytest

from hinemos_docker.commands import rates
from hinemos_docker.commands.disk import COMMAND as DISK
from hinemos_docker.commands.network import COMMAND as NETWORK
from hinemos_docker.docker_endpoint import resolve_endpoint
from hinemos_docker.docker_engine import DockerEngine
from hinemos_docker.output import AGENT_LINE_RE
from tests.fixtures.docker import TEST_LABEL

IDLE_CONTAINERS = 5
# a 64 KiB page fetched five times a second: steady traffic that leaves the CPUs to other tests
SERVE = "sh -c 'dd if=/dev/zero of=/var/www/blob bs=1k count=64 2>/dev/null; exec httpd -f -p 80 -h /var/www'"
FETCH = "sh -c 'while :; do wget -q -O /dev/null http://{ip}/blob; sleep 0.2; done'"


@pytest.fixture(scope="module")
def hosts(docker_client, testbed, tmp_path_factory):
    """httpd (<prefix>web), a wget loop against it (<prefix>client) and idle containers, with a
    state directory shared by this module's runs (so only the first run samples twice)."""
    prefix = f"hdt{uuid.uuid4().hex[:8]}-"
    made = []

    def run(suffix, command):
        made.append(docker_client.containers.run(testbed.image, command, name=f"{prefix}{suffix}",
                                                 labels={TEST_LABEL: "disk_network"}, detach=True))
        made[-1].reload()
        return made[-1]
    try:
        web = run("web", SERVE)
        client = run("client", FETCH.format(ip=web.attrs["NetworkSettings"]["IPAddress"]))
        for number in range(IDLE_CONTAINERS):
            run(f"idle{number}", "sleep 3600")
        # the daemon's own order (newest first) is the order of the output
        ids = [c["Id"] for c in docker_client.api.containers(filters={"name": prefix})]
        yield SimpleNamespace(prefix=prefix, web=web, client=client, ids=ids,
                              state_dir=tmp_path_factory.mktemp("rates-state"))
    finally:
        for container in made:
            container.remove(force=True)


def values(result):
    """{key: float} of a successful run whose every line passes the agent's rule."""
    assert result.code == 0, result.err
    assert all(AGENT_LINE_RE.match(line) for line in result.lines), result.out
    assert all(len(line.rsplit(".", 1)[1]) == 2 for line in result.lines), result.out
    return {key: float(value) for key, value in (line.rsplit(",", 1) for line in result.lines)}


def run_monitor(run_script, command, hosts, *argv):
    return run_script(command, "-k", command.prog.split(".")[0], "--state-dir", hosts.state_dir,
                      "-n", f"{hosts.prefix}*", *argv)


def expected_keys(hosts, prefixes):
    return [f"{prefix}:{cid[:8]}" for cid in hosts.ids for prefix in prefixes]


def test_network_traffic_is_seen_on_both_ends(run_script, hosts):
    for _ in range(2):  # a first run samples twice itself, the next one uses the state file
        got = values(run_monitor(run_script, NETWORK, hosts))
        assert list(got) == expected_keys(hosts, ["nw_rxkb", "nw_txkb"])
        assert got[f"nw_txkb:{hosts.web.id[:8]}"] > 50_000  # bytes per second, despite "kb"
        assert got[f"nw_rxkb:{hosts.client.id[:8]}"] > 50_000


@pytest.mark.parametrize("argv, prefixes", [
    (["--pck"], ["nw_rxpck", "nw_txpck"]),
    (["--rx"], ["nw_rxkb"]),
    (["--tx", "--pck"], ["nw_txpck"]),
    (["--tx", "--rx", "--kb"], ["nw_rxkb", "nw_txkb"]),  # the manual's order of options, rx first
    (["--tx", "--rx", "--pck"], ["nw_rxpck", "nw_txpck"]),
])
def test_network_options_choose_the_keys(run_script, hosts, argv, prefixes):
    result = run_monitor(run_script, NETWORK, hosts, *argv)
    got = values(result)
    assert list(got) == expected_keys(hosts, prefixes)
    assert result.err == ""
    if "nw_txpck" in prefixes:
        assert got[f"nw_txpck:{hosts.web.id[:8]}"] > 5


def test_both_kinds_exceed_what_hinemos_reads_and_warn(run_script, hosts):
    result = run_monitor(run_script, NETWORK, hosts, "--kb", "--pck")
    got = values(result)
    assert list(got) == expected_keys(hosts, ["nw_rxkb", "nw_txkb", "nw_rxpck", "nw_txpck"])
    assert len(result.out.encode()) > 512
    assert "monitor.custom.buffer to at least" in result.err and "-c #[NODE_NAME]" in result.err


@pytest.mark.parametrize("argv, prefixes", [
    ([], ["disk_read", "disk_write"]),
    (["--read"], ["disk_read"]),
    (["--write"], ["disk_write"]),
    (["--read", "--write"], ["disk_read", "disk_write"]),
])
def test_disk_options_choose_the_keys_and_idle_containers_read_zero(run_script, hosts, argv, prefixes):
    got = values(run_monitor(run_script, DISK, hosts, *argv))
    assert list(got) == expected_keys(hosts, prefixes)
    idle = [cid[:8] for cid in hosts.ids if cid not in (hosts.web.id, hosts.client.id)]
    assert all(value == 0 for key, value in got.items() if key.split(":")[1] in idle)
    assert all(value >= 0 for value in got.values())


def test_containers_gone_between_listing_and_stats_are_skipped(hosts, make_container, docker_client):
    stopped = make_container("stopped", state="exited")
    listed = {c["Id"]: c for c in docker_client.api.containers(all=True, filters={"name": stopped.name})}
    removed = {"Id": "f" * 64, "Names": ["/removed-meanwhile"], "Status": "Up 2 hours"}
    chosen = [removed, listed[stopped.id], {"Id": hosts.web.id, "Names": [f"/{hosts.web.name}"],
                                            "Status": "Up 2 hours"}]
    engine = DockerEngine(resolve_endpoint("unix:///var/run/docker.sock"))
    intervals = rates.measure(engine, chosen, previous={}, listed_at=time.monotonic())
    assert [interval.container_id for interval in intervals] == [hosts.web.id]


@pytest.mark.parametrize("command", [DISK, NETWORK], ids=lambda c: c.prog)
@pytest.mark.parametrize("argv, words", [
    ([], "-k"),
    (["-k", "../x"], "KEY_ID"),
    (["-k", "k", "-n", f"no-such-{uuid.uuid4().hex}"], "no such container"),
], ids=["no-key", "bad-key", "unknown-container"])
def test_bad_input_is_one_line_and_exit_1(run_script, tmp_path, command, argv, words):
    result = run_script(command, "--state-dir", tmp_path, *argv)
    assert (result.code, result.out) == (1, ""), result.err
    assert len(result.err.splitlines()) == 1, result.err
    assert result.err.startswith(f"{command.prog}: ") and words in result.err, result.err


def test_container_removed_while_its_stats_wait_for_a_tick_is_skipped(hosts, docker_client, testbed):
    """The daemon then answers 200 with an empty body. A stream on another container keeps the
    daemon's collector ticking, so a new one-shot request waits up to a second for its answer."""
    import docker
    streamer = docker.APIClient(base_url=testbed.docker_url_unix)
    engine = DockerEngine(resolve_endpoint(testbed.docker_url_unix))
    try:
        next(streamer.stats(hosts.web.id, stream=True, decode=True))
        with ThreadPoolExecutor(max_workers=1) as pool:
            for _ in range(5):  # the tick may come before the removal: then try again
                victim = docker_client.containers.run(testbed.image, "sleep 3600", detach=True,
                                                      labels={TEST_LABEL: "disk_network"})
                entry = {"Id": victim.id, "Names": ["/victim"], "Status": "Up 2 hours"}
                waiting = pool.submit(rates.measure, engine, [entry], {}, time.monotonic())
                time.sleep(0.1)
                victim.remove(force=True)
                if waiting.result() == []:
                    break
            else:
                pytest.fail("every stats answer came before the container was removed")
    finally:
        streamer.close()
