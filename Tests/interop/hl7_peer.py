"""HL7 v2 peers nobody at Swabline wrote: python-hl7 (`hl7`) sends ORU^R01
over MLLP, hl7apy checks what Swabline answers and serves against the
v2.5.1 structures.

    hl7_peer.py oru <control id> <lab> <MSH-8 key> <HL7 time> <tube>=<snomed>[:ct][@HL7 time of this test] ...
        prints an ORU^R01 (segments end in CR), checked by hl7apy first
    hl7_peer.py send <port> <message file> ...
        sends each over MLLP to 127.0.0.1 with python-hl7's client; prints each ACK as JSON
    hl7_peer.py check <file> ...
        validates each message strictly with hl7apy; prints JSON: type, MSA-1, ERR-3 codes, ORDER groups
"""
import json
import re
import sys

import hl7
from hl7.client import MLLPClient
from hl7apy.consts import VALIDATION_LEVEL
from hl7apy.parser import parse_message, parse_segment


def oru(control_id, lab, key, time, items):
    segments = [
        f"MSH|^~\\&|LIS|{lab}|SWABLINE|DISTRICT|{time}|{key}|ORU^R01^ORU_R01|{control_id}|P|2.5.1|||||||UNICODE UTF-8",
        "PID|1||POOL^^^LAB||POOLED^SPECIMEN",
    ]
    for index, item in enumerate(items, start=1):
        tube, rest = item.split("=")
        rest, _, tested = rest.partition("@")
        code, _, ct = rest.partition(":")
        tested = tested or time
        segments += [
            f"ORC|RE|{tube}",
            f"OBR|{index}|{tube}||94500-6^SARS-CoV-2 RNA Resp Ql NAA+probe^LN|||{time}",
            f"OBX|1|CWE|94500-6^SARS-CoV-2 RNA Resp Ql NAA+probe^LN||{code}^^SCT||||||F|||{tested}|||||{tested}",
        ]
        if ct:
            segments.append(f"OBX|2|NM|94745-7^SARS-CoV-2 RNA Ct Resp^LN||{ct}|{{Ct_value}}|||||F|||{time}")
        segments.append(f"SPM|1|{tube}||258529004^Throat swab^SCT|||||||L")
    text = "\r".join(segments) + "\r"
    parse_message(text, validation_level=VALIDATION_LEVEL.STRICT, find_groups=True).validate()
    return text


def send(port, paths):
    answers = []
    with MLLPClient("127.0.0.1", int(port)) as client:
        client.socket.settimeout(30)
        for path in paths:
            with open(path, encoding="utf-8", newline="") as f:
                raw = client.send_message(f.read())
            # The stock client reads once; an ACK may come in several reads.
            while not raw.endswith(b"\x1c\r"):
                more = client.socket.recv(4096)
                if not more:
                    raise RuntimeError("the connection closed before the ACK ended")
                raw += more
            answers.append(raw[1:-2].decode("utf-8"))
    print(json.dumps(answers))


def structure_pattern(children):
    """A structure of hl7apy's v2.5.1 tables as a regular expression over segment ids."""
    out = ""
    for name, struct, (low, high), kind in children:
        body = f"(?:{name},)" if kind == "SEG" else f"(?:{structure_pattern(struct[1])})"
        out += body if (low, high) == (1, 1) else body + ("?" if (low, high) == (0, 1) else "*" if low == 0 else "+")
    return out


def check_order(text, structure):
    """hl7apy groups greedily and files every ORC after the first SPM of an
    OML^O21 into a PRIOR_RESULT group it then finds incomplete, though the
    order is valid; so the order is checked against hl7apy's own structure
    tables with a backtracking regular expression, and each segment strictly."""
    import hl7apy.v2_5_1.messages as messages
    ids = [segment[:3] for segment in text.split("\r") if segment]
    if re.fullmatch(structure_pattern(messages.MESSAGES[structure][1]), "".join(i + "," for i in ids)) is None:
        raise ValueError(f"segment order is not {structure}: {ids}")
    for segment in [s for s in text.split("\r") if s]:
        parse_segment(segment, version="2.5.1", validation_level=VALIDATION_LEVEL.STRICT).validate()


def segments_in(element):
    """The segments in hl7apy's tree of a message, however deep in groups."""
    if element.classname == "Segment":
        return 1
    return sum(segments_in(child) for child in element.children)


def check(paths):
    out = []
    for path in paths:
        with open(path, encoding="utf-8", newline="") as f:
            text = f.read()
        if "|OML^O21" in text.split("\r")[0]:
            check_order(text, "OML_O21")
        else:
            message = parse_message(text, validation_level=VALIDATION_LEVEL.STRICT, find_groups=True)
            message.validate()
            # hl7apy drops segments that fit nowhere: every one must be in the tree.
            if segments_in(message) != len([s for s in text.split("\r") if s]):
                raise ValueError("hl7apy dropped a segment it could not place")
        parsed = hl7.parse(text)
        kind = str(parsed.segment("MSH")[9])
        entry = {"type": kind, "segments": [str(s[0]) for s in parsed]}
        if kind.startswith("ACK"):
            entry["msa"] = str(parsed.segment("MSA")[1])
            entry["original"] = str(parsed.segment("MSA")[2])
            entry["errors"] = [str(s[3][0][0]) for s in parsed if str(s[0]) == "ERR"]
        if kind.startswith("OML"):
            entry["orders"] = len([s for s in parsed if str(s[0]) == "ORC"])
            entry["pooled"] = [str(s[11]) for s in parsed if str(s[0]) == "SPM"]
        out.append(entry)
    print(json.dumps(out))


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "oru":
        sys.stdout.write(oru(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6:]))
    elif command == "send":
        send(sys.argv[2], sys.argv[3:])
    else:
        check(sys.argv[2:])
