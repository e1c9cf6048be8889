"""The stand-in's 7.x JSON: repository records (shaped like the 6.2 SOAP types) to and from the DTOs
of the REST API, as Jackson reads and writes them in the manager (docs/hinemos-versions.md).

- Enums travel as the Java enum names (`IPV4`, `TYPE_NODE`), case-sensitive; a code with no name
  is written as null; an unknown name is a 400 InvalidSetting.
- Dates are strings in the manager's time zone, `yyyy-MM-dd HH:mm:ss.SSS` unless the request's
  X-HinemosClientDatetimeFormat header gives another SimpleDateFormat pattern.
- Unknown request fields are ignored (FAIL_ON_UNKNOWN_PROPERTIES off), null ones skipped.
- Responses carry every field, null included; list rows carry their regDate/regUser columns.
"""
import re
from datetime import datetime

from .model import TYPE_NODE, Fault

DEFAULT_DATE_PATTERN = "yyyy-MM-dd HH:mm:ss.SSS"
# field -> [(code in the record, Java enum name)] of the DTO enums (HinemosCommon .../dto/enumtype)
ENUM_FIELDS = {
    "facilityType": [(0, "TYPE_SCOPE"), (1, "TYPE_NODE"), (2, "TYPE_COMPOSITE"), (3, "TYPE_MANAGER")],
    "ipAddressVersion": [(4, "IPV4"), (6, "IPV6")],
    "snmpVersion": [(0, "TYPE_V1"), (1, "TYPE_V2"), (3, "TYPE_V3")],
    "snmpSecurityLevel": [("", "NONE"), ("noauth_nopriv", "NOAUTH_NOPRIV"), ("auth_nopriv", "AUTH_NOPRIV"),
                          ("auth_priv", "AUTH_PRIV")],
    "snmpAuthProtocol": [("", "NONE"), ("MD5", "MD5"), ("SHA", "SHA"), ("SHA-224", "SHA224"),
                         ("SHA-256", "SHA256"), ("SHA-384", "SHA384"), ("SHA-512", "SHA512")],
    "snmpPrivProtocol": [("", "NONE"), ("DES", "DES"), ("AES", "AES"), ("AES-192", "AES192"),
                         ("AES-256", "AES256")],
    "wbemProtocol": [("", "NONE"), ("http", "HTTP"), ("https", "HTTPS")],
    "winrmProtocol": [("", "NONE"), ("http", "HTTP"), ("https", "HTTPS")],
}
DATE_FIELDS = ("createDatetime", "modifyDatetime")
# the bookkeeping columns of list rows: in responses only (the request DTOs lack them)
ROW_COLUMNS = ("regDate", "regUser", "updateDate", "updateUser", "searchTarget")
P2_FIELDS = ("facilityId", "facilityName", "facilityType", "description", "displaySortOrder", "iconImage",
             "valid", "builtInFlg", "notReferFlg", "ownerRoleId")
# NodeInfoResponse fields that no request DTO has: Jackson ignores them in a request
RESPONSE_ONLY = ("facilityType", "displaySortOrder", "createUserId", "createDatetime", "modifyUserId",
                 "modifyDatetime", "builtInFlg", "notReferFlg")
SCOPE_P1_FIELDS = ("facilityId", "facilityName", "description", "iconImage", "ownerRoleId")
# SimpleDateFormat letters the stand-in understands, longest first
_PATTERN_LETTERS = [("yyyy", "%Y"), ("MM", "%m"), ("dd", "%d"), ("HH", "%H"), ("mm", "%M"), ("ss", "%S"),
                    ("SSS", "{ms}"), ("XXX", "{offset}")]


def invalid(message):
    return Fault("InvalidSetting", message)


# -- dates --------------------------------------------------------------------------------------

def date_format(pattern):
    """A strftime format for a SimpleDateFormat pattern, or None if the stand-in cannot read it
    (the manager logs an invalid pattern and keeps its default)."""
    result, i = [], 0
    while i < len(pattern):
        if pattern[i] == "'":
            end = pattern.find("'", i + 1)
            if end < 0:
                return None
            result.append(pattern[i + 1:end].replace("%", "%%") or "'")
            i = end + 1
            continue
        for letters, replacement in _PATTERN_LETTERS:
            if pattern.startswith(letters, i):
                result.append(replacement)
                i += len(letters)
                break
        else:
            if pattern[i].isalpha():
                return None
            result.append(pattern[i].replace("%", "%%"))
            i += 1
    return "".join(result)


def format_date(ms, pattern=DEFAULT_DATE_PATTERN):
    if ms is None:
        return None
    fmt = date_format(pattern) or date_format(DEFAULT_DATE_PATTERN)
    moment = datetime.fromtimestamp(ms / 1000).astimezone()
    offset = moment.strftime("%z")
    offset = "Z" if offset == "+0000" else f"{offset[:3]}:{offset[3:]}"
    return moment.strftime(fmt).format(ms=f"{ms % 1000:03d}", offset=offset)


def parse_date(text, pattern=DEFAULT_DATE_PATTERN):
    """Epoch ms of a date string; 400 InvalidSetting if it does not parse."""
    fmt = date_format(pattern) or date_format(DEFAULT_DATE_PATTERN)
    regex = re.escape(fmt.replace("{ms}", "\0").replace("{offset}", "\1"))
    regex = regex.replace("\0", r"(?P<ms>\d{3})").replace("\1", r"(?P<offset>Z|[+-]\d\d:\d\d)")
    match = re.fullmatch(re.sub(r"%([YmdHMS])", lambda m: f"(?P<{m.group(1)}>\\d+)", regex), str(text))
    if not match:
        raise invalid(f"Unparseable date: \"{text}\"")
    parts = {k: int(v) for k, v in match.groupdict().items() if v and k not in ("offset",)}
    moment = datetime(parts.get("Y", 1970), parts.get("m", 1), parts.get("d", 1), parts.get("H", 0),
                      parts.get("M", 0), parts.get("S", 0)).astimezone()
    return int(moment.timestamp()) * 1000 + parts.get("ms", 0)


# -- records -> responses -----------------------------------------------------------------------

def enum_name(field, code):
    return next((name for value, name in ENUM_FIELDS[field] if value == code), None)


def enum_code(field, name):
    if name is None:
        return None
    for value, known in ENUM_FIELDS[field]:
        if known == name:
            return value
    accepted = ", ".join(known for _, known in ENUM_FIELDS[field])
    raise invalid(f"Cannot deserialize value of type `{field}` from String \"{name}\": not one of the "
                  f"values accepted for Enum class: [{accepted}]")


def _names(record, pattern):
    out = {}
    for key, value in record.items():
        if key in ENUM_FIELDS:
            value = enum_name(key, value)
        elif key in DATE_FIELDS:
            value = format_date(value, pattern)
        out[key] = value
    return out


def node_response(repo, record, pattern, full=True):
    """NodeInfoResponse (full) or NodeInfoResponseP1 (scalars only) of a stored node."""
    node = {}
    for name, field in repo.node_fields.items():
        if name.endswith(("Crypt", "RegisterFlag")) or name.startswith("nodeConfig"):
            continue  # SOAP-only transfer fields
        if field.repeated:
            if full:
                node[name] = [_row(item, record, pattern) for item in record.get(name) or []]
            continue
        if name == "nodeOsInfo":
            if full:
                os_info = dict(record.get(name) or {})
                if os_info.get("startupDateTime") is not None:
                    os_info["startupDateTime"] = format_date(os_info["startupDateTime"], pattern)
                node[name] = _row(os_info, record, pattern) if os_info else None
            continue
        node[name] = record.get(name)
    node["builtInFlg"], node["notReferFlg"] = False, False
    if not full:
        node.pop("cloudLogPriority", None)  # not in P1
    return _names(node, pattern)


def _row(item, record, pattern):
    """A list row with the columns the manager adds (the stand-in dates rows by their node)."""
    return {**item, "regDate": format_date(record.get("createDatetime"), pattern),
            "regUser": record.get("createUserId"),
            "updateDate": format_date(record.get("modifyDatetime"), pattern),
            "updateUser": record.get("modifyUserId"), "searchTarget": False}


def node_summary(record, pattern):
    """NodeInfoResponseP2: the few fields of the node lists."""
    keys = ("facilityId", "facilityName", "ipAddressVersion", "ipAddressV4", "ipAddressV6", "platformFamily",
            "description", "ownerRoleId", "createDatetime", "modifyDatetime")
    return _names({k: record.get(k) for k in keys}, pattern)


def tree_response(item):
    """FacilityTreeItemResponseP1 of one SOAP-shaped tree item (repository.get_facility_tree)."""
    data = item["data"]
    return {"data": _names({k: data.get(k) for k in P2_FIELDS}, DEFAULT_DATE_PATTERN),
            "children": [tree_response(child) for child in item["children"]]}


def facility_response(record, pattern):
    """FacilityInfoResponse (GET facility)."""
    return _names(record, pattern)


def scope_response(record):
    """ScopeInfoResponseP1."""
    return {k: record.get(k) for k in SCOPE_P1_FIELDS}


# -- requests -> records ------------------------------------------------------------------------

def node_request(repo, body, pattern):
    """AddNodeRequest/ModifyNodeRequest as a record for the writes: enum names to codes, fields the
    model does not have dropped, list rows cut to their columns, types checked as Jackson does."""
    if not isinstance(body, dict):
        raise invalid("Cannot deserialize value: a JSON object is expected")
    node = {}
    for name, value in body.items():
        field = repo.node_fields.get(name)
        if field is None or value is None or name.endswith("Crypt") or name in RESPONSE_ONLY:
            continue
        if name in ENUM_FIELDS:
            node[name] = enum_code(name, value)
        elif field.repeated:
            rows = _list(name, value)
            node[name] = [_row_request(repo, field.type, row) for row in rows if row is not None]
        elif name == "nodeOsInfo":
            node[name] = _row_request(repo, field.type, value)
            if node[name].get("startupDateTime") is not None:
                node[name]["startupDateTime"] = parse_date(node[name]["startupDateTime"], pattern)
        else:
            node[name] = _scalar(name, field.type, value)
    node["facilityType"] = TYPE_NODE
    return node


def _list(name, value):
    if not isinstance(value, list):
        raise invalid(f"Cannot deserialize `{name}`: an array is expected")
    return value


def _row_request(repo, type_name, row):
    if not isinstance(row, dict):
        raise invalid(f"Cannot deserialize `{type_name}`: an object is expected")
    fields = repo.schema.field_maps.get(type_name, {})
    return {k: _scalar(k, fields[k].type, v) for k, v in row.items()
            if k in fields and v is not None and k not in ROW_COLUMNS}


def _scalar(name, kind, value):
    """A JSON scalar as Jackson coerces it: strings to numbers and booleans where it can, else 400."""
    if kind in ("int", "long"):
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise invalid(f"Cannot deserialize value of type `{kind}` for `{name}`: {value!r}")
        try:
            return int(value)
        except ValueError:
            raise invalid(f"Cannot deserialize value of type `{kind}` from String \"{value}\"") from None
    if kind == "boolean":
        if isinstance(value, bool):
            return value
        if value in ("true", "false"):
            return value == "true"
        raise invalid(f"Cannot deserialize value of type `boolean` for `{name}`: {value!r}")
    if isinstance(value, (dict, list)):
        raise invalid(f"Cannot deserialize value of type `String` for `{name}` from an object or array")
    return value if isinstance(value, str) else str(value).lower() if isinstance(value, bool) else str(value)
