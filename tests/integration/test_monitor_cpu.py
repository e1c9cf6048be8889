"""MonitorDockerContainerResourceCpu.py against the real daemon: a busy loop reads near one core and
an idle container near zero, per-core values add up to the total, the -k state file is used,
guarded and kept private, and every bad input is one line with exit 1."""
import json
import os
import threading
import time
import uuid
from types import SimpleNamespace

import pytest

from hinemos_docker import daemon_time
from hinemos_docker.commands.cpu import ALIAS_COMMAND, COMMAND
from hinemos_docker.output import AGENT_LINE_RE
from tests.fixtures.docker import TEST_LABEL

BUSY_LOOP = "sh -c 'while :; do :; done'"
KEY = "cpu"


def values(result):
    """{key: value text} of a successful run whose every line passes the agent's rule."""
    assert result.code == 0, result.err
    assert all(AGENT_LINE_RE.match(line) for line in result.lines), result.out
    return dict(line.rsplit(",", 1) for line in result.lines)


def kept_samples(state_dir):
    path = state_dir / f"{KEY}.txt"
    return json.loads(path.read_text())["data"]["containers"]


def wait_up(container, seconds):
    """Until the container has run `seconds`, so that its Status ("Up N seconds") cannot leave any
    doubt that it was up when the previous sample was read."""
    started_ns = daemon_time.rfc3339_ns(container.attrs["State"]["StartedAt"])
    remaining = seconds - (time.time_ns() - started_ns) / 1e9
    if remaining > 0:
        time.sleep(remaining)


@pytest.fixture(scope="module")
def pair(docker_client, testbed):
    """A busy-loop and an idle container shared by this module's tests (names <prefix>busy/idle)."""
    prefix = f"hdt{uuid.uuid4().hex[:8]}-"
    made = []
    try:
        for suffix, command in (("busy", BUSY_LOOP), ("idle", "sleep 3600")):
            made.append(docker_client.containers.run(testbed.image, command, name=f"{prefix}{suffix}",
                                                     labels={TEST_LABEL: "test_monitor_cpu"}, detach=True))
        for container in made:
            container.reload()
        yield SimpleNamespace(prefix=prefix, busy=made[0], idle=made[1])
    finally:
        for container in made:
            container.remove(force=True)


def run_cpu(run_script, pair, state_dir, *argv, command=COMMAND):
    return run_script(command, "-k", KEY, "--state-dir", state_dir, "-n", f"{pair.prefix}*", *argv)


def test_first_run_prints_busy_near_100_and_idle_near_0(run_script, pair, tmp_path):
    result = run_cpu(run_script, pair, tmp_path)
    got = values(result)
    # API order: newest first
    assert list(got) == [f"cpu_usage:{pair.prefix}idle", f"cpu_usage:{pair.prefix}busy"]
    assert float(got[f"cpu_usage:{pair.prefix}busy"]) > 50  # 2 cores shared with other tests
    assert float(got[f"cpu_usage:{pair.prefix}idle"]) < 5
    assert all(len(value.split(".")[1]) == 2 for value in got.values())
    assert set(kept_samples(tmp_path)) == {pair.busy.id, pair.idle.id}  # keyed by full ID
    assert os.stat(tmp_path / f"{KEY}.txt").st_mode & 0o777 == 0o600


def test_second_run_computes_from_the_state_file(run_script, pair, tmp_path):
    wait_up(pair.busy, 3)
    values(run_cpu(run_script, pair, tmp_path, "--all"))
    # make the kept busy sample unmistakable: zero CPU so far (no counter goes back)
    path = tmp_path / f"{KEY}.txt"
    state = json.loads(path.read_text())
    previous = state["data"]["containers"][pair.busy.id]
    previous.update(cpu_total=0, percpu=[0] * len(previous["percpu"]))
    path.write_text(json.dumps(state))

    got = values(run_cpu(run_script, pair, tmp_path, "--all"))
    now = kept_samples(tmp_path)[pair.busy.id]
    expected = 100 * now["cpu_total"] / (now["read_ns"] - previous["read_ns"])
    # an in-run pair of samples could never give this (it exceeds what 2 cores can do in 1 s)
    assert got[f"cpu_usage:{pair.prefix}busy"] == f"{expected:.2f}"


def test_a_status_too_coarse_to_tell_is_settled_by_the_start_time(run_script, make_container, tmp_path):
    """The kept sample was read 0.1 s after the start, and the run lists the container at about
    2.5 s of uptime: "Up 2 seconds" (2-3 s) can neither vouch for a sample 2.4 s old nor rule it
    out. The start time settles it: the run computes from the kept sample, no second sample. The
    container idles 1.5 s before it spins, so the long interval's value (about half a core) is
    unlike the last second's (a whole core)."""
    busy = make_container("busy", "sh -c 'sleep 1.5; while :; do :; done'")
    started_ns = daemon_time.rfc3339_ns(busy.attrs["State"]["StartedAt"])
    name = busy.name
    values(run_script(COMMAND, "-k", KEY, "--state-dir", tmp_path, "-n", name))
    path = tmp_path / f"{KEY}.txt"
    state = json.loads(path.read_text())
    previous = state["data"]["containers"][busy.id]
    previous.update(read_ns=started_ns + 100_000_000, cpu_total=0, percpu=[0] * len(previous["percpu"]),
                    disk_read=0, disk_write=0, rx_bytes=0, tx_bytes=0, rx_packets=0, tx_packets=0)
    path.write_text(json.dumps(state))
    uptime = (time.time_ns() - started_ns) / 1e9
    time.sleep(max(2, int(uptime) + 1) + 0.45 - uptime)

    got = values(run_script(COMMAND, "-k", KEY, "--state-dir", tmp_path, "-n", name))
    now = kept_samples(tmp_path)[busy.id]
    expected = 100 * now["cpu_total"] / (now["read_ns"] - previous["read_ns"])
    assert got[f"cpu_usage:{name}"] == f"{expected:.2f}"


def _concurrently(*calls):
    results = [None] * len(calls)

    def call(index):
        results[index] = calls[index]()
    threads = [threading.Thread(target=call, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_core_values_add_up_to_the_all_value(run_script, pair, tmp_path):
    """Both modes over the same pair of samples: the same previous sample (a copy of one state
    file) and runs at the same time, which the daemon answers from the same collector tick (so
    over the API: the cgroup files would give each run its own moment)."""
    wait_up(pair.busy, 3)
    all_dir, core_dir = tmp_path / "all", tmp_path / "core"
    all_dir.mkdir()
    core_dir.mkdir()
    values(run_cpu(run_script, pair, all_dir))
    for _ in range(5):
        (core_dir / f"{KEY}.txt").write_bytes((all_dir / f"{KEY}.txt").read_bytes())
        total, cores = _concurrently(lambda: run_cpu(run_script, pair, all_dir, "--all", "--from-api"),
                                     lambda: run_cpu(run_script, pair, core_dir, "--core", "--from-api"))
        if kept_samples(all_dir) == kept_samples(core_dir):
            break
    else:
        pytest.fail("the two runs never shared a stats tick")
    total, cores = values(total), values(cores)
    for name in ("busy", "idle"):
        per_core = [float(v) for k, v in cores.items() if k.endswith(f":{pair.prefix}{name}")]
        assert len(per_core) == os.cpu_count()  # this daemon runs on this machine
        assert [k for k in cores if k.endswith(f":{pair.prefix}{name}")] == [
            f"cpu_usage#{core}:{pair.prefix}{name}" for core in range(len(per_core))]
        # each printed value is rounded to 0.005
        assert sum(per_core) == pytest.approx(float(total[f"cpu_usage:{pair.prefix}{name}"]),
                                              abs=0.005 * (len(per_core) + 1))


def test_with_host_prints_host_shares_and_the_host_line(run_script, pair, tmp_path, testbed):
    argv = ["-k", KEY, "--state-dir", tmp_path, "--with-host", "-i", "127.0.0.1",
            "-sv", "2c", "-sp", testbed.snmp_port, "-sc", testbed.snmp_community]
    for _ in range(2):  # a first run waits for snmpd's counters, a second uses the state file
        result = run_script(COMMAND, *argv)
        got = values(result)
        assert list(got)[-1] == "cpu_usage:host"
        assert 0 <= float(got["cpu_usage:host"]) <= 100
        # every running container of the daemon is listed; ours divided by the 2 online CPUs
        assert float(got[f"cpu_usage:{pair.prefix}busy"]) > 25
        assert float(got[f"cpu_usage:{pair.prefix}idle"]) < 5
    assert set(json.loads((tmp_path / f"{KEY}.txt").read_text())["data"]["host_cpu"]) == {
        "user", "nice", "system", "idle", "wait"}


def test_with_host_and_a_wrong_community_is_one_line(run_script, tmp_path, testbed):
    result = run_script(COMMAND, "-k", KEY, "--state-dir", tmp_path, "--with-host", "-i", "127.0.0.1",
                        "-sv", "2c", "-sp", testbed.snmp_port, "-sc", "wrong", "--snmp-timeout", "1")
    assert (result.code, result.out) == (1, "")
    assert len(result.err.splitlines()) == 1 and "SNMP" in result.err, result.err
    assert not (tmp_path / f"{KEY}.txt").exists()  # nothing kept from a failed run


def test_corrupt_state_file_warns_and_still_prints(run_script, pair, tmp_path):
    (tmp_path / f"{KEY}.txt").write_text("{not json")
    result = run_cpu(run_script, pair, tmp_path)
    assert len(values(result)) == 2
    assert "is not usable" in result.err and "starting afresh" in result.err
    assert set(kept_samples(tmp_path)) == {pair.busy.id, pair.idle.id}


def test_symlinked_state_file_is_refused(run_script, pair, tmp_path):
    target = tmp_path / "elsewhere"
    target.write_text("{}")
    (tmp_path / f"{KEY}.txt").symlink_to(target)
    result = run_cpu(run_script, pair, tmp_path)
    assert (result.code, result.out) == (1, "")
    assert len(result.err.splitlines()) == 1 and "symbolic link" in result.err, result.err
    assert target.read_text() == "{}"


def test_stopped_container_named_exactly_prints_nothing(run_script, make_container, tmp_path):
    stopped = make_container("stopped", state="exited")
    result = run_script(COMMAND, "-k", KEY, "--state-dir", tmp_path, "-n", stopped.name)
    assert (result.code, result.out, result.err) == (0, "", "")


@pytest.mark.parametrize("argv, words", [
    ([], "-k"),
    (["-k", "a/b"], "KEY_ID"),
    (["-k", KEY, "--all", "--core"], "--core"),
    (["-k", KEY, "--with-host", "-c", "abc"], "--with-host"),
    (["-k", KEY, "--with-host", "-n", "abc*"], "--with-host"),
    (["-k", KEY, "--with-host", "--core"], "--with-host"),
    (["-k", KEY, "-c", "abc", "-n", "abc"], "-c"),
    (["-k", KEY, "-n", f"no-such-{uuid.uuid4().hex}"], "no such container"),
], ids=["no-key", "bad-key", "all-and-core", "host-and-c", "host-and-n", "host-and-core", "c-and-n",
        "unknown-container"])
def test_bad_input_is_one_line_and_exit_1(run_script, tmp_path, argv, words):
    for command in (COMMAND, ALIAS_COMMAND):
        result = run_script(command, "--state-dir", tmp_path, *argv)
        assert (result.code, result.out) == (1, ""), result.err
        assert len(result.err.splitlines()) == 1, result.err
        assert result.err.startswith(f"{command.prog}: ") and words in result.err, result.err
