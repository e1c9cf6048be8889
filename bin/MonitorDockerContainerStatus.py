#!/usr/bin/env python3
"""Send the state of each Docker container as a syslog message from its container node."""
from hinemos_docker.cli import main
from hinemos_docker.commands.container_status import COMMAND

if __name__ == "__main__":
    main(COMMAND)
