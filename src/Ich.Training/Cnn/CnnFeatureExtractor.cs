using Ich.Model.Runtime;
using Ich.Core;
using Ich.Model.Cnn;
using Ich.Training.Features;
using TorchSharp;
using static TorchSharp.torch;

namespace Ich.Training.Cnn;

/// <summary>
/// Probabilities and pooled features per slice, averaged over TTA passes and over models (folds), written
/// scan by scan into a <see cref="FeatureStoreWriter"/>. One pass = centre crop (<c>valCenterCrop</c>);
/// more passes = the code's TTA (horizontal flip p = 0.5, random crop), seeded by (seed, scan, pass).
/// </summary>
public static class CnnFeatureExtractor
{
    public static void Write(SliceTable table, IReadOnlyList<int> scans, IReadOnlyList<SliceCnn> models, CnnTrainConfig config,
        int fold, FeatureStoreWriter writer, Device device, Action<long, long>? progress, CancellationToken cancel, bool releaseImages = false)
    {
        var dim = models[0].FeatureDim;
        foreach (var m in models) m.eval();
        long done = 0, total = scans.Sum(s => (long)table.Scans[s].Slices.Count);
        foreach (var s in scans)
        {
            cancel.ThrowIfCancellationRequested();
            var scan = table.Scans[s];
            var n = scan.Slices.Count;
            var feats = new float[n * dim];
            var probs = new float[n * HemorrhageClasses.Count];
            var batch = Math.Max(1, config.BatchSize * 2);
            for (var start = 0; start < n; start += batch)
            {
                var idx = Enumerable.Range(table.ScanStarts[s] + start, Math.Min(batch, n - start)).ToArray();
                using var scope = NewDisposeScope();
                using var _ = no_grad();
                var x = Augmenter.Stack(table, idx, device);
                var sumP = zeros(idx.Length, HemorrhageClasses.Count, device: device);
                var sumF = zeros(idx.Length, dim, device: device);
                for (var pass = 0; pass < config.Tta; pass++)
                {
                    var input = config.Tta == 1
                        ? Augmenter.CenterCrop(x, config.ValCenterCrop)
                        : Augmenter.Tta(x, config.Augment, new Random(Seeds.Derive(config.Seed, s, start, pass, 0x77A)));
                    foreach (var model in models)
                    {
                        var (logits, f) = model.ForwardWithFeatures(input);
                        sumP.add_(logits.sigmoid(), NativeScalars.One);
                        sumF.add_(f, NativeScalars.One);
                    }
                }
                var k = (float)(config.Tta * models.Count);
                var p = (sumP / k).cpu().data<float>().ToArray();
                var fv = (sumF / k).cpu().data<float>().ToArray();
                Array.Copy(p, 0, probs, start * HemorrhageClasses.Count, p.Length);
                Array.Copy(fv, 0, feats, start * dim, fv.Length);
                done += idx.Length;
                progress?.Invoke(done, total);
            }
            var slices = scan.Slices.Select((sl, i) => new FeatureSlice(sl.SliceId, sl.Index, sl.ZMm, sl.Labels)).ToList();
            writer.AppendScan(scan.Dataset, scan.PatientId, scan.ScanId, slices, fold, feats, probs);
            if (releaseImages) table.Release(s);
        }
    }
}
