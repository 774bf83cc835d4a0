using System.Numerics;
using System.Runtime.CompilerServices;
using Ich.Core.Errors;
using Ich.Dicom.Model;

namespace Ich.Dicom.Pixels;

/// <summary>Where a <see cref="ModalityTransform"/> came from.</summary>
public enum ModalitySource
{
    /// <summary>No Modality LUT module: output = stored value.</summary>
    None,
    /// <summary>Rescale Slope/Intercept of the top-level data set.</summary>
    Rescale,
    /// <summary>Pixel Value Transformation Sequence of the frame's Per-Frame Functional Groups (Enhanced CT/MR).</summary>
    PerFrameFunctionalGroups,
    /// <summary>Pixel Value Transformation Sequence of the Shared Functional Groups.</summary>
    SharedFunctionalGroups,
    /// <summary>Modality LUT Sequence (0028,3000).</summary>
    LookupTable,
}

/// <summary>
/// The Modality LUT (PS3.3 §C.11.1): stored value → output units (HU for CT) either linearly
/// (slope·x + intercept) or through a lookup table. Thread-safe and immutable.
/// </summary>
public sealed class ModalityTransform
{
    private readonly bool _unsigned32;
    private readonly bool _narrow; // stored values fit in 17 bits (BitsAllocated ≤ 16)

    private ModalityTransform(double slope, double intercept, ModalitySource source, int lutFirst, int[]? lut, bool unsigned32, bool narrow)
    {
        Slope = slope;
        Intercept = intercept;
        Source = source;
        LutFirstStoredValue = lutFirst;
        Lut = lut;
        _unsigned32 = unsigned32;
        _narrow = narrow;
    }

    /// <summary>Rescale slope (1 when absent or when a LUT is used).</summary>
    public double Slope { get; }
    /// <summary>Rescale intercept (0 when absent or when a LUT is used).</summary>
    public double Intercept { get; }
    /// <summary>Where the transform was found.</summary>
    public ModalitySource Source { get; }
    /// <summary>Modality LUT entries (output values), or null for a linear transform.</summary>
    public IReadOnlyList<int>? Lut { get; }
    /// <summary>The stored value mapped to the first LUT entry.</summary>
    public int LutFirstStoredValue { get; }

    /// <summary>Output value for one stored value (as given by <see cref="DicomPixelData.GetStoredFrame(int)"/>).</summary>
    public double Apply(int stored)
    {
        double x = _unsigned32 ? (uint)stored : stored;
        if (Lut is int[] lut)
        {
            var i = x - LutFirstStoredValue;
            return lut[i <= 0 ? 0 : i >= lut.Length - 1 ? lut.Length - 1 : (int)i];
        }
        return Slope * x + Intercept;
    }

    /// <summary>Applies the transform to a frame of stored values (e.g. to HU as float).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Apply(ReadOnlySpan<int> stored, Span<float> destination)
    {
        if (destination.Length < stored.Length) throw new ArgumentException("destination is shorter than the source", nameof(destination));
        if (Lut is null && _narrow && Slope == 1 && Intercept == Math.Floor(Intercept) && Math.Abs(Intercept) < 1 << 24)
        {
            // Slope 1 and a whole intercept (CT as written by most scanners): integer add, then one exact
            // conversion; identical to the double formula for |x| < 2^24.
            var offset = (int)Intercept;
            var i = 0;
            if (Vector.IsHardwareAccelerated)
            {
                var add = new Vector<int>(offset);
                for (; i <= stored.Length - Vector<int>.Count; i += Vector<int>.Count)
                    Vector.ConvertToSingle(new Vector<int>(stored[i..]) + add).CopyTo(destination[i..]);
            }
            for (; i < stored.Length; i++) destination[i] = stored[i] + offset;
            return;
        }
        if (Lut is null && !_unsigned32)
        {
            // slope·x + intercept in double (as the reference does), rounded once to float.
            var slope = Slope;
            var intercept = Intercept;
            for (var i = 0; i < stored.Length; i++) destination[i] = (float)(slope * stored[i] + intercept);
            return;
        }
        for (var i = 0; i < stored.Length; i++) destination[i] = (float)Apply(stored[i]);
    }

    /// <summary>
    /// The transform for <paramref name="frame"/>: top-level Rescale Slope/Intercept, else the frame's
    /// Per-Frame Functional Groups, else the Shared Functional Groups, else the Modality LUT Sequence,
    /// else identity.
    /// </summary>
    public static ModalityTransform FromDataset(DicomDataset ds, PixelDescription description, int frame = 0, string? path = null)
    {
        var unsigned32 = description.BitsAllocated == 32 && !description.IsSigned;
        var narrow = description.BitsAllocated <= 16;
        try
        {
            if (Linear(ds, ModalitySource.Rescale, unsigned32, narrow) is { } top) return top;
            var perFrame = ds.GetItems(DicomTags.PerFrameFunctionalGroupsSequence);
            if (frame < perFrame.Count && FromGroup(perFrame[frame], ModalitySource.PerFrameFunctionalGroups, unsigned32, narrow) is { } pf) return pf;
            var shared = ds.GetItems(DicomTags.SharedFunctionalGroupsSequence);
            if (shared.Count > 0 && FromGroup(shared[0], ModalitySource.SharedFunctionalGroups, unsigned32, narrow) is { } sh) return sh;
            var lutItems = ds.GetItems(DicomTags.ModalityLUTSequence);
            if (lutItems.Count > 0) return FromLut(lutItems[0], description, unsigned32, narrow, path);
        }
        catch (FormatException e)
        {
            throw new DicomFormatException($"modality LUT: {e.Message}", path, inner: e);
        }
        return new ModalityTransform(1, 0, ModalitySource.None, 0, null, unsigned32, narrow);
    }

    private static ModalityTransform? FromGroup(DicomDataset group, ModalitySource source, bool unsigned32, bool narrow)
    {
        var pvt = group.GetItems(DicomTags.PixelValueTransformationSequence);
        return pvt.Count > 0 ? Linear(pvt[0], source, unsigned32, narrow) : null;
    }

    private static ModalityTransform? Linear(DicomDataset ds, ModalitySource source, bool unsigned32, bool narrow)
    {
        var slope = ds.GetNumber(DicomTags.RescaleSlope);
        var intercept = ds.GetNumber(DicomTags.RescaleIntercept);
        if (slope is null && intercept is null) return null;
        return new ModalityTransform(slope ?? 1, intercept ?? 0, source, 0, null, unsigned32, narrow);
    }

    private static ModalityTransform FromLut(DicomDataset item, PixelDescription description, bool unsigned32, bool narrow, string? path)
    {
        var descriptor = item.Get(DicomTags.LUTDescriptor);
        var data = item.Get(DicomTags.LUTData);
        if (descriptor is null || descriptor.Value.Length < 6 || data is null)
            throw new DicomFormatException("Modality LUT Sequence item lacks LUT Descriptor or LUT Data", path);
        var d = descriptor.Value.Span;
        int entries = (ushort)(d[0] | (d[1] << 8));
        if (entries == 0) entries = 65536;
        var firstRaw = (ushort)(d[2] | (d[3] << 8));
        int first = description.IsSigned ? (short)firstRaw : firstRaw; // US or SS by Pixel Representation
        var bits = (ushort)(d[4] | (d[5] << 8));
        var bytes = data.Value.Span;
        var byteEntries = bits <= 8 && bytes.Length == entries;
        if (!byteEntries && bytes.Length < entries * 2)
            throw new DicomFormatException($"Modality LUT Data has {bytes.Length} bytes for {entries} entries", path);
        var lut = new int[entries];
        if (byteEntries)
            for (var i = 0; i < entries; i++) lut[i] = bytes[i];
        else
            for (var i = 0; i < entries; i++) lut[i] = (ushort)(bytes[2 * i] | (bytes[2 * i + 1] << 8));
        return new ModalityTransform(1, 0, ModalitySource.LookupTable, first, lut, unsigned32, narrow);
    }
}
