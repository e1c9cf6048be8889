"""Errors of the suite: one root, each class carrying the exit code the manual documents.

cli.run() is the only place these become exit codes and one-line stderr messages.
"""
from enum import IntEnum


class ExitCode(IntEnum):
    """Return values (docs/rules.md#return-values)."""

    OK = 0
    ABNORMAL = 1
    # job scripts: the operation failed for one or more containers (a result, not an exception)
    PARTIAL_FAILURE = 9
    # command job: the command could not be started in the container, as a shell reports it
    COMMAND_NOT_EXECUTABLE = 126
    COMMAND_NOT_FOUND = 127


class HinemosDockerError(Exception):
    """Root of every error the scripts report; str(e) is the one line printed on stderr."""

    exit_code = ExitCode.ABNORMAL


class UsageError(HinemosDockerError):
    """Bad or conflicting command-line options (only the command line: run-time facts have their
    own classes)."""


class RunTimeout(HinemosDockerError):
    """The run did not end within its --run-timeout."""


class Interrupted(BaseException):
    """The script received SIGTERM, SIGINT or SIGHUP; like KeyboardInterrupt, it is no ordinary
    error (every cleanup runs), and the exit code is the shell's 128 + signal number."""

    def __init__(self, signum):
        super().__init__(signum)
        self.signum = signum
        self.exit_code = 128 + signum


class DockerError(HinemosDockerError):
    """Something went wrong with the Docker daemon; `reason` is the daemon's own words if any."""

    def __init__(self, message, reason=None):
        super().__init__(message)
        self.reason = reason or message


class DockerUnreachable(DockerError):
    """The Docker daemon could not be reached, or did not answer in time (refused, timeout,
    unknown host, TLS)."""


class DockerRefused(DockerError):
    """The daemon answered, with an error status (or an answer that is not the API's)."""


class ContainerNotFound(DockerRefused):
    """A container named on the command line, or needed mid-run, does not exist (404)."""


class ContainerNotRunning(DockerRefused):
    """The daemon's 409 for a container that is not running (it stopped after the listing)."""


class AmbiguousContainer(HinemosDockerError):
    """-c/-n matches several containers where the script acts on exactly one."""


class WrongContainerState(HinemosDockerError):
    """The chosen container is not in the state the script needs (a command needs it running)."""


class NotSupported(HinemosDockerError):
    """The Docker host cannot give what was asked for (e.g. per-CPU usage under cgroup v2)."""


class TlsFileError(HinemosDockerError):
    """A TLS certificate or key file named by the options (or their defaults) is missing."""


class CommandNotStarted(HinemosDockerError):
    """The job command could not be started in the container (not found, not executable)."""

    def __init__(self, message, exit_code):
        super().__init__(message)
        self.exit_code = exit_code


class LocalFileError(HinemosDockerError):
    """A local file or directory (a download destination, the event LOGFILE, the password file)
    cannot be created, written or read, or is not safe to use."""


class HinemosError(HinemosDockerError):
    """The Hinemos manager could not be reached or answered with an HTTP error."""


class HinemosUnreachable(HinemosError):
    """The manager could not be reached, or did not answer in time (refused, timeout, TLS)."""


class HinemosRefused(HinemosError):
    """The manager answered with something we must not use (a redirect elsewhere, a reply over
    the size limit, an HTTP error)."""


class HinemosFault(HinemosError):
    """The manager refused a call; `name` is its exception class (FacilityDuplicate, ...).

    The subclasses below are what callers catch; fault() picks one from the class name of a SOAP
    fault or of a REST error body, so both APIs raise the same exceptions."""

    def __init__(self, name, message, url=None):
        self.name = name
        self.fault_message = message
        self.url = url
        where = f" at {url}" if url else ""
        super().__init__(f"Hinemos manager{where} raised {name}: {message}")


class FacilityDuplicate(HinemosFault):
    """A facility (node or scope) with that ID exists already (REST: 409)."""


class FacilityNotFound(HinemosFault):
    """No facility with that ID (REST: 404)."""


class InvalidSetting(HinemosFault):
    """The manager's validation refused the request (REST: 400)."""


class UsedFacility(HinemosFault):
    """A monitor, job or other setting still uses the facility (REST: 400)."""


class InvalidCredentials(HinemosFault):
    """Wrong user or password, or a token the manager does not know (InvalidUserPass; REST: 401)."""


class MissingPrivilege(HinemosFault):
    """The account lacks a repository privilege (InvalidRole; REST: 403)."""


class ManagerInternalError(HinemosFault):
    """HinemosUnknown: the manager failed inside (REST: 500)."""


class SettingDuplicate(HinemosFault):
    """A monitor setting or jobunit with that ID exists already (REST: 409)."""


class SettingNotFound(HinemosFault):
    """No monitor setting, job or notification with that ID (REST: 404)."""


FAULTS = {"FacilityDuplicate": FacilityDuplicate, "FacilityNotFound": FacilityNotFound,
          "InvalidSetting": InvalidSetting, "UsedFacility": UsedFacility,
          "InvalidUserPass": InvalidCredentials, "InvalidRole": MissingPrivilege,
          "ObjectPrivilege_InvalidRole": MissingPrivilege, "HinemosUnknown": ManagerInternalError,
          "MonitorDuplicate": SettingDuplicate, "JobMasterDuplicate": SettingDuplicate,
          "MonitorNotFound": SettingNotFound, "JobMasterNotFound": SettingNotFound,
          "NotifyNotFound": SettingNotFound, "JobInvalid": InvalidSetting}


def fault(name, message, url=None):
    """The HinemosFault subclass for a Hinemos exception class name (the base class if unknown)."""
    return FAULTS.get(name, HinemosFault)(name, message, url)


class StateFileError(HinemosDockerError):
    """The -k state file cannot be read, locked or written."""


class SyslogError(HinemosDockerError):
    """A syslog destination is invalid or unreachable."""


class SnmpError(HinemosDockerError):
    """An SNMP query failed (timeout, wrong community, missing OID)."""


class OutputError(HinemosDockerError):
    """A value cannot be printed in the Hinemos custom-monitor grammar."""
