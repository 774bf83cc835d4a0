#!/usr/bin/python3
"""Makes the small codec fixtures in tests/fixtures/codecs (run with Debian's /usr/bin/python3).

Needs: apt-get install -y dcmtk libjpeg-turbo-progs python3-pydicom python3-numpy

Synthetic images (deterministic, no patient data) are written as uncompressed DICOM, compressed with
DCMTK (dcmcjpeg, dcmcrle, dcmcjpls) or libjpeg-turbo (cjpeg), and the codestream of each frame is stored bare
(<name>.bin). The reference output (<name>.raw: little-endian samples in BitsAllocated containers,
colour-by-pixel, exactly an uncompressed Explicit VR LE Pixel Data value) is
  * the original pixels for lossless encodings, after checking that DCMTK's decoder reproduces them;
  * the output of DCMTK's dcmdjpeg (IJG libjpeg), dcmdjpls (CharLS) or libjpeg-turbo's djpeg -dct int
    for lossy ones.
One lossless stream with restart markers is written by the small encoder below (DCMTK cannot emit
restart markers for lossless JPEG); DCMTK's decoder is required to reproduce the original from it.
index.csv lists every fixture with its geometry and the tolerance (max abs difference per sample).
"""
import csv, os, subprocess, sys, tempfile
import numpy as np
import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.encaps import generate_pixel_data_frame, encapsulate
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "fixtures", "codecs")
TMP = tempfile.mkdtemp(prefix="codec-fixtures-")
ROWS, COLS = 45, 61  # not multiples of 8/16: exercises partial MCUs


def images():
    rng = np.random.RandomState(7)
    y, x = np.mgrid[0:ROWS, 0:COLS]
    r = np.hypot((y - ROWS / 2) / (ROWS * 0.42), (x - COLS / 2) / (COLS * 0.42))
    ct = np.full((ROWS, COLS), -1024.0)
    ct[r < 1.0] = 1400.0              # skull
    ct[r < 0.88] = 38.0               # brain
    ct[(r < 0.3) & (x > COLS / 2)] = 70.0  # a bright blob
    ct += rng.normal(0, 6, ct.shape)
    ct[(y < 4) & (x < 6)] = -2000     # padding value corner
    ct16 = np.round(ct).astype(np.int16)
    mono12 = np.clip(ct16.astype(np.int32) + 1024, 0, 4095).astype(np.uint16)
    mono8 = np.clip((ct16.astype(np.int32) + 160) * 255 // 400, 0, 255).astype(np.uint8)
    rgb = np.stack([mono8, np.clip(255 - mono8 + x * 2, 0, 255), np.clip(y * 5 + x, 0, 255)], axis=-1).astype(np.uint8)
    dose = (rng.randint(0, 1 << 20, size=(12, 10)).astype(np.uint32) * 3000 + 795000).astype(np.uint32)
    return ct16, mono12, mono8, rgb, dose


def write_dicom(path, pixels, bits_stored, signed, photometric):
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.7"
    meta.MediaStorageSOPInstanceUID = generate_uid()
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = Dataset()
    ds.file_meta = meta
    ds.SOPClassUID, ds.SOPInstanceUID = meta.MediaStorageSOPClassUID, meta.MediaStorageSOPInstanceUID
    ds.Modality, ds.PatientName, ds.PatientID = "OT", "Synthetic^Phantom", "SYNTH"
    ds.StudyInstanceUID, ds.SeriesInstanceUID = generate_uid(), generate_uid()
    ds.Rows, ds.Columns = pixels.shape[0], pixels.shape[1]
    ds.SamplesPerPixel = 3 if pixels.ndim == 3 else 1
    if ds.SamplesPerPixel == 3:
        ds.PlanarConfiguration = 0
    ds.PhotometricInterpretation = photometric
    ds.BitsAllocated = pixels.dtype.itemsize * 8
    ds.BitsStored, ds.HighBit = bits_stored, bits_stored - 1
    ds.PixelRepresentation = 1 if signed else 0
    ds.PixelData = pixels.astype(pixels.dtype.newbyteorder("<")).tobytes()
    ds.is_little_endian, ds.is_implicit_VR = True, False
    ds.save_as(path, write_like_original=False)


def run(*args):
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)


def frame_of(path):
    ds = pydicom.dcmread(path)
    return next(generate_pixel_data_frame(ds.PixelData, 1)), ds.file_meta.TransferSyntaxUID


def raw_of(path):
    ds = pydicom.dcmread(path)  # without the pad byte that makes an odd-length value even
    return ds.PixelData[:ds.Rows * ds.Columns * ds.SamplesPerPixel * ds.BitsAllocated // 8]


rows_out = []


def add(name, ts, pixels_shape, samples, bits_allocated, bits_stored, signed, photometric, stream, reference, tolerance, how):
    with open(os.path.join(OUT, name + ".bin"), "wb") as f:
        f.write(stream)
    with open(os.path.join(OUT, name + ".raw"), "wb") as f:
        f.write(reference)
    rows_out.append(dict(name=name, transfer_syntax=ts, rows=pixels_shape[0], cols=pixels_shape[1], samples=samples,
                         bits_allocated=bits_allocated, bits_stored=bits_stored, signed=int(signed),
                         photometric=photometric, tolerance=tolerance, made_by=how))


def dcmtk_fixture(name, src, tool, options, lossless, samples, bits_allocated, bits_stored, signed, photometric, tolerance=0,
                  decoder="dcmdjpeg"):
    comp = os.path.join(TMP, name + ".dcm")
    run(tool, *options, src, comp)
    stream, ts = frame_of(comp)
    dec = os.path.join(TMP, name + ".dec.dcm")
    run(decoder, comp, dec)
    decoded = raw_of(dec)
    original = raw_of(src)
    if lossless:
        assert decoded == original, f"{name}: DCMTK does not reproduce the original"
    ds = pydicom.dcmread(comp)  # the photometric of the compressed dataset is what a decoder is told
    add(name, str(ts), (ds.Rows, ds.Columns), samples, bits_allocated, bits_stored, signed,
        ds.PhotometricInterpretation, stream, original if lossless else decoded, tolerance,
        f"{tool} {' '.join(options)}; reference: {'original pixels' if lossless else decoder + ' output'}")


# --- minimal lossless JPEG (SOF3) encoder with restart markers, for the restart fixture ---------------
def encode_lossless_with_restarts(img, precision, predictor, restart_interval):
    h, w = img.shape
    img = img.astype(np.int64)
    cats = list(range(17))
    # Huffman table: all 17 categories with 5-bit codes (canonical codes 0..16; none is all ones).
    bits = [0] * 16
    bits[4] = 17
    codes = {c: (i, 5) for i, c in enumerate(cats)}
    out = bytearray(b"\xff\xd8")
    out += b"\xff\xc3" + (11).to_bytes(2, "big") + bytes([precision]) + h.to_bytes(2, "big") + w.to_bytes(2, "big") + bytes([1, 1, 0x11, 0])
    out += b"\xff\xc4" + (2 + 17 + 17).to_bytes(2, "big") + bytes([0x00]) + bytes(bits) + bytes(cats)
    out += b"\xff\xdd" + (4).to_bytes(2, "big") + restart_interval.to_bytes(2, "big")
    out += b"\xff\xda" + (8).to_bytes(2, "big") + bytes([1, 1, 0x00, predictor, 0, 0])
    acc, nacc = 0, 0
    ent = bytearray()

    def put(value, n):
        nonlocal acc, nacc
        acc = (acc << n) | (value & ((1 << n) - 1))
        nacc += n
        while nacc >= 8:
            b = (acc >> (nacc - 8)) & 0xFF
            ent.append(b)
            if b == 0xFF:
                ent.append(0)
            nacc -= 8

    def flush():
        nonlocal acc, nacc
        if nacc:
            put((1 << (8 - nacc)) - 1, 8 - nacc)
        acc = 0

    n, rst, first_line, reset = 0, 0, 0, True
    for y in range(h):
        for x in range(w):
            if n and n % restart_interval == 0:
                flush()
                ent.extend(bytes([0xFF, 0xD0 + (rst & 7)]))
                rst += 1
                reset, first_line = True, y
            n += 1
            if reset:
                pred = 1 << (precision - 1)
            elif y == first_line:
                pred = img[y, x - 1]
            elif x == 0:
                pred = img[y - 1, x]
            else:
                ra, rb, rc = img[y, x - 1], img[y - 1, x], img[y - 1, x - 1]
                pred = {1: ra, 2: rb, 3: rc, 4: ra + rb - rc, 5: ra + ((rb - rc) >> 1), 6: rb + ((ra - rc) >> 1), 7: (ra + rb) >> 1}[predictor]
            reset = False
            diff = int(img[y, x] - pred) % 65536
            if diff >= 32768:
                diff -= 65536
            s = 0 if diff == 0 else int(abs(diff)).bit_length()
            code, length = codes[s]
            put(code, length)
            if 0 < s < 16:
                put(diff if diff > 0 else diff + (1 << s) - 1, s)
    flush()
    return bytes(out + ent + b"\xff\xd9")


def main():
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        if f.endswith((".bin", ".raw")):
            os.remove(os.path.join(OUT, f))
    ct16, mono12, mono8, rgb, dose = images()
    src = {}
    for name, px, bs, signed, pi in [("ct16", ct16, 16, True, "MONOCHROME2"), ("mono12", mono12, 12, False, "MONOCHROME2"),
                                     ("mono8", mono8, 8, False, "MONOCHROME2"), ("rgb8", rgb, 8, False, "RGB"),
                                     ("dose32", dose, 32, False, "MONOCHROME2")]:
        src[name] = os.path.join(TMP, name + ".dcm")
        write_dicom(src[name], px, bs, signed, pi)

    for sv in range(1, 8):
        dcmtk_fixture(f"jpegll_ct16_sv{sv}", src["ct16"], "dcmcjpeg", ["+el", "+sv", str(sv)], True, 1, 16, 16, True, "MONOCHROME2")
    dcmtk_fixture("jpegll_mono12_sv1_pt2", src["mono12"], "dcmcjpeg", ["+el", "+sv", "1", "+pt", "2"], False, 1, 16, 12, False, "MONOCHROME2")
    dcmtk_fixture("jpegll_sv1_ct16", src["ct16"], "dcmcjpeg", ["+e1"], True, 1, 16, 16, True, "MONOCHROME2")
    dcmtk_fixture("jpegll_sv1_mono8", src["mono8"], "dcmcjpeg", ["+e1"], True, 1, 8, 8, False, "MONOCHROME2")
    dcmtk_fixture("jpegll_sv1_rgb8", src["rgb8"], "dcmcjpeg", ["+e1"], True, 3, 8, 8, False, "RGB")
    dcmtk_fixture("rle_ct16", src["ct16"], "dcmcrle", [], True, 1, 16, 16, True, "MONOCHROME2", decoder="dcmdrle")
    dcmtk_fixture("rle_rgb8", src["rgb8"], "dcmcrle", [], True, 3, 8, 8, False, "RGB", decoder="dcmdrle")
    dcmtk_fixture("rle_dose32", src["dose32"], "dcmcrle", [], True, 1, 32, 32, False, "MONOCHROME2", decoder="dcmdrle")
    dcmtk_fixture("baseline_mono8", src["mono8"], "dcmcjpeg", ["+eb", "+q", "85"], False, 1, 8, 8, False, "MONOCHROME2", 1)
    dcmtk_fixture("extended_mono12", src["mono12"], "dcmcjpeg", ["+ee", "+q", "85"], False, 1, 16, 12, False, "MONOCHROME2", 1)
    dcmtk_fixture("baseline_rgb8_444", src["rgb8"], "dcmcjpeg", ["+eb", "+s4"], False, 3, 8, 8, False, "YBR_FULL", 1)
    dcmtk_fixture("baseline_rgb8_422", src["rgb8"], "dcmcjpeg", ["+eb", "+s2"], False, 3, 8, 8, False, "YBR_FULL_422", 1)

    # JPEG-LS (DCMTK's dcmcjpls / CharLS): near-lossless output is deterministic, so the tolerance is 0.
    dcmtk_fixture("jls_ct16", src["ct16"], "dcmcjpls", ["+el"], True, 1, 16, 16, True, "MONOCHROME2", decoder="dcmdjpls")
    dcmtk_fixture("jls_mono12_near2", src["mono12"], "dcmcjpls", ["+en", "+md", "2"], False, 1, 16, 12, False, "MONOCHROME2", 0, decoder="dcmdjpls")
    dcmtk_fixture("jls_mono8_preset", src["mono8"], "dcmcjpls", ["+el", "+t1", "5", "+t2", "12", "+t3", "30", "+rs", "32"], True, 1, 8, 8, False, "MONOCHROME2", decoder="dcmdjpls")
    dcmtk_fixture("jls_rgb8_line", src["rgb8"], "dcmcjpls", ["+el", "+il"], True, 3, 8, 8, False, "RGB", decoder="dcmdjpls")
    dcmtk_fixture("jls_rgb8_sample", src["rgb8"], "dcmcjpls", ["+el", "+is"], True, 3, 8, 8, False, "RGB", decoder="dcmdjpls")
    dcmtk_fixture("jls_rgb8_sample_near3", src["rgb8"], "dcmcjpls", ["+en", "+md", "3", "+is"], False, 3, 8, 8, False, "RGB", 0, decoder="dcmdjpls")
    dcmtk_fixture("jls_rgb8_none", src["rgb8"], "dcmcjpls", ["+el", "+in"], True, 3, 8, 8, False, "RGB", decoder="dcmdjpls")

    # Baseline with restart markers (libjpeg-turbo): every 2 MCU rows (grey) and every 5 MCUs (colour 4:2:0).
    pgm, ppm = os.path.join(TMP, "mono8.pgm"), os.path.join(TMP, "rgb8.ppm")
    with open(pgm, "wb") as f:
        f.write(b"P5 %d %d 255\n" % (COLS, ROWS) + mono8.tobytes())
    with open(ppm, "wb") as f:
        f.write(b"P6 %d %d 255\n" % (COLS, ROWS) + rgb.tobytes())
    for name, inp, opts, samples, pi in [("baseline_mono8_restart", pgm, ["-grayscale", "-restart", "2"], 1, "MONOCHROME2"),
                                         ("baseline_rgb8_420_restart", ppm, ["-sample", "2x2,1x1,1x1", "-restart", "5B"], 3, "YBR_FULL_422")]:
        jpg = os.path.join(TMP, name + ".jpg")
        run("cjpeg", "-quality", "85", "-dct", "int", *opts, "-outfile", jpg, inp)
        dec = subprocess.run(["djpeg", "-dct", "int", "-pnm", jpg], check=True, stdout=subprocess.PIPE).stdout
        header_end = 0
        for _ in range(4):  # P5/P6, width, height, maxval
            while dec[header_end:header_end + 1].isspace():
                header_end += 1
            while not dec[header_end:header_end + 1].isspace():
                header_end += 1
        reference = dec[header_end + 1:]
        assert len(reference) == ROWS * COLS * samples
        with open(jpg, "rb") as f:
            add(name, "1.2.840.10008.1.2.4.50", (ROWS, COLS), samples, 8, 8, False, pi, f.read(), reference, 1,
                f"cjpeg -quality 85 -dct int {' '.join(opts)}; reference: djpeg -dct int output")

    # Lossless with restart markers every 2 rows (IJG requires whole MCU rows), predictor 7.
    stream = encode_lossless_with_restarts(mono12, 12, 7, 2 * COLS)
    wrapped = os.path.join(TMP, "ll_restart.dcm")
    ds = pydicom.dcmread(src["mono12"])
    ds.file_meta.TransferSyntaxUID = "1.2.840.10008.1.2.4.57"
    ds.PixelData = encapsulate([stream])
    ds["PixelData"].is_undefined_length = True
    ds["PixelData"].VR = "OB"
    ds.is_implicit_VR, ds.is_little_endian = False, True
    ds.save_as(wrapped, write_like_original=False)
    run("dcmdjpeg", wrapped, wrapped + ".dec.dcm")
    assert raw_of(wrapped + ".dec.dcm") == raw_of(src["mono12"]), "DCMTK does not reproduce the restart fixture"
    add("jpegll_mono12_sv7_restart2rows", "1.2.840.10008.1.2.4.57", (ROWS, COLS), 1, 16, 12, False, "MONOCHROME2", stream,
        raw_of(src["mono12"]), 0, "tools/codecs/make_fixtures.py encoder (restart interval 2 rows); DCMTK dcmdjpeg reproduces the original")

    with open(os.path.join(OUT, "index.csv"), "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows_out[0].keys()), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows_out)
    print(f"{len(rows_out)} fixtures in {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
