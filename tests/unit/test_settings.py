"""The desired Hinemos settings (the manual's values) and the plan that compares them with the manager's."""
import copy

import pytest

from hinemos_docker import settings, settings_plan
from hinemos_docker.messages import message

OPTIONS = settings.Options()


def by_id(items):
    return {item["monitorId"]: item for item in items}


def test_ten_monitors_with_the_manual_values():
    monitors = by_id(settings.monitors(OPTIONS))
    assert list(monitors) == ["DOC_HOST_STATUS", "DOC_HOST_COUNT", "DOC_HOST_SIZE", "CONTAINER_CPU",
                              "CONTAINER_MEM", "CONTAINER_DISK", "CONTAINER_NETWORK", "CONTAINER_PROCESS",
                              "CONTAINER_STATUS", "CONTAINER_EVENT"]
    cpu = monitors["CONTAINER_CPU"]
    assert cpu["customCheckInfo"]["command"] == (
        "/opt/hinemos_agent/docker/bin/MonitorDockerContainerResourceCpu.py"
        " -i #[IP_ADDRESS] -k #[NODE_NAME]_CONTAINER_CPU --all")
    assert (cpu["facilityId"], cpu["runInterval"], cpu["monitorFlg"], cpu["collectorFlg"]) == (
        "docker_host", 300, True, True)
    assert cpu["customCheckInfo"]["selectedFacilityId"] == "manager_server"
    assert cpu["customCheckInfo"]["commandExecType"] == "SELECTED"
    assert cpu["customCheckInfo"]["timeout"] == 15000
    assert cpu["notifyRelationList"] == [{"notifyId": "EVENT_FOR_POLLING", "notifyType": 1}]
    basic = {row["priority"]: (row["thresholdLowerLimit"], row["thresholdUpperLimit"])
             for row in cpu["numericValueInfo"] if row["monitorNumericType"] == ""}
    assert basic[settings.PRIORITY_INFO] == (0, 80) and basic[settings.PRIORITY_WARNING] == (80, 90)
    # the 6.2 validator needs CHANGE info and warning rows even with change detection off
    change = {row["priority"] for row in cpu["numericValueInfo"] if row["monitorNumericType"] == "CHANGE"}
    assert {settings.PRIORITY_INFO, settings.PRIORITY_WARNING} <= change
    status = monitors["DOC_HOST_STATUS"]
    assert status["customCheckInfo"]["command"].endswith("/MonitorDockerHostStatus.py -i #[IP_ADDRESS]")
    assert (status["monitorFlg"], status["collectorFlg"]) == (True, False)
    count = monitors["DOC_HOST_COUNT"]
    assert (count["runInterval"], count["monitorFlg"], count["notifyRelationList"]) == (3600, False, [])
    assert (count["itemName"], count["measure"]) == ("コンテナ数", "個")
    assert monitors["CONTAINER_PROCESS"]["application"] == "CONTAINER_PROCESS"


def test_syslog_monitors_state_on_the_docker_host_and_events():
    monitors = by_id(settings.monitors(OPTIONS))
    state = monitors["CONTAINER_STATUS"]
    assert (state["monitorTypeId"], state["monitorType"], state["runInterval"]) == ("MON_SYSLOG_S", 2, 0)
    assert state["facilityId"] == "docker_host"
    rules = [(r["pattern"], r["processType"], r["priority"]) for r in state["stringValueInfo"]]
    assert rules == [(".*running.*", False, 3), (".*paused.*", True, 2), (".*restarting.*", True, 2),
                     (".*exited.*", True, 0)]
    assert all(r["message"] for r in state["stringValueInfo"] if r["processType"])
    event = monitors["CONTAINER_EVENT"]
    # events only: the state messages of stopped containers arrive on the Docker host node too
    assert [(r["pattern"], r["priority"]) for r in event["stringValueInfo"]] == [(r"hinemos_docker: \{.*", 3)]


def test_per_container_form_selects_the_container_node():
    monitors = by_id(settings.monitors(settings.Options(per_container=True, bin_dir="/usr/local/bin/")))
    cpu = monitors["CONTAINER_CPU"]
    assert cpu["facilityId"] == "docker_container"
    assert cpu["customCheckInfo"]["command"] == (
        "/usr/local/bin/MonitorDockerContainerResourceCpu.py"
        " -i #[IP_ADDRESS] -c #[NODE_NAME] -k #[NODE_NAME]_CONTAINER_CPU --all")
    assert monitors["CONTAINER_MEM"]["customCheckInfo"]["command"].endswith(
        "Memory.py -i #[IP_ADDRESS] -c #[NODE_NAME]")
    # host monitors and the syslog monitors keep their scope
    assert monitors["DOC_HOST_SIZE"]["facilityId"] == "docker_host"
    assert monitors["CONTAINER_STATUS"]["facilityId"] == "docker_host"


def test_jobunit_holds_the_six_command_jobs():
    tree = settings.jobunit("JU_001", "docker_host1", "container_D", OPTIONS)
    assert tree["data"]["id"] == tree["data"]["jobunitId"] == "JU_001"
    assert tree["data"]["type"] == 0 and tree["data"]["propertyFull"] is True
    jobs = {child["data"]["id"]: child["data"] for child in tree["children"]}
    assert list(jobs) == ["COMMAND_container_D", "FILE_DOWNLOAD_FROM_container_D", "START_container_D",
                          "STOP_container_D", "RESTART_container_D", "RM_container_D"]
    start = jobs["START_container_D"]
    assert start["command"]["startCommand"] == (
        "/opt/hinemos_agent/docker/bin/JobDockerContainerStart.py -i docker_host1 -n container_D")
    assert start["command"]["facilityID"] == "manager_server"
    assert (start["type"], start["parentId"], start["propertyFull"]) == (2, "JU_001", True)
    assert start["command"]["messageRetry"] and start["command"]["commandRetry"]
    warning = [s for s in start["endStatus"] if s["type"] == settings.END_WARNING][0]
    assert (warning["startRangeValue"], warning["endRangeValue"]) == (9, 9)
    assert jobs["COMMAND_container_D"]["command"]["startCommand"].endswith(
        'JobDockerContainerCommand.py -i docker_host1 -n container_D "find /root/"')
    assert len(tree["data"]["endStatus"]) == 3


def test_job_ids_too_long_are_refused():
    with pytest.raises(ValueError, match="longer than 64"):
        settings.job_ids("c" * 60)
    assert settings.job_ids("web")[0] == "COMMAND_web"


def stored(setting):
    """A setting as the manager returns it: its own fields added, floats where ints were sent."""
    held = copy.deepcopy(setting)
    held.update(regDate=1, regUser="hinemos", notifyGroupId="MON_CUSTOM_N-X-0", delayTime=12)
    for row in held.get("numericValueInfo", []):
        row["thresholdUpperLimit"] = float(row["thresholdUpperLimit"])
    held.get("numericValueInfo", []).reverse()  # the manager's order is its own
    return held


def test_rerun_plans_nothing_and_a_difference_is_reported():
    desired = settings.monitors(OPTIONS)
    actual = {m["monitorId"]: stored(m) for m in desired}
    assert all(c.action == "same" for c in settings_plan.plan_monitors(desired, actual))
    actual["CONTAINER_CPU"]["customCheckInfo"]["command"] += " --core"
    actual["CONTAINER_CPU"]["numericValueInfo"][-1]["thresholdUpperLimit"] = 70.0
    del actual["CONTAINER_MEM"]
    changes = {c.id: c for c in settings_plan.plan_monitors(desired, actual)}
    assert changes["CONTAINER_CPU"].action == "differs"
    assert set(changes["CONTAINER_CPU"].fields) == {"customCheckInfo.command", "numericValueInfo"}
    assert changes["CONTAINER_MEM"].action == "create"
    replaced = {c.id: c for c in settings_plan.plan_monitors(desired, actual, replace=True)}
    assert replaced["CONTAINER_CPU"].action == "replace" and replaced["CONTAINER_CPU"].writes
    assert replaced["DOC_HOST_STATUS"].action == "same"


def test_differences_rules():
    assert settings_plan.differences({"a": 1, "b": {"c": True}}, {"a": 1.0, "b": {"c": True}, "x": 2}) == []
    assert settings_plan.differences({"flag": False}, {"flag": 0}) == ["flag"]
    rules = {"rules": [{"p": "a"}, {"p": "b"}]}
    swapped = {"rules": [{"p": "b"}, {"p": "a"}]}
    assert settings_plan.differences(rules, swapped) == ["rules[0].p", "rules[1].p"]  # rule order matters
    notify = {"notifyRelationList": [{"notifyId": "A"}]}
    assert settings_plan.differences(notify, {}) == ["notifyRelationList"]


def test_jobunit_plan_keeps_foreign_jobs_and_adds_missing_ones():
    desired = settings.jobunit("DOCKER_JOBS", "h1", "web", OPTIONS)
    assert [c.action for c in settings_plan.plan_jobunit(desired, None)] == ["create"] * 7
    held = copy.deepcopy(desired)
    foreign = {"data": {**held["children"][0]["data"], "id": "MY_OWN_JOB"}}
    held["children"] = [foreign] + held["children"][1:]  # COMMAND_web missing, one job of the operator's
    held["children"][1]["data"]["command"]["startCommand"] = "other"
    changes = settings_plan.plan_jobunit(desired, held)
    assert [(c.kind, c.action) for c in changes] == (
        [("jobunit", "same"), ("job", "create"), ("job", "differs")] + [("job", "same")] * 4)
    tree = settings_plan.jobunit_to_register(desired, held, changes)
    ids = [child["data"]["id"] for child in tree["children"]]
    assert ids == ["MY_OWN_JOB"] + ids[1:6] + ["COMMAND_web"]
    assert tree["children"][1]["data"]["command"]["startCommand"] == "other"  # left alone
    unchanged = settings_plan.plan_jobunit(desired, desired)
    assert settings_plan.jobunit_to_register(desired, desired, unchanged) is None


def test_change_lines_in_both_languages():
    change = settings_plan.Change("monitor", "CONTAINER_CPU", "differs", ("customCheckInfo.command",))
    line = settings_plan.change_line(change)
    assert line.render(False) == (
        "[skip] The monitor setting CONTAINER_CPU differs from this command's setting "
        "(customCheckInfo.command); --replace replaces it.")
    assert line.render(True).startswith("[skip] 監視設定 CONTAINER_CPU はこのコマンドの設定と異なります")
    created = settings_plan.change_line(settings_plan.Change("job", "START_web", "create"))
    assert created.render(False) == "Creating job START_web."
    assert message("setting_notification_missing", id="X").render(False).startswith("notification ID X")


def rest_response(body, type_id):
    """What GET monitor/{monitorId} answers for a monitor added with `body`: the same fields, with
    the monitor type and the notifications' types, the manager's own fields and the rules' order."""
    response = copy.deepcopy(body)
    response.update(monitorTypeId=type_id, monitorType="NUMERIC" if type_id == "MON_CUSTOM_N" else "STRING",
                    regDate="2026-12-01 21:00:00.000", regUser="hinemos", scope="docker_host>")
    for relation in response["notifyRelationList"]:
        relation["notifyType"] = "EVENT"
    response.get("stringValueInfo", []).reverse()
    return response


@pytest.mark.parametrize("monitor", settings.monitors(OPTIONS), ids=lambda m: m["monitorId"])
def test_rest_bodies_round_trip_to_the_same_plan(monitor):
    from hinemos_docker import settings_rest
    body = settings_rest.monitor_body(monitor)
    assert isinstance(body["runInterval"], str) and "monitorType" not in body
    if monitor["monitorTypeId"] == "MON_CUSTOM_N":
        assert body["customCheckInfo"]["commandExecTypeCode"] == "SELECTED"
        assert body["priorityChangeFailureType"] == "NOT_PRIORITY_CHANGE"
        assert {row["monitorNumericType"] for row in body["numericValueInfo"]} == {"BASIC", "CHANGE"}
    else:
        assert [rule["orderNo"] for rule in body["stringValueInfo"]] == list(
            range(1, len(monitor["stringValueInfo"]) + 1))
        assert body["priorityChangeJudgmentType"] == "NOT_PRIORITY_CHANGE"
    modify = settings_rest.monitor_body(monitor, for_add=False)
    assert "monitorId" not in modify and "ownerRoleId" not in modify
    stored = settings_rest.monitor_info(rest_response(body, monitor["monitorTypeId"]))
    assert settings_plan.differences(monitor, stored) == []


def test_rest_jobunit_round_trip():
    from hinemos_docker import settings_rest
    tree = settings.jobunit("JU", "h1", "web", OPTIONS)
    body = settings_rest.jobunit_body(tree)["jobTreeItem"]
    assert body["data"]["type"] == "JOBUNIT" and body["data"]["updateTaget"] is True
    job = body["children"][2]["data"]
    assert (job["type"], job["beginPriority"]) == ("JOB", "INFO")
    assert job["command"]["stopType"] == "DESTROY_PROCESS"
    assert [s["type"] for s in job["endStatus"]] == ["NORMAL", "WARNING", "ABNORMAL"]
    assert settings_plan.differences(tree, settings_rest.job_tree(body)) == []
