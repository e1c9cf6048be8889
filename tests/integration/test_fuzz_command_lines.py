"""Hypothesis fuzz of every script's command line, past argument parsing: valid option sets whose
values are hostile (URLs with credentials or odd schemes, ports out of range, keys, patterns,
facility IDs, paths, control characters). Whatever the values, a script ends with a documented
code, prints only lines of its own (`<script>: ...`, at most one error) on stderr, never a
traceback, and a monitor's stdout keeps the agent's grammar.

The scripts act on the tests' own second dockerd and an own stand-in manager, never on the shared
daemon: a fuzzed -n '*' of a job must not stop other people's containers. Hosts are loopback
literals, `.invalid` names (which the test resolver refuses locally) or text no resolver would
be asked about, so no DNS query leaves the machine.
HD_FUZZ_EXAMPLES sets the examples per script (default 25). The examples are the same on every
run (derandomized), so that CI's verdict does not depend on luck; HD_FUZZ_RANDOM=1 draws new ones
each run, for exploring by hand.
"""
import os
import re

import docker
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hinemos_docker.launcher import SCRIPTS, command_for
from tests.fixtures.scripts import run_command

EXAMPLES = int(os.environ.get("HD_FUZZ_EXAMPLES", "25"))
RANDOM_EXAMPLES = os.environ.get("HD_FUZZ_RANDOM") == "1"
AGENT_LINE_RE = re.compile(r"^(.+),\s*(-?[0-9.]+)$")
SHARED_DAEMON_PORTS = {2375, 2376}
# codes a script may end with: the documented ones, 128+N for a signal (none is sent here); the
# command job passes on the code of the command it ran (any 0-255)
DOCUMENTED = {0, 1, 9, 126, 127}

printable = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40)
weird = st.sampled_from(["", " ", "-", "--", "*", "**", "a*", "\n", "\t", "%00", "../..", "/", "@", ":",
                         "[", "]", "(", "\\", "日本", "\u2028", "'", '"', "$(id)", "`id`", "; ls", "x" * 600])
hostile = st.one_of(printable, weird)
port_text = st.one_of(st.integers(-5, 70000).filter(lambda p: p not in SHARED_DAEMON_PORTS).map(str),
                      weird, st.sampled_from(["0x50", "1e3", "+80", " 80", "80 "]))
# values no resolver is asked about: each holds a character a host name cannot
unresolvable = weird.filter(lambda v: v == "" or any(c in v for c in " /\t\n@"))
userinfo = st.text("abcXYZ019:%!-_.~", max_size=12)
loopback = st.sampled_from(["127.0.0.1", "127.0.0.9", "[::1]", "::1", "0127.0.0.1", "127.1", "localhost",
                           "no-such-host.invalid"])


@st.composite
def docker_url(draw, daemon):
    choice = draw(st.integers(0, 6))
    if choice == 0:
        return daemon.url
    if choice == 1:
        return f"unix:///nonexistent/{draw(st.text('abc/._-', max_size=10))}.sock"
    if choice == 2:
        scheme = draw(st.sampled_from(["tcp", "http", "https", "ftp", "file", "unix", "TCP", ""]))
        return f"{scheme}://{draw(loopback)}:{draw(port_text)}{draw(st.sampled_from(['', '/', '/x?y#z']))}"
    if choice == 3:
        return f"tcp://{draw(userinfo)}@127.0.0.1:{draw(port_text)}"
    if choice == 4:
        return f"127.0.0.1 {draw(hostile)}"  # a space: refused before any resolver is asked
    if choice == 5:
        return draw(loopback)
    return draw(unresolvable)


@st.composite
def docker_options(draw, daemon):
    argv = ["-i", draw(docker_url(daemon))]
    if draw(st.booleans()) and "://" not in argv[1]:
        argv += ["-p", draw(port_text)]
    if draw(st.booleans()):
        argv += ["--docker-timeout", draw(st.one_of(st.sampled_from(["0", "1", "3"]), weird))]
    if draw(st.booleans()):
        argv.append(draw(st.sampled_from(["--tls", "--tlsverify"])))
        if draw(st.booleans()):
            argv += ["--tlscacert", draw(hostile)]
    return argv


def selection(draw, required):
    if not required and draw(st.booleans()):
        return []
    option = draw(st.sampled_from(["-c", "-n"]))
    return [option, draw(st.one_of(hostile, st.sampled_from(["fz", "fz*", "*", "0*", "fz-run"])))]


def monitor_tail(draw):
    return ["--run-timeout", draw(st.sampled_from(["5", "0", "x", "-1"]))] if draw(st.booleans()) else []


def key(draw, state_dir):
    return ["-k", draw(st.one_of(hostile, st.sampled_from(["fuzz", "a.b@c-d_e"]))), "--state-dir",
            str(state_dir)]


def syslog(draw, required):
    if not required and draw(st.booleans()):
        return []
    argv = ["-s", draw(st.one_of(st.builds(lambda h, p: f"{h}:{p}", loopback, port_text), unresolvable))]
    if draw(st.booleans()):
        argv += ["--syslog-protocol", draw(st.sampled_from(["udp", "tcp", "sctp"]))]
    if draw(st.booleans()):
        argv += ["--syslog-facility", draw(st.one_of(st.sampled_from(["local0", "kern"]), hostile))]
    return argv


def snmp(draw):
    if not draw(st.booleans()):
        return []
    return ["--with-host", "-sp", draw(port_text), "-sc", draw(hostile), "--snmp-timeout", "1",
            "-sv", draw(st.sampled_from(["1", "2c", "3"]))]


def manager(draw, sandbox, tmp_path):
    base = sandbox.base_url
    url = draw(st.one_of(
        st.just(base), st.just(base + "/"), st.builds(lambda s: base + s, hostile),
        st.builds(lambda u: base.replace("http://", f"http://{u}@"), userinfo),
        st.builds(lambda p: f"http://127.0.0.1:{p}/HinemosWS", port_text),
        st.sampled_from(["file:///etc/passwd", "ftp://127.0.0.1/x", "https://127.0.0.1:1/HinemosWS",
                         "http://[::1/x", "127.0.0.1:8080"])))
    argv = ["-m", url, "-f", draw(st.one_of(hostile, st.sampled_from(["fz-host", "_ROOT_"])))]
    if draw(st.booleans()):
        argv += ["--user", draw(hostile)]
    if draw(st.booleans()):
        argv += ["--hinemos-timeout", draw(st.sampled_from(["1", "5", "x"]))]
    if draw(st.booleans()):
        argv += ["--hinemos-cacert", draw(hostile)]
    return argv


def script_argv(name, draw, daemon, sandbox, tmp_path):
    """Options of one script, valid in shape, hostile in value."""
    base = draw(docker_options(daemon))
    if name.startswith("Repository"):
        return base + manager(draw, sandbox, tmp_path)
    if name == "JobDockerContainerCommand":
        programs = st.sampled_from(["echo", "ls", "false", "nosuch", "cat"])
        command = draw(st.one_of(st.builds(lambda c, a: f"{c} {a}", programs, hostile), weird))
        return base + selection(draw, True) + (["--shell"] if draw(st.booleans()) else []) + ["--", command]
    if name == "FileDockerContainerDownload":
        return base + selection(draw, True) + ["--", draw(st.one_of(st.just("/etc/hostname"), hostile)),
                                               str(tmp_path / "dl" / draw(st.text("abc._-", max_size=8)))]
    if name.startswith("Job"):
        argv = base + selection(draw, True)
        if name in ("JobDockerContainerStop", "JobDockerContainerRestart"):
            argv += ["-t", draw(st.sampled_from(["0", "1", "x", "-3"]))]
        if name == "JobDockerContainerRm":
            argv += draw(st.lists(st.sampled_from(["-f", "-l", "-v"]), max_size=3, unique=True))
        return argv
    if name == "MonitorDockerHostStatus":
        return base + monitor_tail(draw) + [draw(st.sampled_from(["--status", "--count", "--size"]))]
    if name == "MonitorDockerHostEvent":
        logfile = ["-f", str(tmp_path / draw(st.sampled_from(["events.log", "dir/x.log", "."])))]
        return base + key(draw, tmp_path) + monitor_tail(draw) + syslog(draw, False) + logfile
    if name == "MonitorDockerContainerStatus":
        return base + selection(draw, False) + monitor_tail(draw) + syslog(draw, True)
    if name == "MonitorDockerContainerProcess":
        argv = base + selection(draw, False) + monitor_tail(draw)
        if draw(st.booleans()):
            argv.append(f"--prog={draw(hostile)}")
        if draw(st.booleans()):
            argv.append(f"--args={draw(hostile)}")
        return argv
    if name == "MonitorDockerContainerResourceMemory":
        return base + selection(draw, False) + monitor_tail(draw) + snmp(draw)
    # the rate monitors: CPU (and its alias), disk, network
    argv = base + selection(draw, False) + key(draw, tmp_path) + monitor_tail(draw)
    if "Cpu" in name or "CPU" in name:
        argv += draw(st.lists(st.sampled_from(["--all", "--core"]), max_size=1)) + snmp(draw)
    elif "Disk" in name:
        argv += draw(st.lists(st.sampled_from(["--read", "--write"]), max_size=2, unique=True))
    else:
        argv += draw(st.lists(st.sampled_from(["--kb", "--pck", "--rx", "--tx"]), max_size=2, unique=True))
    return argv


@st.composite
def command_lines(draw, name, daemon, sandbox, state_dir):
    return script_argv(name, draw, daemon, sandbox, state_dir)


@pytest.fixture(scope="module")
def fuzz_daemon(second_dockerd, testbed):
    """The second dockerd with a few containers of our own to select, act on and read."""
    second_dockerd.ensure_running()
    client = docker.DockerClient(base_url=second_dockerd.url)
    made = [client.containers.run(testbed.image, "sleep 3600", name=f"fz-run-{i}", detach=True,
                                  network_mode="none") for i in range(2)]
    made.append(client.containers.create(testbed.image, "true", name="fz-created", network_mode="none"))
    yield second_dockerd
    for container in client.containers.list(all=True):
        if container.name.startswith("fz"):
            container.remove(force=True)
    client.close()


@pytest.fixture(scope="module")
def fuzz_sandbox(tmp_path_factory):
    from hinemos_docker.sandbox import start
    sandbox = start(port=0, data=tmp_path_factory.mktemp("fuzz-sandbox") / "repository.json")
    yield sandbox
    sandbox.stop()


def check(name, argv, result):
    prog = f"{name}.py"
    context = f"{prog} {argv!r}: {result!r}"
    assert result.code in DOCUMENTED or name == "JobDockerContainerCommand", context
    assert 0 <= result.code <= 255, context
    assert "Traceback" not in result.err and "unexpected error" not in result.err, context
    lines = result.err.splitlines()
    assert all(line.startswith(f"{prog}: ") for line in lines), context
    assert len([line for line in lines if not line.startswith(f"{prog}: warning: ")]) <= 1, context
    if name.startswith("Monitor") and name != "MonitorDockerHostEvent" and result.code == 0:
        assert all(AGENT_LINE_RE.match(line) for line in result.out.splitlines()), context


@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_hostile_values_past_parsing_end_cleanly(name, fuzz_daemon, fuzz_sandbox, tmp_path_factory):
    command = command_for(name)
    state_dir = tmp_path_factory.mktemp(f"fuzz-{name}")

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=not RANDOM_EXAMPLES,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(command_lines(name, fuzz_daemon, fuzz_sandbox, state_dir))
    def fuzz(argv):
        assert not any(f":{port}" in a for a in argv for port in SHARED_DAEMON_PORTS if "127.0.0.1" in a)
        check(name, argv, run_command(command, *argv))

    fuzz()
