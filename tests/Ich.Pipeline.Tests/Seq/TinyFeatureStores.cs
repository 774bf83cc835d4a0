using Ich.Training.Features;

namespace Ich.Pipeline.Tests.Seq;

/// <summary>
/// Writes small stage-1 feature stores through the CNN owner's <see cref="FeatureStoreWriter"/>: patients
/// with one or two scans, bleeds as contiguous slice runs, features and CNN probabilities that carry a
/// noisy signal of the labels (so training has something to learn).
/// </summary>
internal static class TinyFeatureStores
{
    public static void Write(string folder, string backbone, int dim, int patients, int seed, string kind = "oof", bool withZ = true)
    {
        var rng = new Random(seed); // same seed for every backbone → same scans and labels
        var noise = new Random(seed * 7 + dim);
        using var w = new FeatureStoreWriter(folder, backbone, dim, kind, tta: 1, imageSize: 32, folds: 2);
        for (var p = 0; p < patients; p++)
        {
            var scansOfPatient = p % 4 == 0 ? 2 : 1;
            for (var s = 0; s < scansOfPatient; s++)
            {
                var n = 6 + rng.Next(10);
                var bleed = rng.NextDouble() < 0.5;
                var start = rng.Next(n);
                var len = 1 + rng.Next(4);
                var subtype = 1 + rng.Next(5);
                var slices = new List<FeatureSlice>();
                var features = new float[n * dim];
                var probs = new float[n * 6];
                for (var i = 0; i < n; i++)
                {
                    var positive = bleed && i >= start && i < start + len;
                    var labels = new float[6];
                    if (positive) { labels[0] = 1; labels[subtype] = 1; }
                    slices.Add(new FeatureSlice($"p{p}s{s}i{i}", i, withZ ? 10 + 5.0 * i : double.NaN, kind == "oof" ? labels : null));
                    for (var d = 0; d < dim; d++)
                        features[i * dim + d] = (float)(noise.NextDouble() + (d < 6 ? labels[d] * 0.8 : 0));
                    for (var c = 0; c < 6; c++)
                        probs[i * 6 + c] = (float)Math.Clamp(0.15 + 0.6 * labels[c] + 0.25 * (noise.NextDouble() - 0.5), 0.01, 0.99);
                }
                w.AppendScan("tiny", $"P{p:D2}", $"P{p:D2}-S{s}", slices, fold: p % 2, features, probs);
            }
        }
        w.Complete();
    }
}
