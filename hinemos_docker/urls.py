"""URLs and HOST:PORT texts of peers as the suite reads, shows and checks them: HOST:PORT parsing,
never a password in a message, and the origin a request may reach. Pure."""
import re
from urllib.parse import urlsplit

# HOST:PORT, [IPv6]:PORT, or (port optional) [IPv6]
HOST_PORT_RE = re.compile(r"^\[(?P<h6>[^\]]+)\](?::(?P<p6>[^:]*))?$|^(?P<h>[^:\[\]]+):(?P<p>[^:]*)$")
# greedy up to the last '@' before the path: a password may hold '@' itself
_USERINFO_RE = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)[^/\s]*@")



def port_value(text):
    """The TCP/UDP port 1-65535 `text` names, or None."""
    try:
        port = int(text, 10)
    except ValueError:
        return None
    return port if 1 <= port <= 65535 else None


def host_and_port_text(text):
    """(host, port text or None), or None when `text` is not in a HOST:PORT form."""
    match = HOST_PORT_RE.match(text)
    if not match:
        return None
    if match.group("h6"):
        return match.group("h6"), match.group("p6")
    return match.group("h"), match.group("p")

def without_credentials(url):
    """`url` with any user:password@ part replaced by `***@`, for messages."""
    return _USERINFO_RE.sub(lambda m: f"{m.group('scheme')}***@", str(url))


def has_credentials(url):
    """Whether a URL holds a user:password@ (or user@) part."""
    return "://" in url and "@" in url.split("://", 1)[1].split("/", 1)[0]


def origin(url):
    """(scheme, host, port) of a URL, the port made explicit; what a request may reach."""
    try:
        parts = urlsplit(url)
    except ValueError:  # a broken [IPv6] literal: no origin at all
        return "", "", None
    try:
        port = parts.port
    except ValueError:
        port = None
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    return parts.scheme.lower(), (parts.hostname or "").lower(), port or default

