using System.Collections.Concurrent;

namespace Ich.Data.Catalog;

/// <summary>What a report entry means for the data.</summary>
public enum LoadIssueKind
{
    /// <summary>A file, slice, label or scan was left out; the reason says why.</summary>
    Skipped,

    /// <summary>Data was kept but changed or interpreted (NaN → air, first volume of 4D, fitted window...).</summary>
    Adjusted,

    /// <summary>Worth knowing, no effect on the data.</summary>
    Note,
}

/// <summary>One entry of a <see cref="LoadReport"/>.</summary>
/// <param name="Kind">Skipped, adjusted or note.</param>
/// <param name="Path">The file or folder concerned.</param>
/// <param name="Line">1-based line in <paramref name="Path"/> when it is a table row.</param>
/// <param name="Item">The scan/slice/image concerned (e.g. "049/1", "ID_6431af929"), when there is one.</param>
/// <param name="Reason">Plain-language reason.</param>
public sealed record LoadIssue(LoadIssueKind Kind, string? Path, int? Line, string? Item, string Reason)
{
    public override string ToString() =>
        $"{Kind.ToString().ToLowerInvariant()}: {Path}{(Line is null ? "" : $":{Line}")}{(Item is null ? "" : $" [{Item}]")}: {Reason}";
}

/// <summary>
/// Everything an adapter skipped, adjusted or wants to say while loading, so that a training run
/// can print and keep it. Thread-safe: pixel loaders running on several threads may add to it.
/// </summary>
public sealed class LoadReport
{
    private readonly ConcurrentQueue<LoadIssue> _issues = new();

    public IReadOnlyList<LoadIssue> Issues => _issues.ToArray();

    public IEnumerable<LoadIssue> Skipped => _issues.Where(i => i.Kind == LoadIssueKind.Skipped);

    public void Add(LoadIssue issue) => _issues.Enqueue(issue);

    public void Skip(string? path, string? item, string reason, int? line = null) =>
        Add(new LoadIssue(LoadIssueKind.Skipped, path, line, item, reason));

    public void Adjust(string? path, string? item, string reason, int? line = null) =>
        Add(new LoadIssue(LoadIssueKind.Adjusted, path, line, item, reason));

    public void Note(string? path, string? item, string reason, int? line = null) =>
        Add(new LoadIssue(LoadIssueKind.Note, path, line, item, reason));

    /// <summary>Counts per kind, e.g. "20 skipped, 2 adjusted, 1 note".</summary>
    public string Summary()
    {
        var issues = Issues;
        int Count(LoadIssueKind k) => issues.Count(i => i.Kind == k);
        return $"{Count(LoadIssueKind.Skipped)} skipped, {Count(LoadIssueKind.Adjusted)} adjusted, {Count(LoadIssueKind.Note)} note(s)";
    }

    /// <summary>One line per issue.</summary>
    public override string ToString() => string.Join(Environment.NewLine, _issues.Select(i => i.ToString()));
}
