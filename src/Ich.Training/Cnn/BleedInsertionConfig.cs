namespace Ich.Training.Cnn;

/// <summary>
/// Training-time augmentation (issue 12, item 3): a negative training slice is, with <see cref="Probability"/>,
/// replaced by itself with one synthetic bleed inserted (<c>Ich.Synth.Insertion.BleedInserter</c>) and relabelled
/// (any + that subtype). Off by default (probability 0), so existing configs train exactly as before.
/// </summary>
public sealed record BleedInsertionConfig
{
    /// <summary>Share of negative slices drawn in a batch that get a bleed (0 = off).</summary>
    public double Probability { get; init; }
    /// <summary>Relative frequency of epidural, intraparenchymal, intraventricular, subarachnoid, subdural.</summary>
    public double[] SubtypeWeights { get; init; } = [1, 1, 1, 1, 1];
    /// <summary>Pixel spacing assumed for slices that carry none (the PhysioNet JPG export: 0.35 mm).</summary>
    public double AssumedSpacingMm { get; init; } = 0.35;
    /// <summary>
    /// Share of the insertions that cut and paste a real masked bleed (PhysioNet <c>_HGE_Seg.png</c>) from a slice of
    /// the fold's own training scans instead of drawing a synthetic one (<see cref="BleedDonors"/>; 0 = off).
    /// </summary>
    public double PasteShare { get; init; }
    /// <summary>
    /// Datasets (<c>ScanRecord.Dataset</c>: <c>phantom</c>, <c>physionet</c>, …) whose negative slices may host an insertion;
    /// empty = every dataset. Lets a recipe keep synthetic bleeds out of real anatomy while still using real slices as they are.
    /// </summary>
    public IReadOnlyList<string> HostDatasets { get; init; } = [];

    /// <summary>Whether a negative slice of <paramref name="dataset"/> may host an insertion.</summary>
    public bool TakesHost(string dataset) => HostDatasets.Count == 0 || HostDatasets.Contains(dataset, StringComparer.Ordinal);
}
