"""The SNMP edge against the test bed's real snmpd (UCD-SNMP-MIB on 127.0.0.1), SNMP v1 and v2c."""
import re

import pytest

from hinemos_docker import snmp
from hinemos_docker.cli import build_parser
from hinemos_docker.commands.memory import COMMAND
from hinemos_docker.errors import SnmpError


def _args(*argv):
    """The options exactly as the memory monitor parses them."""
    return build_parser(COMMAND).parse_args([str(a) for a in argv])


@pytest.fixture(params=["1", "2c"])
def agent(request, testbed):
    return ("-i", "127.0.0.1", "-sv", request.param, "-sc", testbed.snmp_community, "-sp", testbed.snmp_port)


def _meminfo_kb(field):
    with open("/proc/meminfo") as meminfo:
        return next(int(line.split()[1]) for line in meminfo if line.startswith(f"{field}:"))


def test_host_memory(agent):
    memory = snmp.host_memory(_args(*agent))
    assert set(memory) == {"total", "avail", "buffer", "cached"}
    # snmpd runs on this machine: memTotalReal is its MemTotal
    assert memory["total"] == _meminfo_kb("MemTotal")
    assert all(isinstance(v, int) and 0 <= v <= memory["total"] for v in memory.values())
    assert memory["avail"] + memory["buffer"] + memory["cached"] <= memory["total"]


def test_host_cpu_counters(agent):
    counters = snmp.host_cpu_counters(_args(*agent))
    assert set(counters) == {"user", "nice", "system", "idle", "wait"}
    assert all(isinstance(v, int) and v >= 0 for v in counters.values())


def test_a_unix_socket_means_this_machine(testbed):
    args = _args("-i", "unix:///var/run/docker.sock", "-sc", testbed.snmp_community, "-sp", testbed.snmp_port)
    assert snmp.host_memory(args)["total"] == _meminfo_kb("MemTotal")


@pytest.mark.parametrize("version", ["1", "2c"])
def test_wrong_community_is_no_answer(testbed, version):
    args = _args("-i", "127.0.0.1", "-sv", version, "-sc", "wrong", "-sp", testbed.snmp_port,
                 "--snmp-timeout", 1)
    with pytest.raises(SnmpError) as raised:
        snmp.host_memory(args)
    assert str(raised.value) == (f"no answer from SNMP agent at 127.0.0.1:{testbed.snmp_port} "
                                 "(timeout or wrong community)")


@pytest.mark.parametrize("version, message", [
    ("1", "answered noSuchName for missing (1.3.6.1.4.1.2021.4.99.0)"),
    ("2c", "has no missing (1.3.6.1.4.1.2021.4.99.0): No Such Object currently exists at this OID"),
])
def test_a_missing_object_is_named(testbed, version, message):
    args = _args("-i", "127.0.0.1", "-sv", version, "-sc", testbed.snmp_community, "-sp", testbed.snmp_port)
    oids = {"total": snmp.HOST_MEMORY_OIDS["total"], "missing": "1.3.6.1.4.1.2021.4.99.0"}
    where = f"SNMP agent at 127.0.0.1:{testbed.snmp_port}"
    with pytest.raises(SnmpError, match=f"^{re.escape(where)} {re.escape(message)}"):
        snmp.query(args, oids)


def test_an_unknown_host_is_named():
    message = "SNMP agent at no-such-host.invalid:161: cannot resolve the host name"
    with pytest.raises(SnmpError, match=f"^{re.escape(message)}$"):
        snmp.host_memory(_args("-i", "no-such-host.invalid"))
