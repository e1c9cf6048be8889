"""JobDockerContainerStart/Stop/Restart/Rm.py against the real daemon: wildcard selection over
containers in mixed states, the exact lines and exit codes, and after each run the daemon's own
view of every container."""
import time

import docker.errors
import pytest

from hinemos_docker.commands.jobs import RESTART_COMMAND, RM_COMMAND, START_COMMAND, STOP_COMMAND

IGNORES_TERM = "sleep 3600"  # PID 1 without a handler ignores SIGTERM: stop must wait, then kill
ENDS_ON_TERM = ["sh", "-c", 'trap "exit 0" TERM; while :; do sleep 0.2; done']


@pytest.fixture
def job(run_script, testbed):
    """job(COMMAND, *argv) against the test bed's daemon."""
    return lambda command, *argv: run_script(command, "-i", testbed.docker_url_unix, *argv)


def daemon_state(docker_client, container):
    """The daemon's own State.Status of the container, or 'gone'."""
    try:
        return docker_client.api.inspect_container(container.id)["State"]["Status"]
    except docker.errors.NotFound:
        return "gone"


def line(container, outcome):
    return f"{container.id[:12]} {container.name} {outcome}"


# ---- start ----------------------------------------------------------------------------------

def test_start_acts_on_exited_skips_others_and_reports_a_failure(job, make_container, unique_prefix,
                                                                 docker_client):
    exited = make_container("a", state="exited")
    created = make_container("b", state="created")
    running = make_container("c")
    paused = make_container("d", state="paused")
    broken = make_container("e", command="nosuchcmd", state="created")
    result = job(START_COMMAND, "-n", f"{unique_prefix}*")
    assert result.code == 9, result.err
    # API order: newest first
    assert result.lines[0].startswith(line(broken, "Failed: "))
    assert "executable file not found" in result.lines[0]
    assert result.lines[1:] == [line(paused, "Skip (paused)"), line(running, "Skip (running)"),
                                line(created, "Success"), line(exited, "Success")]
    assert result.err == ""
    states = {c.name: daemon_state(docker_client, c) for c in (exited, created, running, paused, broken)}
    assert states == {exited.name: "running", created.name: "running", running.name: "running",
                      paused.name: "paused", broken.name: "created"}


def test_start_exits_0_when_nothing_failed(job, make_container, unique_prefix, docker_client):
    exited = make_container("a", state="exited")
    running = make_container("b")
    result = job(START_COMMAND, "-n", f"{unique_prefix}*")
    assert (result.code, result.lines) == (0, [line(running, "Skip (running)"), line(exited, "Success")])
    assert daemon_state(docker_client, exited) == "running"


def test_start_by_short_id(job, make_container, docker_client):
    exited = make_container("a", state="exited")
    result = job(START_COMMAND, "-c", exited.id[:12])
    assert (result.code, result.lines) == (0, [line(exited, "Success")])
    assert daemon_state(docker_client, exited) == "running"


# ---- stop -----------------------------------------------------------------------------------

def test_stop_acts_on_running_skips_others_and_reports_a_vanished_container(
        job, make_container, unique_prefix, docker_client, tmp_path):
    running = make_container("a", command=ENDS_ON_TERM)
    exited = make_container("b", state="exited")
    paused = make_container("c", state="paused")
    # A real stop failure: `vanishing` is listed running, but stopping `signaller` (newer, so acted
    # on first) makes it end and auto-remove itself, so its own stop finds no container.
    shared = {str(tmp_path): {"bind": "/v"}}
    vanishing = make_container("d", command=["sh", "-c", "while [ ! -e /v/stop ]; do sleep 0.1; done"],
                               auto_remove=True, volumes=shared)
    signaller = make_container("e", command=["sh", "-c", 'trap "mkdir /v/stop; sleep 1; exit 0" TERM; '
                                             "while :; do sleep 0.2; done"], volumes=shared)
    result = job(STOP_COMMAND, "-t", "10", "-n", f"{unique_prefix}*")
    assert result.code == 9, result.err
    assert result.lines == [line(signaller, "Success"),
                            line(vanishing, f"Failed: No such container: {vanishing.id}"),
                            line(paused, "Skip (paused)"), line(exited, "Skip (exited)"),
                            line(running, "Success")]
    states = {c.name: daemon_state(docker_client, c) for c in (running, exited, paused, vanishing, signaller)}
    assert states == {running.name: "exited", exited.name: "exited", paused.name: "paused",
                      vanishing.name: "gone", signaller.name: "exited"}
    # both ended on SIGTERM, within the wait: exit code 0, not 137 (killed)
    assert docker_client.api.inspect_container(running.id)["State"]["ExitCode"] == 0
    assert docker_client.api.inspect_container(signaller.id)["State"]["ExitCode"] == 0


def test_stop_waits_wait_seconds_for_a_container_that_ignores_sigterm(job, make_container, docker_client):
    stubborn = make_container("a", command=["sh", "-c", 'trap "" TERM; while :; do sleep 1; done'])
    started = time.monotonic()
    result = job(STOP_COMMAND, "-t", "2", "-n", stubborn.name)
    elapsed = time.monotonic() - started
    assert (result.code, result.lines) == (0, [line(stubborn, "Success")])
    state = docker_client.api.inspect_container(stubborn.id)["State"]
    # it ignored SIGTERM, so Docker waited -t seconds and killed it
    assert (state["Status"], state["ExitCode"]) == ("exited", 137)
    assert elapsed >= 2


def test_stop_wait_0_kills_at_once(job, make_container, docker_client):
    stubborn = make_container("a", command=IGNORES_TERM)
    result = job(STOP_COMMAND, "--wait", "0", "-n", stubborn.name)
    assert (result.code, result.lines) == (0, [line(stubborn, "Success")])
    state = docker_client.api.inspect_container(stubborn.id)["State"]
    assert (state["Status"], state["ExitCode"]) == ("exited", 137)


# ---- restart --------------------------------------------------------------------------------

def test_restart_acts_on_running_skips_others_and_reports_a_failure(job, make_container, unique_prefix,
                                                                    docker_client):
    running = make_container("a", command=ENDS_ON_TERM)
    exited = make_container("b", state="exited")
    paused = make_container("c", state="paused")
    # A real restart failure: the stop succeeds, but its command is gone, so the start cannot.
    broken = make_container("d", command=IGNORES_TERM)
    broken.exec_run(["rm", "/bin/sleep"])
    started_at = docker_client.api.inspect_container(running.id)["State"]["StartedAt"]
    result = job(RESTART_COMMAND, "-t", "1", "-n", f"{unique_prefix}*")
    assert result.code == 9, result.err
    assert result.lines[0].startswith(line(broken, f"Failed: Cannot restart container {broken.id}: "))
    assert "executable file not found" in result.lines[0]
    assert result.lines[1:] == [line(paused, "Skip (paused)"), line(exited, "Skip (exited)"),
                                line(running, "Success")]
    states = {c.name: daemon_state(docker_client, c) for c in (running, exited, paused, broken)}
    assert states == {running.name: "running", exited.name: "exited", paused.name: "paused",
                      broken.name: "exited"}
    assert docker_client.api.inspect_container(running.id)["State"]["StartedAt"] != started_at


# ---- rm -------------------------------------------------------------------------------------

def test_rm_without_force_removes_exited_and_fails_the_others(job, make_container, unique_prefix,
                                                              docker_client):
    exited = make_container("a", state="exited")
    created = make_container("b", state="created")
    running = make_container("c")
    paused = make_container("d", state="paused")
    result = job(RM_COMMAND, "-n", f"{unique_prefix}*")
    assert result.code == 9, result.err
    assert result.lines == [line(paused, "Failed: container is paused; -f removes it"),
                            line(running, "Failed: container is running; -f removes it"),
                            line(created, "Success"), line(exited, "Success")]
    states = {c.name: daemon_state(docker_client, c) for c in (exited, created, running, paused)}
    assert states == {exited.name: "gone", created.name: "gone", running.name: "running",
                      paused.name: "paused"}


def test_rm_force_removes_every_state(job, make_container, unique_prefix, docker_client):
    made = [make_container("a", state="exited"), make_container("b"), make_container("c", state="paused")]
    result = job(RM_COMMAND, "-f", "-n", f"{unique_prefix}*")
    assert (result.code, result.lines) == (0, [line(c, "Success") for c in reversed(made)])
    assert {daemon_state(docker_client, c) for c in made} == {"gone"}


def _anonymous_volume(docker_client, container):
    (mount,) = docker_client.api.inspect_container(container.id)["Mounts"]
    assert mount["Type"] == "volume" and mount["Destination"] == "/data"
    return mount["Name"]


def _volume_exists(docker_client, name):
    return name in {v.name for v in docker_client.volumes.list()}


def test_rm_volumes_removes_the_anonymous_volume_and_plain_rm_keeps_it(job, make_container, docker_client):
    with_v = make_container("a", state="exited", volumes=["/data"])
    without_v = make_container("b", state="exited", volumes=["/data"])
    volume_a, volume_b = _anonymous_volume(docker_client, with_v), _anonymous_volume(docker_client, without_v)
    try:
        assert job(RM_COMMAND, "-v", "-n", with_v.name).lines == [line(with_v, "Success")]
        assert job(RM_COMMAND, "-n", without_v.name).lines == [line(without_v, "Success")]
        assert not _volume_exists(docker_client, volume_a)
        assert _volume_exists(docker_client, volume_b)
    finally:
        if _volume_exists(docker_client, volume_b):
            docker_client.api.remove_volume(volume_b, force=True)


def test_rm_link_removes_the_links_to_a_container_and_keeps_it(job, make_container, unique_prefix,
                                                              docker_client):
    db = make_container("db")
    web = make_container("web", links={db.name: "db"})
    assert f"/{web.name}/db" in docker_client.api.containers(filters={"id": db.id})[0]["Names"]
    result = job(RM_COMMAND, "-l", "-n", f"{unique_prefix}*")
    assert (result.code, result.lines) == (0, [line(web, "Skip (no links)"), line(db, "Success")])
    assert docker_client.api.containers(filters={"id": db.id})[0]["Names"] == [f"/{db.name}"]
    assert (daemon_state(docker_client, db), daemon_state(docker_client, web)) == ("running", "running")


# ---- bad input ------------------------------------------------------------------------------

@pytest.mark.parametrize("command", [START_COMMAND, STOP_COMMAND, RESTART_COMMAND, RM_COMMAND],
                         ids=lambda c: c.prog)
def test_selection_errors_exit_1_with_one_line(job, run_script, command, make_container, unique_prefix,
                                               docker_client):
    kept = make_container("a", state="exited")
    for argv, message in ((["-f"] if command is RM_COMMAND else [], "one of the arguments -c"),
                          (["-c", kept.id[:12], "-n", kept.name], "not allowed with argument"),
                          (["-n", f"{unique_prefix}nothing*"], "no container matches container name"),
                          (["-n", f"{unique_prefix}nothing"], "no such container")):
        result = job(command, *argv)
        assert (result.code, result.out) == (1, ""), argv
        assert len(result.err.splitlines()) == 1 and message in result.err, result.err
    down = run_script(command, "-p", "1", "-n", kept.name)
    assert (down.code, down.out) == (1, "")
    assert down.err == (f"{command.prog}: cannot connect to the Docker daemon at tcp://127.0.0.1:1: "
                        "connection refused\n")
    assert daemon_state(docker_client, kept) == "exited"


@pytest.mark.parametrize("wait", ["-1", "abc", "1.5"])
def test_bad_wait_is_a_usage_error(job, wait):
    result = job(STOP_COMMAND, "-t", wait, "-n", "x")
    assert (result.code, result.out) == (1, "")
    assert len(result.err.splitlines()) == 1 and "invalid number of seconds" in result.err
