#!/usr/bin/python3
"""Copy the reference rows of the committed DICOM fixtures out of realdata/dicom_manifest.csv.

The manifest's values were computed by pydicom 2.3.1 / GDCM 3.0.21 / DCMTK 3.6.7 (see
realdata/README.md and realdata/tools/make_manifest.py); this script only selects rows and columns,
it computes nothing itself.

    /usr/bin/python3 tools/dicom/make_fixture_expectations.py ../shared/realdata > tests/fixtures/dicom/expected.csv
"""
import csv
import os
import sys

FIXTURES = {
    "CT_small.dcm": "conformance/pydicom/CT_small.dcm",
    "MR_small_implicit.dcm": "conformance/pydicom/MR_small_implicit.dcm",
    "MR_small_bigendian.dcm": "conformance/pydicom/MR_small_bigendian.dcm",
    "MR_small_RLE.dcm": "conformance/pydicom/MR_small_RLE.dcm",
    "rtdose.dcm": "conformance/pydicom/rtdose.dcm",
    "image_dfl.dcm": "conformance/pydicom/image_dfl.dcm",
    "SC_rgb_small_odd.dcm": "conformance/pydicom/SC_rgb_small_odd.dcm",
    "liver_1frame.dcm": "conformance/pydicom/liver_1frame.dcm",
    "badVR.dcm": "conformance/pydicom/badVR.dcm",
    "UN_sequence.dcm": "conformance/pydicom/UN_sequence.dcm",
    "priv_SQ.dcm": "conformance/pydicom/priv_SQ.dcm",
    "no_meta_group_length.dcm": "conformance/pydicom/no_meta_group_length.dcm",
    "rtplan_truncated.dcm": "conformance/pydicom/rtplan_truncated.dcm",
    "MR_truncated.dcm": "conformance/pydicom/MR_truncated.dcm",
}
COLUMNS = ["transfer_syntax_uid", "rows", "cols", "frames", "bits_allocated", "bits_stored", "pixel_representation",
           "photometric", "rescale_slope", "rescale_intercept", "pixel_sha256", "expect"]

root = sys.argv[1]
rows = {r["file"]: r for r in csv.DictReader(open(os.path.join(root, "dicom_manifest.csv"), newline=""))}
out = csv.writer(sys.stdout, lineterminator="\n")
out.writerow(["fixture", "source"] + COLUMNS)
for fixture, source in FIXTURES.items():
    r = rows[source]
    out.writerow([fixture, source] + [r[c] for c in COLUMNS])
