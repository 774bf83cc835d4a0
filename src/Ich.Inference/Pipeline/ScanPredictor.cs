using System.Diagnostics;
using System.Globalization;
using Ich.Core;
using Ich.Core.Errors;
using Ich.Core.Scans;
using Ich.Imaging;
using Ich.Model.Folder;
using Ich.Model.Cnn;
using Ich.Model.Explain;
using Ich.Model.Sequence;
using static TorchSharp.torch;

namespace Ich.Inference.Pipeline;

/// <summary>
/// One scan → per-slice probabilities (+ Grad-CAM, + the predicted mask when the model has decoders): HU → the backbone's frame
/// (the whole slice, or one head frame per scan: <see cref="HeadFrame"/>) → three windows → every fold's CNN per backbone
/// (batched) → every sequence system, once per CNN fold on that fold's own features and probabilities (each
/// time: sequence folds × forward/reversed pass), averaged → unweighted mean of the outputs model.json's ensemble names
/// (every system's SeqModel2 when it names none). Bad scans raise an
/// <see cref="IchException"/> naming the reason; nothing is written anywhere.
/// <para>
/// Why per CNN fold: the sequence networks were trained on out-of-fold features, each produced by one CNN fold
/// model. Fold models trained from different initialisations do not share a feature space, so the mean of
/// their feature vectors is an input no sequence network has seen; one fold's features are exactly the
/// kind of input it was trained on.
/// </para>
/// </summary>
public sealed class ScanPredictor(ModelBundle model, PredictorOptions options)
{
    /// <summary>Predicts one scan. Throws <see cref="ModelInputException"/> / <see cref="IchException"/> for input the model cannot take.</summary>
    public ScanPrediction Predict(ScanRecord scan, CancellationToken cancel = default)
    {
        var total = Stopwatch.StartNew();
        var notes = new List<string>();
        var n = scan.Slices.Count;
        if (ScanCompleteness.Problem(scan) is { } incomplete)
            throw new SeriesGeometryException($"scan {scan.ScanId}: {incomplete}", scan.MissingSlices[0].SourcePath);
        if (ScanCompleteness.Note(scan) is { } leftOut) notes.Add(leftOut);
        if (n == 0) throw new ModelInputException($"scan {scan.ScanId} has no slices", scan.Slices.FirstOrDefault()?.SourcePath);
        if (n == 1)
            throw new ModelInputException($"scan {scan.ScanId} has a single slice; the sequence stage needs a series of axial slices (≥ 2)",
                scan.Slices[0].SourcePath);

        var sw = Stopwatch.StartNew();
        var hu = new HuImage[n];
        for (var i = 0; i < n; i++)
        {
            cancel.ThrowIfCancellationRequested();
            hu[i] = scan.Slices[i].LoadHu();
        }
        CheckLooksLikeCt(scan, hu, notes);
        var loadMs = sw.Elapsed.TotalMilliseconds;
        var positions = Positions(scan, notes);

        sw.Restart();
        var inputs = new ScanNetworkInputs(scan, hu, Frames(scan, hu, notes));
        NoteSlabs(scan, inputs, notes);
        var cnnOut = RunCnns(inputs, n, cancel);
        var cnnMs = sw.Elapsed.TotalMilliseconds;

        sw.Restart();
        var stages = new List<StageOutput>();
        foreach (var b in model.Manifest.Backbones)
            stages.Add(new StageOutput(PredictionStage.Cnn, b.Name, ProbabilityEnsemble.Average(cnnOut[b.Name].Select(f => f.Probs).ToList())));
        var outputs = new Dictionary<EnsembleMember, float[]>();
        var systems = model.Manifest.Sequence!.Systems;
        for (var s = 0; s < systems.Count; s++)
        {
            var sys = systems[s];
            if (sys.Network.UseThickness && scan.SliceThicknessMm is null)
                throw new ModelInputException($"scan {scan.ScanId}: the model needs the slice thickness, the series has none");
            // One input per CNN fold k (fold k of every backbone of the system; backbones with fewer folds cycle).
            var foldCount = sys.Backbones.Max(name => cnnOut[name].Count);
            var perFold = Enumerable.Range(0, foldCount).Select(k => new SequenceScanData(
                sys.Backbones.Select(name => cnnOut[name][k % cnnOut[name].Count].Features).ToList(),
                sys.Backbones.Select(name => cnnOut[name][k % cnnOut[name].Count].Probs).ToList(),
                positions, scan.SliceThicknessMm)).ToList();
            var preds = SequencePredictor.Predict(model.Systems[s], perFold, device: model.Device);
            var stage1 = ProbabilityEnsemble.Average(preds.Select(p => p.Stage1).ToList());
            var stage2 = ProbabilityEnsemble.Average(preds.Select(p => p.Stage2).ToList());
            stages.Add(new StageOutput(PredictionStage.SeqModel1, sys.Name, stage1));
            stages.Add(new StageOutput(PredictionStage.SeqModel2, sys.Name, stage2));
            outputs[new EnsembleMember(sys.Name, SequenceOutput.SeqModel1)] = stage1;
            outputs[new EnsembleMember(sys.Name, SequenceOutput.SeqModel2)] = stage2;
        }
        // The model's answer: the unweighted mean of the outputs model.json names (validated to exist when it loaded).
        var probs = ProbabilityEnsemble.Average(model.Manifest.EnsembleMembers().Select(m => outputs[m]).ToList());
        var sequenceMs = sw.Elapsed.TotalMilliseconds;

        var thresholds = model.Manifest.OperatingPoint.InClassOrder;
        var scanMax = new float[HemorrhageClasses.Count];
        for (var c = 0; c < HemorrhageClasses.Count; c++) scanMax[c] = Enumerable.Range(0, n).Max(i => probs[i * HemorrhageClasses.Count + c]);
        var flags = scanMax.Select((m, c) => OperatingPoint.Flags(thresholds[c], m)).ToArray();

        sw.Restart();
        var requests = SaliencyRequests(probs, n, thresholds);
        var saliency = requests.Count == 0 ? [] : ComputeSaliency(hu, inputs, requests, probs, cancel);
        var saliencySlices = requests.Select(r => r.Slice).Distinct().ToDictionary(i => i, i => hu[i]);
        var gradCamMs = sw.Elapsed.TotalMilliseconds;
        // The predicted mask is a second explanation of exactly the slices Grad-CAM explains (flagged classes only).
        var masks = ComputeMasks(hu, inputs, saliencySlices.Keys.Order().ToList(), cancel);
        var timings = new ScanTimings(loadMs, cnnMs, sequenceMs, gradCamMs, total.Elapsed.TotalMilliseconds);
        return new ScanPrediction(scan, probs, positions, stages, scanMax, flags, saliency, saliencySlices, timings, notes, masks);
    }

    /// <summary>
    /// Grad-CAM maps for chosen (slice, class) pairs of a scan, whatever the predictions (for evaluating
    /// saliency against lesion masks). <paramref name="probabilities"/> ([L, 6], e.g. from <see cref="Predict"/>)
    /// only fills <see cref="SaliencyMap.Probability"/>; NaN when null.
    /// </summary>
    public IReadOnlyList<SaliencyMap> Explain(ScanRecord scan, IReadOnlyList<GradCamRequest> requests, float[]? probabilities = null,
        CancellationToken cancel = default)
    {
        if (requests.Count == 0) return [];
        var hu = LoadForExplaining(scan, requests.Select(r => r.Slice), cancel);
        var inputs = new ScanNetworkInputs(scan, hu, Frames(scan, hu, []));
        var probs = probabilities ?? Enumerable.Repeat(float.NaN, scan.Slices.Count * HemorrhageClasses.Count).ToArray();
        return ComputeSaliency(hu, inputs, requests.ToList(), probs, cancel);
    }

    /// <summary>
    /// The predicted hemorrhage masks of chosen slices of a scan, whatever the predictions (for evaluating them against
    /// lesion masks); empty when the model has no decoders.
    /// </summary>
    public IReadOnlyDictionary<int, PredictedMask> PredictMasks(ScanRecord scan, IReadOnlyCollection<int> slices, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(scan);
        ArgumentNullException.ThrowIfNull(slices);
        if (!model.HasDecoders || slices.Count == 0) return new Dictionary<int, PredictedMask>();
        var hu = LoadForExplaining(scan, slices, cancel);
        return ComputeMasks(hu, new ScanNetworkInputs(scan, hu, Frames(scan, hu, [])), slices.Distinct().Order().ToList(), cancel);
    }

    /// <summary>
    /// The slices a map is asked for; all of them when a backbone frames the head, whose frame is one per scan (from
    /// every slice), or reads slabs, which take neighbours, so a slice explained alone gets exactly the input it had in
    /// <see cref="Predict"/>.
    /// </summary>
    private HuImage[] LoadForExplaining(ScanRecord scan, IEnumerable<int> slices, CancellationToken cancel)
    {
        var hu = new HuImage[scan.Slices.Count];
        var all = model.Manifest.Backbones.Any(b => b.Framing == InputFraming.Head || b.SlabMm is not null);
        foreach (var i in all ? Enumerable.Range(0, hu.Length) : slices.Distinct())
        {
            cancel.ThrowIfCancellationRequested();
            hu[i] = scan.Slices[i].LoadHu();
        }
        return hu;
    }

    /// <summary>Says when a thin series is read as slabs (the report shows it beside the slices, which stay the scanner's own).</summary>
    private void NoteSlabs(ScanRecord scan, ScanNetworkInputs inputs, List<string> notes)
    {
        foreach (var b in model.Manifest.Backbones.Where(b => inputs.Slabs(b) is not null).DistinctBy(b => b.SlabMm))
        {
            var widest = inputs.Slabs(b)!.Max(m => m.Length);
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"thin slices read as {b.SlabMm:0.##} mm slabs (up to {widest} slices averaged per slice), as the model was trained") +
                      (scan.SliceThicknessMm is { } t ? string.Create(CultureInfo.InvariantCulture, $"; slice thickness {t:0.###} mm") : ""));
        }
    }

    /// <summary>
    /// The frame of the scan for each framing the model's backbones use, found once. A head frame that fell back to the
    /// full field (no tissue on any slice) is said in the notes. Explain and PredictMasks pass a list they drop: they
    /// find the same frame as the Predict whose result they explain, and that result already carries the note.
    /// </summary>
    private Dictionary<InputFraming, HeadFrame> Frames(ScanRecord scan, HuImage[] hu, List<string> notes)
    {
        var frames = new Dictionary<InputFraming, HeadFrame>();
        foreach (var framing in model.Manifest.Backbones.Select(b => b.Framing).Distinct())
        {
            var frame = HeadFrame.For(framing, hu);
            if (frame.Kind == HeadFrameKind.NoTissue)
                notes.Add($"scan {scan.ScanId}: no tissue above {HeadFrameSearch.TissueHu:0} HU on any slice, so the head frame is the full field");
            frames[framing] = frame;
        }
        return frames;
    }

    /// <summary>
    /// Per backbone with decoders: each fold's decoder on that fold's own feature map, sigmoid, resized to the network input,
    /// averaged over folds; mapped onto the slice grid like Grad-CAM; averaged over those backbones.
    /// </summary>
    private Dictionary<int, PredictedMask> ComputeMasks(HuImage[] hu, ScanNetworkInputs inputs, IReadOnlyList<int> slices, CancellationToken cancel)
    {
        var result = new Dictionary<int, PredictedMask>();
        var backbones = model.Manifest.Backbones.Where(b => model.Decoders[b.Name].Count > 0).ToList();
        if (backbones.Count == 0 || slices.Count == 0) return result;
        var sums = slices.ToDictionary(i => i, i => new float[hu[i].Width * hu[i].Height]);
        foreach (var b in backbones)
        {
            var size = b.ImageSize;
            for (var start = 0; start < slices.Count; start += options.BatchSize)
            {
                cancel.ThrowIfCancellationRequested();
                var chunk = slices.Skip(start).Take(options.BatchSize).ToArray();
                var maps = DecoderMaps(inputs, chunk, b);
                for (var j = 0; j < chunk.Length; j++)
                {
                    var h = hu[chunk[j]];
                    var resized = CropMapping.ToSliceGrid(maps[(j * size * size)..((j + 1) * size * size)], size, b.CenterCrop, h.Width, h.Height, inputs.Frame(b));
                    var sum = sums[chunk[j]];
                    for (var p = 0; p < resized.Length; p++) sum[p] += resized[p] / backbones.Count;
                }
            }
        }
        foreach (var (i, values) in sums)
        {
            for (var p = 0; p < values.Length; p++) values[p] = Math.Clamp(values[p], 0f, 1f);
            result[i] = new PredictedMask(i, hu[i].Width, hu[i].Height, values);
        }
        return result;
    }

    /// <summary>Fold-averaged blood probability of some slices on one backbone's network-input grid, [N, S, S] row-major.</summary>
    private float[] DecoderMaps(ScanNetworkInputs inputs, int[] slices, BackboneEntry b)
    {
        var cnns = model.Cnns[b.Name];
        var decoders = model.Decoders[b.Name];
        var images = slices.Select(i => inputs.Image(b, i)).ToList();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var x = CnnInputs.ForEvaluation(images, b.ImageSize, b.CenterCrop, model.Device);
        Tensor? sum = null;
        for (var k = 0; k < decoders.Count; k++)
        {
            // The decoder's grid covers the whole network input (training pools the target mask onto it), so bilinear
            // resizing to the input side puts each probability back where it came from.
            var probability = nn.functional.interpolate(decoders[k].call(cnns[k].FeatureMap(x)).sigmoid(), size: [b.ImageSize, b.ImageSize],
                mode: InterpolationMode.Bilinear, align_corners: false);
            sum = sum is null ? probability : sum + probability;
        }
        return (sum! / decoders.Count).cpu().contiguous().data<float>().ToArray();
    }

    /// <summary>One CNN fold model's output for a scan: probabilities [L, 6] and pooled features [L, FeatureDim], row-major.</summary>
    private sealed record FoldOutput(float[] Probs, float[] Features);

    /// <summary>
    /// Every backbone's folds over the scan, one batch of slices at a time. Backbones that take the same input (side and
    /// framing) share the batch's network input: resampling and windowing a slice costs about as much as the small
    /// backbone's forward pass (measured: 1.3 against 3.8 ms per slice at 160 px on 2 cores).
    /// </summary>
    private Dictionary<string, List<FoldOutput>> RunCnns(ScanNetworkInputs inputs, int n, CancellationToken cancel)
    {
        var backbones = model.Manifest.Backbones;
        var outputs = backbones.ToDictionary(b => b.Name, b => model.Cnns[b.Name]
            .Select(_ => new FoldOutput(new float[n * HemorrhageClasses.Count], new float[(long)n * b.FeatureDim])).ToList());
        for (var start = 0; start < n; start += options.BatchSize)
        {
            var count = Math.Min(options.BatchSize, n - start);
            var batchInputs = new Dictionary<(int Size, InputFraming Framing, double? SlabMm), List<float[]>>();
            foreach (var b in backbones)
            {
                cancel.ThrowIfCancellationRequested();
                if (!batchInputs.TryGetValue(ScanNetworkInputs.InputKey(b), out var images))
                {
                    images = Enumerable.Range(start, count).Select(i => inputs.Image(b, i)).ToList();
                    batchInputs[ScanNetworkInputs.InputKey(b)] = images;
                }
                using var scope = NewDisposeScope();
                using var noGrad = no_grad();
                // The exact evaluation input of training and feature extraction (quantised, centre-cropped).
                var x = CnnInputs.ForEvaluation(images, b.ImageSize, b.CenterCrop, model.Device);
                var folds = model.Cnns[b.Name];
                for (var k = 0; k < folds.Count; k++)
                {
                    var (logits, feat) = folds[k].ForwardWithFeatures(x);
                    logits.sigmoid().cpu().data<float>().CopyTo(outputs[b.Name][k].Probs, start * HemorrhageClasses.Count);
                    feat.cpu().contiguous().data<float>().CopyTo(outputs[b.Name][k].Features, start * b.FeatureDim);
                }
            }
        }
        return outputs;
    }

    /// <summary>The prepared network input of some slices as plain floats, [N, 3, S, S].</summary>
    private static float[] EvaluationInput(ScanNetworkInputs inputs, IEnumerable<int> slices, BackboneEntry b)
    {
        using var scope = NewDisposeScope();
        var images = slices.Select(i => inputs.Image(b, i)).ToList();
        return CnnInputs.ForEvaluation(images, b.ImageSize, b.CenterCrop).contiguous().data<float>().ToArray();
    }

    private List<GradCamRequest> SaliencyRequests(float[] probs, int n, double?[] thresholds)
    {
        var requests = new List<GradCamRequest>();
        if (options.GradCam == GradCamMode.None) return requests;
        for (var c = 0; c < HemorrhageClasses.Count; c++)
        {
            var slices = Enumerable.Range(0, n)
                .Where(i => options.GradCam == GradCamMode.All || OperatingPoint.Flags(thresholds[c], probs[i * HemorrhageClasses.Count + c]))
                .OrderByDescending(i => probs[i * HemorrhageClasses.Count + c]).ThenBy(i => i).ToList();
            if (options.MaxGradCamSlicesPerClass > 0) slices = slices.Take(options.MaxGradCamSlicesPerClass).ToList();
            requests.AddRange(slices.OrderBy(i => i).Select(i => new GradCamRequest(i, c)));
        }
        return requests;
    }

    /// <summary>Per backbone: fold maps, each scaled to max 1, averaged; then averaged over backbones; resized to the slice.</summary>
    private List<SaliencyMap> ComputeSaliency(HuImage[] hu, ScanNetworkInputs inputs, List<GradCamRequest> requests, float[] probs, CancellationToken cancel)
    {
        var slices = requests.Select(r => r.Slice).Distinct().OrderBy(i => i).ToArray();
        var position = slices.Select((s, k) => (s, k)).ToDictionary(t => t.s, t => t.k);
        var sums = requests.Select(_ => (float[]?)null).ToArray();
        var backbones = model.Manifest.Backbones;
        foreach (var b in backbones)
        {
            var size = b.ImageSize;
            var local = requests.Select(r => new GradCamRequest(position[r.Slice], r.ClassIndex)).ToList();
            var perBackbone = requests.Select(_ => new float[size * size]).ToArray();
            for (var start = 0; start < slices.Length; start += options.BatchSize)
            {
                cancel.ThrowIfCancellationRequested();
                var chunk = slices.Skip(start).Take(options.BatchSize).ToArray();
                var input = EvaluationInput(inputs, chunk, b);
                var idx = Enumerable.Range(0, requests.Count).Where(i => local[i].Slice >= start && local[i].Slice < start + chunk.Length).ToArray();
                var chunkRequests = idx.Select(i => local[i] with { Slice = local[i].Slice - start }).ToList();
                foreach (var cnn in model.Cnns[b.Name])
                {
                    var maps = GradCam.Compute(cnn, input, size, chunkRequests, size, size, model.Device);
                    for (var j = 0; j < idx.Length; j++) AddScaled(perBackbone[idx[j]], maps[j].Values, 1f / model.Cnns[b.Name].Count);
                }
            }
            for (var i = 0; i < requests.Count; i++)
            {
                var h = hu[requests[i].Slice];
                var resized = CropMapping.ToSliceGrid(perBackbone[i], size, b.CenterCrop, h.Width, h.Height, inputs.Frame(b));
                sums[i] ??= new float[h.Width * h.Height];
                for (var p = 0; p < resized.Length; p++) sums[i]![p] += resized[p] / backbones.Count;
            }
        }
        return requests.Select((r, i) =>
        {
            var h = hu[r.Slice];
            var values = sums[i]!;
            for (var p = 0; p < values.Length; p++) values[p] = Math.Clamp(values[p], 0f, 1f);
            return new SaliencyMap(r.Slice, r.ClassIndex, probs[r.Slice * HemorrhageClasses.Count + r.ClassIndex], h.Width, h.Height, values);
        }).ToList();
    }

    private static void AddScaled(float[] target, float[] map, float weight)
    {
        var max = map.Max();
        if (max <= 0) return; // an all-zero map (no positive evidence) adds nothing
        var scale = weight / max;
        for (var i = 0; i < map.Length; i++) target[i] += map[i] * scale;
    }

    /// <summary>Slice positions along the normal: the scan's, else index × SliceThickness, else the model's unknown-spacing value.</summary>
    private double[] Positions(ScanRecord scan, List<string> notes)
    {
        var z = scan.Slices.Select(s => s.ZMm).ToArray();
        if (z.All(double.IsFinite))
        {
            for (var i = 1; i < z.Length; i++)
                if (z[i] <= z[i - 1])
                    throw new SeriesGeometryException($"scan {scan.ScanId}: slice positions are not increasing at slice {i} ({z[i - 1]} → {z[i]} mm)",
                        scan.Slices[i].SourcePath);
            return z;
        }
        var spacing = scan.SliceThicknessMm ?? model.Manifest.Sequence!.UnknownSpacingMm
            ?? throw new ModelInputException($"scan {scan.ScanId}: slice positions and thickness unknown, and the model defines no unknownSpacingMm");
        notes.Add($"slice positions unknown: Δz = {spacing:0.###} mm from " + (scan.SliceThicknessMm is null ? "the model's unknownSpacingMm" : "the slice thickness"));
        return Enumerable.Range(0, z.Length).Select(i => i * spacing).ToArray();
    }

    /// <summary>
    /// A head CT in HU has air around the head on most slices; a series where most slices have nothing below −500 HU is
    /// not CT in HU (MR, a secondary capture, a bad rescale) and fails. A few slices without air are real CT — the skull
    /// base filling a tight field of view — and are kept, with a note. Not applied to HU rebuilt from display windows.
    /// </summary>
    private static void CheckLooksLikeCt(ScanRecord scan, HuImage[] hu, List<string> notes)
    {
        // HU rebuilt from display windows cannot go below the lowest window's floor, which can sit above −500 HU for
        // real CT (see HuSource.RebuiltFromDisplayWindows): there the guard would refuse real scans.
        if (scan.HuSource == HuSource.RebuiltFromDisplayWindows) return;
        var withoutAir = new List<(int Index, float Min)>();
        for (var i = 0; i < hu.Length; i++)
        {
            var min = float.PositiveInfinity;
            foreach (var v in hu[i].Pixels) if (v < min) min = v;
            if (min > AirHu) withoutAir.Add((i, min));
        }
        if (withoutAir.Count == 0) return;
        var (first, firstMin) = withoutAir[0];
        var example = $"slice {scan.Slices[first].SliceId}: minimum {firstMin:0} HU";
        if (withoutAir.Count * 2 > hu.Length)
            throw new ModelInputException($"scan {scan.ScanId} does not look like CT in Hounsfield units: {withoutAir.Count} of {hu.Length} slices have no air below {AirHu:0} HU ({example})",
                scan.Slices[first].SourcePath);
        notes.Add($"{withoutAir.Count} slice(s) without air below {AirHu:0} HU, kept ({example})");
    }

    private const float AirHu = -500;
}
