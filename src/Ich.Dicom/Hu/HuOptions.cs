namespace Ich.Dicom.Hu;

/// <summary>How stored values become the HU slices the model sees (docs/series-selection.md, "HU").</summary>
public sealed record HuOptions
{
    /// <summary>Value given to padding and outside-field-of-view pixels: air.</summary>
    public const float Air = -1000f;

    /// <summary>Apply the RSNA-2019 12-bit intercept fix (<see cref="Rsna12BitInterceptFix"/>) where its conditions hold.</summary>
    public bool FixRsna12BitIntercept { get; init; } = true;

    /// <summary>Map PixelPaddingValue (and its range) to <see cref="Air"/>.</summary>
    public bool PaddingToAir { get; init; } = true;

    /// <summary>
    /// HU values below this are outside-FOV fill (e.g. stored −2000 with intercept −1024 → −3024) and become
    /// <see cref="Air"/>; nothing real in a CT image is below about −1024. Null disables the rule.
    /// </summary>
    public float? OutsideFovBelowHu { get; init; } = -1100f;

    public static HuOptions Default { get; } = new();

    /// <summary>Plain slope·x + intercept (or LUT): no fix, no padding, no floor; what the DICOM header alone says.</summary>
    public static HuOptions RescaleOnly { get; } = new() { FixRsna12BitIntercept = false, PaddingToAir = false, OutsideFovBelowHu = null };
}
