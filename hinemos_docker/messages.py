"""The repository scripts' messages (docs/rules.md#message-locale): Japanese under a ja locale,
English otherwise.

Pure: a plan carries Message values (a key and its arguments); the command renders them in the
language of the environment when it prints them. The Japanese texts are the manual's, character for
character, where the manual shows them (2.1-2.3); the cases the manual does not show (what already
exists, conflicts, nodes of other hosts) follow its wording.
"""
import os
from typing import NamedTuple

from . import errors

LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")  # gettext's order: the first non-empty wins

CATALOGUE = {
    # start, login, end
    "started": ("開始しました。", "Started."),
    "logging_in": ("Hinemosマネージャにログインしています。", "Logging in to the Hinemos manager."),
    "endpoint": ("endpoint: {url}", "endpoint: {url}"),
    "username": ("username: {user}", "username: {user}"),
    "completed": ("完了しました。", "Completed."),
    # containers
    "getting_containers": ("Dockerコンテナの情報を取得します。", "Getting the Docker container information."),
    "got_containers": ("Dockerコンテナの情報を取得しました。", "Got the Docker container information."),
    "port_not_bind": ("port not bind", "port not bind"),
    "container_status": ("Id:{id} Name:{name} Status:'{status}' :{state}",
                         "Id:{id} Name:{name} Status:'{status}' :{state}"),
    "container": ("Id:{id} Name:{name}", "Id:{id} Name:{name}"),
    "invalid_facility": ("[skip] コンテナ {name} のファシリティID {fid} は Hinemos に登録できないため、"
                         "スキップします。",
                         "[skip] Container {name}: facility ID {fid} cannot be registered in Hinemos "
                         "(facility ID: up to 512 of A-Z a-z 0-9 - _ . @; facility name: up to 128 "
                         "characters); skipping it."),
    # Add: scopes and nodes
    "creating_scopes": ("スコープを作成します。", "Creating scopes."),
    "creating": ("{x} を作成します。", "Creating {x}."),
    "exists_skip": ("{x} は既に存在します。[skip]", "{x} already exists. [skip]"),
    "is_node_skip": ("[skip] {x} はノードとして存在するため、スコープを作成できません。",
                     "[skip] {x} exists as a node; it cannot be created as a scope."),
    "is_scope_skip": ("[skip] {x} はスコープとして存在するため、ノードを作成できません。",
                      "[skip] {x} exists as a scope; it cannot be created as a node."),
    "creating_host_node": ("Dockerホストノードを作成します。", "Creating the Docker host node."),
    "assigning_host_node": ("Dockerホストノードを docker_host スコープへ割り当てます。",
                            "Assigning the Docker host node to scope docker_host."),
    "creating_container_nodes": ("Dockerコンテナノードを作成します。", "Creating Docker container nodes."),
    "assigning_container_nodes": ("Dockerコンテナノードを {scope} スコープへ割り当てます。",
                                  "Assigning Docker container nodes to scope {scope}."),
    "assigning": ("{x} を割り当てます。", "Assigning {x}."),
    "assigned_skip": ("{x} は既に割り当てられています。[skip]", "{x} is already assigned. [skip]"),
    "scope_unusable_skip": ("[skip] スコープ {scope} が使えないため、スキップします。",
                            "[skip] Scope {scope} cannot be used; skipping."),
    # label scopes (Add, then Update)
    "assigning_label_scopes": ("{fid} をラベルにあるスコープへ割り当てます。対象スコープ {scopes}",
                               "Assigning {fid} to the scopes in its label. Target scopes {scopes}"),
    "scope_missing": ("[skip] スコープ {scope} が存在しないため、割り当てをスキップします。",
                      "[skip] Scope {scope} does not exist; skipping the assignment."),
    "scope_built_in": ("[skip] スコープ {scope} は組み込みスコープのため、割り当てをスキップします。",
                       "[skip] Scope {scope} is a built-in scope; skipping the assignment."),
    "scope_own": ("[skip] スコープ {scope} はDocker連携スクリプトが管理するスコープのため、"
                  "割り当てをスキップします。",
                  "[skip] Scope {scope} is managed by the repository scripts (docker_container, "
                  "docker_host, docker_map and the hosts' scopes); skipping the assignment."),
    "not_a_scope": ("[skip] {scope} はスコープではないため、割り当てをスキップします。",
                    "[skip] {scope} is not a scope; skipping the assignment."),
    "already_in_scope": ("[skip] 既にスコープ {scope} に割り当てられています",
                         "[skip] Already assigned to scope {scope}."),
    "checking_label": ("{fid} のラベルを確認します hinemosAssignScopeId: {scopes}",
                       "Checking the label of {fid} hinemosAssignScopeId: {scopes}"),
    "scope_missing_update": ("[skip] スコープ {scope} が存在しないため、割り当てをスキップします",
                             "[skip] Scope {scope} does not exist; skipping the assignment."),
    "assigning_to_scope": ("スコープ {scope} に割り当てます", "Assigning to scope {scope}."),
    # Delete
    "deleting_container_nodes": ("Dockerコンテナノードを削除します。", "Deleting Docker container nodes."),
    "facility": ("{fid}", "{fid}"),
    "exists": ("存在します。[skip]", "Exists. [skip]"),
    "deleting": ("削除します。", "Deleting."),
    # Update
    "updating_container_nodes": ("Dockerコンテナノードを更新します。", "Updating Docker container nodes."),
    "state_change": ("{old} -> {new}", "{old} -> {new}"),
    "state_skip": ("{old} -> {new} [skip]", "{old} -> {new} [skip]"),
    "refreshing": ("コンテナが再作成されたため、ノードの情報を更新します: {names}",
                   "The container was recreated; refreshing the node: {names}"),
    "not_registered": ("[skip] ノードが登録されていません (RepositoryDockerNodeAdd.py で登録します)",
                       "[skip] No node is registered (RepositoryDockerNodeAdd.py registers it)."),
    "not_own_node": ("[skip] {host} のコンテナノードではありません (DOCKER_HOST: {value})",
                     "[skip] Not a container node of {host} (DOCKER_HOST: {value})."),
    # SettingDockerAdd: monitor and job settings
    "setting_checking_notifications": ("通知IDを確認します: {ids}", "Checking notification IDs: {ids}"),
    "setting_notification_missing": (
        "通知ID {id} が Hinemos マネージャに存在しません。先に通知 {id} (イベント通知など) を作成するか、"
        "--notify-id で既存の通知IDを指定してください。",
        "notification ID {id} does not exist in the Hinemos manager: create the notification {id} "
        "first (e.g. an event notification), or name an existing one with --notify-id."),
    "setting_scope_missing": (
        "スコープ {id} が Hinemos マネージャに存在しません。"
        "先に RepositoryDockerNodeAdd.py を実行してください (スコープを作成します)。",
        "scope {id} does not exist in the Hinemos manager: run RepositoryDockerNodeAdd.py first "
        "(it creates the scope)."),
    "setting_node_missing": (
        "ノード {id} が Hinemos マネージャに存在しません。コマンドを実行するノードを登録するか、"
        "--exec-node で指定してください。",
        "node {id} does not exist in the Hinemos manager: register the node whose agent runs the "
        "commands, or name it with --exec-node."),
    # {what} is one of the setting_kind_* messages
    "setting_kind_monitor": ("監視設定", "monitor setting"),
    "setting_kind_jobunit": ("ジョブユニット", "jobunit"),
    "setting_kind_job": ("ジョブ", "job"),
    "setting_create": ("{what} {id} を作成します。", "Creating {what} {id}."),
    "setting_same": ("{what} {id} は既に存在します。[skip]", "Already exists: {what} {id}. [skip]"),
    "setting_differs": ("[skip] {what} {id} はこのコマンドの設定と異なります ({fields})。"
                        "置き換えるには --replace を指定します。",
                        "[skip] The {what} {id} differs from this command's setting ({fields}); "
                        "--replace replaces it."),
    "setting_replace": ("{what} {id} を置き換えます ({fields})。", "Replacing {what} {id} ({fields})."),
    "setting_dry_run": ("--dry-run: Hinemos マネージャの設定は変更していません。",
                        "--dry-run: nothing was changed in the Hinemos manager."),
}


class Message(NamedTuple):
    """One line to print: a catalogue key and the values of its placeholders."""

    key: str
    args: tuple = ()

    def render(self, japanese):
        """The line in Japanese or English; lists print as Python 3 reprs; an argument that is
        itself a Message is rendered in the same language."""
        args = {k: v.render(japanese) if isinstance(v, Message) else v for k, v in self.args}
        return CATALOGUE[self.key][0 if japanese else 1].format(**args)


def message(key, **args):
    if key not in CATALOGUE:
        raise KeyError(f"no message {key!r}")
    return Message(key, tuple(sorted(args.items())))


def is_japanese(environ=None):
    """True when the message locale (LC_ALL, LC_MESSAGES, LANG: the first non-empty) is ja."""
    environ = os.environ if environ is None else environ
    for name in LOCALE_VARIABLES:
        value = environ.get(name)
        if value:
            return value.split(".")[0].split("@")[0].split("_")[0].lower() == "ja"
    return False


# the Japanese lead of an error line, by error class (most specific first); the detail after it
# stays as the library or the manager wrote it (URLs, fault names, the daemon's own words)
ERROR_LEADS = (
    (errors.HinemosFault, "Hinemosマネージャがエラーを返しました"),
    (errors.HinemosError, "Hinemosマネージャと通信できません"),
    (errors.DockerUnreachable, "Dockerデーモンに接続できません"),
    (errors.DockerError, "Docker APIがエラーを返しました"),
    (errors.UsageError, "オプションが正しくありません"),
    (Exception, "エラーが発生しました"),
)


def error_line(exc, japanese):
    """The stderr text of an error of a repository script: under a ja locale a Japanese lead,
    then the English detail, so that the whole run speaks one language to the operator."""
    if not japanese:
        return str(exc)
    lead = next(text for kind, text in ERROR_LEADS if isinstance(exc, kind))
    return f"{lead}: {exc}"
