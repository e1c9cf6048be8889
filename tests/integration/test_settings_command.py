"""SettingDockerAdd.py against the 6.2 (SOAP) and 7.1 (REST) stand-ins: the ten monitors and the
jobunit created, a rerun changes nothing, a differing setting is reported and left alone (or replaced
on request), --dry-run writes nothing, and a missing notification, scope or node stops the run before
any write. The API is found by probing, as for the repository scripts."""
import pytest

from hinemos_docker import settings
from hinemos_docker.commands.settings import COMMAND
from hinemos_docker.hinemos_settings_ws import MonitorSettingClient
from hinemos_docker.manager_http import ManagerHttp
from tests.fixtures.sandbox import SANDBOX_PASSWORD, SANDBOX_USER, read_back
from tests.fixtures.sync import by_hand

WRITES = ("addMonitor", "modifyMonitor", "deleteMonitor", "registerJobunit", "replaceJobunit",
          "deleteJobunit")
JOBS = ("--job-host", "docker_host1", "--job-container", "container_D")
both_apis = pytest.mark.parametrize("sandbox_version", ["6.2", "7.1"])


def prepare(sandbox, scopes=("docker_host", "docker_container")):
    """What an operator has before: the scopes of RepositoryDockerNodeAdd, the node manager_server,
    the notification EVENT_FOR_POLLING; written through the stand-in's own API."""
    client = read_back(sandbox)
    for scope in scopes:
        client.add_scope(None, scope, scope)
    client.add_node(by_hand(client, "manager_server", facilityName="manager_server",
                            nodeName="manager_server", ipAddressV4="127.0.0.1"))
    client.close()
    sandbox.add_notification("EVENT_FOR_POLLING")
    sandbox.calls.clear()
    return sandbox


@pytest.fixture
def manager(sandbox):
    return prepare(sandbox)


@pytest.fixture
def setting_add(run_script, monkeypatch):
    for name in ("LC_ALL", "LC_MESSAGES", "LANG", "HINEMOS_USER", "HINEMOS_PASSWORD"):
        monkeypatch.delenv(name, raising=False)

    def run(sandbox, *args):
        return run_script(COMMAND, "-m", sandbox.base_url, *args)
    return run


def writes(sandbox):
    return {op: n for op, n in sandbox.calls.items() if op in WRITES}


@both_apis
def test_creates_the_ten_monitors_and_the_jobunit_then_a_rerun_changes_nothing(manager, setting_add):
    first = setting_add(manager, *JOBS)
    assert (first.code, first.err) == (0, "")
    assert first.lines[:5] == ["Started.", "Logging in to the Hinemos manager.",
                               f"endpoint: {manager.base_url}", "username: hinemos",
                               "Checking notification IDs: ['EVENT_FOR_POLLING']"]
    assert [line for line in first.lines if line.startswith("Creating monitor")] == [
        f"Creating monitor setting {m}." for m in settings.MONITOR_IDS]
    assert "Creating jobunit DOCKER_JOBS." in first.lines and "Creating job RM_container_D." in first.lines
    assert sorted(manager.settings.monitors) == sorted(settings.MONITOR_IDS)
    assert writes(manager) == {"addMonitor": 10, "registerJobunit": 1}
    assert manager.calls["login" if manager.version == "7.1" else "getNotify"] == 1
    stored = manager.settings.monitors["CONTAINER_CPU"]
    assert stored["customCheckInfo"]["command"] == (
        "/opt/hinemos_agent/docker/bin/MonitorDockerContainerResourceCpu.py -i #[IP_ADDRESS] "
        "-k #[NODE_NAME]_CONTAINER_CPU --all")
    assert stored["notifyRelationList"][0]["notifyId"] == "EVENT_FOR_POLLING"
    jobs = [c["data"]["id"] for c in manager.settings.jobunits["DOCKER_JOBS"]["tree"]["children"]]
    assert jobs == ["COMMAND_container_D", "FILE_DOWNLOAD_FROM_container_D", "START_container_D",
                    "STOP_container_D", "RESTART_container_D", "RM_container_D"]

    manager.calls.clear()
    again = setting_add(manager, *JOBS)
    assert (again.code, again.err) == (0, "")
    assert writes(manager) == {}
    assert all(line.startswith("Already exists: ") for line in again.lines[5:-1]), again.out
    assert len(again.lines[5:-1]) == 10 + 1 + 6


@both_apis
def test_a_differing_setting_is_reported_and_left_alone_unless_replace(manager, setting_add):
    assert setting_add(manager).code == 0
    manager.settings.monitors["CONTAINER_CPU"]["customCheckInfo"]["command"] = "/usr/local/bin/my-cpu-check"
    manager.calls.clear()
    result = setting_add(manager)
    assert result.code == 0
    assert ("[skip] The monitor setting CONTAINER_CPU differs from this command's setting "
            "(customCheckInfo.command); --replace replaces it.") in result.lines
    assert writes(manager) == {}
    assert manager.settings.monitors["CONTAINER_CPU"]["customCheckInfo"]["command"] == (
        "/usr/local/bin/my-cpu-check")

    replaced = setting_add(manager, "--replace")
    assert "Replacing monitor setting CONTAINER_CPU (customCheckInfo.command)." in replaced.lines
    assert writes(manager) == {"modifyMonitor": 1}
    assert manager.settings.monitors["CONTAINER_CPU"]["customCheckInfo"]["command"].endswith("--all")


@both_apis
def test_dry_run_writes_nothing(manager, setting_add):
    result = setting_add(manager, "--dry-run", *JOBS)
    assert result.code == 0
    assert "(dry-run) Creating monitor setting CONTAINER_STATUS." in result.lines
    assert "(dry-run) Creating job START_container_D." in result.lines
    assert result.lines[-2:] == ["--dry-run: nothing was changed in the Hinemos manager.", "Completed."]
    assert writes(manager) == {} and manager.settings.monitors == {} and manager.settings.jobunits == {}


@both_apis
def test_a_missing_notification_is_one_line_and_nothing_is_written(manager, setting_add):
    result = setting_add(manager, "--notify-id", "MY_EVENTS")
    assert result.code == 1
    assert result.err == ("SettingDockerAdd.py: notification ID MY_EVENTS does not exist in the Hinemos "
                          "manager: create the notification MY_EVENTS first (e.g. an event notification), "
                          "or name an existing one with --notify-id.\n")
    assert writes(manager) == {}
    manager.add_notification("MY_EVENTS", notify_type=0)  # a status notification
    assert setting_add(manager, "--notify-id", "MY_EVENTS").code == 0
    assert manager.settings.monitors["CONTAINER_MEM"]["notifyRelationList"][0]["notifyType"] == 0


@both_apis
def test_missing_scope_or_execution_node_stops_before_any_write(sandbox, setting_add):
    prepare(sandbox, scopes=())
    result = setting_add(sandbox)
    assert (result.code, result.err) == (
        1, "SettingDockerAdd.py: scope docker_host does not exist in the Hinemos manager: run "
           "RepositoryDockerNodeAdd.py first (it creates the scope).\n")
    client = read_back(sandbox)
    client.add_scope(None, "docker_host", "docker_host")
    client.close()
    result = setting_add(sandbox, "--exec-node", "hinemos_mgr")
    assert result.err.startswith(
        "SettingDockerAdd.py: node hinemos_mgr does not exist in the Hinemos manager")
    assert writes(sandbox) == {}


def test_per_container_form_and_japanese_messages(manager, setting_add, monkeypatch):
    monkeypatch.setenv("LANG", "ja_JP.UTF-8")
    result = setting_add(manager, "--per-container", "--bin-dir", "/usr/local/hinemos-docker/bin")
    assert result.code == 0
    assert result.lines[0] == "開始しました。" and "監視設定 CONTAINER_CPU を作成します。" in result.lines
    cpu = manager.settings.monitors["CONTAINER_CPU"]
    assert cpu["facilityId"] == "docker_container"
    assert cpu["customCheckInfo"]["command"] == (
        "/usr/local/hinemos-docker/bin/MonitorDockerContainerResourceCpu.py -i #[IP_ADDRESS] -c #[NODE_NAME] "
        "-k #[NODE_NAME]_CONTAINER_CPU --all")
    assert manager.settings.monitors["DOC_HOST_STATUS"]["facilityId"] == "docker_host"
    again = setting_add(manager)  # the per-host form now differs: reported in Japanese, left alone
    assert any(line.startswith("[skip] 監視設定 CONTAINER_CPU はこのコマンドの設定と異なります (facilityId")
               for line in again.lines), again.out


@both_apis
def test_jobunit_keeps_the_operators_jobs_and_adds_a_second_container(manager, setting_add):
    assert setting_add(manager, *JOBS).code == 0
    result = setting_add(manager, "--job-host", "docker_host1", "--job-container", "web")
    assert result.code == 0
    assert "Already exists: jobunit DOCKER_JOBS. [skip]" in result.lines
    assert "Creating job START_web." in result.lines
    jobs = [c["data"]["id"] for c in manager.settings.jobunits["DOCKER_JOBS"]["tree"]["children"]]
    prefixes = ("COMMAND", "FILE_DOWNLOAD_FROM", "START", "STOP", "RESTART", "RM")
    assert jobs[:6] == [f"{p}_container_D" for p in prefixes]
    assert len(jobs) == 12
    # 7.x: POST creates a jobunit, PUT replaces one; 6.2: registerJobunit does both
    jobunit_writes = {"registerJobunit": 1, "replaceJobunit": 1} if manager.version == "7.1" else {
        "registerJobunit": 2}
    expected = {"addMonitor": 10, **jobunit_writes}
    assert writes(manager) == expected


@pytest.mark.parametrize("args, message", [
    (("--job-host", "h1"), "--job-host and --job-container go together"),
    (("--job-host", "h1", "--job-container", "c" * 60), "longer than 64 characters"),
    (("--exec-node", "bad id"), "invalid facility ID"),
])
def test_bad_options_exit_1_with_one_line(manager, setting_add, args, message):
    result = setting_add(manager, *args)
    assert result.code == 1 and message in result.err and result.err.count("\n") == 1
    assert manager.calls == {}


def test_manager_down_or_wrong_password_is_one_line(manager, setting_add, tmp_path):
    password = tmp_path / "password"
    password.write_text("wrong\n")
    password.chmod(0o600)
    result = setting_add(manager, "--password-file", password)
    assert result.code == 1 and "InvalidUserPass" in result.err and result.err.count("\n") == 1
    url = manager.base_url
    manager.stop()
    down = setting_add(type("Gone", (), {"base_url": url}))
    assert down.code == 1 and "cannot reach the Hinemos manager" in down.err and down.err.count("\n") == 1


def test_a_fault_mid_run_is_one_line_and_a_rerun_converges(manager, setting_add):
    assert setting_add(manager).code == 0
    # a setting the manager will not let this command replace: its owner role cannot change
    manager.settings.monitors["CONTAINER_DISK"]["ownerRoleId"] = "ADMINISTRATORS"
    # deleted through the endpoint, which also saves the owner change above
    http = ManagerHttp(manager.base_url)
    client = MonitorSettingClient(manager.base_url, SANDBOX_USER, SANDBOX_PASSWORD, http)
    client.call("deleteMonitor", ["CONTAINER_EVENT"])
    result = setting_add(manager, "--replace")
    assert result.code == 1 and result.err.count("\n") == 1
    assert "raised InvalidSetting: $[MESSAGE_OWNERROLEID_CHANGE_NG]" in result.err
    assert result.lines[-1] == "Replacing monitor setting CONTAINER_DISK (ownerRoleId)."  # where it stopped
    assert "CONTAINER_EVENT" not in manager.settings.monitors
    again = setting_add(manager)
    assert again.code == 0 and "Creating monitor setting CONTAINER_EVENT." in again.lines
    assert any(line.startswith("[skip] The monitor setting CONTAINER_DISK differs") for line in again.lines)


@pytest.mark.parametrize("sandbox_version", ["7.1"])
@pytest.mark.parametrize("form", ["", "/HinemosWeb/api", "/HinemosWeb/"])
def test_a_7x_manager_by_each_form_of_m(manager, run_script, form):
    result = run_script(COMMAND, "-m", manager.root_url + form)
    assert (result.code, result.err) == (0, "")
    assert f"endpoint: {manager.base_url}" in result.lines
    assert manager.calls["healthCheck"] == 1 and manager.calls["logout"] == 1


@pytest.mark.parametrize("sandbox_version", ["7.1"])
def test_soap_forced_on_a_7x_manager_is_one_line(manager, setting_add):
    result = setting_add(manager, "--hinemos-api", "soap")
    assert result.code == 1 and result.err.count("\n") == 1, result.err
    assert writes(manager) == {}
