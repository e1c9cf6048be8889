"""Every printed line matches the Hinemos agent rule; NaN/inf/exponents never reach stdout."""
import io
import math

import pytest

from hinemos_docker.cli import Console
from hinemos_docker.errors import OutputError
from hinemos_docker.output import (
    AGENT_LINE_RE,
    Measurement,
    buffer_warning,
    count,
    emit,
    format_line,
    format_number,
    none_measurements,
    percent,
)


@pytest.mark.parametrize("value, decimals, text", [
    (0.07, 2, "0.07"), (0.0, 2, "0.00"), (-0.0001, 2, "0.00"), (12.345, 2, "12.35"),
    (1e-12, 2, "0.00"), (1e20, 2, "100000000000000000000.00"), (3, 0, "3"),
    (474361657, 0, "474361657"), (9223372036854775807, 0, "9223372036854775807"), (-5.5, 2, "-5.50"),
])
def test_format_number_is_fixed_point(value, decimals, text):
    assert format_number(value, decimals) == text
    assert "e" not in text.lower()


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, None, "1", True])
def test_non_numbers_are_refused(value):
    with pytest.raises(OutputError):
        format_number(value, 2)


def test_lines_match_the_agent_rule():
    for m in (percent("cpu_usage:conteiner_C", 0.07), count("Status", 0), count("running", 3),
              percent("cpu_usage#1:web,with,commas", 99.999)):
        assert AGENT_LINE_RE.match(format_line(m))
    assert format_line(count("Status", 0)) == "Status,0"


@pytest.mark.parametrize("key", ["", "a\nb", "x\r"])
def test_bad_keys_are_refused(key):
    with pytest.raises(OutputError):
        format_line(Measurement(key, 1.0))


def test_emit_leaves_out_bad_values_with_a_warning():
    out, err = io.StringIO(), io.StringIO()
    emit(Console("T.py", out, err), [percent("a", 1.0), percent("b", math.nan), count("c", 2)])
    assert out.getvalue() == "a,1.00\nc,2\n"
    assert "T.py: warning: b:" in err.getvalue()


def test_emit_warns_when_hinemos_would_truncate():
    out, err = io.StringIO(), io.StringIO()
    emit(Console("T.py", out, err), [percent(f"cpu_usage:container_number_{i:03d}", 1.0) for i in range(30)])
    size = len(out.getvalue().encode())
    assert size > 512
    warning = err.getvalue()
    assert warning.startswith(f"T.py: warning: output is {size} bytes;") and warning.count("\n") == 1
    assert f"raise monitor.custom.buffer to at least {size} in the agent's Agent.properties" in warning
    assert "scope docker_container, -c #[NODE_NAME]" in warning
    out, err = io.StringIO(), io.StringIO()
    emit(Console("T.py", out, err), [count("Status", 0)])
    assert err.getvalue() == ""


def test_buffer_warning_leaves_out_the_per_container_remedy_for_one_container():
    text = buffer_warning(2611, per_container_helps=False)
    assert "at least 2611" in text and "-c #[NODE_NAME]" not in text


def test_none_lines_match_the_agent_rule_and_cannot_be_a_container():
    lines = [format_line(m) for m in none_measurements(["disk_read", "disk_write", "httpd -D X"])]
    assert lines == ["disk_read:(none),0", "disk_write:(none),0", "httpd -D X:(none),0"]
    assert all(AGENT_LINE_RE.match(line) for line in lines)
