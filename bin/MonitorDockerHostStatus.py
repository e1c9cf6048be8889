#!/usr/bin/env python3
"""Print the Docker host state (daemon alive, container count, disk usage) as Hinemos key,value lines."""
from hinemos_docker.cli import main
from hinemos_docker.commands.host_status import COMMAND

if __name__ == "__main__":
    main(COMMAND)
