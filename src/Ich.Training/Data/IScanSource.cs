using Ich.Core.Errors;
using Ich.Core.Scans;

namespace Ich.Training.Data;

/// <summary>Turns a dataset spec (kind + path) into scans. Adapters register here until the data layer's catalogue is wired in.</summary>
public interface IScanSource
{
    /// <summary>Adapter kind as written in configs (e.g. <c>physionet</c>).</summary>
    string Kind { get; }

    /// <summary>All scans of the dataset at <paramref name="path"/>; bad input is an <see cref="IchException"/>.</summary>
    IReadOnlyList<ScanRecord> Load(string path);
}

/// <summary>The dataset kinds training and feature extraction can read; one place to list them.</summary>
public static class ScanSources
{
    private static readonly Dictionary<string, IScanSource> Sources = new(StringComparer.OrdinalIgnoreCase);

    public static void Register(IScanSource source) { lock (Sources) Sources[source.Kind] = source; }

    public static IReadOnlyCollection<string> Kinds { get { lock (Sources) return Sources.Keys.ToList(); } }

    /// <summary>Loads every spec in order; an unknown kind or an empty dataset is a <see cref="ConfigException"/>.</summary>
    public static IReadOnlyList<ScanRecord> LoadAll(IEnumerable<Cnn.DatasetSpec> specs)
    {
        var all = new List<ScanRecord>();
        foreach (var spec in specs)
        {
            IScanSource? source;
            lock (Sources) Sources.TryGetValue(spec.Kind, out source);
            if (source is null)
                throw new ConfigException($"unknown dataset kind '{spec.Kind}' (known: {(Kinds.Count == 0 ? "none registered" : string.Join(", ", Kinds))})", spec.Path);
            var scans = source.Load(spec.Path);
            if (scans.Count == 0) throw new ConfigException($"dataset '{spec.Kind}' has no scans", spec.Path);
            all.AddRange(scans);
        }
        return all;
    }
}
