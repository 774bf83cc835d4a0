namespace Ich.DicomResults;

/// <summary>What kind of result object a file holds.</summary>
public enum ResultObjectKind
{
    StructuredReport,
    KeyObjectSelection,
    SecondaryCapture,
}

/// <summary>One written Part 10 file and the UIDs a receiver (STOW-RS, a PACS) knows it by.</summary>
/// <param name="SourceSliceIndex">For a capture, the slice it shows; else null.</param>
public sealed record ResultObjectFile(ResultObjectKind Kind, string Path, string SopClassUid, string SopInstanceUid,
    string SeriesInstanceUid, int? SourceSliceIndex = null);

/// <summary>The files written for one study, in the folder <see cref="Folder"/>.</summary>
public sealed record DicomResultSet(string StudyInstanceUid, string Folder, IReadOnlyList<ResultObjectFile> Files)
{
    /// <summary>The Structured Report (always written).</summary>
    public ResultObjectFile Report => Files.Single(f => f.Kind == ResultObjectKind.StructuredReport);

    /// <summary>The Key Object Selection, or null when no class was flagged present.</summary>
    public ResultObjectFile? KeyObjects => Files.SingleOrDefault(f => f.Kind == ResultObjectKind.KeyObjectSelection);

    /// <summary>The Secondary Captures in slice order.</summary>
    public IReadOnlyList<ResultObjectFile> Captures => Files.Where(f => f.Kind == ResultObjectKind.SecondaryCapture).ToArray();
}
