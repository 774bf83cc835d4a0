using Ich.Core;
using static TorchSharp.torch;

namespace Ich.Model.Sequence;

/// <summary>Per-slice probabilities of both sequence stages for one scan, [L, 6] row-major each.</summary>
public sealed record SequencePrediction(float[] Stage1, float[] Stage2);

/// <summary>
/// Whole-scan inference as the released code: every fold model on the full scan and on the reversed
/// scan (flipped back), probabilities averaged with equal weights. Scans are batched (the network is
/// masked, so batching does not change a scan's result). Arrays in, arrays out.
/// </summary>
public static class SequencePredictor
{
    /// <param name="folds">Trained networks (put in eval mode here).</param>
    /// <param name="scans">Scans to predict.</param>
    /// <param name="reversedPass">Also run the reversed-order pass (the released inference does).</param>
    /// <param name="batchScans">Scans per forward pass.</param>
    public static IReadOnlyList<SequencePrediction> Predict(IReadOnlyList<SliceSequenceNet> folds, IReadOnlyList<SequenceScanData> scans,
        bool reversedPass = true, int batchScans = 32, Device? device = null)
    {
        if (folds.Count == 0) throw new ArgumentException("no fold models", nameof(folds));
        var s1 = scans.Select(s => new double[s.Length * HemorrhageClasses.Count]).ToArray();
        var s2 = scans.Select(s => new double[s.Length * HemorrhageClasses.Count]).ToArray();
        var passes = folds.Count * (reversedPass ? 2 : 1);
        foreach (var net in folds)
        {
            net.eval();
            for (var start = 0; start < scans.Count; start += batchScans)
            {
                var chunk = Enumerable.Range(start, Math.Min(batchScans, scans.Count - start)).ToArray();
                // Forward and reversed views go through the network in one batch (masking makes that exact).
                var views = chunk.Select(i => scans[i].All()).ToList();
                var targets = chunk.ToList();
                if (reversedPass)
                {
                    views.AddRange(chunk.Select(i => scans[i].Reversed()));
                    targets.AddRange(chunk);
                }
                Accumulate(net, views, targets.ToArray(), s1, s2, device);
            }
        }
        return scans.Select((_, i) => new SequencePrediction(
            s1[i].Select(v => (float)(v / passes)).ToArray(),
            s2[i].Select(v => (float)(v / passes)).ToArray())).ToList();
    }

    private static void Accumulate(SliceSequenceNet net, List<SequenceView> views, int[] scanIndex, double[][] s1, double[][] s2, Device? device)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (input, _) = SequenceBatch.Build(views, net.Options, device);
        var (o1, o2) = net.Forward(input);
        var p1 = net.Probabilities(o1).cpu().data<float>().ToArray();
        var p2 = net.Probabilities(o2).cpu().data<float>().ToArray();
        var l = (int)input.Mask.shape[1];
        for (var b = 0; b < views.Count; b++)
        {
            var idx = views[b].Indices;
            var target = scanIndex[b];
            for (var k = 0; k < idx.Length; k++)
            for (var c = 0; c < HemorrhageClasses.Count; c++)
            {
                s1[target][idx[k] * HemorrhageClasses.Count + c] += p1[(b * l + k) * HemorrhageClasses.Count + c];
                s2[target][idx[k] * HemorrhageClasses.Count + c] += p2[(b * l + k) * HemorrhageClasses.Count + c];
            }
        }
    }
}
