using Ich.Training.Sequence;

namespace Ich.Pipeline.Tests.Seq;

/// <summary>
/// <see cref="ReaderOperatingPoints"/> on ten two-slice scans whose scan maxima and labels were counted by hand.
/// The maximum of each class sits on slice 0 and the label on slice 1, so the scan-level reduction (max over
/// slices) is exercised on both.
/// </summary>
public class ReaderOperatingPointsTests
{
    // Scan maxima per class (columns: any, EDH, IPH, IVH, SAH, SDH) and positive scans per class.
    private static readonly double[][] Max =
    [
        [0.95, 0.90, 0.30, 0.1, 0.5, 0.1],
        [0.90, 0.10, 0.20, 0.1, 0.1, 0.1],
        [0.85, 0.80, 0.90, 0.1, 0.1, 0.1],
        [0.80, 0.20, 0.10, 0.1, 0.6, 0.1],
        [0.70, 0.30, 0.10, 0.1, 0.3, 0.4],
        [0.60, 0.70, 0.10, 0.1, 0.1, 0.1],
        [0.50, 0.15, 0.10, 0.1, 0.1, 0.6],
        [0.40, 0.25, 0.10, 0.1, 0.1, 0.2],
        [0.30, 0.05, 0.10, 0.1, 0.1, 0.2],
        [0.20, 0.12, 0.10, 0.1, 0.1, 0.1],
    ];
    private static readonly int[][] Positive =
    [
        [0, 1, 2, 4, 7], // any
        [0, 2, 4],       // epidural
        [0, 1],          // intraparenchymal
        [],              // intraventricular
        [3, 4],          // subarachnoid
        [6, 7, 8],       // subdural
    ];

    private static List<(float[], float[])> Scans() => Enumerable.Range(0, Max.Length).Select(s =>
    {
        var probs = new float[12];
        var labels = new float[12];
        for (var c = 0; c < 6; c++)
        {
            probs[c] = (float)Max[s][c];
            probs[6 + c] = (float)Max[s][c] / 2;
            labels[6 + c] = Positive[c].Contains(s) ? 1 : 0;
        }
        return (probs, labels);
    }).ToList();

    [Fact]
    public void Choose_HandCountedScans_AnyAtSensitivity95_SubtypesAtSpecificity90OrNoFlag()
    {
        var ops = ReaderOperatingPoints.Choose(Scans());
        Assert.Equal(6, ops.Count);

        // any: all 5 positives need threshold 0.40 (scan 7); negatives ≥ 0.40 are scans 3, 5, 6 → spec 2/5.
        var any = ops[0];
        Assert.True(any.Flag);
        Assert.Equal(0.40, any.Threshold!.Value, 6);
        Assert.Equal((5, 5), (any.Positives, any.Negatives));
        Assert.Equal(1.0, any.Sensitivity);
        Assert.Equal(0.4, any.Specificity!.Value, 12);

        // epidural: 7 negatives, spec ≥ 0.9 allows none; going down 0.9 (TP), 0.8 (TP), 0.7 (negative) → 0.8, sens 2/3.
        Assert.True(ops[1].Flag);
        Assert.Equal(0.80, ops[1].Threshold!.Value, 6);
        Assert.Equal(2.0 / 3, ops[1].Sensitivity!.Value, 12);
        Assert.Equal(1.0, ops[1].Specificity);

        // intraparenchymal: the top score (0.9) is a negative → no threshold keeps spec ≥ 0.9 above zero sensitivity.
        Assert.False(ops[2].Flag);
        Assert.Null(ops[2].Threshold);

        // intraventricular: no positive scan.
        Assert.False(ops[3].Flag);
        Assert.Contains("no positive scan", ops[3].Rule);

        // subarachnoid: 0.6 (TP) then 0.5 (negative) → 0.6 with sens 1/2, exactly the useful minimum → flagged.
        Assert.True(ops[4].Flag);
        Assert.Equal(0.60, ops[4].Threshold!.Value, 6);
        Assert.Equal(0.5, ops[4].Sensitivity);

        // subdural: 0.6 (TP) then 0.4 (negative) → sens 1/3 < 0.5 → probability only.
        Assert.False(ops[5].Flag);
        Assert.Null(ops[5].Threshold);
        Assert.Equal(1.0 / 3, ops[5].Sensitivity!.Value, 12);
        Assert.Contains("no flag", ops[5].Rule);
    }

    [Fact]
    public void Choose_CalibratedOnRealScans_EachClassOnThemWhenEnoughElseOnAllWithTheReason()
    {
        // Scans 0–4 are "real", 5–9 "synthetic". With minScans 2 a class is calibrated on the real scans alone when
        // they hold >= 2 positive and >= 2 negative scans of it.
        var scans = Scans().Select((s, i) => (i < 5 ? "real" : "synthetic", s.Item1, s.Item2)).ToList();
        var ops = ReaderOperatingPoints.Choose(scans, new ReaderCalibration { Datasets = ["real"], MinScans = 2 });
        var pooled = ReaderOperatingPoints.Choose(Scans());

        // any: the real scans hold 4 positives but one negative (scan 3) → all scans, the same point as pooled.
        Assert.Equal(pooled[0] with { CalibratedOn = ops[0].CalibratedOn }, ops[0]);
        Assert.Equal("all (10 scans): real has 4 positive and 1 negative scans of this class (< 2)", ops[0].CalibratedOn);

        // epidural on real: positives 0.9, 0.8, 0.3; negatives 0.1, 0.2 → lowest threshold with no negative above: 0.30,
        // sensitivity 1 (pooled: 0.80, sensitivity 2/3).
        Assert.True(ops[1].Flag);
        Assert.Equal(0.30, ops[1].Threshold!.Value, 6);
        Assert.Equal((3, 2), (ops[1].Positives, ops[1].Negatives));
        Assert.Equal(1.0, ops[1].Sensitivity);
        Assert.Equal("real (5 scans)", ops[1].CalibratedOn);

        // intraparenchymal on real: the top score (0.9, scan 2) is a negative → no flag, chosen on real.
        Assert.False(ops[2].Flag);
        Assert.Equal("real (5 scans)", ops[2].CalibratedOn);

        // intraventricular: no positive anywhere → all scans, no flag.
        Assert.False(ops[3].Flag);
        Assert.StartsWith("all (10 scans): real has 0 positive", ops[3].CalibratedOn);

        // subarachnoid on real: 0.6 (TP, scan 3) then 0.5 (negative, scan 0) → 0.60, sensitivity 1/2 → flagged.
        Assert.True(ops[4].Flag);
        Assert.Equal(0.60, ops[4].Threshold!.Value, 6);
        Assert.Equal((2, 3), (ops[4].Positives, ops[4].Negatives));

        // subdural: its positives (6, 7, 8) are all synthetic → all scans, as pooled.
        Assert.Equal(pooled[5] with { CalibratedOn = ops[5].CalibratedOn }, ops[5]);
        Assert.Equal("all (10 scans): real has 0 positive and 5 negative scans of this class (< 2)", ops[5].CalibratedOn);

        // Without a calibration every point is the pooled one.
        Assert.Equal(pooled, ReaderOperatingPoints.Choose(scans, calibration: null));
    }

    [Fact]
    public void Choose_CalibrationNamesAbsentDatasetOrNothing_ArgumentExceptionNamingIt()
    {
        var scans = Scans().Select(s => ("phantom", s.Item1, s.Item2)).ToList();
        var e = Assert.Throws<ArgumentException>(() => ReaderOperatingPoints.Choose(scans, new ReaderCalibration { Datasets = ["physionet"] }));
        Assert.Contains("'physionet' has no out-of-fold scan (the run has: phantom)", e.Message);
        Assert.Throws<ArgumentException>(() => ReaderOperatingPoints.Choose(scans, new ReaderCalibration { Datasets = [] }));
        Assert.Throws<ArgumentException>(() => ReaderOperatingPoints.Choose(scans, new ReaderCalibration { Datasets = ["phantom"], MinScans = 0 }));
    }
}
