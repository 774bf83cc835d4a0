namespace Ich.Model.Sequence;

/// <summary>
/// The trained sequence systems (<c>sequence.json</c> written by <c>ich train seq</c>, and the
/// <c>sequence</c> section of a model folder's <c>model.json</c>). Paths are relative to the file's folder.
/// </summary>
/// <param name="Systems">Systems averaged by the ensemble.</param>
/// <param name="Precision"><c>float16</c> or <c>float32</c> checkpoint storage.</param>
/// <param name="UnknownSpacingMm">Spacing assumed for scans without slice positions, or null (such scans fail).</param>
public sealed record SequenceManifest(List<SequenceSystemEntry> Systems, string Precision, double? UnknownSpacingMm);

/// <summary>One sequence system: backbones stacked in the network (with their feature sizes), network sizes, one checkpoint per fold.</summary>
public sealed record SequenceSystemEntry(string Name, List<string> Backbones, List<int> BackboneDims, SequenceNetOptions Network, List<string> Checkpoints);
