"""URLs of peers as the suite shows and checks them: never a password in a message, and the
origin a request may reach. Pure."""
import re
from urllib.parse import urlsplit

# greedy up to the last '@' before the path: a password may hold '@' itself
_USERINFO_RE = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)[^/\s]*@")


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

