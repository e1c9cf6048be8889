#!/usr/bin/env python3
"""Run a command in a Docker container for a Hinemos command job; its exit code is the script's."""
from hinemos_docker.cli import main
from hinemos_docker.commands.command import COMMAND

if __name__ == "__main__":
    main(COMMAND)
