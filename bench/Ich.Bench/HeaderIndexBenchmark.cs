using System.Diagnostics;
using System.Globalization;
using Ich.Dicom.Pixels;
using Ich.Dicom.Reading;
using Ich.Dicom.Series;

namespace Ich.Bench;

/// <summary>
/// Indexing a 1,000-file folder header-only into studies and series (<see cref="SeriesAssembler.Assemble(IEnumerable{string}, SeriesAssemblyOptions?)"/>),
/// files per second, against two baselines measured in the same run on the same files: a full read and decode of
/// every file (what indexing would cost without header-only mode), and pydicom <c>dcmread(stop_before_pixels=True)</c>
/// with Debian's /usr/bin/python3 when it is installed. The folder is made in a temp dir by copying the 32 RSNA
/// series files round-robin (copies share UIDs, so assembly also exercises duplicate removal: 1 series of 32 slices).
/// Arguments: [FILES (default 1000)] [SOURCE_FOLDER].
/// </summary>
public sealed class HeaderIndexBenchmark : IBenchmark
{
    public string Name => "header-index";
    public string Description => "header-only index + series assembly of a 1,000-file folder (files/s) vs full decode and pydicom stop_before_pixels";

    // One pass over the folder: read every header, group by SeriesInstanceUID. Prints JSON {files, seconds}.
    private const string PydicomScript = """
        import json, os, sys, time, warnings
        import pydicom
        warnings.simplefilter("ignore")
        folder = sys.argv[1]
        files = sorted(os.path.join(folder, f) for f in os.listdir(folder))
        start = time.perf_counter()
        series = {}
        for f in files:
            ds = pydicom.dcmread(f, stop_before_pixels=True)
            series.setdefault((ds.StudyInstanceUID, ds.SeriesInstanceUID), []).append(ds.ImagePositionPatient)
        print(json.dumps({"files": len(files), "seconds": time.perf_counter() - start, "series": len(series)}))
        """;

    public int Run(string[] args)
    {
        var count = BenchArgs.IntAt(args, 0, "file count", 1000);
        var source = args.Length > 1 ? args[1] : Path.Combine(BenchPaths.SharedRoot(), "realdata", "headct", "rsna2019_okotaku_stage2_series");
        if (!Directory.Exists(source))
        {
            Console.Error.WriteLine($"source series not found: {source} (set ICH_SHARED)");
            return 2;
        }
        var originals = Directory.GetFiles(source, "*.dcm");
        Array.Sort(originals, StringComparer.Ordinal);
        var folder = Path.Combine(Path.GetTempPath(), $"ich-header-index-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            for (var i = 0; i < count; i++)
                File.Copy(originals[i % originals.Length], Path.Combine(folder, $"{i:D5}.dcm"));
            var files = Directory.GetFiles(folder);
            Array.Sort(files, StringComparer.Ordinal);
            Console.WriteLine($"{files.Length} files ({originals.Length} RSNA originals copied round-robin) in {folder}; warm page cache, one warm-up pass each");

            // Warm-up: JIT and page cache for both paths.
            Index(files, 0);
            FullDecode(files);

            var (single, series) = Time(() => Index(files, 1));
            var (parallel, _) = Time(() => Index(files, 0));
            var (decode, _) = Time(() => FullDecode(files));
            var python = RunPydicom(folder);

            string Rate(double seconds) => string.Create(CultureInfo.InvariantCulture, $"{files.Length / seconds,9:F0} files/s");
            string X(double baseline, double seconds) => string.Create(CultureInfo.InvariantCulture, $"{baseline / seconds:F1}x");
            void Line(string label, string rate, string note = "") => Console.WriteLine($"{label,-40}{rate}{note}");
            Line("header index + assembly, 1 thread", Rate(single), $"   ({series} series)");
            Line($"header index + assembly, {Environment.ProcessorCount} threads", Rate(parallel));
            Line("baseline: full read + decode, 1 thread", Rate(decode), $"   ratio {X(decode, single)} (1-thread index vs this)");
            if (python is { } py)
                Line("baseline: pydicom stop_before_pixels", Rate(py), $"   ratio {X(py, single)} (1-thread index vs this)");
            else
                Console.WriteLine("baseline: pydicom not available (apt-get install -y python3-pydicom)");
            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static int Index(string[] files, int threads)
    {
        var assembly = SeriesAssembler.Assemble(files, new SeriesAssemblyOptions { MaxParallelism = threads });
        if (assembly.UnlistedFiles.Count > 0)
            throw new InvalidOperationException($"{assembly.UnlistedFiles.Count} files unreadable, e.g. {assembly.UnlistedFiles[0]}");
        return assembly.Studies.Sum(s => s.Series.Count);
    }

    private static int FullDecode(string[] files)
    {
        var checksum = 0;
        foreach (var path in files)
        {
            var pixels = DicomPixelData.Create(DicomFileReader.Read(path));
            checksum ^= pixels.GetStoredFrame(0)[0];
        }
        return checksum;
    }

    private static (double Seconds, int Result) Time(Func<int> work)
    {
        var watch = Stopwatch.StartNew();
        var result = work();
        return (watch.Elapsed.TotalSeconds, result);
    }

    private static double? RunPydicom(string folder)
    {
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(PydicomScript);
        start.ArgumentList.Add(folder);
        try
        {
            // Warm-up run (imports, page cache), then the measured one.
            for (var run = 0; ; run++)
            {
                using var process = Process.Start(start)!;
                var stdout = process.StandardOutput.ReadToEnd();
                var stderr = process.StandardError.ReadToEnd();
                process.WaitForExit();
                if (process.ExitCode != 0)
                {
                    Console.Error.WriteLine($"pydicom baseline failed: {stderr.Trim()}");
                    return null;
                }
                if (run == 0) continue;
                using var json = System.Text.Json.JsonDocument.Parse(stdout);
                return json.RootElement.GetProperty("seconds").GetDouble();
            }
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Console.Error.WriteLine($"pydicom baseline not run: {e.Message}");
            return null;
        }
    }
}
