"""getFacilityTree's SOAP reply read as it arrives (soap_tree.FacilityTreeReader): the same
Repository as the whole tree read at once, in any chunking, with JAXB's element order (an item's
children before its data) and the other order, and a clear refusal of what is not a tree."""
import pytest

from hinemos_docker.repository_model import RepositoryBuilder, repository_from_tree
from hinemos_docker.soap_tree import FacilityTreeReader

HEAD = ('<?xml version="1.0" ?><S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body>'
        '<ns2:getFacilityTreeResponse xmlns:ns2="http://repository.ws.clustercontrol.com"><return>')
TAIL = "</return></ns2:getFacilityTreeResponse></S:Body></S:Envelope>"
NIL = ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:nil="true"'


def data(fid, name, kind, valid="true", built_in="false", extra=""):
    return (f"<data><ownerRoleId>ALL_USERS</ownerRoleId><builtInFlg>{built_in}</builtInFlg>"
            f"<description>d</description><facilityId>{fid}</facilityId><facilityName>{name}</facilityName>"
            f"<facilityType>{kind}</facilityType>{extra}<valid>{valid}</valid></data>")


def item(item_data, *children, data_first=False):
    roles = "<authorizedRoleIdSet>ALL_USERS</authorizedRoleIdSet>"
    kids = "".join(f"<children>{child}</children>" for child in children)
    return roles + (item_data + kids if data_first else kids + item_data)


def reply(data_first=False):
    node = lambda: item(data("h1-web", "web &amp; db", 1, valid="false"), data_first=data_first)  # noqa: E731
    tree = item(data("_ROOT_", "$[ROOT]", 2),
                item(data("docker_container", "Docker Containers", 0), node(), data_first=data_first),
                item(data("h1_scope", "h1", 0), node(), item(data("h1", "h1", 1)), data_first=data_first),
                item(data("REGISTERED", "Registered", 0, built_in="true"), data_first=data_first),
                data_first=data_first)
    return (HEAD + tree + TAIL).encode()


EXPECTED = {"facilityId": "_ROOT_", "children": [
    {"facilityId": "docker_container", "facilityName": "Docker Containers", "facilityType": 0, "valid": True,
     "builtInFlg": False, "children": [
         {"facilityId": "h1-web", "facilityName": "web & db", "facilityType": 1, "valid": False}]},
    {"facilityId": "h1_scope", "facilityName": "h1", "facilityType": 0, "children": [
        {"facilityId": "h1-web", "facilityName": "web & db", "facilityType": 1, "valid": False},
        {"facilityId": "h1", "facilityName": "h1", "facilityType": 1}]},
    {"facilityId": "REGISTERED", "facilityName": "Registered", "facilityType": 0, "builtInFlg": True}]}


def read(body, chunk):
    builder = RepositoryBuilder()
    reader = FacilityTreeReader(builder)
    for start in range(0, len(body), chunk):
        reader.feed(body[start:start + chunk])
    reader.finish()
    return reader.root_id, builder.repository()


@pytest.mark.parametrize("data_first", [False, True])
@pytest.mark.parametrize("chunk", [1, 7, 1 << 20])
def test_the_streamed_tree_is_the_whole_tree(data_first, chunk):
    root, repo = read(reply(data_first), chunk)
    assert root == "_ROOT_"
    assert repo == repository_from_tree(EXPECTED)
    assert repo.facilities["h1-web"] == ("h1-web", "web & db", 1, False, False)
    assert repo.facilities["REGISTERED"].built_in and repo.facilities["h1"].valid
    assert repo.members["h1_scope"] == {"h1-web", "h1"} and repo.members["h1-web"] == set()


def test_a_nil_name_is_empty_and_unknown_elements_are_ignored():
    tree = item(data("_ROOT_", "$[ROOT]", 2), item(data("n1", "x", 1, extra="<newField>7</newField>")
                                                     .replace("<facilityName>x</facilityName>",
                                                              f"<facilityName{NIL}/>")))
    _, repo = read((HEAD + tree + TAIL).encode(), 64)
    assert repo.facilities["n1"] == ("n1", "", 1, True, False)


@pytest.mark.parametrize("body", [
    b"<html>busy</html>",                                   # no tree at all
    reply()[:-40],                                          # cut short
    reply().replace(b"&amp;", b"&bogus;"),                   # an entity XML does not know
    (HEAD + item("<data><facilityName>x</facilityName></data>") + TAIL).encode(),  # an item without an ID
    (HEAD + item(data("n1", "x", "one")) + TAIL).encode(),  # a type that is no number
])
def test_what_is_not_a_facility_tree_is_a_value_error(body):
    with pytest.raises(ValueError):
        read(body, 64)
