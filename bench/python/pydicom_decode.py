#!/usr/bin/python3
"""Baseline for bench/run dicom-decode: pydicom reads each DICOM file in FOLDER, decodes its pixels and
converts them to HU (slope * x + intercept, float32), REPS times after one warm-up pass.
Run with Debian's Python (apt-get install -y python3-pydicom python3-numpy):

    /usr/bin/python3 bench/python/pydicom_decode.py FOLDER REPS [--header-only]

Prints one JSON object: slices, seconds, huSum (sum of every HU value, computed in the untimed
warm-up pass, to check that both sides did the same work).
"""
import json
import os
import sys
import time
import warnings

import numpy as np
import pydicom

warnings.filterwarnings("ignore")  # RSNA files carry non-conformant UIDs; pydicom warns per file


def one_pass(files, header_only, checksum=False):
    total = 0.0
    for path in files:
        if header_only:
            ds = pydicom.dcmread(path, stop_before_pixels=True)
            _ = ds.get("SOPInstanceUID")
            continue
        ds = pydicom.dcmread(path)
        slope = float(ds.get("RescaleSlope", 1) or 1)
        intercept = float(ds.get("RescaleIntercept", 0) or 0)
        hu = ds.pixel_array.astype(np.float32) * np.float32(slope) + np.float32(intercept)
        if checksum:
            total += float(hu.sum(dtype=np.float64))
    return total


def main():
    folder, reps = sys.argv[1], int(sys.argv[2])
    header_only = "--header-only" in sys.argv[3:]
    files = sorted(os.path.join(folder, f) for f in os.listdir(folder) if f.endswith(".dcm"))
    hu_sum = one_pass(files, header_only, checksum=True)  # warm-up (imports, page cache) + checksum
    start = time.perf_counter()
    for _ in range(reps):
        one_pass(files, header_only)
    seconds = time.perf_counter() - start
    print(json.dumps({"slices": len(files) * reps, "seconds": seconds, "huSum": hu_sum}))


if __name__ == "__main__":
    main()
