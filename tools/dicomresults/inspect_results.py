#!/usr/bin/python3
"""Independent reader of the DICOM result objects for the tests (never used by the product).

usage: /usr/bin/python3 tools/dicomresults/inspect_results.py FILE...
Prints one JSON object per file (JSON lines), as Debian's pydicom reads it:
- identity: SOP class/instance, series, modality, series number, SpecificCharacterSet, and the raw bytes
  (hex) of the copied patient/study attributes, plus PatientName decoded with the file's character set;
- SR (Comprehensive SR): per measurement group the finding code, the NUM value with its unit, the
  present/absent code value and the images the NUM is inferred from; the image-library references; the
  comment text; the device observer name; the algorithm parameters; the evidence sequence references;
- KOS: the title code, the IMAGE references and the evidence references;
- SC: pixel attributes, BurnedInAnnotation, and the pixel array's shape.
Needs python3-pydicom and python3-numpy (apt-get install -y python3-pydicom python3-numpy).
"""
import json
import sys

import pydicom

RAW = ["SpecificCharacterSet", "PatientName", "PatientID", "PatientBirthDate", "PatientSex", "StudyInstanceUID",
       "StudyDate", "StudyTime", "AccessionNumber", "ReferringPhysicianName", "StudyID"]


def raw_values(path):
    """The undecoded value bytes of the copied identity attributes, read straight from the file's data
    elements (pydicom's element generator, no value conversion), keyed by keyword."""
    wanted = {pydicom.datadict.tag_for_keyword(k): k for k in RAW}
    out = {k: None for k in RAW}
    with open(path, "rb") as fp:
        pydicom.filereader.read_preamble(fp, False)
        meta = pydicom.filereader._read_file_meta_info(fp)
        implicit = meta.TransferSyntaxUID == pydicom.uid.ImplicitVRLittleEndian
        for elem in pydicom.filereader.data_element_generator(
                fp, implicit, True, stop_when=lambda tag, vr, length: tag.group > 0x0020):
            if elem.tag in wanted and isinstance(elem.value, bytes):
                out[wanted[elem.tag]] = elem.value.hex()
    return out


def code(seq):
    item = seq[0]
    return {"value": item.CodeValue, "scheme": item.CodingSchemeDesignator, "meaning": item.CodeMeaning}


def refs(items):
    return [{"class": str(r.ReferencedSOPClassUID), "instance": str(r.ReferencedSOPInstanceUID)} for r in items]


def evidence(ds):
    out = []
    for st in ds.get("CurrentRequestedProcedureEvidenceSequence", []):
        for se in st.ReferencedSeriesSequence:
            for r in se.ReferencedSOPSequence:
                out.append({"study": str(st.StudyInstanceUID), "series": str(se.SeriesInstanceUID),
                            "instance": str(r.ReferencedSOPInstanceUID), "class": str(r.ReferencedSOPClassUID)})
    return out


def concept(item):
    return code(item.ConceptNameCodeSequence)["value"] if "ConceptNameCodeSequence" in item else None


def sr(ds):
    out = {"title": code(ds.ConceptNameCodeSequence), "groups": [], "library": [], "comments": [], "observer": {},
           "template": ds.ContentTemplateSequence[0].TemplateIdentifier, "evidence": evidence(ds)}
    for item in ds.ContentSequence:
        c = concept(item)
        if item.ValueType == "TEXT" and c == "121106":
            out["comments"].append(item.TextValue)
        elif item.ValueType in ("TEXT", "UIDREF", "CODE") and item.RelationshipType == "HAS OBS CONTEXT":
            out["observer"][c] = item.TextValue if item.ValueType == "TEXT" else (
                str(item.UID) if item.ValueType == "UIDREF" else code(item.ConceptCodeSequence)["value"])
        elif c == "111028":
            for group in item.ContentSequence:
                out["library"] += [refs(i.ReferencedSOPSequence)[0] for i in group.ContentSequence]
        elif c == "126010":
            for group in item.ContentSequence:
                g = {"parameters": []}
                for m in group.ContentSequence:
                    mc = concept(m)
                    if mc == "121071":
                        g["finding"] = code(m.ConceptCodeSequence)
                    elif mc == "111002":
                        g["parameters"].append(m.TextValue)
                    elif mc == "111001":
                        g["algorithm_name"] = m.TextValue
                    elif mc == "111003":
                        g["algorithm_version"] = m.TextValue
                    elif m.ValueType == "NUM":
                        mv = m.MeasuredValueSequence[0]
                        g["probability"] = float(mv.NumericValue)
                        g["unit"] = code(mv.MeasurementUnitsCodeSequence)
                        g["num_concept"] = code(m.ConceptNameCodeSequence)
                        g["inferred_from"] = [refs(i.ReferencedSOPSequence)[0] for i in m.get("ContentSequence", [])]
                    elif m.ValueType == "CODE" and m.RelationshipType == "CONTAINS":
                        g["evaluation_concept"] = code(m.ConceptNameCodeSequence)
                        g["evaluation"] = code(m.ConceptCodeSequence)
                out["groups"].append(g)
    return out


def kos(ds):
    images = [refs(i.ReferencedSOPSequence)[0] for i in ds.ContentSequence if i.ValueType == "IMAGE"]
    return {"title": code(ds.ConceptNameCodeSequence), "images": images, "evidence": evidence(ds),
            "template": ds.ContentTemplateSequence[0].TemplateIdentifier}


for path in sys.argv[1:]:
    ds = pydicom.dcmread(path)
    out = {"path": path, "sop_class": str(ds.SOPClassUID), "sop_instance": str(ds.SOPInstanceUID),
           "series": str(ds.SeriesInstanceUID), "modality": ds.Modality, "series_number": int(ds.SeriesNumber),
           "raw": raw_values(path)}
    ds.decode()
    out["patient_name"] = str(ds.PatientName)
    out["study"] = str(ds.StudyInstanceUID)
    if ds.SOPClassUID == "1.2.840.10008.5.1.4.1.1.88.33":
        out["sr"] = sr(ds)
    elif ds.SOPClassUID == "1.2.840.10008.5.1.4.1.1.88.59":
        out["kos"] = kos(ds)
    elif ds.SOPClassUID == "1.2.840.10008.5.1.4.1.1.7":
        arr = ds.pixel_array
        out["sc"] = {"burned_in": ds.BurnedInAnnotation, "photometric": ds.PhotometricInterpretation,
                     "shape": list(arr.shape), "source": refs(ds.SourceImageSequence)[0]}
    print(json.dumps(out), flush=True)
