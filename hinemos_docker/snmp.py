"""SNMP edge: the Docker host's memory and CPU counters from its UCD-SNMP-MIB, on the host of -i.

Used only with --with-host. pysnmp 7 is asyncio only, so each query runs in its own
asyncio.run(); pysnmp is imported inside the query because importing it costs ~0.1 s.
Every failure becomes one SnmpError line naming the agent.
"""

from .docker_endpoint import endpoint_from_args, host_of
from .errors import SnmpError

# UCD-SNMP-MIB, values in KB (Integer32)
HOST_MEMORY_OIDS = {
    "total": "1.3.6.1.4.1.2021.4.5.0",    # memTotalReal
    "avail": "1.3.6.1.4.1.2021.4.6.0",    # memAvailReal
    "buffer": "1.3.6.1.4.1.2021.4.14.0",  # memBuffer
    "cached": "1.3.6.1.4.1.2021.4.15.0",  # memCached
}
# UCD-SNMP-MIB ssCpuRaw*, Counter32 in 1/100 s summed over all CPUs
HOST_CPU_OIDS = {
    "user": "1.3.6.1.4.1.2021.11.50.0",
    "nice": "1.3.6.1.4.1.2021.11.51.0",
    "system": "1.3.6.1.4.1.2021.11.52.0",
    "idle": "1.3.6.1.4.1.2021.11.53.0",
    "wait": "1.3.6.1.4.1.2021.11.54.0",
}
MP_MODEL = {"1": 0, "2c": 1}  # -sv -> pysnmp's message processing model
RETRIES = 1  # one resend: a lost UDP datagram should not fail a monitor run


def _agent(args):
    # the agent is the Docker host: -i/-p/DOCKER_HOST resolved exactly as connect() does
    return host_of(endpoint_from_args(args).base_url), args.snmp_port


def host_memory(args):
    """{total, avail, buffer, cached} of the Docker host in KB (memTotalReal, memAvailReal,
    memBuffer, memCached)."""
    return query(args, HOST_MEMORY_OIDS)


def host_cpu_counters(args):
    """{user, nice, system, idle, wait} of the Docker host in 1/100 s (ssCpuRaw*, Counter32)."""
    return query(args, HOST_CPU_OIDS)


def query(args, oids):
    """{name: int} for {name: OID} with one GET to the agent of -i on -sp, -sv, -sc."""
    import asyncio
    host, port = _agent(args)
    where = f"SNMP agent at {f'[{host}]' if ':' in host else host}:{port}"
    error_indication, error_status, error_index, var_binds = asyncio.run(
        _get(host, port, args.snmp_community, MP_MODEL[args.snmp_version], args.snmp_timeout,
             list(oids.values()), where))
    if error_indication:
        if "timeout" in str(error_indication).lower():
            raise SnmpError(f"no answer from {where} (timeout or wrong community)")
        raise SnmpError(f"{where}: {error_indication}")
    names = list(oids)
    if error_status:
        # v1 reports a missing OID as noSuchName with the 1-based index of the varbind
        name = names[int(error_index) - 1] if 0 < int(error_index) <= len(names) else "request"
        raise SnmpError(f"{where} answered {error_status.prettyPrint()} for {name} "
                        f"({oids.get(name, ', '.join(oids.values()))})")
    return {name: _integer(name, oids[name], value, where) for name, (_, value) in zip(names, var_binds)}


def _integer(name, oid, value, where):
    try:
        return int(value)
    except (TypeError, ValueError):
        # noSuchObject / noSuchInstance / endOfMibView (v2c) carry no number
        raise SnmpError(f"{where} has no {name} ({oid}): {value.prettyPrint()}; "
                        "does its view include UCD-SNMP-MIB (.1.3.6.1.4.1.2021)?") from None


async def _get(host, port, community, mp_model, timeout, oids, where):
    from pysnmp.error import PySnmpError
    from pysnmp.hlapi.v3arch.asyncio import (
        CommunityData,
        ContextData,
        ObjectIdentity,
        ObjectType,
        SnmpEngine,
        Udp6TransportTarget,
        UdpTransportTarget,
        get_cmd,
    )
    transport = Udp6TransportTarget if ":" in host else UdpTransportTarget
    engine = SnmpEngine()
    try:
        try:
            target = await transport.create((host, port), timeout=timeout, retries=RETRIES)
        except PySnmpError as exc:
            text = str(exc)
            reason = "cannot resolve the host name" if "gaierror" in text else text.split(" caused by ")[0]
            raise SnmpError(f"{where}: {reason}") from None
        return await get_cmd(engine, CommunityData(community, mpModel=mp_model), target, ContextData(),
                             *(ObjectType(ObjectIdentity(oid)) for oid in oids))
    finally:
        engine.close_dispatcher()
