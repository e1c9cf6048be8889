"""SettingDockerAdd.py: register the manual's Hinemos monitor settings (and, when asked, a jobunit
of its command jobs) in one run.

acquire (the notifications, facilities and settings the manager holds) -> plan (pure) -> apply:
each change's line is printed before its call, so a fault mid-run shows where it stopped, and a
rerun converges because only what is missing is created.
"""
import dataclasses

from .. import cli, messages, settings, settings_plan
from ..errors import HinemosError, UsageError

DRY_RUN_PREFIX = "(dry-run) "


def _options(parser):
    group = parser.add_argument_group("settings")
    group.add_argument("--bin-dir", default=settings.DEFAULT_BIN_DIR, metavar="DIR",
                       help=f"where the scripts are installed on the execution node, used in every "
                            f"command line (default: {settings.DEFAULT_BIN_DIR})")
    group.add_argument("--exec-node", default=settings.DEFAULT_EXEC_NODE, type=cli.facility_id,
                       metavar="FACILITY_ID",
                       help="facility ID of the node whose agent runs the commands "
                            f"(default: {settings.DEFAULT_EXEC_NODE})")
    group.add_argument("--notify-id", default=settings.DEFAULT_NOTIFY_ID, metavar="NOTIFY_ID",
                       help="notification of the monitors; it must exist in the manager "
                            f"(default: {settings.DEFAULT_NOTIFY_ID})")
    group.add_argument("--owner-role", default=settings.DEFAULT_OWNER_ROLE, metavar="ROLE_ID",
                       help=f"owner role of the settings (default: {settings.DEFAULT_OWNER_ROLE})")
    group.add_argument("--per-container", action="store_true",
                       help="the per-container form of the container custom monitors: scope "
                            "docker_container and -c #[NODE_NAME], one container per run (no "
                            "512-byte limit of the agent whatever the number of containers)")
    group.add_argument("--replace", action="store_true",
                       help="replace a setting that differs from this command's (default: report it "
                            "and leave it alone)")
    group.add_argument("--dry-run", action="store_true",
                       help="print what would be created or replaced, change nothing")
    jobs = parser.add_argument_group("jobunit of the command jobs (only with both options)")
    jobs.add_argument("--job-host", metavar="DOCKER_HOST",
                      help="the Docker host the jobs act on (their -i), e.g. docker_host1")
    jobs.add_argument("--job-container", metavar="CONTAINER_NAME",
                      help="the container the jobs act on (their -n), e.g. container_D")
    jobs.add_argument("--jobunit-id", default=settings.DEFAULT_JOBUNIT_ID, metavar="JOBUNIT_ID",
                      help=f"jobunit holding the jobs (default: {settings.DEFAULT_JOBUNIT_ID})")
    parser.add_rule(cli.TOGETHER, ("job_host", "job_container"), "--job-host and --job-container go together")


def _job_target(args):
    """(host, container) for the jobunit, None without; both options or neither."""
    if args.job_host is None:
        return None
    try:
        settings.job_ids(args.job_container)
    except ValueError as e:
        raise UsageError(f"--job-container {args.job_container}: {e}") from None
    return args.job_host, args.job_container


def connect(args):
    """The settings interface of the manager named by -m, over the API it speaks (--hinemos-api)."""
    from ..hinemos_manager import connect_settings
    from ..manager_http import from_args as manager_http
    user, password = cli.hinemos_credentials(args)
    return connect_settings(args.hinemos_url, user, password, args.hinemos_api, http=manager_http(args)), user


def main(args, console):
    japanese = messages.is_japanese()

    def say(line, writes=False):
        text = line.render(japanese)
        console.print(DRY_RUN_PREFIX + text if writes and args.dry_run else text)

    jobs = _job_target(args)
    options = settings.Options(bin_dir=args.bin_dir, notify_id=args.notify_id, owner_role=args.owner_role,
                               exec_node=args.exec_node, per_container=args.per_container)
    say(messages.message("started"))
    say(messages.message("logging_in"))
    manager, user = connect(args)
    try:
        say(messages.message("endpoint", url=manager.endpoint_url))
        say(messages.message("username", user=user))
        options = _checked(manager, options, say, japanese)
        _register_monitors(manager, settings.monitors(options), args, say)
        if jobs is not None:
            _register_jobunit(manager, settings.jobunit(args.jobunit_id, *jobs, options), args, say)
    finally:
        manager.close()
    if args.dry_run:
        say(messages.message("setting_dry_run"))
    say(messages.message("completed"))
    return 0


def _checked(manager, options, say, japanese):
    """Before any write: the notification (its type goes into the settings), the scopes and the
    execution node exist; else one line saying what to create."""
    say(messages.message("setting_checking_notifications", ids=[options.notify_id]))
    types = manager.notification_types([options.notify_id])
    if options.notify_id not in types:
        raise HinemosError(messages.message("setting_notification_missing", id=options.notify_id)
                           .render(japanese))
    options = dataclasses.replace(options, notify_type=types[options.notify_id])
    scopes = sorted({monitor["facilityId"] for monitor in settings.monitors(options)})
    missing = manager.missing_facilities(scopes + [options.exec_node])
    if missing:
        key = "setting_node_missing" if missing[0] == options.exec_node else "setting_scope_missing"
        raise HinemosError(messages.message(key, id=missing[0]).render(japanese))
    return options


def _register_monitors(manager, desired, args, say):
    for change in settings_plan.plan_monitors(desired, manager.monitors(settings.MONITOR_IDS), args.replace):
        say(settings_plan.change_line(change), change.writes)
        if change.writes and not args.dry_run:
            (manager.add_monitor if change.action == settings_plan.CREATE else manager.modify_monitor)(
                change.setting)


def _register_jobunit(manager, wanted, args, say):
    held = manager.jobunit(wanted["data"]["id"])
    changes = settings_plan.plan_jobunit(wanted, held, args.replace)
    for change in changes:
        say(settings_plan.change_line(change), change.writes)
    tree = settings_plan.jobunit_to_register(wanted, held, changes)
    if tree is not None and not args.dry_run:
        manager.register_jobunit(tree, exists=held is not None)


COMMAND = cli.Command(
    prog="SettingDockerAdd.py",
    description="Register in the Hinemos manager the settings the manual creates by hand: the monitor "
                "settings DOC_HOST_STATUS, DOC_HOST_COUNT, DOC_HOST_SIZE, CONTAINER_CPU, CONTAINER_MEM, "
                "CONTAINER_DISK, CONTAINER_NETWORK, CONTAINER_PROCESS (custom monitors), CONTAINER_STATUS "
                "and CONTAINER_EVENT (system-log monitors), and with --job-host and --job-container a "
                "jobunit of the six command jobs for that container. Run RepositoryDockerNodeAdd.py first "
                "(it creates the scopes the monitors watch). Only what is missing is created; a setting "
                "that differs is reported and left alone unless --replace is given.",
    options=[cli.hinemos_options, _options], main=main,
    epilog="Messages are in Japanese when the locale (LC_ALL, LC_MESSAGES, LANG) is ja, in English "
           "otherwise. Exit status: 0 normal, 1 abnormal.")
