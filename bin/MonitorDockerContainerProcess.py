#!/usr/bin/env python3
"""Print the number of matching processes in Docker containers as Hinemos key,value lines."""
from hinemos_docker.cli import main
from hinemos_docker.commands.process import COMMAND

if __name__ == "__main__":
    main(COMMAND)
