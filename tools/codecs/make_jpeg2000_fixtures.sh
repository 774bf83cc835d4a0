#!/usr/bin/env bash
# Makes tests/fixtures/jpeg2000 (see its SOURCES.md). Needs Debian packages libgdcm-tools (gdcmconv),
# libopenjp2-tools (opj_compress), python3-pydicom and python3-numpy; run from the repository root:
#     tools/codecs/make_jpeg2000_fixtures.sh
# Inputs are committed fixtures, so the outputs are derived data with the inputs' origin and licence.
set -euo pipefail
OUT=tests/fixtures/jpeg2000
SRC_DICOM=tests/fixtures/dicom
SRC_CODECS=tests/fixtures/codecs
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$OUT"

# DICOM files: pydicom's MR_small (64x64 signed 16-bit) in JPEG 2000 lossless and lossy (rate 10).
gdcmconv --j2k "$SRC_DICOM/MR_small_implicit.dcm" "$OUT/MR_small_j2k.dcm"
gdcmconv --j2k --lossy -r 10 "$SRC_DICOM/MR_small_implicit.dcm" "$OUT/MR_small_j2ki.dcm" >/dev/null 2>&1 # it prints a lossy-mode warning
# Lossy reference: GDCM's own decode (gdcmconv --raw), read by pydicom, as little-endian int16.
gdcmconv --raw "$OUT/MR_small_j2ki.dcm" "$TMP/MR_small_j2ki_raw.dcm"
/usr/bin/python3 - "$TMP/MR_small_j2ki_raw.dcm" "$OUT/MR_small_j2ki.gdcm.raw" <<'PY'
import sys, pydicom
a = pydicom.dcmread(sys.argv[1]).pixel_array
open(sys.argv[2], "wb").write(a.astype("<i2").tobytes())
PY

# Bare codestreams by OpenJPEG's encoder (lossless, default options) from the codec fixtures' original pixels:
# RGB 45x61 as J2K (with the reversible colour transform) and as a JP2 file, grey 8-bit as J2K.
{ printf 'P6\n61 45\n255\n'; cat "$SRC_CODECS/jpegll_sv1_rgb8.raw"; } > "$TMP/rgb8.ppm"
{ printf 'P5\n61 45\n255\n'; cat "$SRC_CODECS/jpegll_sv1_mono8.raw"; } > "$TMP/mono8.pgm"
opj_compress -i "$TMP/rgb8.ppm" -o "$TMP/rgb8.j2k" >/dev/null
opj_compress -i "$TMP/rgb8.ppm" -o "$TMP/rgb8.jp2" >/dev/null
opj_compress -i "$TMP/mono8.pgm" -o "$TMP/mono8.j2k" >/dev/null
cp "$TMP/rgb8.j2k" "$OUT/j2k_rgb8.bin"
cp "$TMP/rgb8.jp2" "$OUT/jp2_rgb8.bin"
cp "$TMP/mono8.j2k" "$OUT/j2k_mono8.bin"
# References: the original pixels (index.csv names them; they stay in tests/fixtures/codecs).
# HTJ2K (Part 15) codestreams by OpenJPH, an encoder independent of OpenJPEG: MR_small's pixels (signed
# 16-bit) reversible in RPCL order (1.2.840.10008.1.2.4.202) and irreversible (.203), the RGB image
# reversible in LRCP order (.201). Lossless reference: the original pixels; lossy reference: OpenJPH's own
# decoder (ojph_expand).
/usr/bin/python3 - "$SRC_DICOM/MR_small_implicit.dcm" "$OUT/ht_mono16s.raw" <<'PY'
import sys, pydicom
open(sys.argv[2], "wb").write(pydicom.dcmread(sys.argv[1]).pixel_array.astype("<i2").tobytes())
PY
cp "$OUT/ht_mono16s.raw" "$TMP/mr.rawl"
RAW16=(-dims '{64,64}' -num_comps 1 -signed true -bit_depth 16 -downsamp '{1,1}')
ojph_compress -i "$TMP/mr.rawl" -o "$OUT/ht_mono16s.bin" -reversible true -prog_order RPCL "${RAW16[@]}" >/dev/null
ojph_compress -i "$TMP/mr.rawl" -o "$OUT/ht_mono16s_lossy.bin" -qstep 0.001 "${RAW16[@]}" >/dev/null
ojph_compress -i "$TMP/rgb8.ppm" -o "$OUT/ht_rgb8.bin" -reversible true -prog_order LRCP >/dev/null
cp "$OUT/ht_mono16s_lossy.bin" "$TMP/lossy.j2c"
ojph_expand -i "$TMP/lossy.j2c" -o "$TMP/lossy.rawl" >/dev/null
cp "$TMP/lossy.rawl" "$OUT/ht_mono16s_lossy.ojph.raw"
ls -l "$OUT"
