#!/usr/bin/python3
"""Reference slice order for a DICOM series folder, computed independently with pydicom + numpy.

Usage: /usr/bin/python3 tools/series/make_series_reference.py FOLDER > reference.csv

For every file with pixel data: SOPInstanceUID, ImagePositionPatient, the slice normal
n = row x column of ImageOrientationPatient (flipped when it points to the feet, n_z < 0), the
position along the normal p.n, sorted ascending; the step to the previous slice along the normal;
the distance between consecutive ImagePositionPatient points (table increment); and the angle between
n and the line from the first to the last position (gantry tilt as the geometry shows it).
Needs Debian's python3-pydicom and python3-numpy (use /usr/bin/python3).
"""
import csv
import math
import os
import sys
import warnings

import numpy as np
import pydicom

warnings.simplefilter("ignore")


def main(folder):
    rows = []
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        try:
            ds = pydicom.dcmread(path, stop_before_pixels=True)
        except Exception:
            continue
        if "ImagePositionPatient" not in ds:
            continue
        p = np.array([float(v) for v in ds.ImagePositionPatient])
        o = np.array([float(v) for v in ds.ImageOrientationPatient])
        n = np.cross(o[:3], o[3:])
        n /= np.linalg.norm(n)
        if n[2] < 0:
            n = -n
        rows.append((float(p @ n), str(ds.SOPInstanceUID), name, p, n))
    rows.sort(key=lambda r: (r[0], r[1]))
    stack = rows[-1][3] - rows[0][3]
    n0 = rows[0][4]
    tilt = math.degrees(math.acos(abs(float(stack @ n0)) / float(np.linalg.norm(stack))))
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["sorted_index", "file", "sop_instance_uid", "ipp_x", "ipp_y", "ipp_z",
                  "position_along_normal_mm", "step_mm", "table_increment_mm", "tilt_deg"])
    for i, (z, uid, name, p, _) in enumerate(rows):
        step = "" if i == 0 else f"{z - rows[i - 1][0]:.6f}"
        table = "" if i == 0 else f"{float(np.linalg.norm(p - rows[i - 1][3])):.6f}"
        out.writerow([i, name, uid, f"{p[0]:.6f}", f"{p[1]:.6f}", f"{p[2]:.6f}", f"{z:.6f}", step, table, f"{tilt:.6f}"])


if __name__ == "__main__":
    main(sys.argv[1])
