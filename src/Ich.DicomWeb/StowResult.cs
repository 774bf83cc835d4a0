namespace Ich.DicomWeb;

/// <summary>An instance the server stored (an item of ReferencedSOPSequence).</summary>
/// <param name="WarningReason">(0008,1196) when the server stored it with a warning (e.g. coercion), else null.</param>
public sealed record StowStoredInstance(string SopClassUid, string SopInstanceUid, string? RetrieveUrl, int? WarningReason);

/// <summary>An instance the server did not store (an item of FailedSOPSequence) with its FailureReason (0008,1197).</summary>
public sealed record StowFailedInstance(string SopClassUid, string SopInstanceUid, int? FailureReason);

/// <summary>
/// The outcome of one STOW-RS request (PS3.18 §10.5.3): HTTP 200 all stored, 202 some failed or had warnings,
/// 409 none stored (every instance in <see cref="Failed"/>).
/// </summary>
public sealed record StowResult(int StatusCode, IReadOnlyList<StowStoredInstance> Stored, IReadOnlyList<StowFailedInstance> Failed)
{
    /// <summary>True when every instance was stored.</summary>
    public bool AllStored => Failed.Count == 0;
}
