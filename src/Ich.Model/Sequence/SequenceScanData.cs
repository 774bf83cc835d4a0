namespace Ich.Model.Sequence;

/// <summary>
/// One scan's stage-1 outputs as plain arrays, the sequence network's unit of input (no tensors).
/// </summary>
/// <param name="Features">Per backbone, [L, dim] row-major pooled CNN features (dims may differ; zero-padded when batched).</param>
/// <param name="Probabilities">Per CNN probability set, [L, 6] row-major.</param>
/// <param name="PositionsMm">[L] slice position along the normal in mm, lowest first, all finite.</param>
/// <param name="ThicknessMm">SliceThickness when known (only used by networks with a thickness input).</param>
/// <param name="Labels">[L, 6] 0/1 labels, or null for unlabelled scans.</param>
public sealed record SequenceScanData(
    IReadOnlyList<float[]> Features,
    IReadOnlyList<float[]> Probabilities,
    double[] PositionsMm,
    double? ThicknessMm = null,
    float[]? Labels = null)
{
    /// <summary>Number of slices.</summary>
    public int Length => PositionsMm.Length;

    /// <summary>Feature length of backbone <paramref name="b"/>.</summary>
    public int FeatureDim(int b) => Features[b].Length / Math.Max(1, Length);

    /// <summary>All slices in order.</summary>
    public SequenceView All() => new(this, Enumerable.Range(0, Length).ToArray());

    /// <summary>All slices, highest first (the reversed-order pass).</summary>
    public SequenceView Reversed() => new(this, Enumerable.Range(0, Length).Reverse().ToArray());
}

/// <summary>A selection of a scan's slices in the order the network sees them (a window, every other slice, reversed...).</summary>
/// <param name="Scan">The scan.</param>
/// <param name="Indices">Slice indices into <see cref="SequenceScanData"/>, in network order.</param>
public readonly record struct SequenceView(SequenceScanData Scan, int[] Indices)
{
    /// <summary>
    /// Δz per position in mm: |z[next] − z[this]| in view order (so reversal keeps it positive and every-other
    /// selection doubles it), the last copying the previous; 0 for a single slice.
    /// </summary>
    public float[] DeltaZ()
    {
        var n = Indices.Length;
        var dz = new float[n];
        for (var i = 0; i + 1 < n; i++)
            dz[i] = (float)Math.Abs(Scan.PositionsMm[Indices[i + 1]] - Scan.PositionsMm[Indices[i]]);
        if (n >= 2) dz[n - 1] = dz[n - 2];
        return dz;
    }
}
