"""RepositoryDockerNodeAdd/Delete/Update.py: keep the Hinemos repository in sync with the
containers of one Docker host (docs/rules.md#sync-idempotent).

acquire (the container list, the repository snapshot) -> plan (pure) -> apply: each step's
messages are printed before its call, so a fault mid-run shows where the run stopped; a rerun
converges because every plan only adds what is missing and changes what differs.
"""
import argparse
import collections
import socket
from datetime import datetime

from .. import cli, messages, repository_model, repository_plan
from ..docker_endpoint import host_of
from ..errors import DockerUnreachable, HinemosDockerError


def host_address(endpoint):
    """The Docker host's IPv4 address for the nodes (docs/rules.md#host-ipv4): a host name is resolved, since
    the manager accepts only a dotted IPv4; a unix socket is this machine."""
    host = host_of(endpoint.base_url)
    try:
        return socket.gethostbyname(host)
    except (OSError, UnicodeError):
        raise DockerUnreachable(f"cannot resolve the Docker host '{host}' to an IPv4 address "
                         "(Hinemos nodes need one)") from None


def apply(plan, client, say, done=None):
    """Print each step's messages, then make its call through the client; each call made is
    appended to `done` (a list) when given."""
    for step in plan.steps:
        for line in step.lines:
            say(line)
        if step.call is not None:
            getattr(client, step.call.operation)(*step.call.args)
            if done is not None:
                done.append(step.call)


def _sync(action):
    def main(args, console):
        from ..docker_engine import connect as connect_docker
        from ..hinemos_manager import connect as connect_manager
        from ..hinemos_manager import read_nodes
        from ..manager_http import from_args as manager_http
        japanese = messages.is_japanese()

        def say(line):
            console.print(line.render(japanese))

        say(messages.message("started"))
        user, password = cli.hinemos_credentials(args)
        say(messages.message("logging_in"))
        client = connect_manager(args.hinemos_url, user, password, api=args.hinemos_api,
                                 http=manager_http(args))
        try:
            say(messages.message("endpoint", url=client.endpoint_url))
            say(messages.message("username", user=user))
            # read first: wrong credentials (SOAP has no login call) show before the Docker listing
            repo = client.repository()

            engine = connect_docker(args)
            desired = repository_model.desired_state(args.host_facility_id, host_address(engine.endpoint),
                                               engine.containers(all=True), datetime.now())
            for line in action.container_lines(desired):
                say(line)
            repo = repo.with_nodes(read_nodes(client, action.node_ids(desired, repo), args.manager_reads))
            apply(action.plan(desired, repo), client, say)
        finally:
            client.close()
        say(messages.message("completed"))
        return 0
    return main


OPTIONS = [cli.docker_options, cli.hinemos_options, cli.manager_reads_option, cli.host_facility_option]

# ---- one run for many hosts (the cron wrapper's) ------------------------------------------------

WRAPPER = "RepositoryDockerNode.sh"


def _host_entry(text):
    """One HOSTS line: "<Docker host> <host facility ID>"."""
    words = text.split()
    if len(words) != 2:
        raise argparse.ArgumentTypeError(f"invalid host entry '{text}' "
                                         "(expected 'IP_ADDRESS HOST_FACILITY_ID')")
    return words[0], cli.facility_id(words[1])


def _hosts_options(parser):
    parser.add_argument("--host", dest="hosts", metavar="'IP_ADDRESS HOST_FACILITY_ID'", type=_host_entry,
                        action="append", required=True,
                        help="a Docker host (as -i takes it) and the facility ID of its node, one option "
                             "per host (required)")
    parser.add_argument("--hosts-in-flight", metavar="N", type=cli.positive_count,
                        default=cli.DEFAULT_HOSTS_IN_FLIGHT,
                        help=f"Docker hosts listed at once (default: {cli.DEFAULT_HOSTS_IN_FLIGHT})")


def _listing(args, ip, host_facility_id, now):
    """The Desired state of one host (its container list), or the error that stopped it."""
    from ..docker_engine import connect as connect_docker
    try:
        engine = connect_docker(argparse.Namespace(**{**vars(args), "docker_ip": ip}))
        return repository_model.desired_state(host_facility_id, host_address(engine.endpoint),
                                        engine.containers(all=True), now)
    except HinemosDockerError as exc:
        return exc


# hosts whose full nodes are being read while an earlier host is applied: enough to keep the
# manager's reads busy, few enough that the nodes held stay a few hosts' worth
HOSTS_READ_AHEAD = 2


def _read_run(args, user, password):
    """(client, Repository, the manager's error or None, per host its Desired state or its error):
    the facility tree and the container lists at once."""
    from concurrent.futures import ThreadPoolExecutor

    from ..hinemos_manager import connect as connect_manager
    from ..manager_http import from_args as manager_http
    client = None
    with ThreadPoolExecutor(max_workers=min(len(args.hosts), args.hosts_in_flight)) as pool:
        now = datetime.now()
        listings = [pool.submit(_listing, args, ip, fid, now) for ip, fid in args.hosts]
        try:
            client = connect_manager(args.hinemos_url, user, password, api=args.hinemos_api,
                                     http=manager_http(args))
            return client, client.repository(), None, [listing.result() for listing in listings]
        except HinemosDockerError as exc:
            return client, None, exc, [listing.result() for listing in listings]
        except BaseException:
            if client is not None:
                client.close()
            raise


class _HostsRun:
    """One run of _sync_hosts: the client, the Repository as the steps so far left it (None if the
    tree could not be read), and where the messages go."""

    def __init__(self, client, repo, manager_error, user, console):
        self.client, self.repo, self.manager_error, self.user = client, repo, manager_error, user
        self.console = console
        self.japanese = messages.is_japanese()

    def say(self, line):
        self.console.print(line.render(self.japanese))

    def queued(self, reader, hosts):
        """(--host entry, Desired state or error, a callable giving the full nodes the host's
        Delete and Update need) per host, in order. A host's reads are submitted HOSTS_READ_AHEAD
        hosts before it is applied, on the Repository as it is then, so the manager is kept busy
        and the nodes held are a few hosts' worth."""
        waiting, entries = collections.deque(), iter(hosts)

        def submit_next():
            entry = next(entries, None)
            if entry is None:
                return
            (ip, fid), host = entry
            futures = {}
            if not isinstance(host, Exception):
                futures = reader.submit(node_id for action in repository_plan.ACTIONS
                                        for node_id in action.node_ids(host, self.repo))
            waiting.append((ip, fid, host, lambda: {k: f.result() for k, f in futures.items()}))
        for _ in range(HOSTS_READ_AHEAD):
            submit_next()
        while waiting:
            entry = waiting.popleft()
            submit_next()
            yield entry

    def sync_host(self, ip, fid, host, read_nodes):
        """The three actions for one host; how many failed. The nodes only read for it are let go
        afterwards; those this run wrote stay known (a later host may need them)."""
        failures, nodes, read_error = 0, {}, self.manager_error
        if read_nodes is not None and not isinstance(host, Exception):
            try:
                nodes = read_nodes()
            except HinemosDockerError as exc:
                read_error = exc
        if self.repo is not None:
            self.repo = self.repo.with_nodes({**nodes, **self.repo.nodes})  # this run's writes win
        for action in repository_plan.ACTIONS:
            self.say(messages.message("started"))
            self.say(messages.message("logging_in"))
            try:
                if self.client is not None:
                    self.say(messages.message("endpoint", url=self.client.endpoint_url))
                    self.say(messages.message("username", user=self.user))
                if isinstance(host, Exception):
                    raise host
                if read_error is not None and (self.repo is None or action.reads_nodes):
                    raise read_error
                for line in action.container_lines(host):
                    self.say(line)
                done = []
                try:
                    apply(action.plan(host, self.repo), self.client, self.say, done)
                finally:
                    self.repo = repository_plan.applied(self.repo, done)
                self.say(messages.message("completed"))
            except HinemosDockerError as exc:
                console = self.console
                cli.Console(action.script, console.out, console.err).error(error_text(exc))
                console.err.write(f"{WRAPPER}: {action.script} -i {ip} -f {fid} failed "
                                  f"(exit {exc.exit_code})\n")
                failures += 1
        if self.repo is not None:  # a node written since it was read is another object
            written = {k: v for k, v in self.repo.nodes.items() if v is not nodes.get(k)}
            self.repo = self.repo.with_nodes(written)
        return failures


def _sync_hosts(args, console):
    """Add, Delete and Update for every --host with one facility tree read per run (_read_run);
    each host's steps are then planned and applied in turn, each on the snapshot as the earlier
    steps left it (repository_plan.applied), so every host's messages come together and in the
    order the three scripts print them, and each step's failure is reported as the wrapper did.
    A host's full nodes are read while the hosts before it are applied (_HostsRun.queued)."""
    from ..hinemos_manager import NodeReader
    user, password = cli.hinemos_credentials(args)
    client, repo, manager_error, desired = _read_run(args, user, password)
    run = _HostsRun(client, repo, manager_error, user, console)
    hosts = list(zip(args.hosts, desired))
    failures = 0
    try:
        if repo is None:
            for (ip, fid), host in hosts:
                failures += run.sync_host(ip, fid, host, None)
        else:
            with NodeReader(client, args.manager_reads) as reader:
                for ip, fid, host, read_nodes in run.queued(reader, hosts):
                    failures += run.sync_host(ip, fid, host, read_nodes)
    finally:
        if client is not None:
            client.close()
    return 1 if failures else 0


def error_text(exc):
    """Error lines in the language of the progress lines."""
    return messages.error_line(exc, messages.is_japanese())


EPILOG = ("Messages are in Japanese when the locale (LC_ALL, LC_MESSAGES, LANG) is ja, in English "
          "otherwise. Exit status: 0 normal, 1 abnormal.")


def _single_host_command(action, description):
    """The documented script that runs one action for one Docker host."""
    return cli.Command(prog=action.script, description=description, options=OPTIONS, main=_sync(action),
                       epilog=EPILOG, error_text=error_text)


ADD = _single_host_command(
    repository_plan.ADD,
    "Register the containers of a Docker host as Hinemos nodes: create the scopes "
    "docker_container, docker_host, docker_map and HOST_FACILITY_ID_scope, the host node "
    "and one node per container (running: managed, others: not), and assign them, plus "
    "each container to the existing scopes of its hinemosAssignScopeId label. Only what is "
    "missing is created, so reruns and further hosts are safe.")
DELETE = _single_host_command(
    repository_plan.DELETE,
    "Delete the container nodes of a Docker host (node variable DOCKER_HOST = "
    "HOST_FACILITY_ID) whose container no longer exists. Scopes, host nodes and other "
    "hosts' nodes are never deleted.")
UPDATE = _single_host_command(
    repository_plan.UPDATE,
    "Update the container nodes of a Docker host: node variable DOCKER_STATUS and the "
    "management flag from the container state (only running containers are managed), "
    "node name, host name and node variables of a container recreated under the same "
    "name, and assignments to the existing scopes of the hinemosAssignScopeId label "
    "(never released).")

SYNC = cli.Command(
    prog="RepositoryDockerNodeSync.py",
    description="What the cron wrapper RepositoryDockerNode.sh runs: RepositoryDockerNodeAdd, Delete and "
                "Update for every --host in one run, with the output of those scripts, host after host. "
                "The repository is read once, the Docker hosts and the manager's nodes in parallel. A "
                "failing step does not stop the others; each is reported on stderr as the wrapper "
                "reports it.",
    options=[_hosts_options, cli.docker_options, cli.hinemos_options, cli.manager_reads_option],
    main=_sync_hosts,
    epilog="Exit status: 0 when every step succeeded, 1 otherwise. -i is taken from each --host; the other "
           "Docker options apply to every host.", error_text=error_text)
