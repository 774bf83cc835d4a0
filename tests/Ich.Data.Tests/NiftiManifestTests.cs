using System.Globalization;
using System.Security.Cryptography;
using Ich.Core.Errors;
using Ich.Core.Text;
using Ich.Data.Nifti;
using Ich.TestKit;

namespace Ich.Data.Tests;

/// <summary>Every file of realdata/nifti/manifest.csv (nibabel 5.0 reference values) through our reader.</summary>
public class NiftiManifestTests
{
    private static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    private static void Close(double expected, double actual, double relative, double absolute, string what)
    {
        var tol = Math.Max(absolute, relative * Math.Abs(expected));
        Assert.True(Math.Abs(expected - actual) <= tol, $"{what}: expected {expected}, got {actual}");
    }

    [SkippableFact]
    public void EveryManifestFile_ReproducesHeaderFieldsAndVoxelStatistics()
    {
        var manifestPath = RepoPaths.RequireShared("realdata/nifti/manifest.csv");
        var root = Path.GetDirectoryName(Path.GetDirectoryName(manifestPath))!; // realdata/
        var manifest = CsvTable.Read(manifestPath);
        int C(string name) => manifest.Require(name);
        Assert.True(manifest.Rows.Count >= 14);
        foreach (var row in manifest.Rows)
        {
            var file = Path.Combine(root, row[C("file")]);
            var what = row[C("file")];
            var h = NiftiFile.ReadHeader(file);
            Assert.Equal(row[C("format")], h.FormatName);
            Assert.Equal(int.Parse(row[C("sizeof_hdr")]), h.SizeofHdr);
            Assert.Equal(long.Parse(row[C("vox_offset")]), h.VoxOffset);
            Assert.Equal(int.Parse(row[C("datatype")]), h.DatatypeCode);
            Assert.Equal(int.Parse(row[C("bitpix")]), h.Bitpix);
            Assert.Equal(row[C("dim")].Split(' ').Select(long.Parse), h.Dim);
            var pixdim = row[C("pixdim")].Split(' ').Select(D).ToArray();
            for (var i = 0; i < 8; i++) Close(pixdim[i], h.Pixdim[i], 1e-5, 1e-9, $"{what} pixdim[{i}]");
            Assert.Equal(int.Parse(row[C("xyzt_units")]), h.XyztUnits);
            Assert.Equal(int.Parse(row[C("qform_code")]), h.QformCode);
            Assert.Equal(int.Parse(row[C("sform_code")]), h.SformCode);
            var (slope, inter) = h.Scaling;
            Close(D(row[C("scl_slope")]), slope, 1e-8, 0, $"{what} scl_slope");
            Close(D(row[C("scl_inter")]), inter, 1e-8, 1e-9, $"{what} scl_inter");
            var affine = row[C("affine")].Split(' ').Select(D).ToArray();
            var a = h.Affine();
            for (var i = 0; i < 16; i++) Close(affine[i], a[i / 4, i % 4], 0, 2e-6, $"{what} affine[{i / 4},{i % 4}]");

            if (row[C("status")].StartsWith("header-only"))
            {
                var e = Assert.Throws<ImageFormatException>(() => NiftiFile.Read(file));
                Assert.Contains("paired .img", e.Message);
                continue;
            }
            var nifti = NiftiFile.Read(file);
            Assert.Equal(row[C("raw_dtype")], h.RawDtype);
            Assert.Equal(row[C("raw_sha256")], Convert.ToHexStringLower(SHA256.HashData(nifti.RawLittleEndian)));
            double rawMin = double.MaxValue, rawMax = double.MinValue, rawSum = 0, sMin = double.MaxValue, sMax = double.MinValue, sSum = 0;
            long n = 0;
            for (long i = 0; i < h.VoxelCount; i++)
            {
                var v = nifti.RawValue(i);
                if (double.IsNaN(v)) continue;
                var s = slope * v + inter;
                rawMin = Math.Min(rawMin, v); rawMax = Math.Max(rawMax, v); rawSum += v;
                sMin = Math.Min(sMin, s); sMax = Math.Max(sMax, s); sSum += s;
                n++;
            }
            Close(D(row[C("raw_min")]), rawMin, 1e-12, 0, $"{what} raw_min");
            Close(D(row[C("raw_max")]), rawMax, 1e-12, 0, $"{what} raw_max");
            Close(D(row[C("raw_mean")]), rawSum / n, 1e-9, 1e-6, $"{what} raw_mean");
            Close(D(row[C("scaled_min")]), sMin, 1e-9, 1e-6, $"{what} scaled_min");
            Close(D(row[C("scaled_max")]), sMax, 1e-9, 1e-6, $"{what} scaled_max");
            Close(D(row[C("scaled_mean")]), sSum / n, 1e-9, 1e-6, $"{what} scaled_mean");
            if (row[C("status")].Contains("NaN voxels"))
            {
                var nanCount = long.Parse(row[C("status")].Split(';')[1].Trim().Split(' ')[0]);
                Assert.Equal(nanCount, h.VoxelCount - n);
            }
        }
    }

    [SkippableFact]
    public void NiftiScan_RealHeadCt_HasAxialHuSlicesLowestFirst()
    {
        var path = RepoPaths.RequireShared("realdata/nifti/dcm2niix_from_headct/Philips_head_phantom_201.nii.gz");
        var scan = NiftiScan.Open(path);
        Assert.Equal((512, 512, 28), (scan.Width, scan.Height, scan.SliceCount));
        var (slices, nonFinite) = scan.ReadSlices();
        Assert.Equal(0, nonFinite);
        // Manifest: scaled range −1024..782 HU (raw 0..1806, scl_inter −1024).
        Assert.Equal(-1024f, slices.SelectMany(s => s).Min());
        Assert.Equal(782f, slices.SelectMany(s => s).Max());
        var report = new Ich.Data.Catalog.LoadReport();
        var record = scan.ToScanRecord("nifti", "p", "p", report);
        Assert.All(record.Slices.Zip(record.Slices.Skip(1)), p => Assert.Equal(5.0, p.Second.ZMm - p.First.ZMm, 3));
        Assert.Equal(0.451172, record.Slices[0].LoadHu().PixelSpacingMm!.Value, 5);
    }

    [SkippableFact]
    public void NiftiDataset_NibabelFolder_LoadsReadableFilesAndReportsHeaderOnlyPairs()
    {
        var dir = RepoPaths.RequireShared("realdata/nifti/nibabel_testdata");
        var load = Ich.Data.Catalog.DatasetCatalog.Open("nifti", dir);
        Assert.Contains(load.Scans, s => s.ScanId == "example4d");
        Assert.Contains(load.Report.Issues, i => i.Item == "example4d" && i.Reason.Contains("only the first volume"));
        // The header-only pairs are reported and skipped; the other files still load.
        Assert.DoesNotContain(load.Scans, s => s.ScanId == "nifti1");
        Assert.Contains(load.Report.Skipped, i => i.Path!.EndsWith("nifti1.hdr") && i.Reason.Contains("paired .img"));
        Assert.Equal(7, load.Scans.Count);
        var nan = load.Scans.Single(s => s.ScanId == "resampled_anat_moved");
        foreach (var s in nan.Slices) Assert.DoesNotContain(s.LoadHu().Pixels, float.IsNaN);
        Assert.Contains(load.Report.Issues, i => i.Item == "resampled_anat_moved" && i.Reason.Contains("153 NaN"));
    }
}
