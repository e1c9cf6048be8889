"""The Hinemos settings the manual has the operator create by hand, as data: ten monitor settings
and a jobunit of six command jobs. Pure: no I/O.

Every setting is a plain dict in the shape of the 6.2 SOAP types (monitorInfo, jobTreeItem with
jobInfo), the manager's own model; settings_rest converts them to and from the 7.x JSON bodies.
Values the manual gives come from it; values it leaves out but the manager's validator requires
(threshold rows of the CHANGE type, prediction ranges, retries, end statuses) are the ones the
Hinemos client fills in for a new setting, see docs/settings.md.
"""
from dataclasses import dataclass
from typing import Optional

DEFAULT_BIN_DIR = "/opt/hinemos_agent/docker/bin"
DEFAULT_NOTIFY_ID = "EVENT_FOR_POLLING"
DEFAULT_OWNER_ROLE = "ALL_USERS"
DEFAULT_EXEC_NODE = "manager_server"
DEFAULT_JOBUNIT_ID = "DOCKER_JOBS"
HOST_SCOPE = "docker_host"
CONTAINER_SCOPE = "docker_container"
MON_CUSTOM_N = "MON_CUSTOM_N"
MON_SYSLOG_S = "MON_SYSLOG_S"
MONITOR_TYPE_NUMERIC, MONITOR_TYPE_STRING = 1, 2
PRIORITY_CRITICAL, PRIORITY_UNKNOWN, PRIORITY_WARNING, PRIORITY_INFO, PRIORITY_NONE = 0, 1, 2, 3, 4
NOTIFY_TYPE_EVENT = 1
NUMERIC_BASIC, NUMERIC_CHANGE = "", "CHANGE"
JOB_TYPE_JOBUNIT, JOB_TYPE_COMMAND = 0, 2
END_NORMAL, END_WARNING, END_ABNORMAL = 0, 1, 2
INT_MIN, INT_MAX = -(2**31), 2**31 - 1
COMMAND_TIMEOUT_MS = 15000  # the manual's timeout of every custom monitor
# the 6.2 client's values for a new numeric monitor (prediction and change are off here)
PREDICTION_METHOD = "POLYNOMIAL_1"
ANALYSIS_RANGE = 60
RETRIES = 10  # the client's default message and command retry counts of a command job
DOWNLOAD_SOURCE, DOWNLOAD_DIR = "/root/", "/tmp/"  # the manual's download job copies /root/
JOB_ID_MAX = 64


@dataclass(frozen=True)
class Options:
    """What the operator chooses; the defaults are the manual's."""

    bin_dir: str = DEFAULT_BIN_DIR
    notify_id: str = DEFAULT_NOTIFY_ID
    notify_type: int = NOTIFY_TYPE_EVENT
    owner_role: str = DEFAULT_OWNER_ROLE
    exec_node: str = DEFAULT_EXEC_NODE
    per_container: bool = False


@dataclass(frozen=True)
class CustomMonitor:
    """One custom numeric monitor of the manual; `args` follow -i #[IP_ADDRESS]. `thresholds` =
    ((info lower, upper), (warning lower, upper)) when the value is judged, None when it is only
    collected."""

    monitor_id: str
    description: str
    interval: int
    script: str
    args: str
    item_name: str
    measure: str
    thresholds: Optional[tuple] = None
    collect: bool = True
    per_container: bool = True  # a container monitor, which has the per-container form


CUSTOM_MONITORS = (
    CustomMonitor("DOC_HOST_STATUS", "Docker デーモンの死活監視", 300, "MonitorDockerHostStatus.py",
                  "", "Docker デーモンの状態", "0/1", ((0, 1), (0, 1)), collect=False,
                  per_container=False),
    CustomMonitor("DOC_HOST_COUNT", "コンテナ数の監視", 3600, "MonitorDockerHostStatus.py",
                  "--count", "コンテナ数", "個", per_container=False),
    CustomMonitor("DOC_HOST_SIZE", "コンテナのディスク容量の監視", 3600, "MonitorDockerHostStatus.py",
                  "--size", "ディスク容量", "byte", per_container=False),
    CustomMonitor("CONTAINER_CPU", "Docker コンテナの CPU 使用率の監視", 300,
                  "MonitorDockerContainerResourceCpu.py", "-k #[NODE_NAME]_CONTAINER_CPU --all",
                  "CPU 使用率", "%", ((0, 80), (80, 90))),
    CustomMonitor("CONTAINER_MEM", "Docker コンテナのメモリ使用率の監視", 300,
                  "MonitorDockerContainerResourceMemory.py", "", "メモリ使用率", "%", ((0, 80), (80, 90))),
    CustomMonitor("CONTAINER_DISK", "Docker コンテナのディスク IO 量の監視", 300,
                  "MonitorDockerContainerResourceDisk.py", "-k #[NODE_NAME]_CONTAINER_DISK",
                  "ディスク IO 量", "Byte/秒"),
    CustomMonitor("CONTAINER_NETWORK", "Docker コンテナのネットワーク IO 量の監視", 300,
                  "MonitorDockerContainerResourceNetwork.py",
                  "-k #[NODE_NAME]_CONTAINER_NETWORK --tx --rx --kb", "ネットワーク転送量", "Byte/秒"),
    CustomMonitor("CONTAINER_PROCESS", "Docker コンテナのプロセス数の監視", 300,
                  "MonitorDockerContainerProcess.py", "-prog httpd", "httpd プロセス数", "個",
                  ((0, 10), (10, 20))),
)

# (monitor ID, description, scope, rules: (pattern, description, priority or None = not processed))
SYSLOG_MONITORS = (
    # The state of a stopped container arrives on the Docker host's node: the manager drops
    # messages of a node whose management flag is off, which the sync does for a stopped container.
    ("CONTAINER_STATUS", "Docker コンテナの状態監視", HOST_SCOPE, (
        (".*running.*", "container is running", None),
        (".*paused.*", "container is paused", PRIORITY_WARNING),
        (".*restarting.*", "container is restarting", PRIORITY_WARNING),
        (".*exited.*", "container is stopped", PRIORITY_CRITICAL),
    )),
    # The manual's `.*` would also notify those state messages as events: an event is a JSON object
    # (after the syslog tag the scripts send).
    ("CONTAINER_EVENT", "Docker イベントの監視", HOST_SCOPE, (
        (r"hinemos_docker: \{.*", "Docker event", PRIORITY_INFO),
    )),
)

MONITOR_IDS = tuple(m.monitor_id for m in CUSTOM_MONITORS) + tuple(m[0] for m in SYSLOG_MONITORS)

# (job ID prefix, job name, description, script, arguments after -i HOST -n CONTAINER, partial
# failure is a warning): the manual's six command jobs
COMMAND_JOBS = (
    ("COMMAND", "コンテナ内コマンド実行ジョブ", "Docker コンテナ内で find コマンドを実行します",
     "JobDockerContainerCommand.py", ('"find /root/"',), False),
    ("FILE_DOWNLOAD_FROM", "ファイルダウンロードジョブ", "コンテナ内のファイルをダウンロードします",
     "FileDockerContainerDownload.py", (DOWNLOAD_SOURCE, DOWNLOAD_DIR), False),
    ("START", "コンテナ起動ジョブ", "Docker コンテナを起動します", "JobDockerContainerStart.py", (), True),
    ("STOP", "コンテナ停止ジョブ", "Docker コンテナを停止します", "JobDockerContainerStop.py", (), True),
    ("RESTART", "コンテナ再起動ジョブ", "Docker コンテナを再起動します", "JobDockerContainerRestart.py", (),
     True),
    ("RM", "コンテナ削除ジョブ", "Docker コンテナを削除します", "JobDockerContainerRm.py", (), True),
)
PARTIAL_FAILURE_CODE = 9  # the job scripts' exit code when some containers failed


def _command(options, script, args):
    return " ".join(part for part in (f"{options.bin_dir.rstrip('/')}/{script}", args) if part)


def custom_monitor(spec, options):
    """The monitorInfo of one custom numeric monitor."""
    per_container = options.per_container and spec.per_container
    target = "-i #[IP_ADDRESS] -c #[NODE_NAME]" if per_container else "-i #[IP_ADDRESS]"
    args = " ".join(part for part in (target, spec.args) if part)
    judged = spec.thresholds is not None
    (info_low, info_high), (warn_low, warn_high) = spec.thresholds or ((0, 0), (0, 0))

    def row(numeric_type, priority, low, high):
        return {"monitorId": spec.monitor_id, "monitorNumericType": numeric_type, "priority": priority,
                "thresholdLowerLimit": float(low), "thresholdUpperLimit": float(high)}

    rows = [row(NUMERIC_BASIC, PRIORITY_INFO, info_low, info_high),
            row(NUMERIC_BASIC, PRIORITY_WARNING, warn_low, warn_high),
            row(NUMERIC_BASIC, PRIORITY_CRITICAL, 0, 0),
            row(NUMERIC_BASIC, PRIORITY_UNKNOWN, 0, 0)]
    rows += [row(NUMERIC_CHANGE, priority, 0, 0) for priority in
             (PRIORITY_INFO, PRIORITY_WARNING, PRIORITY_CRITICAL, PRIORITY_UNKNOWN)]
    return {
        "ownerRoleId": options.owner_role,
        "monitorId": spec.monitor_id,
        "monitorTypeId": MON_CUSTOM_N,
        "monitorType": MONITOR_TYPE_NUMERIC,
        "description": spec.description,
        "facilityId": CONTAINER_SCOPE if per_container else HOST_SCOPE,
        "runInterval": spec.interval,
        "monitorFlg": judged,
        "collectorFlg": spec.collect,
        "predictionFlg": False,
        "changeFlg": False,
        "application": spec.monitor_id,
        "itemName": spec.item_name,
        "measure": spec.measure,
        "predictionMethod": PREDICTION_METHOD,
        "predictionAnalysysRange": ANALYSIS_RANGE,
        "predictionTarget": ANALYSIS_RANGE,
        "changeAnalysysRange": ANALYSIS_RANGE,
        "notifyRelationList": _notify(options) if judged else [],
        "numericValueInfo": rows,
        "customCheckInfo": {
            "monitorId": spec.monitor_id,
            "monitorTypeId": MON_CUSTOM_N,
            "command": _command(options, spec.script, args),
            "commandExecType": "SELECTED",
            "selectedFacilityId": options.exec_node,
            "specifyUser": False,  # run as the agent's user (エージェント起動ユーザ)
            "timeout": COMMAND_TIMEOUT_MS,
            "convertFlg": 0,
        },
    }


def _notify(options):
    return [{"notifyId": options.notify_id, "notifyType": options.notify_type}]


def syslog_monitor(monitor_id, description, scope, rules, options):
    """The monitorInfo of one system-log monitor with its pattern rules, in order."""
    return {
        "ownerRoleId": options.owner_role,
        "monitorId": monitor_id,
        "monitorTypeId": MON_SYSLOG_S,
        "monitorType": MONITOR_TYPE_STRING,
        "description": description,
        "facilityId": scope,
        "runInterval": 0,
        "monitorFlg": True,
        "collectorFlg": False,
        "application": monitor_id,
        "notifyRelationList": _notify(options),
        "stringValueInfo": [
            {"monitorId": monitor_id, "pattern": pattern, "description": text,
             "processType": priority is not None,
             "priority": PRIORITY_INFO if priority is None else priority,
             "message": text, "caseSensitivityFlg": False, "validFlg": True}
            for pattern, text, priority in rules],
    }


def monitors(options):
    """The ten monitor settings, in the order they are registered."""
    return ([custom_monitor(spec, options) for spec in CUSTOM_MONITORS]
            + [syslog_monitor(*spec, options) for spec in SYSLOG_MONITORS])


def job_id(prefix, container):
    return f"{prefix}_{container}"


def _job_info(job_id_, jobunit_id, name, description, job_type, options, warning_range):
    warning_low, warning_high = warning_range
    return {
        "id": job_id_, "jobunitId": jobunit_id, "name": name, "description": description,
        "type": job_type, "ownerRoleId": options.owner_role,
        "propertyFull": True, "registeredModule": False, "useApprovalReqSentence": False,
        "beginPriority": PRIORITY_INFO, "normalPriority": PRIORITY_INFO,
        "warnPriority": PRIORITY_WARNING, "abnormalPriority": PRIORITY_CRITICAL,
        "endStatus": [
            {"type": END_NORMAL, "value": 0, "startRangeValue": 0, "endRangeValue": 0},
            {"type": END_WARNING, "value": 1, "startRangeValue": warning_low, "endRangeValue": warning_high},
            {"type": END_ABNORMAL, "value": -1, "startRangeValue": INT_MIN, "endRangeValue": INT_MAX},
        ],
    }


def jobunit(jobunit_id, docker_host, container, options):
    """The jobTreeItem of a jobunit holding the six command jobs for one container of one host;
    the jobs run on the execution node and reach the container through the Docker API."""
    children = []
    for prefix, name, description, script, extra, partial_is_warning in COMMAND_JOBS:
        args = " ".join(("-i", docker_host, "-n", container) + extra)
        # start/stop/restart/rm exit 9 when some containers failed: a warning, not an abnormal end
        warning = (PARTIAL_FAILURE_CODE, PARTIAL_FAILURE_CODE) if partial_is_warning else (1, 1)
        data = _job_info(job_id(prefix, container), jobunit_id, name, description, JOB_TYPE_COMMAND,
                         options, warning)
        data.update(parentId=jobunit_id, waitRule={}, command={
            "facilityID": options.exec_node,
            "processingMethod": 0,
            "startCommand": _command(options, script, args),
            "stopType": 1,  # destroy the process: the scripts have no stop command
            "specifyUser": False,
            "messageRetry": RETRIES,
            "messageRetryEndFlg": False,
            "commandRetry": RETRIES,
            "commandRetryFlg": False,
            "managerDistribution": False,
        })
        children.append({"data": data})
    root = _job_info(jobunit_id, jobunit_id, "Docker ジョブ", "", JOB_TYPE_JOBUNIT, options, (1, 1))
    return {"data": root, "children": children}


def job_ids(container):
    """The IDs of the six jobs for a container, or ValueError naming the first that is too long."""
    ids = [job_id(prefix, container) for prefix, *_ in COMMAND_JOBS]
    for candidate in ids:
        if len(candidate) > JOB_ID_MAX:
            raise ValueError(f"job ID {candidate} is longer than {JOB_ID_MAX} characters")
    return ids
