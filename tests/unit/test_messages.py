"""The repository scripts' message catalogue (docs/rules.md#message-locale)."""
import string

import pytest

from hinemos_docker import messages
from hinemos_docker.messages import CATALOGUE, is_japanese, message


@pytest.mark.parametrize("environ, japanese", [
    ({}, False),
    ({"LANG": "ja_JP.UTF-8"}, True),
    ({"LANG": "ja"}, True),
    ({"LANG": "ja_JP.eucJP"}, True),
    ({"LANG": "en_US.UTF-8"}, False),
    ({"LANG": "C"}, False),
    ({"LANG": "C.UTF-8"}, False),
    ({"LANG": "jam_JM"}, False),
    ({"LC_MESSAGES": "ja_JP.UTF-8", "LANG": "C"}, True),
    ({"LC_ALL": "C", "LC_MESSAGES": "ja_JP.UTF-8", "LANG": "ja_JP.UTF-8"}, False),
    ({"LC_ALL": "ja_JP.UTF-8", "LANG": "C"}, True),
    # an empty variable does not count: the next one decides, as in gettext
    ({"LC_ALL": "", "LC_MESSAGES": "", "LANG": "ja_JP.UTF-8"}, True),
    ({"LC_ALL": "", "LANG": ""}, False),
])
def test_language_from_the_locale_variables(environ, japanese):
    assert is_japanese(environ) is japanese


def test_default_environment_is_read_from_os_environ(monkeypatch):
    monkeypatch.setenv("LC_ALL", "ja_JP.UTF-8")
    assert is_japanese() is True
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")
    assert is_japanese() is False


# The manual's own lines (the examples of Add, Delete and Update), character for character.
MANUAL_LINES = [
    (message("started"), "開始しました。"),
    (message("logging_in"), "Hinemosマネージャにログインしています。"),
    (message("endpoint", url="http://127.0.0.1:8080/HinemosWS/RepositoryEndpoint?wsdl"),
     "endpoint: http://127.0.0.1:8080/HinemosWS/RepositoryEndpoint?wsdl"),
    (message("username", user="hinemos"), "username: hinemos"),
    (message("getting_containers"), "Dockerコンテナの情報を取得します。"),
    (message("got_containers"), "Dockerコンテナの情報を取得しました。"),
    (message("port_not_bind"), "port not bind"),
    (message("container_status", id="16c155fe269b", name="conteiner_C", status="Up 4 minutes",
             state="running"),
     "Id:16c155fe269b Name:conteiner_C Status:'Up 4 minutes' :running"),
    (message("container", id="0e0d8cdf3ab7", name="conteiner_C"), "Id:0e0d8cdf3ab7 Name:conteiner_C"),
    (message("creating_scopes"), "スコープを作成します。"),
    (message("creating", x="docker_host1_scope"), "docker_host1_scope を作成します。"),
    (message("creating_host_node"), "Dockerホストノードを作成します。"),
    (message("assigning_host_node"), "Dockerホストノードを docker_host スコープへ割り当てます。"),
    (message("assigning", x="docker_host1"), "docker_host1 を割り当てます。"),
    (message("creating_container_nodes"), "Dockerコンテナノードを作成します。"),
    (message("assigning_container_nodes", scope="docker_container"),
     "Dockerコンテナノードを docker_container スコープへ割り当てます。"),
    (message("assigning_label_scopes", fid="docker_host1-conteiner_C", scopes=["web1", "web3"]),
     "docker_host1-conteiner_C をラベルにあるスコープへ割り当てます。対象スコープ ['web1', 'web3']"),
    (message("scope_missing", scope="web3"),
     "[skip] スコープ web3 が存在しないため、割り当てをスキップします。"),
    (message("deleting_container_nodes"), "Dockerコンテナノードを削除します。"),
    (message("facility", fid="docker_host1-conteiner_D"), "docker_host1-conteiner_D"),
    (message("exists"), "存在します。[skip]"),
    (message("deleting"), "削除します。"),
    (message("updating_container_nodes"), "Dockerコンテナノードを更新します。"),
    (message("state_change", old="running", new="exited"), "running -> exited"),
    (message("state_skip", old="running", new="running"), "running -> running [skip]"),
    (message("checking_label", fid="docker_host1-conteiner_B", scopes=["web1", "web2"]),
     "docker_host1-conteiner_B のラベルを確認します hinemosAssignScopeId: ['web1', 'web2']"),
    (message("already_in_scope", scope="web1"), "[skip] 既にスコープ web1 に割り当てられています"),
    (message("scope_missing_update", scope="web3"),
     "[skip] スコープ web3 が存在しないため、割り当てをスキップします"),
    (message("completed"), "完了しました。"),
]


@pytest.mark.parametrize("line, text", MANUAL_LINES, ids=[m.key for m, _ in MANUAL_LINES])
def test_japanese_lines_are_the_manuals(line, text):
    assert line.render(japanese=True) == text


@pytest.mark.parametrize("line, text", [
    (message("started"), "Started."),
    (message("completed"), "Completed."),
    (message("creating", x="docker_container"), "Creating docker_container."),
    (message("exists_skip", x="docker_container"), "docker_container already exists. [skip]"),
    (message("assigning_label_scopes", fid="h-c", scopes=["web1", "web3"]),
     "Assigning h-c to the scopes in its label. Target scopes ['web1', 'web3']"),
    (message("scope_missing", scope="web3"), "[skip] Scope web3 does not exist; skipping the assignment."),
    (message("state_skip", old="running", new="running"), "running -> running [skip]"),
    (message("exists"), "Exists. [skip]"),
])
def test_english_lines(line, text):
    assert line.render(japanese=False) == text


def test_idempotent_cases_have_japanese_and_english_texts():
    assert message("exists_skip", x="docker_map").render(True) == "docker_map は既に存在します。[skip]"
    assert message("assigned_skip", x="h1").render(True) == "h1 は既に割り当てられています。[skip]"
    assert message("assigned_skip", x="h1").render(False) == "h1 is already assigned. [skip]"


def test_every_message_renders_in_both_languages_with_its_placeholders():
    for key, texts in CATALOGUE.items():
        fields = {name for text in texts for _, name, _, _ in string.Formatter().parse(text) if name}
        line = message(key, **dict.fromkeys(fields, "X"))
        japanese, english = line.render(True), line.render(False)
        assert japanese and english and "{" not in japanese + english, key
        # the same placeholders in both languages: no value is lost in translation
        assert {n for _, n, _, _ in string.Formatter().parse(texts[0]) if n} == \
               {n for _, n, _, _ in string.Formatter().parse(texts[1]) if n}, key


def test_skip_lines_say_skip_in_both_languages():
    for key, (japanese, english) in CATALOGUE.items():
        assert ("[skip]" in japanese) == ("[skip]" in english), key


def test_unknown_key_is_refused():
    with pytest.raises(KeyError):
        messages.message("no_such_message")
