using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Ich.Dicom.Model;
using Ich.Dicom.Pixels;
using Ich.Dicom.Reading;

namespace Ich.Bench;

/// <summary>
/// Read + decode + HU (slope·x + intercept → float32) of the 32-slice RSNA 2019 series
/// (realdata/headct/rsna2019_okotaku_stage2_series), slices per second, against pydicom doing the same
/// (bench/python/pydicom_decode.py with Debian's /usr/bin/python3) in the same run; both after one
/// warm-up pass over warm page cache. Also times a header-only index of the same files.
/// The machine may be shared, so the two sides alternate for several rounds and each reports its
/// best round (the least disturbed one). Arguments: [REPS per round (default 10)] [ROUNDS (default 5)] [FOLDER].
/// </summary>
public sealed class DicomDecodeBenchmark : IBenchmark
{
    private static readonly System.Text.Json.JsonSerializerOptions CaseInsensitiveJson = new() { PropertyNameCaseInsensitive = true };

    public string Name => "dicom-decode";
    public string Description => "read+decode+HU of a 32-slice RSNA series (slices/s) vs pydicom, plus header-only indexing";

    public int Run(string[] args)
    {
        var reps = BenchArgs.IntAt(args, 0, "repetitions", 10);
        var rounds = BenchArgs.IntAt(args, 1, "rounds", 5);
        var folder = args.Length > 2 ? args[2] : Path.Combine(BenchPaths.SharedRoot(), "realdata", "headct", "rsna2019_okotaku_stage2_series");
        if (!Directory.Exists(folder))
        {
            Console.Error.WriteLine($"series not found: {folder} (set ICH_SHARED)");
            return 2;
        }
        var files = Directory.GetFiles(folder, "*.dcm");
        Array.Sort(files, StringComparer.Ordinal);
        Console.WriteLine($"{files.Length} files in {folder}; {rounds} rounds of {reps} passes (after 1 warm-up), best round reported");

        var huSum = DecodePass(files, checksum: true); // warm-up (JIT, page cache) + checksum
        HeaderPass(files);
        double ours = 0, oursHeader = 0;
        PythonResult? py = null, pyHeader = null;
        for (var round = 0; round < rounds; round++)
        {
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < reps; i++) DecodePass(files, checksum: false);
            ours = Math.Max(ours, files.Length * reps / watch.Elapsed.TotalSeconds);
            watch.Restart();
            for (var i = 0; i < reps; i++) HeaderPass(files);
            oursHeader = Math.Max(oursHeader, files.Length * reps / watch.Elapsed.TotalSeconds);
            py = Best(py, RunPython(folder, reps, headerOnly: false));
            pyHeader = Best(pyHeader, RunPython(folder, reps, headerOnly: true));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"decode+HU   ich: {ours,9:F1} slices/s   pydicom: {Rate(py),9:F1} slices/s   ratio: {Ratio(ours, py)}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"header-only ich: {oursHeader,9:F1} files/s    pydicom: {Rate(pyHeader),9:F1} files/s    ratio: {Ratio(oursHeader, pyHeader)}"));
        if (py is { } p)
        {
            // Same work on both sides: the sum of every HU value of one pass must agree.
            var agree = Math.Abs(p.HuSum - huSum) <= 1e-6 * Math.Abs(p.HuSum) + 1;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"HU sum      ich: {huSum:F0}   pydicom: {p.HuSum:F0}   {(agree ? "agree" : "DIFFER")}"));
            if (!agree) return 1;
        }
        return 0;
    }

    private static PythonResult? Best(PythonResult? a, PythonResult? b) =>
        a is null ? b : b is null ? a : Rate(b) > Rate(a) ? b : a;

    private static double DecodePass(string[] files, bool checksum)
    {
        double sum = 0;
        int[] stored = [];
        float[] hu = [];
        foreach (var path in files)
        {
            // Disposed after use, as HuSliceLoader does, so the file buffer is pooled across slices.
            using var file = DicomFileReader.Read(path);
            var pixels = DicomPixelData.Create(file);
            var n = (int)pixels.Description.SamplesPerFrame;
            if (stored.Length != n)
            {
                stored = new int[n];
                hu = new float[n];
            }
            pixels.GetStoredFrame(0, stored);
            pixels.GetModalityTransform().Apply(stored, hu);
            if (checksum)
                for (var i = 0; i < hu.Length; i++) sum += hu[i];
        }
        return sum;
    }

    private static void HeaderPass(string[] files)
    {
        foreach (var path in files)
            if (DicomFileReader.Read(path, DicomReadOptions.Header).Dataset.GetString(DicomTags.SOPInstanceUID) is null)
                throw new InvalidOperationException($"{path}: no SOPInstanceUID");
    }

    private sealed record PythonResult(long Slices, double Seconds, double HuSum);

    private static double? Rate(PythonResult? p) => p is null ? null : p.Slices / p.Seconds;

    private static string Ratio(double ours, PythonResult? p) =>
        p is null ? "n/a (pydicom not available)" : string.Create(CultureInfo.InvariantCulture, $"{ours / (p.Slices / p.Seconds):F2}x");

    private static PythonResult? RunPython(string folder, int reps, bool headerOnly)
    {
        var script = Path.Combine(BenchPaths.RepositoryRoot(), "bench", "python", "pydicom_decode.py");
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(folder);
        start.ArgumentList.Add(reps.ToString(CultureInfo.InvariantCulture));
        if (headerOnly) start.ArgumentList.Add("--header-only");
        try
        {
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEnd();
            var stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                Console.Error.WriteLine($"pydicom baseline failed (apt-get install -y python3-pydicom python3-numpy): {stderr.Trim()}");
                return null;
            }
            return JsonSerializer.Deserialize<PythonResult>(stdout, CaseInsensitiveJson);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Console.Error.WriteLine($"pydicom baseline not run: {e.Message}");
            return null;
        }
    }
}
