#!/usr/bin/env python3
"""Start the selected exited Docker containers for a Hinemos command job (exit 0, 9 or 1)."""
from hinemos_docker.cli import main
from hinemos_docker.commands.jobs import START_COMMAND

if __name__ == "__main__":
    main(START_COMMAND)
