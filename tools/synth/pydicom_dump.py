#!/usr/bin/python3
"""Independent reference reader for the writer and phantom tests (never used by the product).

usage: /usr/bin/python3 tools/synth/pydicom_dump.py FILE...
Prints one JSON object per file (JSON lines): the transfer syntax, selected tags as pydicom reads
them (multi-values as lists of strings), and the SHA-256 of the pixel array as little-endian 16-bit
values exactly as stored (pixel_array, before rescale), plus its shape and min/max.
Needs Debian's python3-pydicom and python3-numpy (apt-get install -y python3-pydicom python3-numpy).
"""
import hashlib
import json
import sys

import numpy as np
import pydicom

TAGS = ["SOPClassUID", "SOPInstanceUID", "StudyInstanceUID", "SeriesInstanceUID", "PatientID",
        "Modality", "Rows", "Columns", "BitsAllocated", "BitsStored", "HighBit", "PixelRepresentation",
        "RescaleIntercept", "RescaleSlope", "WindowCenter", "WindowWidth", "InstanceNumber",
        "ImagePositionPatient", "ImageOrientationPatient", "PixelSpacing", "SliceThickness",
        "GantryDetectorTilt", "PhotometricInterpretation", "PixelPaddingValue"]


def text(value):
    if value is None:
        return None
    if isinstance(value, (list, pydicom.multival.MultiValue)):
        return [str(v) for v in value]
    return str(value)


for path in sys.argv[1:]:
    ds = pydicom.dcmread(path)
    out = {"path": path, "transfer_syntax": str(ds.file_meta.TransferSyntaxUID),
           "group_length": int(ds.file_meta.FileMetaInformationGroupLength)}
    for name in TAGS:
        out[name] = text(ds.get(name)) if name in ds else None
    if "PixelData" in ds:
        arr = ds.pixel_array
        dtype = "<i2" if ds.PixelRepresentation == 1 else "<u2"
        out["pixel_sha256"] = hashlib.sha256(np.ascontiguousarray(arr.astype(dtype)).tobytes()).hexdigest()
        out["pixel_shape"] = list(arr.shape)
        out["pixel_min"] = int(arr.min())
        out["pixel_max"] = int(arr.max())
    for name, seq in (("sequence", "ReferencedImageSequence"),):
        if seq in ds:
            out[name] = [text(item.get("ReferencedSOPInstanceUID")) for item in ds[seq].value]
    print(json.dumps(out))
