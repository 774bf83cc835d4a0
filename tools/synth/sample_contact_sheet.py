#!/usr/bin/python3
"""Contact sheet of one phantom series in the brain window, read with pydicom (independent reader).

usage: /usr/bin/python3 tools/synth/sample_contact_sheet.py SERIES_DIR OUT.png
Slices are ordered by ImagePositionPatient z; HU = stored * slope + intercept; window 40/80.
Needs python3-pydicom, python3-numpy and python3-pil (Debian).
"""
import glob
import sys

import numpy as np
import pydicom
from PIL import Image

files = [pydicom.dcmread(f) for f in glob.glob(sys.argv[1] + "/*.dcm")]
files.sort(key=lambda d: float(d.ImagePositionPatient[2]))
tiles = []
for d in files:
    hu = d.pixel_array.astype(np.float32) * float(d.RescaleSlope) + float(d.RescaleIntercept)
    tiles.append(np.clip((hu - 0) / 80 * 255, 0, 255).astype(np.uint8))
cols = 7
rows = (len(tiles) + cols - 1) // cols
h, w = tiles[0].shape
sheet = np.zeros((rows * h, cols * w), np.uint8)
for i, t in enumerate(tiles):
    sheet[(i // cols) * h:(i // cols + 1) * h, (i % cols) * w:(i % cols + 1) * w] = t
Image.fromarray(sheet).save(sys.argv[2])
