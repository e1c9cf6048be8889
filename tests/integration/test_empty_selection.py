"""A custom monitor that selects no running container prints `<prefix>:(none),0` lines instead of
nothing (Hinemos judges empty stdout UNKNOWN every interval); an exact -c/-n naming a stopped
container still prints nothing."""
import pytest

from hinemos_docker.commands import cpu, disk, memory, network, process_monitor
from hinemos_docker.output import AGENT_LINE_RE

RATE = ["-k", "empty", "--state-dir"]  # followed by the test's directory


@pytest.mark.parametrize("command, extra, expected", [
    (cpu.COMMAND, RATE, ["cpu_usage:(none),0"]),
    (cpu.COMMAND, ["--core"] + RATE, ["cpu_usage:(none),0"]),
    (disk.COMMAND, RATE, ["disk_read:(none),0", "disk_write:(none),0"]),
    (disk.COMMAND, ["--write"] + RATE, ["disk_write:(none),0"]),
    (network.COMMAND, ["--pck", "--rx"] + RATE, ["nw_rxpck:(none),0"]),
    (network.COMMAND, RATE, ["nw_rxkb:(none),0", "nw_txkb:(none),0"]),
    (memory.COMMAND, [], ["host_mem_usage:(none),0"]),
    (memory.COMMAND, ["--all"], ["host_mem_usage:(none),0"]),
    (process_monitor.COMMAND, ["-prog", "httpd"], ["httpd:(none),0"]),
    (process_monitor.COMMAND, [], [".*:(none),0"]),
], ids=lambda value: getattr(value, "prog", None))
def test_a_pattern_without_a_running_container_prints_none_lines(run_script, make_container, unique_prefix,
                                                                 tmp_path,
                                                                 command, extra, expected):
    make_container("stopped", state="exited")  # matched by the pattern, but not running
    argv = [*extra, tmp_path] if extra[-1:] == ["--state-dir"] else extra
    result = run_script(command, "-i", "127.0.0.1", "-n", f"{unique_prefix}*", *argv)
    assert (result.code, result.lines, result.err) == (0, expected, "")
    assert all(AGENT_LINE_RE.match(line) for line in result.lines)


@pytest.mark.parametrize("command, extra", [
    (cpu.COMMAND, RATE), (disk.COMMAND, RATE), (memory.COMMAND, []), (process_monitor.COMMAND, []),
], ids=lambda value: getattr(value, "prog", None))
def test_an_exact_name_of_a_stopped_container_still_prints_nothing(run_script, make_container, tmp_path,
                                                                    command, extra):
    stopped = make_container("stopped", state="exited")
    argv = [*extra, tmp_path] if extra else []
    result = run_script(command, "-i", "127.0.0.1", "-n", stopped.name, *argv)
    assert (result.code, result.out, result.err) == (0, "", "")
