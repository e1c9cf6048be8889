"""Peers named without passwords, and connection failures as one plain sentence (never a repr)."""
import http.client
import socket
import ssl

import pytest
import requests
import urllib3

from hinemos_docker.connection import failure_reason
from hinemos_docker.urls import has_credentials, origin, without_credentials


@pytest.mark.parametrize("url, shown", [
    ("http://admin:s3cret@mgr:8080/HinemosWS", "http://***@mgr:8080/HinemosWS"),
    ("https://admin:p@ss@mgr/HinemosWS", "https://***@mgr/HinemosWS"),
    ("tcp://u@127.0.0.1:2375", "tcp://***@127.0.0.1:2375"),
    ("http://mgr:8080/a@b", "http://mgr:8080/a@b"),
    ("cannot reach http://x:y@h/p: refused", "cannot reach http://***@h/p: refused"),
])
def test_credentials_never_shown(url, shown):
    assert without_credentials(url) == shown


def test_has_credentials():
    assert has_credentials("http://a:b@h/")
    assert has_credentials("http://a@h/")
    assert not has_credentials("http://h/a@b")
    assert not has_credentials("h:8080")


def test_origin_makes_the_port_explicit():
    assert origin("http://Mgr:8080/HinemosWS") == ("http", "mgr", 8080)
    assert origin("https://mgr/x") == ("https", "mgr", 443)
    assert origin("http://mgr/x") != origin("https://mgr/x")
    assert origin("file:///etc/passwd") == ("file", "", None)


def _wrapped(inner):
    """inner as requests raises it: ConnectionError(MaxRetryError(..., reason=ProtocolError(...)))."""
    protocol = urllib3.exceptions.ProtocolError("Connection aborted.", inner)
    retry = urllib3.exceptions.MaxRetryError(None, "/x", reason=protocol)
    return requests.exceptions.ConnectionError(retry)


@pytest.mark.parametrize("inner, reason", [
    (http.client.RemoteDisconnected("Remote end closed connection without response"),
     "the connection was closed without an answer"),
    (ConnectionResetError(104, "Connection reset by peer"), "the connection was reset"),
    (ConnectionRefusedError(111, "Connection refused"), "connection refused"),
    (socket.gaierror(-2, "Name or service not known"), "cannot resolve the host name"),
    (socket.timeout("timed out"), "timed out"),
    (http.client.BadStatusLine("garbage"), "not an HTTP answer (BadStatusLine)"),
])
def test_failure_reasons_are_plain_sentences(inner, reason):
    assert failure_reason(_wrapped(inner)) == reason


def test_tls_reasons_name_the_peer():
    error = ssl.SSLError(1, "[SSL: WRONG_VERSION_NUMBER] wrong version number")
    error.reason = "WRONG_VERSION_NUMBER"
    assert failure_reason(error, peer="the manager") == (
        "TLS error: the manager does not speak TLS on this port (wrong version number)")


def test_an_unknown_failure_is_named_by_its_kind_not_its_repr():
    class WeirdThing(Exception):
        pass
    reason = failure_reason(WeirdThing("<object at 0x7f>"))
    assert reason == "weird thing" and "(" not in reason and "<" not in reason
