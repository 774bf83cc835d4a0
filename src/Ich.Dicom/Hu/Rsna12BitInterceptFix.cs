namespace Ich.Dicom.Hu;

/// <summary>
/// The RSNA 2019 challenge's known bad-intercept fix, as used by the 11th-place solution (appian42,
/// after J. Howard's "cleaning the data" kernel; /work/shared/docs/reference-solutions.md §2): some
/// 12-bit unsigned slices were written with an intercept near 0 although their values are offset by
/// 1000. When BitsStored = 12, PixelRepresentation = 0 and RescaleIntercept &gt; −100: add 1000 to the
/// stored value, subtract 4096 from results ≥ 4096, and use intercept −1000 (slope unchanged).
/// Nothing else is touched: signed data, other bit depths, intercepts ≤ −100, or files without a
/// RescaleIntercept element (the original code reads the element and would fail without it) or with a
/// Modality LUT Sequence (no intercept applies).
/// </summary>
public static class Rsna12BitInterceptFix
{
    public const int StoredOffset = 1000;
    public const int WrapAt = 4096;
    public const double FixedIntercept = -1000;
    public const double InterceptAbove = -100;

    /// <summary>True when the fix's conditions hold for this slice.</summary>
    public static bool AppliesTo(HuParameters p) =>
        p.BitsStored == 12 && !p.IsSigned && p.HasRescaleIntercept
        && p.Transform.Source == Pixels.ModalitySource.Rescale && p.Transform.Intercept > InterceptAbove;

    /// <summary>The corrected stored value (only meaningful when <see cref="AppliesTo"/> is true).</summary>
    public static int FixStored(int stored)
    {
        var v = stored + StoredOffset;
        return v >= WrapAt ? v - WrapAt : v;
    }
}
