#!/usr/bin/python3
"""Reference values and small fixtures for tests/Ich.Imaging.Tests and tests/Ich.Data.Tests.

Run from the repository root (Debian packages: python3-numpy python3-pil python3-nibabel):
    /usr/bin/python3 tools/data/make_fixtures.py
Writes (deterministic; re-running gives identical files):
  tests/fixtures/data/resample_pil.json     Pillow 'F'-mode BILINEAR resize (anti-aliased, the reference
                                            for Ich.Imaging.Resample.Bilinear)
  tests/fixtures/data/orientation/*.nii(.gz) + orientation.json
                                            small volumes under different affines and the expected axial
                                            display (nibabel reorientation to L,P,S axes: columns run
                                            right->left, rows anterior->posterior, slices inferior->superior)
  tests/fixtures/data/physionet-nifti/      a tiny copy of the PhysioNet CT-ICH v1.3.1 layout
"""
import gzip, json, os
import numpy as np
from PIL import Image
import nibabel as nib
from nibabel.orientations import io_orientation, axcodes2ornt, ornt_transform, apply_orientation

OUT = "tests/fixtures/data"
rng = np.random.default_rng(20261127)


def resample_cases():
    cases = []
    for (w, h, ow, oh) in [(7, 5, 3, 2), (12, 12, 4, 4), (13, 11, 5, 6), (4, 4, 9, 9), (6, 3, 6, 7), (10, 10, 7, 7)]:
        src = rng.uniform(-1000, 2000, size=(h, w)).astype(np.float32)
        img = Image.fromarray(src, mode="F").resize((ow, oh), Image.BILINEAR)
        dst = np.asarray(img, dtype=np.float32)
        cases.append({"width": w, "height": h, "outWidth": ow, "outHeight": oh,
                      "src": [float(v) for v in src.ravel()], "expected": [float(v) for v in dst.ravel()]})
    with open(os.path.join(OUT, "resample_pil.json"), "w") as f:
        json.dump({"generator": "Pillow %s Image.resize(BILINEAR) on mode F" % Image.__version__, "cases": cases}, f)


def save(img, path):
    # nibabel writes .nii.gz with a timestamp in the gzip header: write the gzip ourselves with mtime 0.
    if path.endswith(".gz"):
        raw = img.to_bytes()
        with open(path, "wb") as f:
            with gzip.GzipFile(fileobj=f, mode="wb", mtime=0, filename="") as g:
                g.write(raw)
    else:
        with open(path, "wb") as f:
            f.write(img.to_bytes())


def orientation_cases():
    d = os.path.join(OUT, "orientation")
    os.makedirs(d, exist_ok=True)
    vol = np.arange(5 * 4 * 3, dtype=np.int16).reshape((5, 4, 3), order="F") * 7 - 200
    cases = []
    affines = {
        "ras": np.diag([0.5, 0.6, 5.0, 1.0]),
        "las_dcm2niix": np.array([[-0.5, 0, 0, 10], [0, 0.6, 0, -20], [0, 0, 5.0, 30], [0, 0, 0, 1]]),
        "lps_flipped_z": np.array([[-0.5, 0, 0, 0], [0, -0.6, 0, 0], [0, 0, -5.0, 0], [0, 0, 0, 1]]),
        "permuted_yzx": np.array([[0, 0, 0.5, 0], [0.6, 0, 0, 0], [0, 5.0, 0, 0], [0, 0, 0, 1]]),
        "tilted": np.array([[-0.5, 0, 0, 0], [0, 0.55, 1.2, 0], [0, -0.1, 4.8, 0], [0, 0, 0, 1]]),
    }
    for name, aff in affines.items():
        for dtype, code, slope, inter in [("int16", None, None, None)]:
            img = nib.Nifti1Image(vol, aff)
            img.header.set_qform(aff, code=1)
            img.header.set_sform(aff, code=1)
            fn = "%s.nii" % name
            save(img, os.path.join(d, fn))
            ornt = ornt_transform(io_orientation(aff), axcodes2ornt(("L", "P", "S")))
            disp = apply_orientation(vol, ornt)  # [x: R->L, y: A->P, z: I->S]
            slices = [disp[:, :, k].T.astype(float).ravel().tolist() for k in range(disp.shape[2])]  # rows=y, cols=x
            cases.append({"file": fn, "width": disp.shape[0], "height": disp.shape[1], "slices": slices})
    # Scaling, NaN and 4D cases.
    f = rng.uniform(-50, 80, size=(6, 5, 4)).astype(np.float32)
    f[1, 2, 3] = np.nan
    img = nib.Nifti1Image(f, np.diag([0.7, 0.7, 2.5, 1]))
    save(img, os.path.join(d, "float_nan.nii.gz"))
    u = rng.integers(0, 255, size=(4, 4, 3, 2), dtype=np.uint8)
    img = nib.Nifti1Image(u, np.diag([1.0, 1.0, 3.0, 1]))
    img.header.set_slope_inter(2.0, -1024.0)
    save(img, os.path.join(d, "uint8_scaled_4d.nii"))
    n2 = nib.Nifti2Image(vol.astype(np.int32), affines["las_dcm2niix"])
    save(n2, os.path.join(d, "nifti2_int32.nii.gz"))
    ornt = ornt_transform(io_orientation(affines["las_dcm2niix"]), axcodes2ornt(("L", "P", "S")))
    disp = apply_orientation(vol, ornt)
    cases.append({"file": "nifti2_int32.nii.gz", "width": disp.shape[0], "height": disp.shape[1],
                  "slices": [disp[:, :, k].T.astype(float).ravel().tolist() for k in range(disp.shape[2])]})
    fs = apply_orientation(np.where(np.isnan(f), -1000, f).astype(np.float64),
                           ornt_transform(io_orientation(np.diag([0.7, 0.7, 2.5, 1])), axcodes2ornt(("L", "P", "S"))))
    cases.append({"file": "float_nan.nii.gz", "width": fs.shape[0], "height": fs.shape[1],
                  "slices": [fs[:, :, k].T.ravel().tolist() for k in range(fs.shape[2])]})
    us = apply_orientation(u[..., 0].astype(np.float64) * 2.0 - 1024.0,
                           ornt_transform(io_orientation(np.diag([1.0, 1.0, 3.0, 1])), axcodes2ornt(("L", "P", "S"))))
    cases.append({"file": "uint8_scaled_4d.nii", "width": us.shape[0], "height": us.shape[1],
                  "slices": [us[:, :, k].T.ravel().tolist() for k in range(us.shape[2])]})
    with open(os.path.join(d, "orientation.json"), "w") as fh:
        json.dump({"generator": "nibabel %s apply_orientation to (L,P,S)" % nib.__version__, "cases": cases}, fh)


def physionet_nifti():
    d = os.path.join(OUT, "physionet-nifti")
    os.makedirs(os.path.join(d, "ct_scans"), exist_ok=True)
    rows = ["PatientNumber,SliceNumber,Intraventricular,Intraparenchymal,Subarachnoid,Epidural,Subdural,No_Hemorrhage,Fracture_Yes_No"]
    # 049: 4 slices stored superior-first (negative z step) to exercise the ordering; slice k (1 = lowest)
    # holds the constant value 100*k HU plus a gradient so the orientation can be checked.
    for pid, nz, zsign, ext, labels in [(49, 4, -1, ".nii", {3: "0,1,0,0,0,0,0"}),
                                        (50, 3, 1, ".nii.gz", {2: "0,0,0,1,1,0,1"})]:
        data = np.zeros((8, 6, nz), dtype=np.int16)
        for k in range(nz):
            lowest_index = k + 1  # slice number counted from the bottom
            store = k if zsign > 0 else nz - 1 - k
            data[:, :, store] = 100 * lowest_index
            data[0, :, store] += 1   # voxel x=0 is patient right (affine x step negative -> LAS)
        aff = np.array([[-0.45, 0, 0, 50], [0, 0.45, 0, -60], [0, 0, 5.0 * zsign, -30], [0, 0, 0, 1]])
        img = nib.Nifti1Image(data, aff)
        img.header.set_xyzt_units("mm")
        save(img, os.path.join(d, "ct_scans", "%03d%s" % (pid, ext)))
        for s in range(1, nz + 1):
            rows.append("%d,%d,%s" % (pid, s, labels.get(s, "0,0,0,0,0,1,0")))
    with open(os.path.join(d, "hemorrhage_diagnosis_raw_ct.csv"), "w", newline="") as f:
        f.write("\r\n".join(rows) + "\r\n")


os.makedirs(OUT, exist_ok=True)
resample_cases()
orientation_cases()
physionet_nifti()
