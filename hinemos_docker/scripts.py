"""Console entry points: one per documented script name, resolved lazily so that starting a
script imports only its own command module."""
import importlib

from .cli import main

# documented script name (without .py) -> module defining COMMAND (or NAME_COMMAND after ':')
SCRIPTS = {
    "MonitorDockerHostStatus": "hinemos_docker.commands.host_status",
    "MonitorDockerContainerResourceMemory": "hinemos_docker.commands.memory",
    "MonitorDockerContainerProcess": "hinemos_docker.commands.process",
}


def command_for(name):
    module_name, _, attribute = SCRIPTS[name].partition(":")
    return getattr(importlib.import_module(module_name), attribute or "COMMAND")


def __getattr__(name):
    if name not in SCRIPTS:
        raise AttributeError(name)
    return lambda: main(command_for(name))
