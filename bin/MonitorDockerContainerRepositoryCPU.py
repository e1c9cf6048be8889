#!/usr/bin/env python3
"""Print the CPU usage (%) of Docker containers as Hinemos key,value lines (the manual's other name
of MonitorDockerContainerResourceCpu.py)."""
from hinemos_docker.cli import main
from hinemos_docker.commands.cpu import ALIAS_COMMAND

if __name__ == "__main__":
    main(ALIAS_COMMAND)
