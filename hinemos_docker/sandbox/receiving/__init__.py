"""The stand-in manager's receiving side: what a real Hinemos manager does with the monitors'
output, so that tests and the demo see the notifications an operator would get.

- syslog_parser: an RFC 3164 packet parsed as the manager's SyslogMessage.parse does (the year
  rule, the HOSTNAME check, the fall-backs).
- systemlog: HOSTNAME -> nodes (node name of valid nodes, then IP address, then host names, else
  UNREGISTERED; a name whose nodes are all unmanaged drops the message), the monitor's scope, the
  pattern rules (whole-message match, first matching rule wins); the manual's CONTAINER_STATUS and
  CONTAINER_EVENT settings.
- receiver: UDP and TCP listeners on 127.0.0.1 feeding systemlog with the repository of a running
  stand-in or of its data file, read through the Repository's own query operations.
- custom: the agent's reading of a custom monitor's stdout (the monitor.custom.buffer cut, the
  key,value rule, invalid lines) and the manager's judgement (empty output, thresholds); the
  manual's custom-monitor settings.

Sources (github.com/hinemos/hinemos): HinemosManager/src_systemlog/.../bean/SyslogMessage.java,
.../service/SystemLogMonitor.java, HinemosManager/src_repository/.../factory/FacilitySelector.java,
HinemosWorkers/src_agent/.../agent/custom/CommandCollector.java,
HinemosCommon/src/.../util/CommandExecutor.java, HinemosManager/src_custom/.../factory/RunCustom.java.
"""
from .notifications import Notification

__all__ = ["Notification"]
