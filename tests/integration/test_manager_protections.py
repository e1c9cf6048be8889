"""The credentials stay with the manager, and what the manager sends is bounded: requests go only to
the manager's origin (no foreign redirect, no foreign or local schema import), a URL with a password
is refused without echoing it, a password file others can read is refused, a reply is read up to a
size limit; HTTPS is verified (system CAs or --hinemos-cacert) unless --hinemos-insecure says not to.

A front on 127.0.0.1 relays to a stand-in and misbehaves as each test needs; 127.0.0.2, another
loopback address, plays the other host and records whatever reaches it."""
import re

import pytest
import requests

from hinemos_docker import hinemos_ws
from hinemos_docker.commands.repository_sync import ADD, DELETE
from hinemos_docker.errors import HinemosRefused
from hinemos_docker.manager_http import ManagerHttp

OTHER_HOST = "127.0.0.2"
SECRET = "Secr3t-pw"


def relay(sandbox, request, front_host):
    """The stand-in's answer to `request`, with the front's address written into the WSDL."""
    headers = {k: v for k, v in request.headers.items() if k.lower() not in ("host", "content-length")}
    headers["Host"] = front_host
    root = sandbox.base_url.rsplit("/HinemosWS", 1)[0]
    answer = requests.request(request.method, root + request.path, data=request.body or None,
                              headers=headers, timeout=10)
    content_type = answer.headers.get("Content-Type", "text/xml")
    return answer.status_code, {"Content-Type": content_type}, answer.content


@pytest.fixture
def other_host(http_server):
    """The other host: answers 200 to anything, and records it."""
    return http_server(lambda request: (200, {"Content-Type": "text/xml"}, b"<x/>"), host=OTHER_HOST)


@pytest.fixture
def front(http_server, sandbox):
    """front(tamper) -> server at 127.0.0.1 that relays to the stand-in; tamper(request, relayed)
    may return another answer."""
    def make(tamper):
        holder = {}

        def handle(request):
            relayed = lambda: relay(sandbox, request, f"127.0.0.1:{holder['server'].port}")
            return tamper(request, relayed)
        holder["server"] = http_server(handle)
        return holder["server"]
    return make


def one_line(result, prog):
    assert result.code == 1, result
    lines = result.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{prog}: "), result.err
    return lines[0][len(prog) + 2:]


def sync_delete(run_script, url, *extra):
    # Delete against an empty repository reads the tree and the containers and changes nothing
    return run_script(DELETE, "-m", url, "-f", "hdt-protect-host", "-i", "127.0.0.1", *extra)


# ---- origin: imports and redirects ------------------------------------------------------------

@pytest.mark.parametrize("elsewhere", ["file:///etc/passwd", f"http://{OTHER_HOST}:{{port}}/evil.xsd",
                                       "https://127.0.0.1:{front}/HinemosWS/RepositoryEndpoint?xsd=2"])
def test_a_schema_import_from_anywhere_but_the_manager_is_refused(run_script, front, other_host, elsewhere):
    def tamper(request, relayed):
        status, headers, body = relayed()
        if request.path.endswith("?wsdl"):
            body = re.sub(rb'schemaLocation="[^"]*\?xsd=2"', f'schemaLocation="{target}"'.encode(), body)
        return status, headers, body
    server = front(tamper)
    target = elsewhere.format(port=other_host.port, front=server.port)
    result = sync_delete(run_script, f"{server.base}/HinemosWS")
    assert one_line(result, "RepositoryDockerNodeDelete.py") == (
        f"refusing to fetch {target} for the Hinemos manager at {server.base}: only the "
        "manager's own address is read")
    assert other_host.requests == []


def test_a_post_redirected_to_another_host_never_carries_the_credentials(run_script, front, other_host,
                                                                          tmp_path):
    password_file = tmp_path / "password"
    password_file.write_text(f"{SECRET}\n")
    password_file.chmod(0o600)
    target = f"http://{OTHER_HOST}:{other_host.port}/HinemosWS/RepositoryEndpoint"

    def tamper(request, relayed):
        if request.method == "POST":
            return 307, {"Location": target}, b""
        return relayed()
    server = front(tamper)
    result = sync_delete(run_script, f"{server.base}/HinemosWS", "--password-file", password_file)
    message = one_line(result, "RepositoryDockerNodeDelete.py")
    assert message.startswith(f"the Hinemos manager at {server.base} redirected to {target}, "
                              "not the manager's own address: refusing to follow it")
    assert other_host.requests == []
    assert any(r.method == "POST" and "Authorization" in r.headers for r in server.requests)
    assert SECRET not in result.out + result.err


def test_a_wsdl_redirected_to_another_host_is_not_followed(run_script, front, other_host):
    target = f"http://{OTHER_HOST}:{other_host.port}/HinemosWS/RepositoryEndpoint?wsdl"
    server = front(lambda request, relayed: (302, {"Location": target}, b""))
    result = sync_delete(run_script, f"{server.base}/HinemosWS")
    assert "refusing to follow it" in one_line(result, "RepositoryDockerNodeDelete.py")
    assert other_host.requests == []


def test_a_redirect_within_the_manager_is_followed_for_a_get(http_server):
    def handle(request):
        if request.path == "/old":
            return 302, {"Location": "/new"}, b""
        return 200, {}, b"moved here"
    server = http_server(handle)
    reply = ManagerHttp(f"{server.base}/HinemosWS").request("GET", f"{server.base}/old")
    assert (reply.status, reply.body, reply.url) == (200, b"moved here", f"{server.base}/new")


def test_an_http_redirect_from_https_is_another_origin(http_server):
    server = http_server(lambda request: (302, {"Location": "http://127.0.0.1:1/x"}, b""))
    http = ManagerHttp(f"{server.base}/HinemosWS")
    http.origin = ("https",) + http.origin[1:]  # as if the manager were https: http is another origin
    with pytest.raises(HinemosRefused, match="refusing to fetch"):
        http.request("GET", f"{server.base}/x")


# ---- credentials -------------------------------------------------------------------------------

@pytest.mark.parametrize("command", [ADD, DELETE])
def test_a_manager_url_with_a_password_is_refused_and_never_echoed(run_script, command):
    result = run_script(command, "-m", f"http://admin:{SECRET}@127.0.0.1:1/HinemosWS", "-f", "h1")
    message = one_line(result, command.prog)
    assert "holds credentials: give them with --user and --password-file" in message
    assert "http://***@127.0.0.1:1/HinemosWS" in message
    assert SECRET not in result.out + result.err


def test_a_docker_url_with_a_password_is_refused_and_never_echoed(run_script):
    from hinemos_docker.commands.process_monitor import COMMAND
    result = run_script(COMMAND, "-i", f"tcp://admin:{SECRET}@127.0.0.1:2375")
    assert "tcp://***@127.0.0.1:2375" in one_line(result, COMMAND.prog)
    assert SECRET not in result.out + result.err


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604])
def test_a_password_file_others_can_read_is_refused_before_any_request(run_script, sandbox, tmp_path, mode):
    password_file = tmp_path / "password"
    password_file.write_text("hinemos\n")
    password_file.chmod(mode)
    result = sync_delete(run_script, sandbox.base_url, "--password-file", password_file)
    assert one_line(result, DELETE.prog) == (
        f"password file {password_file} is open to group or others (mode 0{mode:o}): "
        f"run chmod 600 {password_file}")
    assert sum(sandbox.calls.values()) == 0


# ---- size ------------------------------------------------------------------------------------

def test_a_reply_over_the_limit_is_refused_without_reading_it_whole(http_server):
    chunks = (b"x" * 65536 for _ in range(64))  # 4 MiB, chunked: no length announced
    server = http_server(lambda request: (200, {}, chunks))
    http = ManagerHttp(f"{server.base}/HinemosWS", max_reply_bytes=1024 * 1024)
    with pytest.raises(HinemosRefused, match="with more than 1 MiB: refusing to read it"):
        http.request("GET", f"{server.base}/HinemosWS/RepositoryEndpoint?wsdl")


def test_a_reply_handed_on_as_it_arrives_is_limited_too(http_server):
    chunks = (b"x" * 65536 for _ in range(64))
    server = http_server(lambda request: (200, {}, chunks))
    http = ManagerHttp(f"{server.base}/HinemosWS", max_reply_bytes=1024 * 1024)
    received = []
    with pytest.raises(HinemosRefused, match="with more than 1 MiB: refusing to read it"):
        http.request("GET", f"{server.base}/HinemosWS/RepositoryEndpoint?wsdl", sink=received.append)
    assert sum(map(len, received)) <= 1024 * 1024


def test_a_declared_length_over_the_limit_is_refused_by_the_script(run_script, http_server):
    server = http_server(lambda request: (200, {"Content-Length": str(10 * 1024 ** 3)}, iter([b""])))
    result = sync_delete(run_script, f"{server.base}/HinemosWS")
    assert one_line(result, DELETE.prog).endswith("with more than 64 MiB: refusing to read it")


# ---- HTTPS -------------------------------------------------------------------------------------

@pytest.fixture
def https_sandbox(make_sandbox, tls_certs):
    return make_sandbox(tls_cert=tls_certs.server_cert, tls_key=tls_certs.server_key)


def test_the_stand_in_serves_https_to_an_independent_client(https_sandbox, tls_certs):
    assert https_sandbox.base_url.startswith("https://127.0.0.1:")
    answer = requests.get(https_sandbox.wsdl_url, verify=str(tls_certs.ca), timeout=10)
    assert answer.status_code == 200 and b"RepositoryEndpoint" in answer.content
    assert f'schemaLocation="{https_sandbox.endpoint_url}?xsd=1"'.encode() in answer.content
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(https_sandbox.wsdl_url, timeout=10)  # requests' own CAs never signed it


def test_the_stand_in_process_serves_https(run_sandbox_process, tmp_path, tls_certs):
    _, base_url = run_sandbox_process(tmp_path / "data.json", "--tls-cert", tls_certs.server_cert,
                                      "--tls-key", tls_certs.server_key)
    assert base_url.startswith("https://127.0.0.1:")
    answer = requests.get(f"{base_url}/RepositoryEndpoint?wsdl", verify=str(tls_certs.ca), timeout=10)
    assert answer.status_code == 200


@pytest.mark.parametrize("version", ["7.1", "6.2"])
def test_https_verified_with_the_given_ca_over_rest_and_soap(run_script, make_sandbox, tls_certs, version):
    served = make_sandbox(version=version, tls_cert=tls_certs.server_cert, tls_key=tls_certs.server_key)
    result = sync_delete(run_script, served.base_url, "--hinemos-cacert", tls_certs.ca)
    assert (result.code, result.err) == (0, ""), result.err
    assert served.root_url in result.out and served.root_url.startswith("https://")


def test_https_verified_by_the_soap_client_itself(https_sandbox, tls_certs):
    client = hinemos_ws.connect(https_sandbox.base_url, "hinemos", "hinemos",
                                http=ManagerHttp(https_sandbox.root_url, cacert=str(tls_certs.ca)))
    assert client.call("echo", "hi") == "hi, hi"


@pytest.mark.parametrize("cacert", [None, "other"])
def test_https_without_the_right_ca_is_one_line(run_script, https_sandbox, tls_certs, cacert):
    extra = () if cacert is None else ("--hinemos-cacert", tls_certs.other_ca)
    message = one_line(sync_delete(run_script, https_sandbox.base_url, *extra), DELETE.prog)
    # the first request (the 7.x probe) is where verification fails
    assert message.startswith(f"cannot reach the Hinemos manager at {https_sandbox.root_url}/"), message
    assert ": TLS error: certificate verify failed: " in message, message
    assert sum(https_sandbox.calls.values()) == 0


def test_https_insecure_works_and_warns(run_script, https_sandbox):
    result = sync_delete(run_script, https_sandbox.base_url, "--hinemos-insecure")
    assert result.code == 0, result.err
    assert result.err.splitlines() == [
        f"{DELETE.prog}: warning: not verifying the certificate of the Hinemos manager at "
        f"{https_sandbox.root_url} (--hinemos-insecure): anyone on the path can read the password"]


def test_a_missing_cacert_file_is_one_line(run_script, https_sandbox, tmp_path):
    missing = tmp_path / "ca.pem"
    result = sync_delete(run_script, https_sandbox.base_url, "--hinemos-cacert", missing)
    message = one_line(result, DELETE.prog)
    assert message == f"--hinemos-cacert {missing}: no such file"


def test_plain_http_to_the_https_stand_in_is_one_line(run_script, https_sandbox):
    url = https_sandbox.base_url.replace("https://", "http://")
    message = one_line(sync_delete(run_script, url), DELETE.prog)
    plain_root = https_sandbox.root_url.replace("https://", "http://")
    assert message.startswith(f"cannot reach the Hinemos manager at {plain_root}/")
    assert "(" not in message.split(": ", 1)[1]  # a plain sentence, not a repr
