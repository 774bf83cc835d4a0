namespace Ich.DicomWeb;

/// <summary>
/// Query parameters of a QIDO-RS search (PS3.18 §10.6.1.2): matching keys (keyword or 8-hex tag, e.g.
/// "PatientID" or "00100020") with their values ("*" wildcards and date ranges as the standard allows),
/// extra fields to include, paging and fuzzy matching.
/// </summary>
public sealed record QidoQuery
{
    /// <summary>Attribute → value; keys must be letters and digits only (a keyword or a tag).</summary>
    public IReadOnlyDictionary<string, string> Match { get; init; } = new Dictionary<string, string>();

    /// <summary>Extra attributes to return ("includefield"), keywords or tags.</summary>
    public IReadOnlyList<string> IncludeFields { get; init; } = [];

    /// <summary>At most this many results (1..10000); null = the server's default.</summary>
    public int? Limit { get; init; }

    /// <summary>Skip this many results; null = 0.</summary>
    public int? Offset { get; init; }

    public bool FuzzyMatching { get; init; }

    /// <summary>The query string without '?', escaped; throws <see cref="ArgumentException"/> for a malformed key.</summary>
    internal string ToQueryString()
    {
        var parts = new List<string>();
        foreach (var (key, value) in Match)
        {
            RequireKey(key);
            parts.Add(key + "=" + Uri.EscapeDataString(value));
        }
        foreach (var field in IncludeFields)
        {
            RequireKey(field);
            parts.Add("includefield=" + field);
        }
        if (Limit is { } limit)
        {
            if (limit is < 1 or > 10_000) throw new ArgumentException("Limit must be 1..10000", nameof(Limit));
            parts.Add($"limit={limit}");
        }
        if (Offset is { } offset)
        {
            if (offset < 0) throw new ArgumentException("Offset must be >= 0", nameof(Offset));
            parts.Add($"offset={offset}");
        }
        if (FuzzyMatching) parts.Add("fuzzymatching=true");
        return string.Join('&', parts);
    }

    private static void RequireKey(string key)
    {
        if (key.Length is 0 or > 64 || !key.All(char.IsAsciiLetterOrDigit))
            throw new ArgumentException($"query key '{key}' must be a DICOM keyword or tag (letters and digits)", nameof(key));
    }
}
