"""The receiving side judges with the settings registered in the stand-in: SettingDockerAdd's
settings read back as the receiving side's monitors agree with its own model of the manual."""
import copy

from hinemos_docker import settings
from hinemos_docker.sandbox.receiving import custom, registered, systemlog

RECORDS = {m["monitorId"]: m for m in settings.monitors(settings.Options())}


def test_registered_state_monitor_is_the_manual_one_and_events_take_json_only():
    monitors = {m.monitor_id: m for m in registered.system_log_monitors(RECORDS)}
    assert monitors["CONTAINER_STATUS"] == systemlog.container_status_monitor()
    event = monitors["CONTAINER_EVENT"]
    assert event.scope == "docker_host" and len(event.rules) == 1
    assert event.rules[0].matches('hinemos_docker: {"status":"die","id":"d7ee4dbeeddc"}')
    assert not event.rules[0].matches("hinemos_docker: 90b56eb899e7 exited")


def test_registered_custom_monitors_judge_as_the_manual_ones():
    monitors = registered.custom_monitors(RECORDS)
    assert monitors == custom.MANUAL_MONITORS


def test_a_changed_setting_changes_the_judgement():
    records = copy.deepcopy(RECORDS)
    for row in records["CONTAINER_CPU"]["numericValueInfo"]:
        if (row["monitorNumericType"], row["priority"]) == ("", settings.PRIORITY_WARNING):
            row["thresholdLowerLimit"], row["thresholdUpperLimit"] = 80.0, 99.0
    records["CONTAINER_STATUS"]["stringValueInfo"][3]["priority"] = settings.PRIORITY_WARNING
    records["CONTAINER_MEM"]["monitorFlg"] = False
    cpu = registered.custom_monitors(records)["CONTAINER_CPU"]
    assert [n.priority for n in custom.judge(cpu, "h1", b"cpu_usage:web,95\n")] == ["warning"]
    assert custom.judge(registered.custom_monitors(records)["CONTAINER_MEM"], "h1", b"x,99\n") == []
    state = {m.monitor_id: m for m in registered.system_log_monitors(records)}["CONTAINER_STATUS"]
    assert state.rules[3].priority == "warning"


def test_without_registered_settings_the_manuals_stand_in():
    syslog, judged = registered.of_state({"settings": {"monitors": {}}})
    assert syslog == [systemlog.container_status_monitor(), systemlog.container_event_monitor()]
    assert judged == custom.MANUAL_MONITORS
    assert registered.of_state(None)[1] == custom.MANUAL_MONITORS
