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
    """Bad or conflicting command-line options."""


class DockerError(HinemosDockerError):
    """The Docker Engine API answered with an error; `reason` is the daemon's own words."""

    def __init__(self, message, reason=None):
        super().__init__(message)
        self.reason = reason or message


class DockerUnreachable(DockerError):
    """The Docker daemon could not be reached (refused, timeout, unknown host, TLS)."""


class ContainerNotFound(DockerError):
    """A container named on the command line, or needed mid-run, does not exist."""


class CommandNotStarted(HinemosDockerError):
    """The job command could not be started in the container (not found, not executable)."""

    def __init__(self, message, exit_code):
        super().__init__(message)
        self.exit_code = exit_code


class LocalFileError(HinemosDockerError):
    """A local file or directory (a download destination, the event LOGFILE) cannot be created or written."""


class HinemosError(HinemosDockerError):
    """The Hinemos manager could not be reached or answered with an HTTP error."""


class HinemosFault(HinemosError):
    """A SOAP fault from the manager; `name` is the fault class (FacilityDuplicate, ...)."""

    def __init__(self, name, message, url=None):
        self.name = name
        self.fault_message = message
        self.url = url
        where = f" at {url}" if url else ""
        super().__init__(f"Hinemos manager{where} raised {name}: {message}")


class StateFileError(HinemosDockerError):
    """The -k state file cannot be read, locked or written."""


class SyslogError(HinemosDockerError):
    """A syslog destination is invalid or unreachable."""


class SnmpError(HinemosDockerError):
    """An SNMP query failed (timeout, wrong community, missing OID)."""


class OutputError(HinemosDockerError):
    """A value cannot be printed in the Hinemos custom-monitor grammar."""
