#!/usr/bin/env python3
"""Restart the selected running Docker containers for a Hinemos command job (exit 0, 9 or 1)."""
from hinemos_docker.cli import main
from hinemos_docker.commands.jobs import RESTART_COMMAND

if __name__ == "__main__":
    main(RESTART_COMMAND)
