"""-m as the manual and Hinemos 7.x write it (manager_url, pure), and the options of the manager
connection as the harness parses them."""
import pytest

from hinemos_docker import cli, manager_url
from hinemos_docker.commands.repository_sync import ADD
from hinemos_docker.errors import UsageError


@pytest.mark.parametrize("text, soap, rest", [
    ("http://mgr:8080/HinemosWS/", "http://mgr:8080/HinemosWS", "http://mgr:8080/HinemosWeb/api"),
    ("http://mgr:8080/HinemosWS", "http://mgr:8080/HinemosWS", "http://mgr:8080/HinemosWeb/api"),
    ("http://mgr:8080/HinemosWS/RepositoryEndpoint", "http://mgr:8080/HinemosWS", "http://mgr:8080/HinemosWeb/api"),
    ("http://mgr:8080/HinemosWS/RepositoryEndpoint?wsdl", "http://mgr:8080/HinemosWS",
     "http://mgr:8080/HinemosWeb/api"),
    ("http://mgr:8080/HinemosWeb/api", "http://mgr:8080/HinemosWS", "http://mgr:8080/HinemosWeb/api"),
    ("http://mgr:8080/HinemosWeb/api/", "http://mgr:8080/HinemosWS", "http://mgr:8080/HinemosWeb/api"),
    ("http://mgr:8080/HinemosWeb/", "http://mgr:8080/HinemosWS", "http://mgr:8080/HinemosWeb/api"),
    ("http://mgr:8080", "http://mgr:8080/HinemosWS", "http://mgr:8080/HinemosWeb/api"),
    ("HTTP://mgr:8080/", "http://mgr:8080/HinemosWS", "http://mgr:8080/HinemosWeb/api"),
    ("https://[::1]:8443/proxy/HinemosWS/", "https://[::1]:8443/proxy/HinemosWS",
     "https://[::1]:8443/proxy/HinemosWeb/api"),
    ("http://mgr/custom/ws", "http://mgr/custom/ws", "http://mgr/HinemosWeb/api"),
])
def test_every_form_gives_both_bases(text, soap, rest):
    parsed = manager_url.parse(text)
    assert (parsed.soap_base, parsed.rest_base) == (soap, rest)


def test_the_root_is_scheme_host_and_port():
    assert manager_url.parse("HTTPS://Mgr:8443/HinemosWeb/api").root == "https://Mgr:8443"
    assert manager_url.parse("http://[::1]:8080/HinemosWS/").root == "http://[::1]:8080"


@pytest.mark.parametrize("text", ["ftp://mgr/", "mgr:8080", "//mgr:8080", "http://", "http://:8080",
                                  "http://mgr:99999/", "http://mgr:0/", "http://mgr:port/",
                                  "http://mgr:8080/HinemosWS?x=1", "http://mgr:8080/#top", "file:///etc/passwd"])
def test_what_is_not_a_manager_url(text):
    with pytest.raises(ValueError, match="invalid manager URL"):
        manager_url.parse(text)


def parse(*argv):
    return cli.build_parser(ADD).parse_args(["-f", "host1", *argv])


def test_options_of_the_manager_connection():
    args = parse()
    assert (args.hinemos_url.soap_base, args.hinemos_api, args.hinemos_timeout) == (
        "http://127.0.0.1:8080/HinemosWS", "auto", 10.0)
    args = parse("-m", "http://mgr:8080/HinemosWeb/api", "--hinemos-api", "rest", "--hinemos-timeout", "2.5")
    assert (args.hinemos_url.rest_base, args.hinemos_api, args.hinemos_timeout) == (
        "http://mgr:8080/HinemosWeb/api", "rest", 2.5)


@pytest.mark.parametrize("argv, message", [
    (["-m", "mgr:8080"], "invalid manager URL 'mgr:8080'"),
    (["--hinemos-api", "corba"], "invalid choice: 'corba'"),
    (["--hinemos-timeout", "0"], "invalid timeout '0'"),
    (["--hinemos-timeout", "-1"], "invalid timeout '-1'"),
    (["--hinemos-timeout", "nan"], "invalid timeout 'nan'"),
])
def test_bad_manager_options_are_usage_errors(argv, message):
    with pytest.raises(UsageError, match=message):
        parse(*argv)
