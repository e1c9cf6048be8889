"""What SettingDockerAdd changes, pure: the desired settings compared with what the manager holds.

Only the fields a desired setting carries are compared (the manager adds its own: dates, users,
notify group IDs), so a rerun over an unchanged manager plans nothing. A setting that differs is
left alone and reported with the fields that differ, unless replacing was asked for.
"""
import math
from dataclasses import dataclass, field
from typing import Optional

from .messages import message
from .settings import JOB_TYPE_JOBUNIT

# lists whose order the manager does not keep: their items are matched by these keys
KEYED_LISTS = {
    "numericValueInfo": ("monitorNumericType", "priority"),
    "notifyRelationList": ("notifyId",),
    "endStatus": ("type",),
}
CREATE, SAME, DIFFERS, REPLACE = "create", "same", "differs", "replace"


@dataclass(frozen=True)
class Change:
    """One setting: its kind (monitor, jobunit, job), ID, what to do, and the fields that differ."""

    kind: str
    id: str
    action: str
    fields: tuple = ()
    setting: Optional[dict] = field(default=None, compare=False)

    @property
    def writes(self):
        return self.action in (CREATE, REPLACE)


def differences(desired, actual, path=""):
    """Paths of the values of `desired` that `actual` does not hold; keys absent from `desired`
    are not compared, and numbers compare by value (80 == 80.0)."""
    if isinstance(desired, dict):
        if not isinstance(actual, dict):
            return [path] if desired else []
        found = []
        for key, value in desired.items():
            found += differences(value, actual.get(key), f"{path}.{key}" if path else key)
        return found
    if isinstance(desired, list):
        actual = actual if isinstance(actual, list) else []
        keys = KEYED_LISTS.get(path.rsplit(".", 1)[-1])
        if keys:
            return _keyed_differences(desired, actual, keys, path)
        if len(desired) != len(actual):
            return [path]
        found = []
        for index, (wanted, held) in enumerate(zip(desired, actual)):
            found += differences(wanted, held, f"{path}[{index}]")
        return found
    return [] if _same_value(desired, actual) else [path]


def _keyed_differences(desired, actual, keys, path):
    def key(item):
        return tuple((item or {}).get(k) for k in keys)

    held = {key(item): item for item in actual}
    if len(held) != len(actual) or set(held) != {key(item) for item in desired}:
        return [path]
    found = []
    for item in desired:
        found += differences(item, held[key(item)], f"{path}[{','.join(map(str, key(item)))}]")
    return found


def _same_value(desired, actual):
    if isinstance(desired, bool) or isinstance(actual, bool):
        return desired is actual
    if isinstance(desired, (int, float)) and isinstance(actual, (int, float)):
        return math.isclose(desired, actual, rel_tol=1e-12, abs_tol=0.0)
    return desired == actual


def summary(paths):
    """The differing fields for a message line: at most two levels deep, each once, in order."""
    names = []
    for path in paths:
        name = ".".join(path.split("[", 1)[0].split(".")[:2])
        if name not in names:
            names.append(name)
    return tuple(names)


def _change(kind, setting_id, desired, actual, replace):
    if actual is None:
        return Change(kind, setting_id, CREATE, (), desired)
    paths = differences(desired, actual)
    if not paths:
        return Change(kind, setting_id, SAME)
    return Change(kind, setting_id, REPLACE if replace else DIFFERS, summary(paths), desired)


def plan_monitors(desired, actual, replace=False):
    """One Change per desired monitorInfo; `actual` maps monitor ID -> stored monitorInfo."""
    return [_change("monitor", m["monitorId"], m, actual.get(m["monitorId"]), replace) for m in desired]


def plan_jobunit(desired, actual, replace=False):
    """Changes of a jobunit (desired jobTreeItem; `actual` the stored one or None): the jobunit's
    own settings first, then each of its desired jobs. Jobs of the jobunit that this command does
    not define are kept as they are."""
    data = desired["data"]
    if actual is None:
        return ([Change("jobunit", data["id"], CREATE, (), desired)]
                + [Change("job", child["data"]["id"], CREATE, (), child) for child in desired["children"]])
    held_jobs = {child["data"]["id"]: child for child in actual.get("children") or []}
    changes = [_change("jobunit", data["id"], data, actual.get("data"), replace)]
    for child in desired["children"]:
        job_id = child["data"]["id"]
        held = held_jobs.get(job_id)
        changes.append(_change("job", job_id, child["data"], None if held is None else held.get("data"),
                               replace))
    return changes


def walk(item):
    """The items of a jobTreeItem, parents first."""
    yield item
    for child in item.get("children") or []:
        if child:
            yield from walk(child)


def find_jobunit(tree, jobunit_id):
    """The jobunit item of that ID in a job tree as the manager returns it (under composite items)."""
    for item in walk(tree or {}):
        data = item.get("data") or {}
        if data.get("type") == JOB_TYPE_JOBUNIT and data.get("id") == jobunit_id:
            return item
    return None


def jobunit_to_register(desired, actual, changes):
    """The whole jobunit to send (the manager replaces a jobunit as a whole), or None when no
    change writes: desired parts where they are created or replaced, stored parts elsewhere, and
    the stored jobs this command does not define, in their order."""
    if not any(change.writes for change in changes):
        return None
    if actual is None:
        return desired
    writes = {(c.kind, c.id) for c in changes if c.writes}
    data = desired["data"] if ("jobunit", desired["data"]["id"]) in writes else actual["data"]
    wanted = {child["data"]["id"]: child for child in desired["children"]}
    children = []
    for held in actual.get("children") or []:
        job_id = held["data"]["id"]
        children.append(wanted.pop(job_id) if ("job", job_id) in writes else held)
    children += [child for job_id, child in wanted.items() if ("job", job_id) in writes]
    return {"data": data, "children": children}


def change_line(change):
    """The Message announcing one Change."""
    return message(f"setting_{change.action}", what=message(f"setting_kind_{change.kind}"), id=change.id,
                   fields=", ".join(change.fields))
