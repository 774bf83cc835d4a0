using Ich.Inference.Input;
using Ich.Inference.Pipeline;

namespace Ich.Application.Prediction;

/// <summary>The scans of some paths, with the private temporary folder their lazy slices may read from (deleted on dispose).</summary>
internal sealed class ResolvedInputs : IDisposable
{
    private readonly string temp;

    private ResolvedInputs(string temp, IReadOnlyList<ScanInput> scans)
    {
        this.temp = temp;
        Scans = scans;
    }

    public IReadOnlyList<ScanInput> Scans { get; }

    public static ResolvedInputs Resolve(IReadOnlyList<string> paths, Action<string> warn)
    {
        var temp = Path.Combine(Path.GetTempPath(), $"ich-predict-{Guid.NewGuid():N}");
        if (paths.Count == 0) return new ResolvedInputs(temp, []);
        try { return new ResolvedInputs(temp, new InputResolver(temp, warn).Resolve(paths)); }
        catch
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
            throw;
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
    }
}
