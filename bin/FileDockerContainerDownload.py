#!/usr/bin/env python3
"""Download a file or directory of a Docker container as a tar archive for a Hinemos command job."""
from hinemos_docker.cli import main
from hinemos_docker.commands.download import COMMAND

if __name__ == "__main__":
    main(COMMAND)
