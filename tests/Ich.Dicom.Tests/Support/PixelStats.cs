using Ich.Dicom.Pixels;

namespace Ich.Dicom.Tests;

/// <summary>Hash, min, max and mean of every stored value of a file (for comparison with the manifest).</summary>
public sealed record PixelStats(string Sha256, double Min, double Max, double Mean)
{
    public static PixelStats Of(DicomPixelData pixels)
    {
        var sha = StoredPixelHash.Compute(pixels);
        var unsigned32 = pixels.Description.BitsAllocated == 32 && !pixels.Description.IsSigned;
        double min = double.MaxValue, max = double.MinValue, sum = 0;
        long count = 0;
        for (var f = 0; f < pixels.FrameCount; f++)
        {
            foreach (var raw in pixels.GetStoredFrame(f))
            {
                double v = unsigned32 ? (uint)raw : raw;
                if (v < min) min = v;
                if (v > max) max = v;
                sum += v;
                count++;
            }
        }
        return new PixelStats(sha, min, max, sum / count);
    }
}
