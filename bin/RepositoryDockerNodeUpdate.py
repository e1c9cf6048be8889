#!/usr/bin/env python3
"""Update the Hinemos nodes of a Docker host's containers: state, management flag, label scopes."""
from hinemos_docker.cli import main
from hinemos_docker.commands.repository import UPDATE

if __name__ == "__main__":
    main(UPDATE)
