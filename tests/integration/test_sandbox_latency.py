"""The stand-in's --latency-ms: every answer (SOAP and WSDL alike) leaves N ms after its request,
and calls in flight together wait together instead of queueing behind one another. Checked with
independent clients: plain HTTP for the raw calls; our client, suds and zeep for whole SOAP calls."""
import base64
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest

from tests.fixtures.soap_apis import API_KINDS, Api

GOOD_AUTH = "Basic " + base64.b64encode(b"hinemos:hinemos").decode()
ECHO = (b'<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body>'
        b'<r:echo xmlns:r="http://repository.ws.clustercontrol.com"><arg0>hi</arg0></r:echo>'
        b"</S:Body></S:Envelope>")


def timed_echo(sandbox):
    """(seconds from sending to the whole answer, HTTP status, body) of one echo on a new connection."""
    request = urllib.request.Request(sandbox.endpoint_url, data=ECHO, headers={
        "Content-Type": "text/xml; charset=utf-8", "Authorization": GOOD_AUTH})
    sent = time.monotonic()
    with urllib.request.urlopen(request, timeout=30) as response:
        body = response.read()
        return time.monotonic() - sent, response.status, body


def test_every_answer_comes_no_sooner_than_the_latency(make_sandbox):
    sandbox = make_sandbox(latency_ms=300)
    took, status, body = timed_echo(sandbox)
    assert status == 200 and b"<return>hi, hi</return>" in body
    assert took >= 0.3
    sent = time.monotonic()
    with urllib.request.urlopen(sandbox.wsdl_url, timeout=30) as response:
        assert b"RepositoryEndpoint" in response.read()
    assert time.monotonic() - sent >= 0.3


def test_calls_in_flight_together_wait_together(make_sandbox):
    """Six clients on six connections at once: all six answers are held back at the same moment
    (a stand-in that served them one after another would never hold more than one)."""
    sandbox = make_sandbox(latency_ms=1500)
    results = []
    threads = [threading.Thread(target=lambda: results.append(timed_echo(sandbox))) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [status for _, status, _ in results] == [200] * 6
    assert all(took >= 1.5 for took, _, _ in results)
    assert sandbox.in_flight_peak == 6
    assert sandbox.calls["echo"] == 6


@pytest.mark.parametrize("kind", API_KINDS)
def test_soap_clients_see_the_latency_and_the_same_answers(make_sandbox, kind):
    sandbox = make_sandbox(latency_ms=200)
    api = Api(kind, sandbox)  # reads the WSDL and its schemas, each held back too
    sent = time.monotonic()
    platforms = api("getPlatformList")
    assert time.monotonic() - sent >= 0.2
    assert {"LINUX", "WINDOWS"} <= {platform["id"] for platform in platforms}
    assert sandbox.calls["getPlatformList"] == 1


def test_without_latency_nothing_is_held_back(make_sandbox):
    sandbox = make_sandbox()
    assert timed_echo(sandbox)[1] == 200
    assert sandbox.in_flight_peak == 0


def test_cli_takes_latency_ms(run_sandbox_process, tmp_path):
    process, base_url = run_sandbox_process(tmp_path / "repository.json", "--latency-ms", "250")
    sent = time.monotonic()
    with urllib.request.urlopen(f"{base_url}/RepositoryEndpoint?wsdl", timeout=30) as response:
        assert response.status == 200
    assert time.monotonic() - sent >= 0.25


@pytest.mark.parametrize("value", ["-5", "abc", "1.5"])
def test_cli_rejects_a_bad_latency(tmp_path, value):
    result = subprocess.run([sys.executable, "-m", "hinemos_docker.sandbox", "--port", "0", "--data",
                             str(tmp_path / "r.json"), "--latency-ms", value],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert f"invalid number of milliseconds '{value}'" in result.stderr
    assert not (tmp_path / "r.json").exists()


def test_a_rest_stand_in_holds_its_answers_back_too(make_sandbox):
    """7.x: the REST API's answers (here the error body of a path it does not serve) wait too."""
    sandbox = make_sandbox(version="7.1", latency_ms=300)
    sent = time.monotonic()
    try:
        urllib.request.urlopen(f"{sandbox.base_url}/NoSuchApi/none", timeout=30)
    except urllib.error.HTTPError as error:
        assert error.code == 404
    else:
        pytest.fail("the stand-in served a path the manager does not publish")
    assert time.monotonic() - sent >= 0.3
    assert sandbox.in_flight_peak == 1
