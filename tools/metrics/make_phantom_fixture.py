#!/usr/bin/python3
"""Derives tests/fixtures/metrics/e2e-phantom from e2e-rsna by renaming IDs only.

`ich synth` names slices by DICOM SOPInstanceUIDs (2.25.<decimal>) and writes labels.csv rows as
ID_<SOPInstanceUID>_<subtype>, while real RSNA SOPs already start with "ID_". The numbers (and so
the sklearn reference values in expected.json) are unchanged: each RSNA hex ID becomes 2.25.<int(hex)>.
"""
import csv, os, shutil

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.normpath(os.path.join(here, "..", "..", "tests", "fixtures", "metrics"))
src, dst = os.path.join(root, "e2e-rsna"), os.path.join(root, "e2e-phantom")
os.makedirs(dst, exist_ok=True)

def uid(rsna_sop):  # ID_00006c17c -> 2.25.27772
    return "2.25." + str(int(rsna_sop[3:], 16))

with open(os.path.join(src, "predictions.csv"), newline="") as f, \
     open(os.path.join(dst, "predictions.csv"), "w", newline="") as g:
    r, w = csv.reader(f), csv.writer(g, lineterminator="\n")
    w.writerow(next(r))
    for row in r:
        row[1] = uid(row[1])
        w.writerow(row)

with open(os.path.join(src, "labels.csv"), newline="") as f, \
     open(os.path.join(dst, "labels.csv"), "w", newline="") as g:
    r, w = csv.reader(f), csv.writer(g, lineterminator="\n")
    w.writerow(next(r))
    for sid, label in r:
        sop, subtype = sid.rsplit("_", 1)
        w.writerow(["ID_" + uid(sop) + "_" + subtype, label])

shutil.copyfile(os.path.join(src, "expected.json"), os.path.join(dst, "expected.json"))
