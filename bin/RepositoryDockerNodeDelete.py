#!/usr/bin/env python3
"""Delete the Hinemos nodes of containers removed from a Docker host."""
from hinemos_docker.cli import main
from hinemos_docker.commands.repository import DELETE

if __name__ == "__main__":
    main(DELETE)
