using System.Buffers.Binary;
using System.Security.Cryptography;
using Ich.Core.Text;
using Ich.Dicom.Tests.Writing;
using Ich.Synth.Output;
using Ich.TestKit;

namespace Ich.Synth.Tests;

public class PhantomOutputTests(PhantomFixture fixture) : IClassFixture<PhantomFixture>
{
    [Fact]
    public void Write_Dataset_HasEveryEncodingAndBothSyntaxes()
    {
        var kinds = fixture.Scans.Select(s => (s.Plan.Encoding, s.Plan.ImplicitVr)).Distinct().Count();
        Assert.Equal(8, kinds);
        Assert.Contains(fixture.Scans, s => s.Any);
        Assert.Contains(fixture.Scans, s => !s.Any);
    }

    [Fact]
    public void Write_MasksFile_AgreesWithLabelsCsvForEverySlice()
    {
        var labels = CsvTable.Read(Path.Combine(fixture.Dir, "labels.csv"));
        Assert.Equal(["ID", "Label"], labels.Header);
        var byId = labels.Rows.ToDictionary(r => r[0], r => r[1]);
        var totalSlices = fixture.Scans.Sum(s => s.Slices.Count);
        Assert.Equal(totalSlices * 6, labels.Rows.Count);
        var positives = 0;
        foreach (var scan in fixture.Scans)
        {
            var masks = BleedMaskFile.Read(Path.Combine(fixture.Dir, "masks", scan.Plan.ScanId + ".ichmask"));
            Assert.Equal(scan.Plan.SliceCount, masks.Slices.Count);
            var area = masks.PixelSpacingMm * masks.PixelSpacingMm;
            foreach (var slice in masks.Slices)
            {
                var any = false;
                for (var t = 0; t < 5; t++)
                {
                    var positive = slice.PixelCount(t) * area >= PhantomGenerator.MinAreaMm2;
                    any |= positive;
                    Assert.Equal(positive ? "1" : "0", byId[$"{slice.SopInstanceUid}_{BleedMaskFile.SubtypeNames[t]}"]);
                }
                Assert.Equal(any ? "1" : "0", byId[$"{slice.SopInstanceUid}_any"]);
                positives += any ? 1 : 0;
            }
        }
        Assert.True(positives > 0, "no positive slice in the sample: the generator produced empty masks");
    }

    [Fact]
    public void LabelOnlyPath_SampleScans_GivesTheSameMasksAsTheFullRender()
    {
        foreach (var scan in fixture.Scans.Where(s => s.Any).Take(4))
        {
            var fast = PhantomGenerator.Labels(PhantomFixture.Options, scan.Plan.Index);
            for (var k = 0; k < scan.Slices.Count; k++)
                for (var t = 0; t < 5; t++)
                    Assert.Equal(scan.Masks.Slices[k].Runs[t], fast.Masks.Slices[k].Runs[t]);
        }
    }

    [Fact]
    public void RenderSlice_MaskPixels_AreBrighterThanBrainAndMatchTheirSubtypeTissue()
    {
        var all = new List<float>();
        foreach (var scan in fixture.Scans.Where(s => s.Any))
            foreach (var s in scan.Slices.Where(s => s.Any).Take(3))
            {
                var slice = PhantomGenerator.RenderSlice(scan.Plan, s.Index);
                var pixels = Enumerable.Range(0, slice.Mask.Length).Where(i => slice.Mask[i] != 0).Select(i => slice.Hu![i]).ToArray();
                Assert.NotEmpty(pixels);
                all.AddRange(pixels);
            }
        // Acute blood is 44–88 HU here. Partial volume (with bone at the vertex, CSF in sulci) and noise move
        // single pixels, but bleed pixels as a whole must be blood-like: a mask misplaced onto brain, bone or
        // air would move the median and the blood-range fraction far off.
        all.Sort();
        Assert.InRange(all[all.Count / 2], 40, 95);
        Assert.True(all.Count(v => v is >= 20 and <= 130) > 0.6 * all.Count, "most mask pixels should have blood density");
    }

    [Fact]
    public void Write_SameSeed_WritesIdenticalBytes()
    {
        var dir = RepoPaths.NewTempDir("ich-synth-det");
        var options = PhantomFixture.Options;
        PhantomGenerator.Write(options, dir, 2);
        foreach (var file in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories))
        {
            var twin = Path.Combine(fixture.Dir, Path.GetRelativePath(dir, file));
            if (Path.GetFileName(file) is "labels.csv" or "scans.csv" or PhantomGenerator.StyleValuesFile) continue; // the fixture has more scans
            Assert.True(File.Exists(twin), twin);
            Assert.Equal(File.ReadAllBytes(twin), File.ReadAllBytes(file));
        }
        foreach (var table in new[] { "labels.csv", "scans.csv", PhantomGenerator.StyleValuesFile })
        {
            var lines = File.ReadAllLines(Path.Combine(dir, table));
            Assert.Equal(lines, File.ReadAllLines(Path.Combine(fixture.Dir, table)).Take(lines.Length));
        }
        Directory.Delete(dir, true);
    }

    [Fact]
    public void Write_ScansCsv_ListsEveryScanWithItsUidsAndSubtypes()
    {
        var table = CsvTable.Read(Path.Combine(fixture.Dir, "scans.csv"));
        Assert.Equal(PhantomGenerator.ScansCsvHeader.Split(','), table.Header);
        Assert.Equal(fixture.ScanCount, table.Rows.Count);
        foreach (var (row, scan) in table.Rows.Zip(fixture.Scans))
        {
            Assert.Equal(scan.Plan.ScanId, row[table.Require("scan_id")]);
            Assert.Equal(scan.Plan.SeriesUid, row[table.Require("series_uid")]);
            Assert.Equal(string.Join(';', scan.SubtypesPresent), row[table.Require("subtypes")]);
            Assert.Equal(scan.Plan.SliceCount, Directory.GetFiles(fixture.ScanDir(scan), "*.dcm").Length);
        }
    }

    [Fact]
    public void Write_StyleValuesCsv_HoldsEveryDrawnParameterOfEveryScan()
    {
        var table = CsvTable.Read(Path.Combine(fixture.Dir, PhantomGenerator.StyleValuesFile));
        Assert.Equal(PhantomGenerator.StyleValuesHeader.Split(','), table.Header);
        var read = table.Rows.GroupBy(r => r[table.Require("scan_id")])
            .ToDictionary(g => g.Key, g => g.ToDictionary(r => r[table.Require("parameter")],
                r => double.Parse(r[table.Require("value")], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(fixture.ScanCount, read.Count);
        foreach (var scan in fixture.Scans)
        {
            // Round-trip exact: a parameter written is the value the scan was drawn with, bit for bit.
            Assert.Equal(scan.Plan.StyleValues.OrderBy(kv => kv.Key, StringComparer.Ordinal), read[scan.Plan.ScanId].OrderBy(kv => kv.Key, StringComparer.Ordinal));
            Assert.Contains(nameof(PhantomStyleRanges.GrayWhiteDifferenceHu), read[scan.Plan.ScanId].Keys);
        }
    }

    [SkippableFact]
    public void Write_PhantomFiles_PassDciodvfyForEveryEncoding()
    {
        ExternalTools.RequireDciodvfy();
        foreach (var scan in fixture.Scans.DistinctBy(s => (s.Plan.Encoding, s.Plan.ImplicitVr)))
        {
            var file = Directory.GetFiles(fixture.ScanDir(scan), "*.dcm").Order().First();
            var (code, errors, output) = ExternalTools.Dciodvfy(file);
            Assert.True(code == 0 && errors.Length == 0, $"{scan.Plan.Encoding} {file}:\n{output}");
        }
    }

    [SkippableFact]
    public void Write_PhantomFiles_PydicomReadsIdenticalPixelsAndGeometry()
    {
        ExternalTools.RequirePydicom();
        var cases = fixture.Scans.DistinctBy(s => (s.Plan.Encoding, s.Plan.ImplicitVr))
            .Select(s => (Scan: s, Slice: s.Slices.Count / 2)).ToList();
        var files = cases.Select(c => Path.Combine(fixture.ScanDir(c.Scan), c.Scan.Plan.FileNames[c.Slice])).ToList();
        var dumps = ExternalTools.PydicomDump(files);
        for (var i = 0; i < cases.Count; i++)
        {
            var (scan, k) = cases[i];
            var plan = scan.Plan;
            var slice = PhantomGenerator.RenderSlice(plan, k);
            var stored = PhantomDicom.Store(plan, slice.Hu!, slice.InsideFov);
            var d = dumps[i];
            Assert.Equal(Sha256(stored), d.GetProperty("pixel_sha256").GetString());
            Assert.Equal(plan.SopUids[k], d.GetProperty("SOPInstanceUID").GetString());
            Assert.Equal(plan.TransferSyntaxUid, d.GetProperty("transfer_syntax").GetString());
            var rsna = plan.Encoding is PixelEncodingKind.RsnaUnsigned12 or PixelEncodingKind.RsnaSignedPadded;
            Assert.Equal(rsna ? "" : (k + 1).ToString(), d.GetProperty("InstanceNumber").GetString() ?? "");
            var z = d.GetProperty("ImagePositionPatient").EnumerateArray().Select(e => double.Parse(e.GetString()!, System.Globalization.CultureInfo.InvariantCulture)).ToArray()[2];
            Assert.Equal(plan.ImagePosition(k).Z, z, 0.001);
        }
    }

    [Fact]
    public void Write_PhantomFiles_ProjectReaderGivesTheRenderedHu()
    {
        foreach (var scan in fixture.Scans.DistinctBy(s => (s.Plan.Encoding, s.Plan.ImplicitVr)))
        {
            var plan = scan.Plan;
            var k = plan.SliceCount / 2;
            var slice = PhantomGenerator.RenderSlice(plan, k);
            var read = Ich.Dicom.Hu.HuSliceLoader.Load(Path.Combine(fixture.ScanDir(scan), plan.FileNames[k]));
            Assert.Equal((plan.Size, plan.Size), (read.Width, read.Height));
            Assert.Equal(plan.PixelSpacingMm, read.PixelSpacingMm!.Value, 1e-9);
            // Expected by hand from the rendered HU: stored = round(HU − intercept) clamped to the bit depth,
            // the encoding's padding outside the FOV; the reader maps padding and values below −1100 HU to air.
            var e = PhantomDicom.EncodingOf(plan.Encoding);
            for (var i = 0; i < slice.Hu!.Length; i++)
            {
                float expected;
                if (!slice.InsideFov[i])
                    expected = plan.Encoding is PixelEncodingKind.RsnaUnsigned12 or PixelEncodingKind.ModernUnsigned16 ? -1024 : -1000;
                else
                {
                    var s = Math.Clamp((int)MathF.Round(slice.Hu[i] - (float)e.RescaleIntercept), e.MinStored, e.MaxStored);
                    expected = (float)(s + e.RescaleIntercept);
                    if (expected < -1100) expected = -1000;
                }
                Assert.Equal(expected, read.Pixels[i]);
            }
        }
    }

    private static string Sha256(short[] values)
    {
        var bytes = new byte[values.Length * 2];
        for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(i * 2), values[i]);
        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }
}
