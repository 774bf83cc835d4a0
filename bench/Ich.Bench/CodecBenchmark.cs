using System.Diagnostics;
using System.IO.Compression;
using Ich.Dicom.Pixels;
using Ich.Dicom.Reading;

namespace Ich.Bench;

/// <summary>
/// Frame decoding speed of the own-code codecs on one real 512×512 16-bit CT image stored in every
/// supported encapsulated transfer syntax (realdata/conformance/cornerstone/CTImage.dcm_*), through the
/// reader's public API. Baseline measured in the same run: zlib inflate (the BCL's native DeflateStream)
/// of the same decoded pixels, i.e. a highly optimised general-purpose lossless decoder.
/// </summary>
public sealed class CodecBenchmark : IBenchmark
{
    public string Name => "codecs";
    public string Description => "decode a 512x512 CT frame per transfer syntax (ms) vs zlib inflate of the same pixels";

    private static readonly string[] Variants =
    [
        "CTImage.dcm_RLELosslessTransferSyntax_1.2.840.10008.1.2.5.dcm",
        "CTImage.dcm_JPEGProcess14TransferSyntax_1.2.840.10008.1.2.4.57.dcm",
        "CTImage.dcm_JPEGProcess14SV1TransferSyntax_1.2.840.10008.1.2.4.70.dcm",
        "CTImage.dcm_JPEGLSLosslessTransferSyntax_1.2.840.10008.1.2.4.80.dcm",
        "CTImage.dcm_JPEGLSLossyTransferSyntax_1.2.840.10008.1.2.4.81.dcm",
        "CTImage.dcm_JPEGProcess1TransferSyntax_1.2.840.10008.1.2.4.50.dcm",
        "CTImage.dcm_JPEGProcess2_4TransferSyntax_1.2.840.10008.1.2.4.51.dcm",
    ];

    public int Run(string[] args)
    {
        var repeats = BenchArgs.IntAt(args, 0, "repeats", 50);
        var shared = BenchPaths.SharedRoot();
        var folder = Path.Combine(shared, "realdata", "conformance", "cornerstone");
        if (!Directory.Exists(folder))
        {
            Console.Error.WriteLine($"corpus not found: {folder} (set ICH_SHARED)");
            return 2;
        }

        // Baseline: inflate of the same 512×512×2 bytes, deflated once with the optimal level.
        var native = DicomPixelData.Create(DicomFileReader.Read(Path.Combine(folder, Variants[0]))).GetNativeFrameBytes(0).ToArray();
        using var packed = new MemoryStream();
        using (var deflate = new DeflateStream(packed, CompressionLevel.Optimal, leaveOpen: true)) deflate.Write(native);
        var compressed = packed.ToArray();
        var inflated = new byte[native.Length];
        var (baseline, baselineMin) = Time(repeats, () =>
        {
            using var input = new DeflateStream(new MemoryStream(compressed), CompressionMode.Decompress);
            input.ReadExactly(inflated);
        });
        Console.WriteLine($"{"syntax",-44} {"median",8} {"min",8}   (ms per frame; machine load inflates the median)");
        Console.WriteLine($"{"baseline: zlib inflate",-44} {baseline,8:F2} {baselineMin,8:F2}   ({compressed.Length} bytes in)");

        foreach (var name in Variants)
        {
            var path = Path.Combine(folder, name);
            if (!File.Exists(path)) { Console.WriteLine($"{name}: missing"); continue; }
            var pixels = DicomPixelData.Create(DicomFileReader.Read(path));
            var (ms, min) = Time(repeats, () => pixels.GetNativeFrameBytes(0));
            var label = name["CTImage.dcm_".Length..].Replace("TransferSyntax", " ").Replace(".dcm", "");
            Console.WriteLine($"{label,-44} {ms,8:F2} {min,8:F2}   ratio vs inflate (min) {min / baselineMin,5:F2}");
        }
        return 0;
    }

    /// <summary>Median and minimum wall time of one call, ms, after ten warm-up calls.</summary>
    private static (double Median, double Min) Time(int repeats, Action action)
    {
        for (int i = 0; i < 10; i++) action();
        var times = new double[repeats];
        for (int i = 0; i < repeats; i++)
        {
            var watch = Stopwatch.StartNew();
            action();
            times[i] = watch.Elapsed.TotalMilliseconds;
        }
        Array.Sort(times);
        return (times[repeats / 2], times[0]);
    }
}
