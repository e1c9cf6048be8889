"""Install hinemos-docker: the library package, the documented bin scripts and console entry points."""
from pathlib import Path

from setuptools import find_packages, setup

HERE = Path(__file__).parent
PYTHON_SCRIPTS = sorted(str(p.relative_to(HERE)) for p in (HERE / "bin").glob("*.py"))
# the cron wrapper RepositoryDockerNode.sh is installed beside them
BIN_SCRIPTS = PYTHON_SCRIPTS + sorted(str(p.relative_to(HERE)) for p in (HERE / "bin").glob("*.sh"))
# console entry points under the documented names without ".py"
ENTRY_POINTS = [f"{Path(p).stem} = hinemos_docker.launcher:{Path(p).stem}" for p in PYTHON_SCRIPTS]

setup(
    name="hinemos-docker",
    version="1.0.0",
    description="Hinemos integration for Docker: repository sync, custom monitors, syslog monitors and jobs",
    long_description=(HERE / "README.md").read_text(encoding="utf-8"),
    long_description_content_type="text/markdown",
    python_requires=">=3.9",
    packages=find_packages(include=["hinemos_docker", "hinemos_docker.*"]),
    package_data={"hinemos_docker.sandbox": ["wsdl/*/*"]},
    scripts=BIN_SCRIPTS,
    entry_points={"console_scripts": ENTRY_POINTS},
    install_requires=[
        "docker>=7.0,<8",
        "suds-community>=1.1,<2",
        "pysnmp>=7.1,<8",
        "requests>=2.26,<3",
    ],
    extras_require={
        "test": ["pytest>=7", "zeep>=4.2,<5", "ruff>=0.4", "hypothesis>=6.80"],
    },
)
