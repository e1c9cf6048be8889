#!/usr/bin/env python3
"""Print the network traffic (bytes or packets per second) of Docker containers as Hinemos key,value lines."""
from hinemos_docker.cli import main
from hinemos_docker.commands.network import COMMAND

if __name__ == "__main__":
    main(COMMAND)
