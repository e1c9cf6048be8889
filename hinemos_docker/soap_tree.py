"""getFacilityTree's SOAP reply read as it arrives, pure (stdlib XML only).

The reply is one facilityTreeItem per placement of a facility (a node in five scopes is five items),
about 2.5 KB of XML per node: 25 MB at 10,000 nodes. Parsed into elements it would take several
times that, so FacilityTreeReader is a parser target that keeps no element: each item goes to a
repository_model.RepositoryBuilder as soon as it closes, with its children's IDs. An item's
children may come before its data (the stand-in writes the elements in alphabetical order, as
JAXB does without a declared order) or after it, so the reader keeps the open items' data and
their children's IDs until each item closes.
"""
import xml.etree.ElementTree as ET

XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"
# the facilityInfo elements the repository keeps, and how their text is read
FIELDS = {"facilityId": str, "facilityName": str, "facilityType": int,
          "valid": lambda text: text.strip() in ("true", "1"),
          "builtInFlg": lambda text: text.strip() in ("true", "1")}
# Envelope > Body > getFacilityTreeResponse > return: the root item
ROOT_DEPTH = 3
ITEM, DATA, FIELD, OTHER = range(4)


class FacilityTreeReader:
    """feed() it the reply's bytes, then finish(); both raise ValueError for a reply that is not a
    facility tree (malformed XML included). It is its own parser's target (start, data, end, close)."""

    def __init__(self, builder):
        self.builder = builder
        self.root_id = None
        self._parser = ET.XMLParser(target=self)
        self._kinds = []   # ITEM, DATA, FIELD or OTHER of each open element
        self._items = []   # (data, child IDs) of each open item
        self._field = None  # (name, text parts, nil) of the open FIELD

    def feed(self, chunk):
        try:
            self._parser.feed(chunk)
        except ET.ParseError as e:  # a SyntaxError, not a ValueError
            raise ValueError(f"malformed XML: {e}") from None

    def finish(self):
        try:
            self._parser.close()
        except ET.ParseError as e:
            raise ValueError(f"malformed XML: {e}") from None
        if self.root_id is None:
            raise ValueError("no facility tree in the reply")

    # -- the parser target --------------------------------------------------------------------

    def start(self, tag, attrib):
        name = _local(tag)
        parent = self._kinds[-1] if self._kinds else None
        if (len(self._kinds) == ROOT_DEPTH and name == "return") or (parent == ITEM and name == "children"):
            kind = ITEM
            self._items.append(({}, []))
        elif parent == ITEM and name == "data":
            kind = DATA
        elif parent == DATA and name in FIELDS:
            kind = FIELD
            self._field = (name, [], attrib.get(XSI_NIL) in ("true", "1"))
        else:
            kind = OTHER
        self._kinds.append(kind)

    def data(self, text):
        if self._field is not None:
            self._field[1].append(text)

    def end(self, tag):
        kind = self._kinds.pop()
        if kind == FIELD:
            name, parts, nil = self._field
            self._field = None
            if not nil:
                self._items[-1][0][name] = FIELDS[name]("".join(parts))
        elif kind == ITEM:
            data, child_ids = self._items.pop()
            if "facilityId" not in data:
                raise ValueError("a facility tree item without a facilityId")
            fid = self.builder.add(data, child_ids)
            if self._items:
                self._items[-1][1].append(fid)
            else:
                self.root_id = fid

    def close(self):
        """The parser's end of the document (finish() is the reader's)."""


def _local(tag):
    """'{ns}name' -> 'name'."""
    return tag.rsplit("}", 1)[-1]
