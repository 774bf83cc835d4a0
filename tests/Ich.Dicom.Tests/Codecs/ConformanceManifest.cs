using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using Ich.Core.Text;
using Ich.Dicom.Codecs;

namespace Ich.Dicom.Tests.Codecs;

/// <summary>One row of realdata/dicom_manifest.csv (the columns the codec tests need).</summary>
internal sealed record ManifestRow(
    string File, string TransferSyntax, int Rows, int Columns, int Frames, int Samples, int BitsAllocated,
    int BitsStored, bool Signed, string Photometric, string Expect, double StoredMin, double StoredMax,
    double StoredMean, string PixelSha256)
{
    public FrameInfo FrameInfo(string path) =>
        new(Rows, Columns, Samples, BitsAllocated, BitsStored, Signed, 0, path, Photometric);

    public override string ToString() => File;
}

/// <summary>Reads the manifest and reproduces its pixel statistics from decoded frames.</summary>
internal static class ConformanceManifest
{
    public static List<ManifestRow> Load(string manifestPath)
    {
        var table = CsvTable.Read(manifestPath);
        string Get(CsvRow r, string c) => r[table.Require(c)];
        int Int(CsvRow r, string c) => int.TryParse(Get(r, c), out var v) ? v : 0;
        double Dbl(CsvRow r, string c) => double.TryParse(Get(r, c), CultureInfo.InvariantCulture, out var v) ? v : double.NaN;
        return table.Rows.Select(r => new ManifestRow(
            Get(r, "file"), Get(r, "transfer_syntax_uid"), Int(r, "rows"), Int(r, "cols"), Int(r, "frames"),
            Int(r, "samples_per_pixel"), Int(r, "bits_allocated"), Int(r, "bits_stored"), Get(r, "pixel_representation") == "1",
            Get(r, "photometric"), Get(r, "expect"), Dbl(r, "stored_min"), Dbl(r, "stored_max"), Dbl(r, "stored_mean"),
            Get(r, "pixel_sha256"))).ToList();
    }

    /// <summary>
    /// The manifest's "stored" values: each sample masked to BitsStored and sign-extended when signed
    /// (PS3.5 §8.1.1), frames concatenated.
    /// </summary>
    public static long[] StoredValues(IEnumerable<byte[]> frames, ManifestRow row)
    {
        int bytes = row.BitsAllocated / 8;
        var values = new List<long>();
        long mask = row.BitsStored == 64 ? -1 : (1L << row.BitsStored) - 1;
        foreach (var frame in frames)
        {
            for (int i = 0; i + bytes <= frame.Length; i += bytes)
            {
                long raw = bytes switch
                {
                    1 => frame[i],
                    2 => BinaryPrimitives.ReadUInt16LittleEndian(frame.AsSpan(i)),
                    _ => BinaryPrimitives.ReadUInt32LittleEndian(frame.AsSpan(i)),
                };
                long v = raw & mask;
                if (row.Signed && (v >> (row.BitsStored - 1) & 1) == 1) v -= 1L << row.BitsStored;
                values.Add(v);
            }
        }
        return values.ToArray();
    }

    /// <summary>SHA-256 of the stored values as little-endian integers of the container size (hex, lower case).</summary>
    public static string Sha256(long[] values, ManifestRow row)
    {
        int bytes = row.BitsAllocated / 8;
        var buffer = new byte[values.Length * bytes];
        for (int i = 0; i < values.Length; i++)
        {
            switch (bytes)
            {
                case 1: buffer[i] = (byte)values[i]; break;
                case 2: BinaryPrimitives.WriteUInt16LittleEndian(buffer.AsSpan(2 * i), (ushort)values[i]); break;
                default: BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(4 * i), (uint)values[i]); break;
            }
        }
        return Convert.ToHexString(SHA256.HashData(buffer)).ToLowerInvariant();
    }
}
