using System.Text.Json;
using Ich.Core.Errors;
using Ich.Data.Catalog;
using Ich.Data.Nifti;
using Ich.TestKit;

namespace Ich.Data.Tests;

public class NiftiOrientationTests
{
    private static string Dir => Path.Combine(RepoPaths.Fixtures, "data", "orientation");

    [Fact]
    public void ReadSlices_FixtureVolumes_MatchNibabelReorientationToLps()
    {
        // Expected: tools/data/make_fixtures.py — nibabel apply_orientation to axes (L, P, S), i.e.
        // columns right → left, rows anterior → posterior, slices inferior → superior.
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir, "orientation.json")));
        var cases = doc.RootElement.GetProperty("cases").EnumerateArray().ToList();
        Assert.Equal(8, cases.Count);
        foreach (var c in cases)
        {
            var file = c.GetProperty("file").GetString()!;
            var scan = NiftiScan.Open(Path.Combine(Dir, file));
            var expected = c.GetProperty("slices").EnumerateArray()
                .Select(s => s.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
            Assert.Equal(c.GetProperty("width").GetInt32(), scan.Width);
            Assert.Equal(c.GetProperty("height").GetInt32(), scan.Height);
            var (slices, _) = scan.ReadSlices();
            Assert.Equal(expected.Length, slices.Length);
            for (var k = 0; k < expected.Length; k++)
            for (var i = 0; i < expected[k].Length; i++)
                Assert.True(Math.Abs(expected[k][i] - slices[k][i]) < 1e-3, $"{file} slice {k} pixel {i}: expected {expected[k][i]}, got {slices[k][i]}");
        }
    }

    [Fact]
    public void ToScanRecord_FlippedZ_PositionsIncreaseAlongSuperior()
    {
        var report = new LoadReport();
        var scan = NiftiScan.Open(Path.Combine(Dir, "lps_flipped_z.nii")).ToScanRecord("nifti", "p", "s", report);
        Assert.Equal(3, scan.Slices.Count);
        // Affine z step −5 from 0: voxel k=2 is at z = −10 (lowest), k=0 at 0 (highest).
        Assert.Equal([-10.0, -5.0, 0.0], scan.Slices.Select(s => Math.Round(s.ZMm, 6)));
        Assert.Equal(5.0, scan.SliceThicknessMm);
        Assert.Contains(report.Issues, i => i.Reason.Contains("slices along k reversed"));
    }

    [Fact]
    public void ToScanRecord_NaNsAndFourD_AreReported()
    {
        var report = new LoadReport();
        var nan = NiftiScan.Open(Path.Combine(Dir, "float_nan.nii.gz")).ToScanRecord("nifti", "n", "n", report);
        var hu = nan.Slices.Select(s => s.LoadHu()).ToList();
        Assert.Equal(1, hu.Sum(h => h.Pixels.Count(v => v == -1000f)));
        Assert.Contains(report.Issues, i => i.Kind == LoadIssueKind.Adjusted && i.Reason.Contains("1 NaN/infinite voxels set to air"));
        var fourD = NiftiScan.Open(Path.Combine(Dir, "uint8_scaled_4d.nii")).ToScanRecord("nifti", "u", "u", report);
        Assert.Contains(report.Issues, i => i.Item == "u" && i.Reason.Contains("2 volumes: only the first"));
        Assert.Equal(3.0, fourD.SliceThicknessMm);
    }

    [Fact]
    public void Read_TruncatedFile_ThrowsNamingFile()
    {
        using var t = new TempFolder();
        var bytes = File.ReadAllBytes(Path.Combine(Dir, "ras.nii"));
        var path = Path.Combine(t.Path, "cut.nii");
        File.WriteAllBytes(path, bytes[..400]);
        var e = Assert.Throws<ImageFormatException>(() => NiftiFile.Read(path));
        Assert.Contains("truncated voxel data", e.Message);
        Assert.Equal(path, e.Path);
    }

    [Fact]
    public void Read_NotNifti_ThrowsNamingFile()
    {
        using var t = new TempFolder();
        var path = t.Write("x.nii", new string('a', 600));
        var e = Assert.Throws<ImageFormatException>(() => NiftiFile.ReadHeader(path));
        Assert.Contains("not NIfTI", e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Read_UnsupportedDatatype_NamesIt()
    {
        using var t = new TempFolder();
        var bytes = File.ReadAllBytes(Path.Combine(Dir, "ras.nii"));
        bytes[70] = 32; bytes[71] = 0; // datatype 32 = complex64
        var path = Path.Combine(t.Path, "complex.nii");
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<ImageFormatException>(() => NiftiScan.Open(path));
        Assert.Contains("unsupported datatype 32", e.Message);
    }

    [Fact]
    public void Read_BigEndianCopy_GivesSameVoxels()
    {
        // Byte-swap the header fields and voxels of the int16 RAS fixture by hand → same slices.
        using var t = new TempFolder();
        var le = File.ReadAllBytes(Path.Combine(Dir, "ras.nii"));
        var be = (byte[])le.Clone();
        void Swap(int at, int width) => Array.Reverse(be, at, width);
        Swap(0, 4);
        for (var i = 0; i < 8; i++) Swap(40 + 2 * i, 2);
        Swap(70, 2); Swap(72, 2);
        for (var i = 0; i < 8; i++) Swap(76 + 4 * i, 4);
        Swap(108, 4); Swap(112, 4); Swap(116, 4);
        Swap(252, 2); Swap(254, 2);
        for (var i = 0; i < 6; i++) Swap(256 + 4 * i, 4);
        for (var i = 0; i < 12; i++) Swap(280 + 4 * i, 4);
        for (var i = 352; i + 2 <= be.Length; i += 2) Swap(i, 2);
        var path = Path.Combine(t.Path, "be.nii");
        File.WriteAllBytes(path, be);
        var a = NiftiFile.Read(Path.Combine(Dir, "ras.nii"));
        var b = NiftiFile.Read(path);
        Assert.True(b.Header.BigEndian);
        Assert.Equal(a.RawLittleEndian, b.RawLittleEndian);
    }
}

public class NiftiCorruptInputTests
{
    [Fact]
    public void ReadHeader_CorruptGzip_ThrowsImageFormatExceptionNamingFile()
    {
        using var t = new TempFolder();
        var path = Path.Combine(t.Path, "bad.nii.gz");
        File.WriteAllBytes(path, [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff, 0xff, 0x00, 0x13, 0x37]);
        var e = Assert.Throws<Ich.Core.Errors.ImageFormatException>(() => NiftiFile.ReadHeader(path));
        Assert.Equal(path, e.Path);
    }
}
