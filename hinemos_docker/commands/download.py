"""FileDockerContainerDownload.py: save a file or directory of one container as a tar archive in
a local directory, then print its path and listing (docs/rules.md#download-file-name).

The archive appears whole or not at all: it is written to a temporary file in DESTINATION and
renamed into place; on any failure the temporary file is removed.
"""
import os
import secrets
import tarfile

from .. import cli, jobs
from ..containers import container_name, short_id
from ..errors import ContainerNotFound, LocalFileError


def _download_options(parser):
    parser.add_argument("source", metavar="SOURCE",
                        help="path of the file or directory in the container, e.g. /root/")
    parser.add_argument("destination", metavar="DESTINATION",
                        help="local directory that receives the tar file (created if missing)")


def _refuse_non_directory(destination):
    """Fail before contacting Docker when DESTINATION exists but is not a directory."""
    if os.path.exists(destination) and not os.path.isdir(destination):
        raise LocalFileError(f"DESTINATION {destination} exists and is not a directory")


def _make_directory(destination):
    try:
        os.makedirs(destination, exist_ok=True)
    except OSError as exc:
        raise LocalFileError(f"cannot create DESTINATION {destination}: {exc.strerror}") from None


def write_atomically(path, chunks, mode=cli.DEFAULT_FILE_MODE):
    """Write the chunks to `path` through a temporary file in the same directory, then rename."""
    directory, name = os.path.split(path)
    temporary = os.path.join(directory, f".{name}.{secrets.token_hex(4)}.part")
    try:
        # `mode` and the umask: an archive may hold the container's secrets (default 0600)
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, mode)
    except OSError as exc:
        raise LocalFileError(f"cannot write in {directory or '.'}: {exc.strerror}") from None
    try:
        with os.fdopen(handle, "wb") as out:
            for chunk in chunks:
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        os.unlink(temporary)
        raise LocalFileError(f"cannot write {path}: {exc.strerror}") from None
    except BaseException:
        os.unlink(temporary)
        raise


def _members(path):
    try:
        with tarfile.open(path) as archive:
            return archive.getmembers()
    except (OSError, tarfile.TarError) as exc:
        raise LocalFileError(f"cannot read back {path}: {exc}") from None


def main(args, console):
    from ..docker_engine import connect
    _refuse_non_directory(args.destination)
    engine = connect(args)
    container = jobs.select_one(engine.containers(all=True), args.container_id, args.container_name)
    name = container_name(container)
    source = jobs.container_path(args.source)
    try:
        chunks, _stat = engine.archive(container["Id"], source)
    except ContainerNotFound as exc:
        raise ContainerNotFound(f"cannot download {source} from {short_id(container['Id'])} "
                                f"{name}: {exc.reason}", reason=exc.reason) from None
    path = os.path.join(args.destination, jobs.archive_name(name, source))
    _make_directory(args.destination)
    write_atomically(path, chunks, args.file_mode)
    console.print(path)
    for member in _members(path):
        console.print(jobs.listing_line(member))
    return 0


COMMAND = cli.Command(
    prog="FileDockerContainerDownload.py",
    description="Download SOURCE of one container as a tar archive into the local directory "
                "DESTINATION (owner, group and permissions kept), for a Hinemos command job.",
    options=[cli.docker_options, cli.required_container_options, cli.file_mode_option, _download_options],
    main=main,
    epilog="output: the path of DESTINATION/<container name><SOURCE with '/' as '_'>.tar, then one "
           "line per archive member: <mode> <uid>/<gid> <size> <YYYY-MM-DD HH:MM:SS> <name>\n"
           "exit status: 0 normal, 1 abnormal (bad options, no or several matching containers, "
           "SOURCE missing, DESTINATION not a writable directory, Docker unreachable)",
)
