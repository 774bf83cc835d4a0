using Ich.Core;
using Ich.Core.Errors;
using Ich.Core.Scans;
using Ich.Imaging;
using Ich.Synth;
using Ich.Synth.Insertion;
using static TorchSharp.torch;

namespace Ich.Training.Cnn;

/// <summary>
/// One training batch before augmentation: images [B, 3, S, S] in [0, 1] (quantised to 1/255 exactly as the
/// slice cache), labels [B, 6], and per sample <see cref="MaskChannels"/> bleed masks [C, S, S] with a weight each
/// (1 = the mask is known and supervises, 0 = unknown, no mask loss). Channel 0 is blood: known for inserted bleeds
/// (their mask) and negative slices (no blood anywhere); positives have it only where <see cref="KnownMasks"/> finds
/// one. With six channels, channel 1 + k is subtype k: the dataset's own subtype mask where it has one (phantoms);
/// otherwise, from the blood mask and the labels, empty for a subtype labelled absent, the blood mask for the only
/// subtype labelled present, and unknown when several are present (which blood is which is not known).
/// </summary>
public sealed record TrainingBatch(float[] Images, float[] Labels, float[] Masks, float[] MaskWeights, int Count, int Size, SampleOrigin[] Origins,
    int MaskChannels = 1)
{
    /// <summary>Samples that got a bleed (synthetic or pasted) instead of their own slice.</summary>
    public int Inserted => Origins.Count(o => o != SampleOrigin.Slice);

    /// <summary>Samples that got a real donor bleed pasted.</summary>
    public int Pasted => Origins.Count(o => o == SampleOrigin.PastedBleed);

    public Tensor ImageTensor(Device device) => tensor(Images, [Count, 3, Size, Size]).to(device);
    public Tensor LabelTensor(Device device) => tensor(Labels, [Count, HemorrhageClasses.Count]).to(device);
    public Tensor MaskTensor(Device device) => tensor(Masks, [Count, MaskChannels, Size, Size]).to(device);
    public Tensor MaskWeightTensor(Device device) => tensor(MaskWeights, [Count, MaskChannels]).to(device);

    /// <summary>
    /// Builds the batch of table slices <paramref name="indices"/>. With insertion on, each negative slice is
    /// replaced with probability p by a copy with one synthetic bleed of a subtype drawn by the configured weights;
    /// a host that cannot take that subtype (skull base, vertex: <see cref="InsertionHostException"/>) tries the
    /// others in turn and stays an unchanged negative when none fits — a correctly labelled sample, counted in
    /// <see cref="Origins"/> as <see cref="SampleOrigin.SyntheticBleed"/> only when a bleed went in. With <see cref="BleedInsertionConfig.PasteShare"/> &gt; 0 and
    /// <paramref name="donors"/>, that share of the insertions pastes a real masked bleed of a training donor instead
    /// (<see cref="BleedDonors"/>; <see cref="SampleOrigin.PastedBleed"/>); a host no donor fits gets a synthetic bleed.
    /// With <paramref name="intensity"/>, each sample's HU grid (its own or the one with a bleed) goes through it before its
    /// windows are taken; it draws from its own stream, so insertion makes the same choices with or without it.
    /// <paramref name="maskChannels"/> (1 or 6) never changes the images, labels or random draws.
    /// </summary>
    public static TrainingBatch Build(SliceTable table, IReadOnlyList<int> indices, BleedInsertionConfig insert, KnownMasks? masks, Random rng,
        BleedDonors? donors = null, IntensityAugmenter? intensity = null, int maskChannels = 1)
    {
        if (maskChannels is not (1 or 6)) throw new ArgumentOutOfRangeException(nameof(maskChannels), maskChannels, "1 (blood) or 6 (blood and subtypes)");
        var s = table.ImageSize;
        var plane = 3 * s * s;
        var n = indices.Count;
        var images = new float[n * plane];
        var labels = new float[n * HemorrhageClasses.Count];
        var maskData = new float[n * maskChannels * s * s];
        var weights = new float[n * maskChannels];
        var origins = new SampleOrigin[n];
        // One random stream, drawn in sample order: a config without pasting builds exactly the batches it always did.
        for (var b = 0; b < n; b++)
        {
            var index = indices[b];
            var r = table.Slices[index];
            Array.Copy(r.Labels!, 0, labels, b * HemorrhageClasses.Count, HemorrhageClasses.Count);
            var hu = table.Hu(index);
            var negative = r.Labels![0] < 0.5f;
            if (negative && insert.Probability > 0 && insert.TakesHost(table.Scans[r.Scan].Dataset) && rng.NextDouble() < insert.Probability
                && TryInsert(table, index, insert, donors, rng) is var (bleed, wasPasted))
            {
                origins[b] = wasPasted ? SampleOrigin.PastedBleed : SampleOrigin.SyntheticBleed;
                // The host scan's frame, as for its own image: the bleed lands where the network sees that anatomy.
                var frame = table.Frame(r.Scan);
                hu = NetworkInput.ResampledHu(bleed.Hu, s, frame);
                Array.Copy(bleed.Labels, 0, labels, b * HemorrhageClasses.Count, HemorrhageClasses.Count);
                var m = NetworkInput.MaskFromFrame(bleed.Mask.Select(v => (float)v).ToArray(), bleed.Hu.Width, bleed.Hu.Height, s, frame);
                SetMasks(maskData, weights, b, maskChannels, s * s, new KnownMask(m, null), bleed.Labels);
            }
            else if (negative)
            {
                for (var c = 0; c < maskChannels; c++) weights[b * maskChannels + c] = 1; // no blood: every all-zero mask is known
            }
            else if (masks?.Find(table, index) is { } known)
            {
                SetMasks(maskData, weights, b, maskChannels, s * s, known, r.Labels);
            }
            if (intensity is not null) hu = intensity.Apply(hu, s);
            // Quantised to 1/255 exactly as the slice cache's images and ich predict's input.
            var bytes = Ich.Model.Cnn.CnnInputs.ToBytes(NetworkInput.Windows(hu));
            for (var k = 0; k < plane; k++) images[b * plane + k] = bytes[k] * (1f / 255f);
        }
        return new TrainingBatch(images, labels, maskData, weights, n, s, origins, maskChannels);
    }

    /// <summary>Sample <paramref name="b"/>'s masks and weights from its known mask and labels (the rule in the type's summary).</summary>
    private static void SetMasks(float[] data, float[] weights, int b, int channels, int area, KnownMask known, float[] sliceLabels)
    {
        Array.Copy(known.Blood, 0, data, b * channels * area, area);
        weights[b * channels] = 1;
        if (channels == 1) return;
        var present = Enumerable.Range(1, 5).Where(c => sliceLabels[c] >= 0.5f).ToList();
        for (var c = 1; c < channels; c++)
        {
            var offset = (b * channels + c) * area;
            if (known.Subtypes is { } own)
            {
                if (own[c - 1] is { } mask) Array.Copy(mask, 0, data, offset, area);
                weights[b * channels + c] = 1;
            }
            else if (!present.Contains(c))
                weights[b * channels + c] = 1;                       // labelled absent: none of it on the slice
            else if (present.Count == 1)
            {
                Array.Copy(known.Blood, 0, data, offset, area);      // the only subtype present: all the blood is it
                weights[b * channels + c] = 1;
            }
            // several present and no subtype masks: unknown, weight 0
        }
    }

    private static (InsertedBleed Bleed, bool Pasted)? TryInsert(SliceTable table, int index, BleedInsertionConfig insert, BleedDonors? donors, Random rng)
    {
        var r = table.Slices[index];
        var slice = table.Scans[r.Scan].Slices[r.Slice];
        var name = slice.SourcePath ?? slice.SliceId;
        var pasteFirst = insert.PasteShare > 0 && donors is { Indices.Count: > 0 } && rng.NextDouble() < insert.PasteShare;
        var seed = (ulong)rng.NextInt64();
        var first = PickSubtype(insert.SubtypeWeights, rng);
        HostAnatomy host;
        // One anatomy search serves the paste and every subtype tried; a host without one stays a plain negative.
        try { host = HostAnatomy.Find(InsertionResolution.Working(table.SliceHu(index), table.ImageSize, insert.AssumedSpacingMm, table.Frame(r.Scan)), name); }
        catch (InsertionHostException) { return null; }
        if (pasteFirst && donors!.TryPaste(host, rng, name) is { } real) return (real, true);
        for (var t = 0; t < 5; t++)
        {
            var subtype = 1 + (first - 1 + t) % 5;
            if (insert.SubtypeWeights[subtype - 1] <= 0) continue;
            try { return (BleedInserter.Insert(host, subtype, SynthRandom.For(seed, subtype), name: name), false); }
            catch (InsertionHostException) { }
        }
        return null;
    }

    private static int PickSubtype(double[] weights, Random rng)
    {
        var u = rng.NextDouble() * weights.Sum();
        for (var k = 0; k < weights.Length; k++)
        {
            u -= weights[k];
            if (u < 0) return k + 1;
        }
        return weights.Length;
    }
}

/// <summary>What a training sample's image, labels and mask come from.</summary>
public enum SampleOrigin
{
    /// <summary>The table's own slice and labels.</summary>
    Slice,
    /// <summary>A negative slice with one synthetic bleed drawn into it (<see cref="BleedInserter"/>).</summary>
    SyntheticBleed,
    /// <summary>A negative slice with a real training donor's masked bleed pasted into it (<see cref="BleedDonors"/>).</summary>
    PastedBleed,
}
