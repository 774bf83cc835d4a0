namespace Ich.Core.Scans;

/// <summary>
/// One axial slice in Hounsfield units, row-major [Height, Width], air = -1000.
/// Values outside the scanner's field of view are already mapped to air by the reader.
/// </summary>
public sealed class HuImage
{
    public HuImage(int width, int height, float[] pixels, double? pixelSpacingMm = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (pixels.Length != width * height)
            throw new ArgumentException($"expected {width * height} pixels, got {pixels.Length}", nameof(pixels));
        Width = width;
        Height = height;
        Pixels = pixels;
        PixelSpacingMm = pixelSpacingMm;
    }

    public int Width { get; }
    public int Height { get; }
    public float[] Pixels { get; }

    /// <summary>In-plane pixel size in mm when known (DICOM PixelSpacing, NIfTI pixdim); null for JPG exports.</summary>
    public double? PixelSpacingMm { get; }

    public float this[int y, int x] => Pixels[y * Width + x];
}
