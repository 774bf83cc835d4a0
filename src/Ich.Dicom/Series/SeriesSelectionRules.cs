using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Ich.Core.Errors;

namespace Ich.Dicom.Series;

/// <summary>
/// The documented, overridable rule that picks one series per study (docs/series-selection.md).
/// Defaults are built in; <see cref="Load"/> reads the same fields from JSON (configs/series-selection.json),
/// any field left out keeps its default. Patterns are .NET regular expressions, matched case-insensitively.
/// </summary>
public sealed record SeriesSelectionRules
{
    /// <summary>Largest angle in degrees between slice normal and head–feet axis for a series to count as axial (gantry tilt included).</summary>
    public double MaxObliquityDeg { get; init; } = 35;

    /// <summary>Fewest slices an eligible series may have.</summary>
    public int MinSlices { get; init; } = 2;

    /// <summary>Among series covering the head equally well, the one whose thickness is closest to this wins (the RSNA 2019 training data is ~5 mm).</summary>
    public double PreferredThicknessMm { get; init; } = 5.0;

    /// <summary>Coverages within this many mm of the best count as equal.</summary>
    public double CoverageToleranceMm { get; init; } = 10.0;

    /// <summary>ConvolutionKernel values that mark bone/sharp/lung reconstructions (not soft tissue).</summary>
    public IReadOnlyList<string> SharpKernelPatterns { get; init; } =
    [
        "BONE", "SHARP", "LUNG", "EDGE", "DETAIL",   // GE and generic names
        @"^[HBJ]r?[6-9]\d",                          // Siemens H60s, B70f, Hr64, J70h ...
        @"^FC(3\d|5\d)",                             // Canon/Toshiba bone (FC30s) and lung (FC50s) kernels
    ];

    /// <summary>SeriesDescription patterns that mark bone-window or lung reconstructions.</summary>
    public IReadOnlyList<string> SharpDescriptionPatterns { get; init; } = ["BONE", "LUNG", "SHARP"];

    /// <summary>SeriesDescription patterns that mark scout/localizer series (in addition to ImageType LOCALIZER).</summary>
    public IReadOnlyList<string> LocalizerDescriptionPatterns { get; init; } = ["SCOUT", "LOCALI[SZ]ER", "TOPOGRAM", "SURVIEW"];

    /// <summary>Series chosen whenever present in their study, whatever the rule says (manual override).</summary>
    public IReadOnlyList<string> OverrideSeriesInstanceUids { get; init; } = [];

    public static SeriesSelectionRules Default { get; } = new();

    /// <summary>Reads rules from a JSON file; throws <see cref="ConfigException"/> naming the file and the problem.</summary>
    public static SeriesSelectionRules Load(string path)
    {
        SeriesSelectionRules? rules;
        try
        {
            using var stream = File.OpenRead(path);
            rules = JsonSerializer.Deserialize<SeriesSelectionRules>(stream, JsonOptions);
        }
        catch (JsonException e) { throw new ConfigException($"invalid series-selection rules: {e.Message}", path); }
        catch (IOException e) { throw new ConfigException($"cannot read series-selection rules: {e.Message}", path); }
        catch (UnauthorizedAccessException e) { throw new ConfigException($"cannot read series-selection rules: {e.Message}", path); }
        if (rules is null) throw new ConfigException("series-selection rules file is empty (null)", path);
        rules.Validate(path);
        return rules;
    }

    /// <summary>Checks ranges and compiles every pattern; throws <see cref="ConfigException"/> for the first bad value.</summary>
    public void Validate(string? path = null)
    {
        if (MaxObliquityDeg is < 0 or > 90) throw new ConfigException($"maxObliquityDeg must be within 0..90, got {MaxObliquityDeg}", path);
        if (MinSlices < 1) throw new ConfigException($"minSlices must be at least 1, got {MinSlices}", path);
        if (PreferredThicknessMm <= 0) throw new ConfigException($"preferredThicknessMm must be positive, got {PreferredThicknessMm}", path);
        if (CoverageToleranceMm < 0) throw new ConfigException($"coverageToleranceMm must not be negative, got {CoverageToleranceMm}", path);
        foreach (var p in SharpKernelPatterns.Concat(SharpDescriptionPatterns).Concat(LocalizerDescriptionPatterns))
        {
            try { _ = new Regex(p); }
            catch (ArgumentException e) { throw new ConfigException($"bad pattern '{p}': {e.Message}", path); }
        }
    }

    internal static bool AnyMatch(IEnumerable<string> patterns, string? text, out string? matched)
    {
        matched = null;
        if (string.IsNullOrEmpty(text)) return false;
        foreach (var p in patterns)
            if (Regex.IsMatch(text, p, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant))
            {
                matched = p;
                return true;
            }
        return false;
    }

    internal static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        WriteIndented = true,
    };
}
