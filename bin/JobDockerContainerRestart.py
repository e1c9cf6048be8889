#!/usr/bin/env python3
"""Restart the selected running Docker containers for a Hinemos command job (exit 0, 9 or 1)."""
import os
import sys

# Run in place from a checkout (or a copy of bin/ beside the package): the package is next to bin/.
sys.path.insert(1, os.path.join(os.path.dirname(os.path.realpath(__file__)), os.pardir))
try:
    from hinemos_docker.launcher import launch
except ImportError as exc:
    sys.exit(f"{os.path.basename(__file__)}: the hinemos_docker package is not installed for "
             f"{sys.executable} ({exc}); install it: {sys.executable} -m pip install "
             "<hinemos-docker source directory>")

if __name__ == "__main__":
    launch(__file__)
