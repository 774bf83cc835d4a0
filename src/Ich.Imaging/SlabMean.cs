namespace Ich.Imaging;

/// <summary>
/// The pixel mean of a slab's resampled HU grids (<see cref="Ich.Core.Scans.SlabPlan"/>): what a thick slice through the
/// same tissue shows, with the noise of the thin slices averaged down. Training and inference both resample each slice
/// first (<see cref="NetworkInput.ResampledHu"/>) and average here, in member order, so they agree bit for bit.
/// </summary>
public static class SlabMean
{
    /// <summary>Mean of equally sized grids; a single grid is returned as it is (not copied).</summary>
    public static float[] Of(IReadOnlyList<float[]> grids)
    {
        ArgumentNullException.ThrowIfNull(grids);
        if (grids.Count == 0) throw new ArgumentException("a slab needs at least one slice", nameof(grids));
        if (grids.Count == 1) return grids[0];
        var length = grids[0].Length;
        if (grids.Any(g => g.Length != length)) throw new ArgumentException("the slab's grids differ in size", nameof(grids));
        var sum = new float[length];
        foreach (var grid in grids)
            for (var p = 0; p < length; p++) sum[p] += grid[p];
        var scale = 1f / grids.Count;
        for (var p = 0; p < length; p++) sum[p] *= scale;
        return sum;
    }
}
