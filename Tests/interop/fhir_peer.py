"""A FHIR client nobody at Swabline wrote: fhir.resources' R4B models build
the Bundles a lab sends and parse every resource Swabline answers with.

    fhir_peer.py bundle <transaction|batch> <identifier|-> <time> <tube>=<snomed>[:ct] ...
        prints a results Bundle (Specimen, Observation 94500-6, Ct Observation, DiagnosticReport per tube)
    fhir_peer.py check <file> ...
        parses each file as the FHIR R4B resource its resourceType names; prints each type
"""
import json
import sys
import uuid

from fhir.resources.R4B import get_fhir_model_class


def results_bundle(kind, identifier, time, items):
    entries = []
    for item in items:
        tube, rest = item.split("=")
        code, _, ct = rest.partition(":")
        specimen_url, result_url = f"urn:uuid:{uuid.uuid4()}", f"urn:uuid:{uuid.uuid4()}"
        entries.append({"fullUrl": specimen_url, "request": {"method": "POST", "url": "Specimen",
                        "ifNoneExist": f"identifier=urn:swabline:tube|{tube}"},
                        "resource": {"resourceType": "Specimen",
                                     "identifier": [{"system": "urn:swabline:tube", "value": tube}],
                                     "type": {"coding": [{"system": "http://snomed.info/sct", "code": "258529004",
                                                          "display": "Throat swab"}]}}})
        entries.append({"fullUrl": result_url, "request": {"method": "POST", "url": "Observation"},
                        "resource": {"resourceType": "Observation", "status": "final",
                                     "code": {"coding": [{"system": "http://loinc.org", "code": "94500-6"}]},
                                     "specimen": {"reference": specimen_url}, "effectiveDateTime": time,
                                     "valueCodeableConcept": {"coding": [{"system": "http://snomed.info/sct", "code": code}]}}})
        if ct:
            entries.append({"fullUrl": f"urn:uuid:{uuid.uuid4()}", "request": {"method": "POST", "url": "Observation"},
                            "resource": {"resourceType": "Observation", "status": "final",
                                         "code": {"coding": [{"system": "http://loinc.org", "code": "94745-7",
                                                              "display": "SARS-CoV-2 RNA Ct Resp"}]},
                                         "specimen": {"reference": specimen_url},
                                         "valueQuantity": {"value": float(ct), "unit": "{Ct_value}"}}})
        entries.append({"fullUrl": f"urn:uuid:{uuid.uuid4()}", "request": {"method": "POST", "url": "DiagnosticReport"},
                        "resource": {"resourceType": "DiagnosticReport", "status": "final",
                                     "code": {"coding": [{"system": "http://loinc.org", "code": "94500-6"}]},
                                     "result": [{"reference": result_url}], "specimen": [{"reference": specimen_url}]}})
    bundle = {"resourceType": "Bundle", "type": kind, "entry": entries}
    if identifier != "-":
        bundle["identifier"] = {"system": "urn:lab-dian:bundle", "value": identifier}
    model = get_fhir_model_class("Bundle").model_validate(bundle)  # the peer builds only what its models accept
    return model.model_dump_json(exclude_none=True)


def check(paths):
    for path in paths:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        model = get_fhir_model_class(data["resourceType"]).model_validate(data)
        print(model.__resource_type__)


if __name__ == "__main__":
    if sys.argv[1] == "bundle":
        print(results_bundle(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]))
    else:
        check(sys.argv[2:])
