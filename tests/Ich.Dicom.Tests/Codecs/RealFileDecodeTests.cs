using Ich.Core.Errors;
using Ich.Dicom.Codecs;
using Ich.TestKit;
using Xunit.Abstractions;

namespace Ich.Dicom.Tests.Codecs;

/// <summary>
/// Decodes the compressed frames of every conformance file whose transfer syntax has a registered
/// decoder and compares with realdata/dicom_manifest.csv (pixel hashes from pydicom/GDCM, cross-checked
/// with DCMTK): lossless rows must reproduce the hash exactly, lossy rows min/max/mean within a tolerance.
/// </summary>
public sealed class RealFileDecodeTests(ITestOutputHelper output)
{
    private static List<ManifestRow> Rows(string manifest) => ConformanceManifest.Load(manifest)
        .Where(r => r.File.StartsWith("conformance/", StringComparison.Ordinal) && FrameDecoders.Find(r.TransferSyntax) is not null)
        .ToList();

    private static List<byte[]> DecodeAll(ManifestRow row, string root)
    {
        var path = Path.Combine(root, row.File);
        var decoder = FrameDecoders.Find(row.TransferSyntax)!;
        var info = row.FrameInfo(path);
        return EncapsulatedFrames.Read(path, row.Frames).Select(f => decoder.Decode(f, info)).ToList();
    }

    [SkippableFact]
    public void Decode_LosslessConformanceFiles_MatchManifestHash()
    {
        var manifest = RepoPaths.RequireShared("realdata/dicom_manifest.csv");
        var root = Path.GetDirectoryName(manifest)!;
        var rows = Rows(manifest).Where(r => r.Expect == "ok").ToList();
        Assert.NotEmpty(rows);
        var failures = new List<string>();
        foreach (var row in rows)
        {
            try
            {
                var values = ConformanceManifest.StoredValues(DecodeAll(row, root), row);
                var hash = ConformanceManifest.Sha256(values, row);
                output.WriteLine($"{(hash == row.PixelSha256 ? "match" : "MISMATCH")} {row.File} min {values.Min()} max {values.Max()} mean {values.Average():F4}");
                if (hash != row.PixelSha256) failures.Add($"{row.File}: hash differs (min {values.Min()} max {values.Max()} mean {values.Average():F4}; expected {row.StoredMin}/{row.StoredMax}/{row.StoredMean})");
            }
            catch (IchException e)
            {
                failures.Add($"{row.File}: {e.Message}");
            }
        }
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [SkippableFact]
    public void Decode_LossyConformanceFiles_StatisticsWithinTolerance()
    {
        var manifest = RepoPaths.RequireShared("realdata/dicom_manifest.csv");
        var root = Path.GetDirectoryName(manifest)!;
        var rows = Rows(manifest).Where(r => r.Expect == "ok-lossy").ToList();
        Assert.NotEmpty(rows);
        var failures = new List<string>();
        foreach (var row in rows)
        {
            try
            {
                var values = ConformanceManifest.StoredValues(DecodeAll(row, root), row);
                double min = values.Min(), max = values.Max(), mean = values.Average();
                output.WriteLine($"{row.File}: min {min} ({row.StoredMin}) max {max} ({row.StoredMax}) mean {mean:F4} ({row.StoredMean:F4})");
                // Colour rows are informative only in the manifest (colour-space handling differs between toolkits).
                if (row.Samples != 1) continue;
                if (Math.Abs(min - row.StoredMin) > 4 || Math.Abs(max - row.StoredMax) > 4 || Math.Abs(mean - row.StoredMean) > 0.05)
                    failures.Add($"{row.File}: min {min} max {max} mean {mean:F4}, expected {row.StoredMin}/{row.StoredMax}/{row.StoredMean:F4}");
            }
            catch (IchException e)
            {
                failures.Add($"{row.File}: {e.Message}");
            }
        }
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }
}
