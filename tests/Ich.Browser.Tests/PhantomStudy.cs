using Ich.Core.Scans;
using Ich.Synth;
using Ich.Viewer;

namespace Ich.Browser.Tests;

/// <summary>
/// A 40-slice 512×512 study from the project's phantom generator (a bleeding scan), with saliency maps
/// made in the test: the blurred bleed mask scaled to 0.9 for "any" and for each subtype present, so the
/// maps are smooth like Grad-CAM and sit where the bleed is. Probabilities grow with the bleed area. The
/// model has a segmentation head: every slice whose "any" probability reaches its threshold (the slices the
/// predictor explains for a flagged class) carries a predicted mask, the blurred bleed mask scaled to a peak of 1.
/// HU are rounded to integers as a DICOM file stores them, so the tests can compute the expected window
/// of every pixel themselves.
/// </summary>
public sealed class PhantomStudy
{
    public const int SliceCount = 40;

    private PhantomStudy(ViewerStudy study, float[][] hu, int mostSuspicious)
    {
        Study = study;
        Hu = hu;
        MostSuspicious = mostSuspicious;
    }

    /// <summary>The "any" threshold of the study; slices reaching it get a predicted mask.</summary>
    public const double AnyThreshold = 0.5;

    public ViewerStudy Study { get; }

    /// <summary>The integer HU of each slice, as given to the viewer.</summary>
    public float[][] Hu { get; }

    /// <summary>Slice with the largest bleed area.</summary>
    public int MostSuspicious { get; }

    public static PhantomStudy Create(string scanId = "phantom-viewer-1")
    {
        var options = new SynthOptions { Seed = 7, Size = 512, ThicknessMm = 3 };
        ScanPlan? plan = null;
        for (var index = 0; index < 50 && plan is null; index++)
        {
            var candidate = ScanPlanner.Plan(options, index);
            if (candidate.Bleeds.Count > 0 && candidate.SliceCount >= SliceCount) plan = candidate;
        }
        if (plan is null) throw new InvalidOperationException("no bleeding phantom with 40 slices among the first 50");

        var first = (plan.SliceCount - SliceCount) / 2;
        var rendered = new Ich.Synth.Rendering.RenderedSlice[SliceCount];
        Parallel.For(0, SliceCount, k => rendered[k] = PhantomGenerator.RenderSlice(plan, first + k));

        const int n = 512 * 512;
        var hu = new float[SliceCount][];
        var slices = new ViewerSlice[SliceCount];
        var bestArea = -1; var best = 0;
        for (var k = 0; k < SliceCount; k++)
        {
            var r = rendered[k];
            hu[k] = r.Hu!.Select(v => MathF.Round(v, MidpointRounding.AwayFromZero)).ToArray();
            var saliency = new float[]?[6];
            var probabilities = new double[6];
            var anyMask = new bool[n];
            for (var t = 0; t < 5; t++)
            {
                var mask = new bool[n];
                var area = 0;
                for (var i = 0; i < n; i++) if ((r.Mask[i] & (1 << t)) != 0) { mask[i] = true; anyMask[i] = true; area++; }
                probabilities[t + 1] = Probability(area);
                if (area > 0) saliency[t + 1] = SmoothMap(mask, 512, 512);
            }
            var anyArea = anyMask.Count(b => b);
            probabilities[0] = Probability(anyArea);
            if (anyArea > 0) saliency[0] = SmoothMap(anyMask, 512, 512);
            if (anyArea > bestArea) { bestArea = anyArea; best = k; }
            var predictedMask = probabilities[0] >= AnyThreshold ? saliency[0]!.Select(v => Math.Min(1f, v / 0.9f)).ToArray() : null;
            slices[k] = new ViewerSlice
            {
                SliceId = plan.SopUids[first + k],
                ZMm = plan.SliceZ[first + k],
                Hu = new HuImage(512, 512, hu[k], plan.PixelSpacingMm),
                Probabilities = probabilities,
                Saliency = saliency,
                PredictedMask = predictedMask,
            };
        }
        var (row, column, _) = plan.Directions();
        var study = new ViewerStudy
        {
            ScanId = scanId,
            ModelName = "phantom-test-model",
            ModelVersion = "0.0-test",
            OperatingPoint = "test thresholds (any 0.5, subtypes 0.4, intraventricular without a flag)",
            FlagThresholds = [AnyThreshold, 0.4, 0.4, null, 0.4, 0.4],
            FlaggedClasses = ["any"],
            Orientation = new PatientOrientation([row.X, row.Y, row.Z], [column.X, column.Y, column.Z]),
            HasSegmentationHead = true,
            Slices = slices,
        };
        return new PhantomStudy(study, hu, best);
    }

    /// <summary>
    /// The worst case for the size budget: a map for every class on every slice. Where the phantom has no
    /// bleed map, a Grad-CAM-like field is made: random levels in [0, 0.4] on a 16×16 grid, bilinearly
    /// upsampled to the slice grid (Grad-CAM is a coarse feature map upsampled the same way).
    /// </summary>
    public ViewerStudy WithMapsForEveryClass()
    {
        var random = new Random(11);
        var slices = Study.Slices.Select(s => s with
        {
            Saliency = Enumerable.Range(0, 6).Select(c => s.Saliency?[c] ?? CoarseField(random, 512, 512)).ToArray(),
        }).ToArray();
        return Study with { Slices = slices };
    }

    /// <summary>The same study from an older model folder without decoders: no segmentation head, no masks.</summary>
    public ViewerStudy WithoutSegmentationHead() =>
        Study with { HasSegmentationHead = false, Slices = Study.Slices.Select(s => s with { PredictedMask = null }).ToArray() };

    private static float[] CoarseField(Random random, int width, int height)
    {
        const int grid = 16;
        var coarse = new float[(grid + 1) * (grid + 1)];
        for (var i = 0; i < coarse.Length; i++) coarse[i] = (float)(random.NextDouble() * 0.4);
        var field = new float[width * height];
        for (var y = 0; y < height; y++)
        {
            var gy = y * (float)grid / height; var y0 = (int)gy; var fy = gy - y0;
            for (var x = 0; x < width; x++)
            {
                var gx = x * (float)grid / width; var x0 = (int)gx; var fx = gx - x0;
                var top = coarse[y0 * (grid + 1) + x0] * (1 - fx) + coarse[y0 * (grid + 1) + x0 + 1] * fx;
                var bottom = coarse[(y0 + 1) * (grid + 1) + x0] * (1 - fx) + coarse[(y0 + 1) * (grid + 1) + x0 + 1] * fx;
                field[y * width + x] = top * (1 - fy) + bottom * fy;
            }
        }
        return field;
    }

    private static double Probability(int areaPixels) => 0.03 + 0.94 * (1 - Math.Exp(-areaPixels / 400.0));

    // Two passes of a 25×25 box blur (separable running sums), scaled so a large filled region reaches 0.9.
    private static float[] SmoothMap(bool[] mask, int width, int height)
    {
        var a = new float[mask.Length];
        for (var i = 0; i < mask.Length; i++) a[i] = mask[i] ? 0.9f : 0f;
        for (var pass = 0; pass < 2; pass++) { a = Box(a, width, height, 12, horizontal: true); a = Box(a, width, height, 12, horizontal: false); }
        for (var i = 0; i < a.Length; i++) a[i] = Math.Clamp(a[i], 0f, 1f);
        return a;
    }

    private static float[] Box(float[] src, int width, int height, int radius, bool horizontal)
    {
        var dst = new float[src.Length];
        var lines = horizontal ? height : width;
        var length = horizontal ? width : height;
        for (var line = 0; line < lines; line++)
        {
            int At(int i) => horizontal ? line * width + i : i * width + line;
            double sum = 0;
            for (var i = -radius; i <= radius; i++) if (i >= 0 && i < length) sum += src[At(i)];
            for (var i = 0; i < length; i++)
            {
                dst[At(i)] = (float)(sum / (2 * radius + 1));
                var add = i + radius + 1; var remove = i - radius;
                if (add < length) sum += src[At(add)];
                if (remove >= 0) sum -= src[At(remove)];
            }
        }
        return dst;
    }
}
