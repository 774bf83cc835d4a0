using Ich.Core;
using static TorchSharp.torch;

namespace Ich.Model.Sequence;

/// <summary>Packs <see cref="SequenceView"/>s into one padded, masked <see cref="SequenceTensors"/> batch.</summary>
public static class SequenceBatch
{
    /// <summary>
    /// Builds the batch (padded to the longest view; features zero-padded to <see cref="SequenceNetOptions.FeatureDim"/>).
    /// Targets [B, L, 6] are returned when every scan has labels, else null.
    /// </summary>
    public static (SequenceTensors Input, Tensor? Targets) Build(IReadOnlyList<SequenceView> views, SequenceNetOptions o, Device? device = null)
    {
        if (views.Count == 0) throw new ArgumentException("empty batch", nameof(views));
        var b = views.Count;
        var l = views.Max(v => v.Indices.Length);
        int f = o.FeatureSets, m = o.ProbabilitySets, d = o.FeatureDim;
        var features = new float[(long)b * f * l * d];
        var probs = new float[b * m * l * HemorrhageClasses.Count];
        var dz = new float[b * l];
        var thickness = o.UseThickness ? new float[b * l] : null;
        var mask = new float[b * l];
        var withTargets = views.All(v => v.Scan.Labels is not null);
        var targets = withTargets ? new float[b * l * HemorrhageClasses.Count] : null;
        var lengths = new long[b];

        for (var s = 0; s < b; s++)
        {
            var (scan, idx) = (views[s].Scan, views[s].Indices);
            if (idx.Length == 0) throw new ArgumentException($"view {s} has no slices", nameof(views));
            if (scan.Features.Count != f || scan.Probabilities.Count != m)
                throw new ArgumentException($"scan has {scan.Features.Count} feature sets / {scan.Probabilities.Count} probability sets, the network {f} / {m}");
            if (o.UseThickness && scan.ThicknessMm is null)
                throw new ArgumentException("this network needs the slice thickness, the scan has none");
            lengths[s] = idx.Length;
            var viewDz = views[s].DeltaZ();
            for (var k = 0; k < idx.Length; k++)
            {
                var i = idx[k];
                mask[s * l + k] = 1;
                dz[s * l + k] = viewDz[k];
                if (thickness is not null) thickness[s * l + k] = (float)scan.ThicknessMm!.Value;
                for (var bb = 0; bb < f; bb++)
                {
                    var dim = scan.FeatureDim(bb);
                    if (dim > d) throw new ArgumentException($"backbone {bb} has {dim} features, the network takes at most {d}");
                    Array.Copy(scan.Features[bb], (long)i * dim, features, (((long)s * f + bb) * l + k) * d, dim);
                }
                for (var mm = 0; mm < m; mm++)
                    Array.Copy(scan.Probabilities[mm], i * HemorrhageClasses.Count, probs, ((s * m + mm) * l + k) * HemorrhageClasses.Count, HemorrhageClasses.Count);
                if (targets is not null) Array.Copy(scan.Labels!, i * HemorrhageClasses.Count, targets, (s * l + k) * HemorrhageClasses.Count, HemorrhageClasses.Count);
            }
        }
        var input = new SequenceTensors(
            tensor(features, new long[] { b, f, l, d }, device: device),
            tensor(probs, new long[] { b, m, l, HemorrhageClasses.Count }, device: device),
            tensor(dz, new long[] { b, l }, device: device),
            thickness is null ? null : tensor(thickness, new long[] { b, l }, device: device),
            tensor(mask, new long[] { b, l }, device: device),
            lengths);
        return (input, targets is null ? null : tensor(targets, new long[] { b, l, HemorrhageClasses.Count }, device: device));
    }
}
