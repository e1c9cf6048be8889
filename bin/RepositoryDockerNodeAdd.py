#!/usr/bin/env python3
"""Register the containers of a Docker host as Hinemos nodes and assign them to scopes."""
from hinemos_docker.cli import main
from hinemos_docker.commands.repository import ADD

if __name__ == "__main__":
    main(ADD)
