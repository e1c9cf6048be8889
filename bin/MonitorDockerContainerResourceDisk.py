#!/usr/bin/env python3
"""Print the disk I/O (bytes per second) of Docker containers as Hinemos key,value lines."""
from hinemos_docker.cli import main
from hinemos_docker.commands.disk import COMMAND

if __name__ == "__main__":
    main(COMMAND)
