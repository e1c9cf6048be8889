"""What the manager's repository holds before anyone writes to it, and the values it fills in.

Facts from docs/hinemos-facts.md#repository-operations and the sections after it; where this file
has to choose (display names of built-in scopes, platform names) it says so.
"""
import base64
import time

ROOT_ID = "_ROOT_"
ROOT_NAME = "$[ROOT]"
TYPE_SCOPE, TYPE_NODE, TYPE_COMPOSITE = 0, 1, 2
ADMIN_ROLE = "ADMINISTRATORS"
ROLES = {  # RoleIdConstant; display names are the stand-in's choice
    "ALL_USERS": "All Users",
    "ADMINISTRATORS": "Administrators",
    "INTERNAL": "Hinemos Internal",
    "HINEMOS_MODULE": "Hinemos Module",
}
PLATFORMS = {  # PlatformConstant ids; names are the stand-in's choice [I]
    "LINUX": "Linux",
    "WINDOWS": "Windows",
    "SOLARIS": "Solaris",
    "NW_EQUIPMENT": "Network Equipment",
    "OTHER": "Other",
}
# FacilityTreeAttributeConstant; the cloud ids exist only with the cloud option, never created here
FIXED_BUILTIN_IDS = {"INTERNAL", "REGISTERED", "UNREGISTERED", "OWNER", "OS", "NODE_CONFIGURATION",
                     "_PRIVATE_CLOUD", "_PUBLIC_CLOUD"}
INT_MAX = 2**31 - 1
SOAP_VERSIONS = ("6.0", "6.2")
REST_VERSIONS = ("7.0", "7.1")
# the nodeInfo fields 7.x has beyond 6.2's (NodeInfoResponse vs the 6.2 WSDL), with their defaults
REST_ONLY_FIELDS = {"cloudLogPriority": ("int", 16), "rpaLogDir": ("string", ""),
                    "rpaManagementToolType": ("string", ""), "rpaResourceId": ("string", ""),
                    "rpaUser": ("string", ""), "rpaExecEnvId": ("string", "")}


def is_rest(version):
    """Whether a manager version speaks only the REST API (7.x)."""
    return version in REST_VERSIONS


def model_schema(version):
    """The WSDL whose types shape the repository records: 7.x keeps 6.2's NodeInfo and adds a few fields."""
    return "6.2" if is_rest(version) else version


class Fault(Exception):
    """A checked Hinemos exception, sent as a SOAP fault named after its class."""

    def __init__(self, name, message, **extra):
        super().__init__(message)
        self.name = name
        self.message = message
        self.extra = extra


class JavaError(Exception):
    """An unchecked exception inside the manager: a fault without a Hinemos detail."""


def msg(message_id, *args):
    """A MessageConstant message ID as SOAP clients see it: $[ID] or $[ID:"a":"b"]."""
    if not args:
        return f"$[{message_id}]"
    return "$[" + message_id + "".join(f':"{a}"' for a in args) + "]"


def now_ms():
    return int(time.time() * 1000)


def conceal(password):
    """The `…Crypt` twin of a password field (the manager stores it encrypted; reversible here)."""
    return base64.b64encode(password.encode("utf-8")).decode("ascii") if password else ""


def reveal(crypt):
    try:
        return base64.b64decode(crypt.encode("ascii"), validate=True).decode("utf-8")
    except (ValueError, UnicodeError):
        return crypt


FACILITY_DEFAULTS = {  # FacilityInfo's field initialisers (createDatetime etc. are set per use)
    "facilityId": "", "facilityName": "", "facilityType": TYPE_NODE, "description": "",
    "displaySortOrder": 100, "iconImage": "", "valid": True, "createUserId": "",
    "modifyUserId": "", "builtInFlg": False, "notReferFlg": True,
}
# NodeInfo's field initialisers; strings default to "" (docs/hinemos-facts.md#node-defaults)
NODE_DEFAULTS = {
    "ipAddressVersion": -1, "snmpCommunity": "public", "snmpPort": 161, "snmpVersion": 1,
    "snmpSecurityLevel": "noauth_nopriv", "snmpRetryCount": 3, "snmpTimeout": 5000,
    "wbemProtocol": "http", "wbemPort": 5988, "wbemRetryCount": 3, "wbemTimeout": 5000,
    "winrmProtocol": "http", "winrmPort": 5985, "winrmRetries": 3, "winrmTimeout": 5000,
    "sshUser": "root", "sshPort": 22, "sshTimeout": 50000,
    "ipmiProtocol": "RMCP+", "ipmiPort": 0, "ipmiRetries": 3, "ipmiTimeout": 5000,
    "agentAwakePort": 24005, "jobPriority": 16, "jobMultiplicity": 0, "autoDeviceSearch": True,
    "nodeConfigAcquireOnce": False, "nodeConfigFilterIsAnd": True,
    **{name: default for name, (_, default) in REST_ONLY_FIELDS.items()},
}
PASSWORD_FIELDS = ("ipmiUserPassword", "snmpAuthPassword", "snmpPrivPassword", "sshPrivateKeyPassphrase",
                   "sshUserPassword", "wbemUserPassword", "winrmUserPassword")
# lists that getNode leaves out in 6.2: they come only from getNodeFull
FULL_ONLY_LISTS = ("nodeNetstatInfo", "nodeProcessInfo", "nodePackageInfo", "nodeProductInfo",
                   "nodeLicenseInfo", "nodeCustomInfo")
# the fields of a node that getNodeListAll/getNodeList copy (FacilitySelector.copyToNodeInfo)
PARTIAL_COPY_FIELDS = ("facilityId", "facilityName", "ipAddressVersion", "ipAddressV4", "ipAddressV6",
                       "platformFamily", "description", "ownerRoleId", "createDatetime", "modifyDatetime")


def node_defaults(fields):
    """A new NodeInfo() of a schema's nodeInfo `fields` (Field tuples): every scalar at its default."""
    node = {}
    for field in fields:
        if field.repeated or field.name == "ownerRoleId":
            continue
        if field.name in NODE_DEFAULTS:
            node[field.name] = NODE_DEFAULTS[field.name]
        elif field.name in FACILITY_DEFAULTS:
            node[field.name] = FACILITY_DEFAULTS[field.name]
        elif field.name.endswith("RegisterFlag"):
            node[field.name] = 0
        elif field.type == "string":
            node[field.name] = ""
    return node


def builtin_scopes(version):
    """(parent id, scope record or the id of one already listed) for a fresh manager, parents first."""
    def scope(facility_id, name, owner="ALL_USERS", order=1):
        return {**FACILITY_DEFAULTS, "facilityId": facility_id, "facilityName": name,
                "facilityType": TYPE_SCOPE, "displaySortOrder": order, "ownerRoleId": owner,
                "builtInFlg": True, "createUserId": "hinemos", "modifyUserId": "hinemos"}

    top = [("INTERNAL", "Hinemos Internal", "INTERNAL"), ("REGISTERED", "Registered Nodes", "ALL_USERS"),
           ("UNREGISTERED", "Unregistered Nodes", "ALL_USERS"), ("OWNER", "Owner Role", "ALL_USERS"),
           ("OS", "OS", "ALL_USERS")]
    if version != "6.0":
        top.append(("NODE_CONFIGURATION", "Node Configuration", "ALL_USERS"))
    result = [(ROOT_ID, scope(fid, name, owner, i)) for i, (fid, name, owner) in enumerate(top)]
    for i, (role, name) in enumerate(ROLES.items()):
        # the INTERNAL role's scope is the INTERNAL scope itself, under two parents (one ID space)
        result.append(("OWNER", "INTERNAL" if role == "INTERNAL" else scope(role, name, role, i)))
    for i, (platform, name) in enumerate(PLATFORMS.items()):
        result.append(("OS", scope(platform, name, "ALL_USERS", i)))
    return result
