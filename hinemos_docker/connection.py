"""Why a connection to a peer (the Docker daemon, the Hinemos manager) failed, as one plain
sentence: never a Python repr. Works on exception objects only (no I/O)."""
import http.client
import re
import socket
import ssl

# what a TLS library reason means for the operator; {peer} is "the daemon" or "the manager"
TLS_REASONS = {
    "WRONG_VERSION_NUMBER": "TLS error: {peer} does not speak TLS on this port (wrong version number)",
    "TLSV13_ALERT_CERTIFICATE_REQUIRED": "TLS error: {peer} requires a client certificate",
}
# markers of urllib3 / requests texts that carry no exception object any more
TEXT_REASONS = (("Connection refused", "connection refused"),
                ("Name or service not known", "cannot resolve the host name"),
                ("Temporary failure in name resolution", "cannot resolve the host name"),
                ("timed out", "timed out"), ("No such file", "no such socket"),
                ("Remote end closed connection", "the connection was closed without an answer"),
                ("Connection reset", "the connection was reset"),
                ("Connection aborted", "the connection was closed without an answer"))


def _causes(exc):
    """exc and the exceptions it wraps: cause, context, `reason` (urllib3, urllib), an argument."""
    visited = set()
    while exc is not None and id(exc) not in visited:
        visited.add(id(exc))
        yield exc
        reason = getattr(exc, "reason", None)
        nested = [arg for arg in getattr(exc, "args", ()) if isinstance(arg, BaseException)]
        exc = (exc.__cause__ or exc.__context__ or (reason if isinstance(reason, BaseException) else None)
               or (nested[0] if nested else None))


def failure_reason(exc, peer="the peer"):
    """A short reason for a connection failure, from the innermost cause that says something."""
    for cause in _causes(exc):
        if isinstance(cause, socket.gaierror):
            return "cannot resolve the host name"
        if isinstance(cause, ConnectionRefusedError):
            return "connection refused"
        # RemoteDisconnected is a ConnectionResetError: the more precise words first
        if isinstance(cause, (http.client.RemoteDisconnected, BrokenPipeError)):
            return "the connection was closed without an answer"
        if isinstance(cause, ConnectionResetError):
            return "the connection was reset"
        if isinstance(cause, FileNotFoundError):
            return "no such socket"
        if isinstance(cause, PermissionError):
            return "permission denied"
        if isinstance(cause, (socket.timeout, TimeoutError)):
            return "timed out"
        if isinstance(cause, ssl.SSLCertVerificationError):
            return f"TLS error: certificate verify failed: {cause.verify_message}"
        if isinstance(cause, ssl.SSLEOFError):  # often how a refused or missing client certificate shows
            return f"TLS error: {peer} closed the connection (does it require a client certificate?)"
        if isinstance(cause, ssl.SSLError):
            if cause.reason in TLS_REASONS:
                return TLS_REASONS[cause.reason].format(peer=peer)
            words = cause.reason.lower().replace("_", " ") if cause.reason else "handshake failed"
            return f"TLS error: {words}"
        if isinstance(cause, http.client.HTTPException):
            return f"not an HTTP answer ({type(cause).__name__})"
    text = str(exc)
    for marker, reason in TEXT_REASONS:
        if marker in text:
            return reason
    first = text.splitlines()[0] if text else ""
    if not first or "(" in first or "<" in first:  # a repr: say what kind of failure it was
        return re.sub(r"(?<!^)(?=[A-Z])", " ", type(exc).__name__).lower()
    return first
