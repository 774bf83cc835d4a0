using System.Globalization;
using Ich.Core.Errors;
using Ich.Dicom.Model;

namespace Ich.Dicom.Pixels;

/// <summary>
/// The Image Pixel module of a data set (PS3.3 §C.7.6.3), with the defaults old files rely on:
/// SamplesPerPixel 1, Photometric MONOCHROME2, BitsStored = BitsAllocated, HighBit = BitsStored − 1,
/// PixelRepresentation 0, NumberOfFrames 1.
/// </summary>
public sealed record PixelDescription
{
    /// <summary>Rows (0028,0010), pixels.</summary>
    public required int Rows { get; init; }
    /// <summary>Columns (0028,0011), pixels.</summary>
    public required int Columns { get; init; }
    /// <summary>Samples per pixel (0028,0002): 1 for grey, 3 for colour.</summary>
    public int SamplesPerPixel { get; init; } = 1;
    /// <summary>Bits allocated per sample: 1, 8, 16 or 32.</summary>
    public required int BitsAllocated { get; init; }
    /// <summary>Significant bits per sample.</summary>
    public required int BitsStored { get; init; }
    /// <summary>High bit (0028,0102); informative: samples are taken from the low BitsStored bits.</summary>
    public int HighBit { get; init; }
    /// <summary>Pixel Representation 1: samples are two's complement, sign-extended from BitsStored.</summary>
    public bool IsSigned { get; init; }
    /// <summary>Photometric interpretation, e.g. MONOCHROME1, MONOCHROME2, RGB, YBR_FULL.</summary>
    public string Photometric { get; init; } = "MONOCHROME2";
    /// <summary>Planar configuration of native colour data: 0 colour-by-pixel, 1 colour-by-plane.</summary>
    public int PlanarConfiguration { get; init; }
    /// <summary>Number of frames (1 when absent).</summary>
    public int Frames { get; init; } = 1;
    /// <summary>Pixel Padding Value (0028,0120) as a stored value (signed when <see cref="IsSigned"/>), or null.</summary>
    public int? PixelPaddingValue { get; init; }
    /// <summary>Pixel Padding Range Limit (0028,0121) as a stored value, or null.</summary>
    public int? PixelPaddingRangeLimit { get; init; }

    /// <summary>True for MONOCHROME1 (minimum value displayed white). Stored values are never inverted here.</summary>
    public bool IsMonochrome1 => Photometric == "MONOCHROME1";

    /// <summary>Samples in one frame: Rows × Columns × SamplesPerPixel.</summary>
    public long SamplesPerFrame => (long)Rows * Columns * SamplesPerPixel;

    /// <summary>Bits of one native (uncompressed) frame: SamplesPerFrame × BitsAllocated (bit-packed for BitsAllocated 1).</summary>
    public long NativeFrameBits => SamplesPerFrame * BitsAllocated;

    /// <summary>Reads the module; a missing or impossible value raises a <see cref="DicomFormatException"/>.</summary>
    public static PixelDescription FromDataset(DicomDataset ds, string? path)
    {
        var rows = Required(ds, DicomTags.Rows, path);
        var columns = Required(ds, DicomTags.Columns, path);
        var bitsAllocated = Required(ds, DicomTags.BitsAllocated, path);
        var bitsStored = Optional(ds, DicomTags.BitsStored, path) ?? bitsAllocated;
        var samples = Optional(ds, DicomTags.SamplesPerPixel, path) ?? 1;
        var signed = (Optional(ds, DicomTags.PixelRepresentation, path) ?? 0) == 1;
        var frames = FrameCount(ds, path);
        if (rows <= 0 || columns <= 0) throw new DicomFormatException($"image is {rows} rows × {columns} columns", path);
        if (bitsAllocated is not (1 or 8 or 16 or 32))
            throw new DicomFormatException($"BitsAllocated {bitsAllocated} is not supported (1, 8, 16 or 32)", path);
        if (bitsStored < 1 || bitsStored > bitsAllocated)
            throw new DicomFormatException($"BitsStored {bitsStored} does not fit BitsAllocated {bitsAllocated}", path);
        if (samples is not (1 or 3)) throw new DicomFormatException($"SamplesPerPixel {samples} is not 1 or 3", path);
        return new PixelDescription
        {
            Rows = rows,
            Columns = columns,
            SamplesPerPixel = samples,
            BitsAllocated = bitsAllocated,
            BitsStored = bitsStored,
            HighBit = Optional(ds, DicomTags.HighBit, path) ?? bitsStored - 1,
            IsSigned = signed,
            Photometric = ds.GetString(DicomTags.PhotometricInterpretation)?.ToUpperInvariant() ?? (samples == 3 ? "RGB" : "MONOCHROME2"),
            PlanarConfiguration = samples > 1 ? Optional(ds, DicomTags.PlanarConfiguration, path) ?? 0 : 0,
            Frames = frames,
            PixelPaddingValue = StoredValue(ds, DicomTags.PixelPaddingValue, signed, bitsAllocated),
            PixelPaddingRangeLimit = StoredValue(ds, DicomTags.PixelPaddingRangeLimit, signed, bitsAllocated),
        };
    }

    /// <summary>
    /// NumberOfFrames is IS text; a value such as "1A" is read by its leading digits (as GDCM and
    /// DCMTK do), text without leading digits is an error.
    /// </summary>
    private static int FrameCount(DicomDataset ds, string? path)
    {
        var text = ds.GetString(DicomTags.NumberOfFrames);
        if (text is null) return 1;
        var digits = 0;
        while (digits < text.Length && char.IsAsciiDigit(text[digits])) digits++;
        if (digits == 0 || !int.TryParse(text.AsSpan(0, digits), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            throw new DicomFormatException($"NumberOfFrames '{text}' is not a number", path);
        if (n < 1) throw new DicomFormatException($"NumberOfFrames is {n}", path);
        return n;
    }

    /// <summary>A US/SS value interpreted by Pixel Representation (Implicit VR files give it no VR of its own).</summary>
    private static int? StoredValue(DicomDataset ds, DicomTag tag, bool signed, int bitsAllocated)
    {
        var e = ds.Get(tag);
        if (e is null || e.Value.Length < 2) return null;
        var span = e.Value.Span;
        if (e.Value.Length >= 4 && e.VR is DicomVR.UL or DicomVR.SL)
            return signed ? BitConverter.ToInt32(span) : (int)Math.Min(BitConverter.ToUInt32(span), int.MaxValue);
        var raw = (ushort)(span[0] | (span[1] << 8));
        return signed && bitsAllocated > 8 ? (short)raw : (int)raw;
    }

    private static int Required(DicomDataset ds, DicomTag tag, string? path) =>
        Optional(ds, tag, path) ?? throw new DicomFormatException($"image pixel module incomplete: {tag} is missing", path);

    private static int? Optional(DicomDataset ds, DicomTag tag, string? path)
    {
        try
        {
            return ds.GetInt(tag);
        }
        catch (FormatException e)
        {
            throw new DicomFormatException($"{tag}: {e.Message}", path, inner: e);
        }
    }
}
