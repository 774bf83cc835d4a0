using Ich.Core.Scans;
using Ich.Data.Catalog;

namespace Ich.Data.Tests;

public class HuCacheTests
{
    [Fact]
    public void Wrap_SecondLoad_ComesFromCacheQuantisedToQuarterHu()
    {
        using var t = new TempFolder();
        var source = t.Write("src.bin", "x");
        var calls = 0;
        var pixels = new[] { -1000f, 28.0f, 40.2352941f, 1572.157f };
        HuImage Load() { calls++; return new HuImage(2, 2, (float[])pixels.Clone(), 0.5); }
        var scan = new ScanRecord("physionet", "049", "049", [new SliceRecord("15", 0, 70, null, Load, source)]);
        var cache = new HuCache(Path.Combine(t.Path, "cache"));
        var wrapped = cache.Wrap(scan);
        var first = wrapped.Slices[0].LoadHu();
        var second = wrapped.Slices[0].LoadHu();
        Assert.Equal(1, calls);
        Assert.Equal(pixels, first.Pixels);
        // Rounded to 0.25 HU: 40.2352941 → 40.25, 1572.157 → 1572.25.
        Assert.Equal(new[] { -1000f, 28f, 40.25f, 1572.25f }, second.Pixels);
        Assert.Equal(0.5, second.PixelSpacingMm);
        Assert.True(File.Exists(cache.PathOf(scan, scan.Slices[0])));
    }

    [Fact]
    public void Wrap_ChangedSource_RebuildsEntry()
    {
        using var t = new TempFolder();
        var source = t.Write("src.bin", "x");
        var value = 10f;
        var calls = 0;
        HuImage Load() { calls++; return new HuImage(1, 1, [value]); }
        var scan = new ScanRecord("nifti", "a/b c", "a/b c", [new SliceRecord("1", 0, 0, null, Load, source)]);
        var cache = new HuCache(Path.Combine(t.Path, "cache"));
        Assert.Equal(10f, cache.Wrap(scan).Slices[0].LoadHu()[0, 0]);
        value = 20f;
        File.WriteAllText(source, "changed content");
        Assert.Equal(20f, cache.Wrap(scan).Slices[0].LoadHu()[0, 0]);
        Assert.Equal(2, calls);
    }

    [Fact]
    public void Wrap_DamagedEntry_IsRebuilt()
    {
        using var t = new TempFolder();
        var source = t.Write("src.bin", "x");
        var calls = 0;
        HuImage Load() { calls++; return new HuImage(1, 1, [5f]); }
        var scan = new ScanRecord("nifti", "s", "s", [new SliceRecord("1", 0, 0, null, Load, source)]);
        var cache = new HuCache(Path.Combine(t.Path, "cache"));
        cache.Wrap(scan).Slices[0].LoadHu();
        File.WriteAllBytes(cache.PathOf(scan, scan.Slices[0]), [1, 2, 3]);
        Assert.Equal(5f, cache.Wrap(scan).Slices[0].LoadHu()[0, 0]);
        Assert.Equal(2, calls);
    }
}

public class LoadReportTests
{
    [Fact]
    public void Summary_CountsEachKind_AndToStringNamesPathLineItem()
    {
        var r = new LoadReport();
        r.Skip("/d/a.csv", "049/1", "missing", 4);
        r.Skip("/d/b.jpg", null, "bad");
        r.Adjust("/d/c.nii", "c", "first volume");
        Assert.Equal("2 skipped, 1 adjusted, 0 note(s)", r.Summary());
        Assert.Equal("skipped: /d/a.csv:4 [049/1]: missing", r.Issues[0].ToString());
    }
}
