"""SOAP 1.1 document/literal wrapped, as the manager's JAX-WS runtime speaks it: XML <-> plain dicts.

The shapes come from the XSD files the stand-in serves (wsdl/<version>/), so a request or response
is read and written exactly as the published schema says: unqualified child elements in the
schema's (alphabetical, base type first) order, repeated elements for lists, absent elements for
None. Values are plain Python: str, int, bool, dict (complex types) and list (repeated elements).
"""
import functools
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import NamedTuple
from xml.sax.saxutils import escape

NS_REPOSITORY = "http://repository.ws.clustercontrol.com"
NS_SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
NS_SOAP12 = "http://www.w3.org/2003/05/soap-envelope"
NS_XS = "http://www.w3.org/2001/XMLSchema"
NS_XSI = "http://www.w3.org/2001/XMLSchema-instance"
WSDL_DIR = Path(__file__).parent / "wsdl"
# the endpoints a version serves beside RepositoryEndpoint -> the directory of their WSDL
SETTINGS_WSDL = {"6.2": {"MonitorSettingEndpoint": "6.2-settings", "JobEndpoint": "6.2-settings",
                         "NotifyEndpoint": "6.2-notify"}}
# the address the WSDL/XSD files of wsdl/ carry; replaced by the serving base URL
REFERENCE_BASE_URL = "http://localhost:8080/HinemosWS"

_XS = f"{{{NS_XS}}}"
_NIL = f"{{{NS_XSI}}}nil"
_XSI_TYPE = f"{{{NS_XSI}}}type"
_ENVELOPE_HEAD = (
    "<?xml version='1.0' encoding='UTF-8'?>"
    f'<S:Envelope xmlns:S="{NS_SOAP11}"><S:Body>'
)
_ENVELOPE_TAIL = "</S:Body></S:Envelope>"
_INVALID_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class SoapError(Exception):
    """The request is not a SOAP message this endpoint can dispatch (a client fault)."""


class Field(NamedTuple):
    """One element of a complex type: name, local type name, whether it repeats, whether required."""

    name: str
    type: str
    repeated: bool
    required: bool


class Schema:
    """The complex types of one endpoint's published WSDL (RepositoryEndpoint of a version, or a
    settings endpoint), keyed by local type name; `namespace` is the WSDL's target namespace."""

    def __init__(self, version, endpoint="RepositoryEndpoint"):
        self.version = version
        self.endpoint = endpoint
        self.directory = WSDL_DIR / (version if endpoint == "RepositoryEndpoint"
                                     else SETTINGS_WSDL.get(version, {}).get(endpoint, version))
        if not (self.directory / f"{endpoint}.wsdl").is_file():
            raise ValueError(f"unknown Hinemos WSDL version {version!r} (known: {', '.join(versions())})")
        self.namespace = ET.parse(self.directory / f"{endpoint}.wsdl").getroot().get("targetNamespace")
        self.types = {}
        self.simple_types = set()
        self.elements = {}
        bases = {}
        for path in sorted(self.directory.glob(f"{endpoint}_xsd*.xsd")):
            root = ET.parse(path).getroot()
            for simple in root.iter(_XS + "simpleType"):
                if simple.get("name"):
                    self.simple_types.add(simple.get("name"))
            for element in root.findall(_XS + "element"):
                self.elements[element.get("name")] = _local(element.get("type"))
            for ctype in root.findall(_XS + "complexType"):
                extension = ctype.find(f"{_XS}complexContent/{_XS}extension")
                if extension is not None:
                    bases[ctype.get("name")] = _local(extension.get("base"))
                self.types[ctype.get("name")] = [
                    Field(e.get("name"), _local(e.get("type")), e.get("maxOccurs") == "unbounded",
                          e.get("minOccurs") is None)
                    for e in ctype.iter(_XS + "element")
                ]
        own = dict(self.types)
        self.types = {name: _flatten(name, own, bases) for name in own}
        self.field_maps = {name: {f.name: f for f in fields} for name, fields in self.types.items()}

    def operations(self):
        """Operation names: every element whose type has a matching <name>Response element."""
        return sorted(n for n in self.elements if n + "Response" in self.elements)

    def file(self, name):
        return (self.directory / name).read_text(encoding="utf-8")

    # -- XML -> dict ---------------------------------------------------------------------------

    def decode(self, element, type_name):
        """A plain value of `type_name` from an XML element (None for xsi:nil)."""
        if element.get(_NIL) in ("true", "1"):
            return None
        declared = element.get(_XSI_TYPE)
        if declared and _local(declared) in self.types:
            type_name = _local(declared)
        if type_name not in self.types:
            return _decode_simple(element.text or "", type_name)
        fields = self.field_maps[type_name]
        value = {}
        for child in element:
            field = fields.get(_local(child.tag))
            if field is None:
                continue  # JAXB ignores elements it does not know
            item = self.decode(child, field.type)
            if field.repeated:
                value.setdefault(field.name, []).append(item)
            else:
                value[field.name] = item
        return value

    def decode_request(self, wrapper):
        """Positional arguments of an operation from its request wrapper element, JAXB-style."""
        operation = _local(wrapper.tag)
        decoded = self.decode(wrapper, operation)
        args = []
        for field in self.types[operation]:
            if field.name in decoded:
                args.append(decoded[field.name])
            elif field.repeated:
                args.append([])  # an absent array arrives as an empty one
            elif field.required:
                args.append(False if field.type == "boolean" else 0)  # Java primitive default
            else:
                args.append(None)
        return args

    # -- dict -> XML ---------------------------------------------------------------------------

    def encode(self, name, value, type_name):
        """XML text of one element `name` holding `value` of `type_name` (empty for None)."""
        if value is None:
            return ""
        if type_name not in self.types:
            return f"<{name}>{_encode_simple(value)}</{name}>"
        parts = [f"<{name}>"]
        for field in self.types[type_name]:
            item = value.get(field.name)
            if item is None:
                continue
            if field.repeated:
                for each in item:
                    if each is None:
                        parts.append(f'<{field.name} xmlns:xsi="{NS_XSI}" xsi:nil="true"/>')
                    else:
                        parts.append(self.encode(field.name, each, field.type))
            else:
                parts.append(self.encode(field.name, item, field.type))
        parts.append(f"</{name}>")
        return "".join(parts)

    def response(self, operation, result):
        """The whole SOAP envelope answering `operation` with `result` (list for repeated returns)."""
        response_type = operation + "Response"
        fields = self.types[response_type]
        body = ""
        if fields and result is not None:
            field = fields[0]
            items = result if field.repeated else [result]
            body = "".join(self.encode(field.name, item, field.type) for item in items)
        return (
            f'{_ENVELOPE_HEAD}<ns2:{response_type} xmlns:ns2="{self.namespace}">{body}'
            f"</ns2:{response_type}>{_ENVELOPE_TAIL}"
        )


@functools.cache
def schema(version, endpoint="RepositoryEndpoint"):
    """The (cached) Schema of an endpoint of a published WSDL version."""
    return Schema(version, endpoint)


def versions():
    return sorted(p.name for p in WSDL_DIR.iterdir() if (p / "RepositoryEndpoint.wsdl").is_file())


def parse_request(body):
    """(operation name, wrapper element) of a SOAP 1.1 request; SoapError if it is not one."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError as e:
        raise SoapError(f"Couldn't create SOAP message due to exception: {e}") from None
    if root.tag == f"{{{NS_SOAP12}}}Envelope":
        raise SoapError("Invalid SOAP envelope version: SOAP 1.2 is not served here")
    if root.tag != f"{{{NS_SOAP11}}}Envelope":
        raise SoapError(f"Invalid SOAP envelope: {root.tag}")
    soap_body = root.find(f"{{{NS_SOAP11}}}Body")
    wrapper = next(iter(soap_body), None) if soap_body is not None else None
    if wrapper is None:
        raise SoapError("Cannot find dispatch method for an empty SOAP body")
    return wrapper.tag, wrapper


def fault(name, message, extra=None, namespace=NS_REPOSITORY):
    """A server fault as the JAX-WS RI writes a checked Hinemos exception (None message allowed);
    the detail element is in the endpoint's namespace."""
    faultstring = message if message is not None else f"com.clustercontrol.fault.{name}"
    detail_fields = ([] if message is None else [("message", message)]) + list((extra or {}).items())
    inner = "".join(f"<{k}>{_encode_simple(v)}</{k}>" for k, v in detail_fields)
    if inner:
        detail = f'<ns2:{name} xmlns:ns2="{namespace}">{inner}</ns2:{name}>'
    else:
        detail = f'<ns2:{name} xmlns:ns2="{namespace}"/>'
    return _fault_envelope("S:Server", faultstring, f"<detail>{detail}</detail>")


def plain_fault(faultcode, faultstring):
    """A fault without a Hinemos detail (unchecked exceptions, undispatchable requests)."""
    return _fault_envelope(faultcode, faultstring, "")


def _fault_envelope(faultcode, faultstring, detail):
    return (
        f'{_ENVELOPE_HEAD}<S:Fault xmlns:ns4="{NS_SOAP12}"><faultcode>{faultcode}</faultcode>'
        f"<faultstring>{_text(faultstring)}</faultstring>{detail}</S:Fault>{_ENVELOPE_TAIL}"
    )


def _flatten(name, own, bases):
    """A type's elements with those of its base types first (complexContent/extension)."""
    return (_flatten(bases[name], own, bases) if name in bases else []) + own[name]


def _local(qname):
    """'tns:nodeInfo' -> 'nodeInfo'; '{ns}tag' -> 'tag'."""
    if qname is None:
        return None
    return qname.rsplit("}", 1)[-1].rsplit(":", 1)[-1]


def _decode_simple(text, type_name):
    if type_name in ("int", "long", "short", "byte"):
        try:
            return int(text.strip())
        except ValueError:
            return None  # JAXB leaves an unparsable number null
    if type_name == "boolean":
        return {"true": True, "1": True, "false": False, "0": False}.get(text.strip())
    if type_name in ("double", "float"):
        try:
            return float(text.strip())
        except ValueError:
            return None
    return text


def _encode_simple(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return _text(value)


def _text(value):
    return escape(_INVALID_XML_CHARS.sub("", str(value)))
