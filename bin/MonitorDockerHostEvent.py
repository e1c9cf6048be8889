#!/usr/bin/env python3
"""Send the Docker events of a host since the previous run as syslog messages and/or file lines."""
from hinemos_docker.cli import main
from hinemos_docker.commands.events import COMMAND

if __name__ == "__main__":
    main(COMMAND)
