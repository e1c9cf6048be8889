#!/usr/bin/env python3
"""Print the CPU usage (%) of Docker containers as Hinemos key,value lines."""
from hinemos_docker.cli import main
from hinemos_docker.commands.cpu import COMMAND

if __name__ == "__main__":
    main(COMMAND)
