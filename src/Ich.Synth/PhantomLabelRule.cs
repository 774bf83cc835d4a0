using System.Text.Json.Serialization;
using Ich.Core.Errors;

namespace Ich.Synth;

/// <summary>
/// Which blood a phantom's masks and labels count (<c>--labels</c>; docs/phantoms.md "Labels: geometric or visible").
/// The pixels are the same under both rules: only masks/, labels.csv and scans.csv differ.
/// Spelled <c>geometric</c> and <c>visible</c> on the command line and in JSON.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<PhantomLabelRule>))]
public enum PhantomLabelRule
{
    /// <summary>
    /// Every pixel whose slab is at least half blood, however it renders (the original rule, kept so sets already
    /// generated stay reproducible): a thin layer under the inner table that the slab's partial volume and the
    /// reconstruction blur drown in bone is still labelled.
    /// </summary>
    [JsonStringEnumMemberName("geometric")] Geometric,
    /// <summary>
    /// The geometric mask less the pixels that do not read as blood on the noise-free reconstructed image (after partial
    /// volume and the kernel blur, before streaks, ghosting and noise): above <see cref="PhantomLabelRules.VisibleBloodMaxHu"/>,
    /// bone dominates the pixel. A slice is then labelled only for blood a reader could see.
    /// </summary>
    [JsonStringEnumMemberName("visible")] Visible,
}

/// <summary>Parsing and the constants of <see cref="PhantomLabelRule"/>.</summary>
public static class PhantomLabelRules
{
    /// <summary>
    /// Brightest noise-free value a pixel may have and still count as visible blood (HU). The generator's clots are
    /// 44–88 HU with ±5 HU texture (at most 93); 120 leaves room for blood averaged with a little calcification and
    /// refuses pixels that bone brightens by more than a third of the brain window's width above the brightest clot.
    /// </summary>
    public const float VisibleBloodMaxHu = 120;

    public static PhantomLabelRule Parse(string text) => text.ToLowerInvariant() switch
    {
        "geometric" => PhantomLabelRule.Geometric,
        "visible" => PhantomLabelRule.Visible,
        _ => throw new ConfigException($"--labels must be geometric or visible, not '{text}'"),
    };

    public static string Name(PhantomLabelRule rule) => rule == PhantomLabelRule.Visible ? "visible" : "geometric";
}
