"""What the stand-in's receiving side raises: one Notification per node, as the manager's
notification (監視結果) would show it."""
from dataclasses import dataclass

# PriorityConstant's four levels, by the names the Hinemos client shows them in English
CRITICAL, UNKNOWN, WARNING, INFO = "critical", "unknown", "warning", "info"


@dataclass(frozen=True)
class Notification:
    """One monitoring result: which setting, for which node (facility ID), how bad, and the text."""

    monitor_id: str
    facility_id: str
    priority: str
    message: str

    def line(self):
        """One printable line: `[priority] monitor_id facility_id: message`."""
        return f"[{self.priority}] {self.monitor_id} {self.facility_id}: {self.message}"
