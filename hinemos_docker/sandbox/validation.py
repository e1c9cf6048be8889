"""RepositoryValidator and CommonValidator of the manager: the checks of addNode/modifyNode/addScope.

Order and messages follow the validator code (docs/hinemos-facts.md#facility-id and the facts after
it); every failure is an InvalidSetting fault whose message is the raw `$[…]` message ID a SOAP
client sees.
"""
import ipaddress
import re

from .model import INT_MAX, PLATFORMS, ROLES, ROOT_ID, TYPE_NODE, TYPE_SCOPE, Fault, is_rest, msg

FACILITY_ID_PATTERN = re.compile(r"[A-Za-z0-9\-_.@]+")
IPV4_PATTERN = re.compile(r"[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}")
DEVICE_LISTS = (("nodeCpuInfo", "CPU"), ("nodeMemoryInfo", "MEMORY"), ("nodeDiskInfo", "DISK"),
                ("nodeNetworkInterfaceInfo", "NETWORK_INTERFACE"), ("nodeFilesystemInfo", "FILE_SYSTEM"),
                ("nodeDeviceInfo", "GENERAL_DEVICE"))


def invalid(message):
    return Fault("InvalidSetting", message)


def check_string(label, value, required, min_size, max_size):
    """CommonValidator.validateString: `required` rejects null only; min/max count characters."""
    name = msg(label) if not label.startswith("$[") else label
    if value is None:
        if required:
            raise invalid(msg("MESSAGE_PLEASE_INPUT", name))
        return
    if len(value) < min_size:
        if not value:
            raise invalid(msg("MESSAGE_PLEASE_INPUT", name))
        raise invalid(msg("MESSAGE_INPUT_UNDER", name, min_size))
    if len(value) > max_size:
        raise invalid(msg("MESSAGE_INPUT_OVER_LIMIT", name, max_size))


def check_int(label, value, low, high):
    if value is None or not low <= value <= high:
        raise invalid(msg("MESSAGE_INPUT_RANGE_OVER", msg(label), low, high))


def check_id(label, value, max_size):
    if not value:
        raise invalid(msg("MESSAGE_ID_IS_NULL", msg(label)))
    check_string(label, value, False, 1, max_size)
    if not FACILITY_ID_PATTERN.fullmatch(value):
        raise invalid(msg("MESSAGE_ID_ILLEGAL_CHARACTERS", value, msg(label)))


def name_size(version):
    """The longest facility and node name: 256 in 7.x, 128 before (RepositoryValidator)."""
    return 256 if is_rest(version) else 128


def check_facility(info, stored, version):
    """validateFacilityInfo; `stored` is the facility already under that id, or None."""
    facility_id = info.get("facilityId")
    check_id("FACILITY_ID", facility_id, 512)
    if facility_id == ROOT_ID:
        raise invalid(msg("MESSAGE_NOT_ALLOWED_IN_REPOSITORY", ROOT_ID))
    check_string("FACILITY_NAME", info.get("facilityName"), True, 1, name_size(version))
    check_string("DESCRIPTION", info.get("description"), False, 0, 256)
    if version != "6.0":
        check_string("ICON_IMAGE", info.get("iconImage"), False, 0, 256)
    owner = info.get("ownerRoleId")
    if owner is None:
        raise invalid(msg("MESSAGE_PLEASE_SET_OWNERROLEID"))
    if owner not in ROLES:
        raise invalid(f"RoleInfo.findByPrimaryKey, roleId = {owner}")
    if stored is not None and stored.get("ownerRoleId") != owner:
        raise invalid(msg("MESSAGE_OWNERROLEID_CHANGE_NG"))


def check_scope(parent_id, info, stored, exists, version, parent_check):
    """validateScopeInfo; `exists(id)` tells whether a facility id is registered."""
    check_facility(info, stored, version)
    if parent_check and parent_id and not exists(parent_id):
        raise invalid(f"Scope does not exist! facilityId = {parent_id}")
    if info.get("facilityType") != TYPE_SCOPE:
        raise invalid(f"Scope FacilityType is  {info.get('facilityType')}")


def check_node(info, stored, version):
    """validateNodeInfo of the given WSDL version; `info` has its defaults filled in already."""
    check_facility(info, stored, version)
    check_string("HARDWARE_TYPE", info.get("hardwareType"), False, 0, 128)
    platform = info.get("platformFamily")
    check_string("PLATFORM_FAMILY_NAME", platform, True, 1, 128)
    check_string("SUB_PLATFORM_FAMILY_NAME", info.get("subPlatformFamily"), True, 0, 128)
    if platform not in PLATFORMS:
        raise invalid(f"platform {platform} does not exist!")
    if info.get("facilityType") != TYPE_NODE:
        raise invalid(f"Node FacilityType is  {TYPE_NODE}")
    _check_address(info)
    check_string("NODE_NAME", info.get("nodeName"), True, 1, name_size(version))
    cloud_sizes = {"cloudResourceId": 256, "cloudResourceName": 128} if is_rest(version) else {}
    for field in ("cloudService", "cloudScope", "cloudResourceType", "cloudResourceId", "cloudResourceName",
                  "cloudLocation"):
        label = re.sub("([A-Z])", r"_\1", field).upper()  # cloudResourceId -> CLOUD_RESOURCE_ID
        check_string(label, info.get(field), False, 0, cloud_sizes.get(field, 64))
    _check_os(info, version)
    _check_devices(info, version)
    _check_hostnames(info.get("nodeHostnameInfo") or [], version)
    _check_variables(info.get("nodeVariableInfo") or [], version)
    _check_services(info)
    check_string("ADMINISTRATOR", info.get("administrator"), False, 0, 256)


def _check_address(info):
    version = info.get("ipAddressVersion")
    if version is None:
        raise invalid("IpAddressVersion is null.")
    if version == 4:
        address = info.get("ipAddressV4")
        if not address:
            raise invalid(msg("MESSAGE_PLEASE_SET_IPV4_CORRECT_FORMAT"))
        # InetAddress.getByName must give an Inet4Address and the text must be a dotted quad
        if not IPV4_PATTERN.fullmatch(address) or any(int(o) > 255 for o in address.split(".")):
            raise invalid(msg("MESSAGE_PLEASE_SET_IPV4_CORRECT_FORMAT") + f"({address})")
    elif version == 6:
        address = info.get("ipAddressV6")
        if not address:
            raise invalid(msg("MESSAGE_PLEASE_SET_IPV6_CORRECT_FORMAT"))
        try:
            parsed = ipaddress.IPv6Address(address)
        except ValueError:
            parsed = None
        if parsed is None or parsed.ipv4_mapped is not None:  # Java turns ::ffff:a.b.c.d into IPv4
            raise invalid(msg("MESSAGE_PLEASE_SET_IPV6_CORRECT_FORMAT") + f"({address})")
    else:
        raise invalid("IpAddressVersion is not 4 / 6.")


def expand_ipv6(address):
    """The form Inet6Address.getHostAddress() stores: eight groups, no zero padding."""
    return ":".join(f"{int(group, 16):x}" for group in ipaddress.IPv6Address(address).exploded.split(":"))


def _check_os(info, version):
    if version == "6.0":
        for field, label, size in (("osName", "OS_NAME", 256), ("osRelease", "OS_RELEASE", 256),
                                   ("osVersion", "OS_VERSION", 256), ("characterSet", "CHARACTER_SET", 16)):
            check_string(label, info.get(field), False, 0, size)
        return
    os_info = info.get("nodeOsInfo") or {}
    for field, label in (("osName", "OS_NAME"), ("osRelease", "OS_RELEASE"), ("osVersion", "OS_VERSION"),
                         ("characterSet", "CHARACTER_SET")):
        check_string(label, os_info.get(field), False, 0, 1024)
    if os_info.get("startupDateTime") is not None and os_info["startupDateTime"] < 0:
        raise invalid(msg("MESSAGE_INPUT_RANGE_OVER", msg("STARTUP_DATE_TIME"), 0, 2**63 - 1))


def _check_devices(info, version):
    name_size = 128 if version == "6.0" else 256
    for field, kind in DEVICE_LISTS:
        seen = set()
        for device in info.get(field) or []:
            device = device or {}
            prefix = msg(kind) + "["
            check_string(prefix + msg("DEVICE_NAME") + "]", device.get("deviceName"), True, 1, name_size)
            check_string(prefix + msg("DEVICE_TYPE") + "]", device.get("deviceType"), True, 1, 32)
            display_name = device.get("deviceDisplayName")
            check_string(prefix + msg("DEVICE_DISPLAY_NAME") + "]", display_name, True, 1, 256)
            index = device.get("deviceIndex")
            if index is None or not 0 <= index <= INT_MAX:
                raise invalid(msg("MESSAGE_INPUT_RANGE_OVER", prefix + msg("DEVICE_INDEX") + "]", 0, INT_MAX))
            key = (index, device.get("deviceType"), device.get("deviceName"))
            if key in seen:
                raise invalid(msg("MESSAGE_ERROR_IN_OVERLAP", msg(kind), device.get("deviceName")))
            seen.add(key)


def _check_hostnames(hostnames, version):
    seen = set()
    for entry in hostnames:
        hostname = (entry or {}).get("hostname")
        if version != "6.0":
            if not hostname:
                continue  # 6.2 skips empty entries
            check_string("HOST_NAME", hostname, True, 1, 1024)
        else:
            check_string("HOST_NAME", hostname, False, 0, 128)
        if hostname in seen:
            raise invalid(msg("MESSAGE_ERROR_IN_OVERLAP", msg("HOST_NAME"), hostname))
        seen.add(hostname)


def _check_variables(variables, version):
    seen = set()
    for entry in variables:
        name = (entry or {}).get("nodeVariableName")
        if is_rest(version):  # rows empty in name and value were dropped; the value is required
            check_string("NODE_VARIABLE_NAME", name, True, 1, 128)
            check_string("NODE_VARIABLE_VALUE", entry.get("nodeVariableValue"), True, 1, 1024)
        elif version != "6.0":
            if not name:
                continue  # 6.2 skips entries without a name
            check_string("NODE_VARIABLE_NAME", name, True, 1, 128)
            check_string("NODE_VARIABLE_VALUE", entry.get("nodeVariableValue"), False, 1, 1024)
        if name in seen:
            raise invalid(msg("MESSAGE_ERROR_IN_OVERLAP", msg("NODE_VARIABLE"), name))
        seen.add(name)


def _check_services(info):
    check_string("COMMUNITY_NAME", info.get("snmpCommunity"), False, 0, 64)
    snmp_version = info.get("snmpVersion")
    if snmp_version not in (0, 1, 3):
        raise invalid(msg("MESSAGE_PLEASE_SET_SNMP_VERSION"))
    level = info.get("snmpSecurityLevel")
    with_auth = snmp_version == 3 and level in ("auth_nopriv", "auth_priv")
    check_string("SNMP_AUTH_PASSWORD", info.get("snmpAuthPassword"), with_auth, 8 if with_auth else 0, 64)
    if with_auth and info.get("snmpAuthProtocol") not in ("MD5", "SHA"):
        raise invalid(msg("MESSAGE_PLEASE_INPUT", msg("SNMP_AUTH_PROTOCOL")))
    with_priv = snmp_version == 3 and level == "auth_priv"
    check_string("SNMP_PRIV_PASSWORD", info.get("snmpPrivPassword"), with_priv, 8 if with_priv else 0, 64)
    if with_priv and info.get("snmpPrivProtocol") not in ("DES", "AES"):
        raise invalid(msg("MESSAGE_PLEASE_INPUT", msg("SNMP_PRIV_PROTOCOL")))
    check_string("SNMP_USER", info.get("snmpUser"), False, 0, 64)
    check_int("SNMP_RETRIES", info.get("snmpRetryCount"), 1, 10)
    check_int("SNMP_TIMEOUT", info.get("snmpTimeout"), 1, INT_MAX)
    for prefix, label, retries, protocol in (("wbem", "WBEM", "wbemRetryCount", "WBEM"),
                                             ("ipmi", "IPMI", "ipmiRetries", None),
                                             ("winrm", "WINRM", "winrmRetries", "WinRM")):
        if protocol is not None:
            if info.get(prefix + "Protocol") not in ("", "http", "https"):
                raise invalid(f"{protocol} Protocol is http or https")
        else:
            check_string("IPMI_PROTOCOL", info.get("ipmiProtocol"), False, 0, 32)
            check_string("IPMI_LEVEL", info.get("ipmiLevel"), False, 0, 32)
        check_string(label + "_USER", info.get(prefix + "User"), False, 0, 64)
        check_string(label + "_USER_PASSWORD", info.get(prefix + "UserPassword"), False, 0, 64)
        check_int(label + "_RETRIES", info.get(retries), 1, 10)
        check_int(label + "_TIMEOUT", info.get(prefix + "Timeout"), 1, INT_MAX)
