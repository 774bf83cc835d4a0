using System.Text.Json.Serialization;
using Ich.Core.Errors;

namespace Ich.Synth;

/// <summary>
/// Which per-scan parameter ranges a phantom run draws from (<see cref="PhantomStyleRanges"/>; the table in
/// docs/phantoms.md). Spelled <c>standard</c>, <c>broad</c>, <c>shifted</c> on the command line and in JSON.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<PhantomStyle>))]
public enum PhantomStyle
{
    /// <summary>The original ranges, frozen: a seed gives the same bytes as before styles existed.</summary>
    [JsonStringEnumMemberName("standard")] Standard,
    /// <summary>Domain randomisation for training: every range of Standard, widened.</summary>
    [JsonStringEnumMemberName("broad")] Broad,
    /// <summary>Style-shift test: the shifted parameters lie outside the Standard and Broad ranges, still realistic CT.</summary>
    [JsonStringEnumMemberName("shifted")] Shifted,
}

/// <summary>The command-line/JSON spelling of <see cref="PhantomStyle"/> and the style-specific random streams and IDs.</summary>
public static class PhantomStyles
{
    /// <summary>Every style with its spelling.</summary>
    public static readonly IReadOnlyList<(PhantomStyle Style, string Name)> All =
        [(PhantomStyle.Standard, "standard"), (PhantomStyle.Broad, "broad"), (PhantomStyle.Shifted, "shifted")];

    /// <summary>The lower-case spelling (<c>standard</c>, <c>broad</c>, <c>shifted</c>).</summary>
    public static string Name(this PhantomStyle style) =>
        All.FirstOrDefault(s => s.Style == style).Name ?? throw new ArgumentOutOfRangeException(nameof(style), style, "unknown phantom style");

    /// <summary>Parses a <c>--style</c> value (case-insensitive).</summary>
    public static PhantomStyle Parse(string text)
    {
        foreach (var (style, name) in All)
            if (name.Equals(text, StringComparison.OrdinalIgnoreCase)) return style;
        throw new ConfigException($"--style must be one of {string.Join(", ", All.Select(s => s.Name))}, not '{text}'");
    }

    /// <summary>
    /// The random stream of one purpose of scan <paramref name="index"/>. Standard keeps the streams it always had;
    /// the other styles get their own, so a Shifted or Broad scan never repeats the anatomy and bleeds of the Standard
    /// scan with the same seed and index (a style-shift test set cannot leak the training set's cases).
    /// </summary>
    public static SynthRandom Stream(PhantomStyle style, ulong seed, int index, long purpose) =>
        style == PhantomStyle.Standard
            ? SynthRandom.For(seed, index, purpose)
            : SynthRandom.For(seed, index, purpose, 0x57_00 + (long)style);

    /// <summary>Prefix of the scan's UID names, scan ID and patient ID: empty for Standard (unchanged IDs), else "&lt;name&gt;-".</summary>
    public static string IdPrefix(PhantomStyle style) => style == PhantomStyle.Standard ? "" : style.Name() + "-";
}
