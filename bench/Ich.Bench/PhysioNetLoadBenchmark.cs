using System.Diagnostics;
using Ich.Data.Catalog;
using Ich.Data.PhysioNet;
using Ich.Imaging;

namespace Ich.Bench;

/// <summary>
/// Loading one PhysioNet CT-ICH patient (JPG pairs → HU, with the per-scan bone-window fit), against
/// a baseline of only decoding its JPGs, and the same slices read back from the HU cache.
/// Args: [dataset root (default ../shared/physionet-ctich)] [patient (default 049)].
/// </summary>
public sealed class PhysioNetLoadBenchmark : IBenchmark
{
    public string Name => "physionet-load";
    public string Description => "one PhysioNet patient: index + fit + LoadHu, vs JPG decode only, vs HU cache";

    /// <summary>$ICH_SHARED/physionet-ctich, else ../shared/physionet-ctich beside the repository.</summary>
    private static string DefaultRoot() => Path.Combine(BenchPaths.SharedRoot(), "physionet-ctich");

    public int Run(string[] args)
    {
        var root = args.Length > 0 ? Path.GetFullPath(args[0]) : DefaultRoot();
        var patient = args.Length > 1 ? args[1] : "049";
        if (!Directory.Exists(root)) { Console.Error.WriteLine($"dataset not found: {root}"); return 2; }

        // Warm-up (JIT, SkiaSharp native load).
        var warm = DatasetCatalog.Open(DatasetKind.PhysioNet, root).Scans.Single(s => s.ScanId == patient);
        warm.Slices[0].LoadHu();

        var sw = Stopwatch.StartNew();
        var scan = DatasetCatalog.Open(DatasetKind.PhysioNet, root).Scans.Single(s => s.ScanId == patient);
        var indexMs = sw.Elapsed.TotalMilliseconds;
        sw.Restart();
        foreach (var s in scan.Slices) s.LoadHu();
        var loadMs = sw.Elapsed.TotalMilliseconds;

        sw.Restart();
        foreach (var s in scan.Slices)
        {
            GrayJpeg.Decode(s.SourcePath!);
            GrayJpeg.Decode(s.SourcePath!.Replace("/brain/", "/bone/"));
        }
        var decodeMs = sw.Elapsed.TotalMilliseconds;

        var cacheDir = Path.Combine(Path.GetTempPath(), $"ich-bench-hucache-{Guid.NewGuid():N}");
        try
        {
            var cached = new HuCache(cacheDir).Wrap(scan);
            foreach (var s in cached.Slices) s.LoadHu(); // fill
            sw.Restart();
            foreach (var s in cached.Slices) s.LoadHu();
            var cacheMs = sw.Elapsed.TotalMilliseconds;

            sw.Restart();
            foreach (var s in scan.Slices) NetworkInput.FromHu(s.LoadHu(), 256);
            var inputMs = sw.Elapsed.TotalMilliseconds;

            var one = scan.Slices[0].LoadHu();
            for (var i = 0; i < 20; i++) NetworkInput.FromHu(one, 256); // warm (tiered JIT)
            sw.Restart();
            for (var i = 0; i < 100; i++) NetworkInput.FromHu(one, 256);
            var fromHuMs = sw.Elapsed.TotalMilliseconds / 100;

            var n = scan.Slices.Count;
            Console.WriteLine($"patient {patient}: {n} slices (650x650 brain+bone JPG each)");
            Console.WriteLine($"  index dataset (CSV + file listing, 56 patients): {indexMs,8:0.0} ms");
            Console.WriteLine($"  LoadHu all slices incl. bone-window fit:        {loadMs,8:0.0} ms  ({loadMs / n:0.00} ms/slice)");
            Console.WriteLine($"  baseline: JPG decode only (2 per slice):        {decodeMs,8:0.0} ms  ({decodeMs / n:0.00} ms/slice)");
            Console.WriteLine($"  LoadHu from HU cache:                           {cacheMs,8:0.0} ms  ({cacheMs / n:0.00} ms/slice)");
            Console.WriteLine($"  LoadHu + NetworkInput.FromHu(256):              {inputMs,8:0.0} ms  ({inputMs / n:0.00} ms/slice)");
            Console.WriteLine($"  NetworkInput.FromHu(650x650 -> 3x256x256), warm: {fromHuMs,8:0.00} ms per slice");
            Console.WriteLine($"  ratio LoadHu / JPG decode: {loadMs / decodeMs:0.00}; cache / LoadHu: {cacheMs / loadMs:0.00}");
            Console.WriteLine($"  goal: one patient well under 1 s -> {(indexMs + loadMs < 1000 ? "met" : "NOT met")}");
        }
        finally { Directory.Delete(cacheDir, true); }
        return 0;
    }
}
