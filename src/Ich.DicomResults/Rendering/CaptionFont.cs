using Ich.Core.Errors;
using SkiaSharp;

namespace Ich.DicomResults.Rendering;

/// <summary>
/// DejaVu Sans shipped in fonts/ beside the binaries (assets/fonts in the repository), loaded from its file:
/// SkiaSharp's font manager may find no system fonts and then silently draws no text, and burned-in text
/// ("NOT FOR DIAGNOSTIC USE") must never go missing.
/// </summary>
internal static class CaptionFont
{
    private static readonly Lazy<SKTypeface> Loaded = new(Load);

    public static string FilePath => Path.Combine(AppContext.BaseDirectory, "fonts", "DejaVuSans.ttf");

    /// <summary>The typeface; throws <see cref="ConfigException"/> when the shipped file is missing or unreadable.</summary>
    public static SKTypeface Typeface => Loaded.Value;

    private static SKTypeface Load()
    {
        var path = FilePath;
        if (!File.Exists(path))
            throw new ConfigException("caption font missing: the build should copy assets/fonts/DejaVuSans.ttf to fonts/ beside the binaries", path);
        return SKTypeface.FromFile(path) ?? throw new ConfigException("caption font could not be loaded", path);
    }
}
