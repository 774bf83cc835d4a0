namespace Ich.Dicom.Hu;

/// <summary>What <see cref="HuConverter.Convert"/> did to one slice.</summary>
/// <param name="InterceptFixApplied">The RSNA 12-bit intercept fix was applied.</param>
/// <param name="PaddingPixels">Pixels equal to / within the PixelPaddingValue range, set to air.</param>
/// <param name="OutsideFovPixels">Pixels below <see cref="HuOptions.OutsideFovBelowHu"/>, set to air.</param>
public sealed record HuConversionInfo(bool InterceptFixApplied, int PaddingPixels, int OutsideFovPixels);

/// <summary>
/// Stored pixel values → Hounsfield units, in this order: padding pixels (by stored value) → air;
/// the RSNA 12-bit intercept fix where it applies; Modality LUT or slope·x + intercept; HU below the
/// outside-FOV threshold → air.
/// </summary>
public static class HuConverter
{
    /// <summary>Converts one frame of stored values (already masked to BitsStored and sign-extended).</summary>
    /// <param name="stored">Row-major stored values.</param>
    /// <param name="p">The slice's parameters.</param>
    /// <param name="options">Which corrections to apply; <see cref="HuOptions.Default"/> when null.</param>
    /// <param name="info">What was changed.</param>
    /// <returns>HU values, same length and order as <paramref name="stored"/>.</returns>
    public static float[] Convert(ReadOnlySpan<int> stored, HuParameters p, HuOptions? options, out HuConversionInfo info)
    {
        options ??= HuOptions.Default;
        var fix = options.FixRsna12BitIntercept && Rsna12BitInterceptFix.AppliesTo(p);
        var transform = p.Transform;
        var slope = transform.Slope;
        var (padLow, padHigh, hasPadding) = PaddingRange(p, options);
        var floor = options.OutsideFovBelowHu;

        var hu = new float[stored.Length];
        int padded = 0, outside = 0;
        for (var i = 0; i < stored.Length; i++)
        {
            var s = stored[i];
            if (hasPadding && s >= padLow && s <= padHigh) { hu[i] = HuOptions.Air; padded++; continue; }
            var v = fix
                ? Rsna12BitInterceptFix.FixStored(s) * slope + Rsna12BitInterceptFix.FixedIntercept
                : transform.Apply(s);
            if (floor is { } f && v < f) { hu[i] = HuOptions.Air; outside++; continue; }
            hu[i] = (float)v;
        }
        info = new HuConversionInfo(fix, padded, outside);
        return hu;
    }

    private static (int Low, int High, bool Has) PaddingRange(HuParameters p, HuOptions options)
    {
        if (!options.PaddingToAir || p.PaddingValue is not { } value) return (0, 0, false);
        // PS3.3 C.7.5.1.1.2: with a range limit, every value between the two (inclusive) is padding.
        var limit = p.PaddingRangeLimit ?? value;
        return (Math.Min(value, limit), Math.Max(value, limit), true);
    }
}
