using Ich.Core.Errors;

namespace Ich.Metrics.Reporting;

/// <summary>
/// The one font of every figure: DejaVu Sans shipped in fonts/ beside the binaries (assets/fonts in the
/// repository), registered with ScottPlot explicitly so text never depends on the machine's font setup.
/// </summary>
public static class PlotFont
{
    public const string Family = "DejaVu Sans";
    private static readonly Lazy<string> Registered = new(Register);

    /// <summary>Path of the shipped TTF.</summary>
    public static string FilePath => Path.Combine(AppContext.BaseDirectory, "fonts", "DejaVuSans.ttf");

    /// <summary>Registers the font once; throws <see cref="ConfigException"/> when the shipped file is missing.</summary>
    public static string Ensure() => Registered.Value;

    private static string Register()
    {
        var path = FilePath;
        if (!File.Exists(path))
            throw new ConfigException("plot font missing: the build should copy assets/fonts/DejaVuSans.ttf to fonts/ beside the binaries", path);
        ScottPlot.Fonts.AddFontFile(Family, path);
        return Family;
    }
}
