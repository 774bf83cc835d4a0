using Ich.Core.Errors;

namespace Ich.Application.Prediction;

/// <summary>Refuses an output folder that is a file, or inside (or equal to) an input folder: inputs are never written to.</summary>
public static class OutputFolderGuard
{
    /// <exception cref="ConfigException">The folder cannot be used.</exception>
    public static void Check(IReadOnlyList<string> inputs, string outDir)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (File.Exists(outDir)) throw new ConfigException("the output folder is an existing file; choose a folder", outDir);
        var outFull = Path.TrimEndingDirectorySeparator(Path.GetFullPath(outDir)) + Path.DirectorySeparatorChar;
        foreach (var p in inputs.Where(Directory.Exists))
        {
            var inFull = Path.TrimEndingDirectorySeparator(Path.GetFullPath(p)) + Path.DirectorySeparatorChar;
            if (outFull.StartsWith(inFull, StringComparison.Ordinal))
                throw new ConfigException($"the output folder {outDir} is inside the input folder {p}; choose an output folder outside the inputs");
        }
    }
}
