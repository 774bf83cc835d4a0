using Ich.Core.Errors;
using Ich.Core.Scans;

namespace Ich.Pipeline.Tests.Predict;

/// <summary>In-memory head-like scans (air, skull ring, brain, a bright blob) and broken variants.</summary>
internal static class SyntheticScans
{
    public const int Size = 96;

    public static HuImage Head(int slice, bool bleed, float offset = 0)
    {
        var px = new float[Size * Size];
        for (var y = 0; y < Size; y++)
        for (var x = 0; x < Size; x++)
        {
            var r = Math.Sqrt((x - 48.0) * (x - 48.0) + (y - 48.0) * (y - 48.0));
            var v = r > 40 ? -1000f : r > 35 ? 1200f : 32f + (x + y + slice) % 5;
            if (bleed && Math.Sqrt((x - 60.0) * (x - 60.0) + (y - 40.0) * (y - 40.0)) < 7) v = 75f;
            px[y * Size + x] = v + offset;
        }
        return new HuImage(Size, Size, px, 0.5);
    }

    /// <summary>A DICOM-like scan: SOPInstanceUID slice IDs, 5 mm spacing.</summary>
    public static ScanRecord Dicom(string id, int slices, Func<int, HuImage>? load = null) =>
        new("dicom", "P-" + id, id,
            Enumerable.Range(0, slices).Select(i => new SliceRecord($"1.2.826.0.1.3680043.9.{id}.{i + 1}", i, 100 + 5.0 * i, null,
                () => load?.Invoke(i) ?? Head(i, i is >= 3 and <= 5), $"/virtual/{id}/{i}.dcm")).ToList(),
            null, 5.0);

    public static ScanRecord Corrupt(string id) => Dicom(id, 4, i => i == 2
        ? throw new DicomFormatException("pixel data truncated", $"/virtual/{id}/2.dcm", 1234)
        : Head(i, false));

    /// <summary>MR-like magnitudes: no value below 0.</summary>
    public static ScanRecord MrLike(string id) => Dicom(id, 4, i => Head(i, false, offset: 1000));
}
