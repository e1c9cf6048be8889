"""The documented scripts: one registry of names, and the one way to start one of them, used by
both doors in (the bin/<Name>.py files and the console entry points <Name>). Resolved lazily so that
starting a script imports only its own command module."""
import importlib
import os

from .cli import main

# documented script name (without .py) -> module defining COMMAND (or NAME_COMMAND after ':')
SCRIPTS = {
    "JobDockerContainerCommand": "hinemos_docker.commands.exec_job",
    "FileDockerContainerDownload": "hinemos_docker.commands.download",
    "JobDockerContainerStart": "hinemos_docker.commands.jobs:START_COMMAND",
    "JobDockerContainerStop": "hinemos_docker.commands.jobs:STOP_COMMAND",
    "JobDockerContainerRestart": "hinemos_docker.commands.jobs:RESTART_COMMAND",
    "JobDockerContainerRm": "hinemos_docker.commands.jobs:RM_COMMAND",
    "MonitorDockerHostStatus": "hinemos_docker.commands.host_status",
    "RepositoryDockerNodeAdd": "hinemos_docker.commands.repository_sync:ADD",
    "RepositoryDockerNodeDelete": "hinemos_docker.commands.repository_sync:DELETE",
    "RepositoryDockerNodeUpdate": "hinemos_docker.commands.repository_sync:UPDATE",
    "RepositoryDockerNodeSync": "hinemos_docker.commands.repository_sync:SYNC",
    "MonitorDockerHostEvent": "hinemos_docker.commands.events",
    "MonitorDockerContainerStatus": "hinemos_docker.commands.container_status",
    "MonitorDockerContainerResourceCpu": "hinemos_docker.commands.cpu",
    "MonitorDockerContainerRepositoryCPU": "hinemos_docker.commands.cpu:ALIAS_COMMAND",
    "MonitorDockerContainerResourceMemory": "hinemos_docker.commands.memory",
    "MonitorDockerContainerResourceDisk": "hinemos_docker.commands.disk",
    "MonitorDockerContainerResourceNetwork": "hinemos_docker.commands.network",
    "MonitorDockerContainerProcess": "hinemos_docker.commands.process_monitor",
    "SettingDockerAdd": "hinemos_docker.commands.settings",
}


def command_for(name):
    module_name, _, attribute = SCRIPTS[name].partition(":")
    return getattr(importlib.import_module(module_name), attribute or "COMMAND")


def launch(path_or_name):
    """Run the documented script named by a bin/ file's path (or by its bare name) and exit."""
    main(command_for(os.path.splitext(os.path.basename(path_or_name))[0]))


def __getattr__(name):
    if name not in SCRIPTS:
        raise AttributeError(name)
    return lambda: launch(name)
