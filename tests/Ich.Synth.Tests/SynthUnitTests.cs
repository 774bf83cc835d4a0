using Ich.Core.Errors;
using Ich.Synth.Output;
using Ich.TestKit;

namespace Ich.Synth.Tests;

public class SynthUnitTests
{
    [Fact]
    public void SliceMasksEncode_KnownBitmap_GivesHandComputedRuns()
    {
        // bit 0 set at 1,2,3 and 7; bit 2 at 3 and 4
        byte[] mask = [0, 1, 1, 5, 4, 0, 0, 1];
        Assert.Equal([(1, 3), (7, 1)], SliceMasks.Encode(mask, 0));
        Assert.Equal([(3, 2)], SliceMasks.Encode(mask, 2));
        Assert.Empty(SliceMasks.Encode(mask, 1));
    }

    [Fact]
    public void BleedMaskFile_WriteRead_RoundTripsRunsAndBitmaps()
    {
        var dir = RepoPaths.NewTempDir("ich-mask");
        var path = Path.Combine(dir, "a.ichmask");
        var runs = new (int, int)[][] { [(0, 2), (10, 3)], [], [(15, 1)], [], [(4, 4)] };
        BleedMaskFile.Write(path, new BleedMasks(4, 4, 0.5, [new SliceMasks("1.2.3", runs)]));
        var read = BleedMaskFile.Read(path);
        Assert.Equal((4, 4, 0.5), (read.Width, read.Height, read.PixelSpacingMm));
        var slice = Assert.Single(read.Slices);
        Assert.Equal("1.2.3", slice.SopInstanceUid);
        Assert.Equal(5, slice.PixelCount(0));
        Assert.Equal([true, true, false, false, false, false, false, false, false, false, true, true, true, false, false, false], slice.ToBitmap(0, 4, 4));
        Assert.Equal(10, slice.AnyBitmap(4, 4).Count(b => b)); // 0,1,4..7,10,11,12,15
        Assert.Same(slice, read.Find("1.2.3"));
        Directory.Delete(dir, true);
    }

    [Fact]
    public void BleedMaskFile_Truncated_ThrowsDatasetFormatExceptionNamingTheFile()
    {
        var dir = RepoPaths.NewTempDir("ich-mask");
        var path = Path.Combine(dir, "bad.ichmask");
        File.WriteAllBytes(path, "ICHMASK1\u0004\0\0"u8.ToArray());
        var e = Assert.Throws<DatasetFormatException>(() => BleedMaskFile.Read(path));
        Assert.Equal(path, e.Path);
        File.WriteAllText(path, "not a mask file at all");
        Assert.Throws<DatasetFormatException>(() => BleedMaskFile.Read(path));
        Directory.Delete(dir, true);
    }

    [Fact]
    public void BleedMaskFile_AreasMm2_UnionForAnyAndPerSubtype_NamedErrorsForBadFolders()
    {
        var dir = RepoPaths.NewTempDir("ich-mask");
        // Epidural 0–9 and subdural 5–14 overlap on 5 pixels: any is 15 pixels, not 20; spacing 0.5 mm → 0.25 mm² each.
        var overlapping = new (int, int)[][] { [(0, 10)], [], [], [], [(5, 10)] };
        var contained = new (int, int)[][] { [(0, 20)], [(2, 3)], [], [], [] };
        BleedMaskFile.Write(Path.Combine(dir, "a.ichmask"), new BleedMasks(8, 8, 0.5, [new SliceMasks("1.1", overlapping), new SliceMasks("1.2", contained)]));
        var areas = BleedMaskFile.AreasMm2(dir);
        Assert.Equal([3.75, 2.5, 0, 0, 0, 2.5], areas["1.1"]);
        Assert.Equal([5.0, 5.0, 0.75, 0, 0, 0], areas["1.2"]);

        BleedMaskFile.Write(Path.Combine(dir, "b.ichmask"), new BleedMasks(8, 8, 0.5, [new SliceMasks("1.2", contained)]));
        Assert.Contains("two mask files", Assert.Throws<DatasetFormatException>(() => BleedMaskFile.AreasMm2(dir)).Message);
        var empty = RepoPaths.NewTempDir("ich-mask-empty");
        Assert.Equal(empty, Assert.Throws<DatasetFormatException>(() => BleedMaskFile.AreasMm2(empty)).Path);
        Assert.Throws<DatasetFormatException>(() => BleedMaskFile.AreasMm2(Path.Combine(empty, "missing")));
        Directory.Delete(dir, true);
        Directory.Delete(empty, true);
    }

    [Fact]
    public void BleedMaskFile_RunCountBeyondTheFile_RejectedBeforeAllocating()
    {
        var dir = RepoPaths.NewTempDir("ich-mask");
        var path = Path.Combine(dir, "huge.ichmask");
        using (var w = new BinaryWriter(File.Create(path)))
        {
            w.Write("ICHMASK1"u8.ToArray());
            w.Write(16384); w.Write(16384); w.Write(1); w.Write(0.5);
            w.Write((ushort)1); w.Write((byte)'x');
            w.Write(200_000_000); // runs announced: 1.6 GB of them, in a file of a few bytes
        }
        var e = Assert.Throws<DatasetFormatException>(() => BleedMaskFile.Read(path));
        Assert.Contains("run count", e.Message);
        File.WriteAllBytes(path, [.. "ICHMASK1"u8, .. BitConverter.GetBytes(100_000), .. BitConverter.GetBytes(100_000), .. BitConverter.GetBytes(0), .. BitConverter.GetBytes(0.5)]);
        Assert.Contains("bad header", Assert.Throws<DatasetFormatException>(() => BleedMaskFile.Read(path)).Message);
        Directory.Delete(dir, true);
    }

    [Theory]
    [InlineData("5", 5.0)]
    [InlineData("0.625", 0.625)]
    [InlineData("mixed", null)]
    public void ParseThickness_ValidChoice_Parses(string text, double? expected) => Assert.Equal(expected, SynthOptions.ParseThickness(text));

    [Fact]
    public void ParseThickness_OtherValue_ThrowsConfigException() => Assert.Throws<ConfigException>(() => SynthOptions.ParseThickness("4"));

    [Fact]
    public void Write_NonEmptyOutputFolder_RefusesToOverwrite()
    {
        var dir = RepoPaths.NewTempDir("ich-synth-out");
        File.WriteAllText(Path.Combine(dir, "keep.txt"), "user data");
        Assert.Throws<ConfigException>(() => PhantomGenerator.Write(new SynthOptions { Size = 64 }, dir, 1));
        Assert.Equal("user data", File.ReadAllText(Path.Combine(dir, "keep.txt")));
        Directory.Delete(dir, true);
    }

    [Fact]
    public void Plan_SameSeedAndIndex_IsIdenticalAndIndependentOfOtherScans()
    {
        var options = new SynthOptions { Seed = 3 };
        var a = ScanPlanner.Plan(options, 5);
        var b = ScanPlanner.Plan(options, 5);
        Assert.Equal(a.SliceZ, b.SliceZ);
        Assert.Equal(a.SopUids, b.SopUids);
        Assert.Equal(a.FileNames, b.FileNames);
        Assert.Equal(a.Bleeds.Select(x => x.Describe()), b.Bleeds.Select(x => x.Describe()));
        Assert.NotEqual(a.SeriesUid, ScanPlanner.Plan(options, 6).SeriesUid);
        Assert.NotEqual(a.SeriesUid, ScanPlanner.Plan(options with { Seed = 4 }, 5).SeriesUid);
    }
}
