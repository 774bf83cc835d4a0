namespace Ich.Metrics.Tests;

public class PairedBootstrapAucTests
{
    /// <summary>12 scans of 5 slices, about a third positive, with a noisy score (seeded).</summary>
    private static (double[] Scores, bool[] Labels, string[] Groups) Sample(int seed)
    {
        var random = new Random(seed);
        var n = 60;
        var labels = Enumerable.Range(0, n).Select(_ => random.NextDouble() < 0.35).ToArray();
        var scores = labels.Select(y => (y ? 0.6 : 0.4) + 0.35 * (random.NextDouble() - 0.5)).ToArray();
        var groups = Enumerable.Range(0, n).Select(i => $"scan{i / 5:00}").ToArray();
        return (scores, labels, groups);
    }

    [Fact]
    public void ComputeMean_OneClass_IsThatClassesPairedResult()
    {
        var (a, labels, groups) = Sample(2);
        var (b, _, _) = Sample(3);

        var (mean, classes) = PairedBootstrapAuc.ComputeMean([(a, b, labels)], groups, resamples: 300, seed: 5)!.Value;

        Assert.Equal(1, classes);
        Assert.Equal(PairedBootstrapAuc.Compute(a, b, labels, groups, resamples: 300, seed: 5), mean);
    }

    [Fact]
    public void ComputeMean_AveragesTheDefinedClasses_OnOneDrawPerReplicate()
    {
        var (a, labels, groups) = Sample(2);
        var (b, _, _) = Sample(3);
        var (c, otherLabels, _) = Sample(7);
        var (d, _, _) = Sample(8);
        var none = new bool[labels.Length]; // a class without positives takes no part

        var (mean, classes) = PairedBootstrapAuc.ComputeMean([(a, b, labels), (c, d, otherLabels), (a, d, none)], groups, resamples: 300, seed: 5)!.Value;

        var first = PairedBootstrapAuc.Compute(a, b, labels, groups, resamples: 300, seed: 5)!;
        var second = PairedBootstrapAuc.Compute(c, d, otherLabels, groups, resamples: 300, seed: 5)!;
        Assert.Equal(2, classes);
        Assert.Equal((first.AucBaseline + second.AucBaseline) / 2, mean.AucBaseline, 12);
        Assert.Equal((first.AucOther + second.AucOther) / 2, mean.AucOther, 12);
        Assert.Equal((first.Difference + second.Difference) / 2, mean.Difference, 12);
        // The same draw scores both classes: the same class twice gives that class's own interval.
        var (twice, _) = PairedBootstrapAuc.ComputeMean([(a, b, labels), (a, b, labels)], groups, resamples: 300, seed: 5)!.Value;
        Assert.Equal(first.Ci95, twice.Ci95);
        Assert.Null(PairedBootstrapAuc.ComputeMean([(a, b, none)], groups, resamples: 10));
    }

    [Fact]
    public void Compute_SameScoresTwice_DifferenceIsExactlyZeroInEveryReplicate()
    {
        var (scores, labels, groups) = Sample(1);
        var r = PairedBootstrapAuc.Compute(scores, (double[])scores.Clone(), labels, groups, resamples: 300, seed: 5)!;
        Assert.Equal(0, r.Difference);
        Assert.Equal(new Interval(0, 0), r.Ci95);
        Assert.Equal(0, r.ShareOtherHigher);
        Assert.Equal(r.AucBaseline, r.AucOther);
    }

    [Fact]
    public void Compute_PointEstimates_AreEachScoresAucOnAllSamples()
    {
        var (a, labels, groups) = Sample(2);
        var (b, _, _) = Sample(3);
        var r = PairedBootstrapAuc.Compute(a, b, labels, groups, resamples: 50)!;
        Assert.Equal(RocAuc.Compute(a, labels), r.AucBaseline, 12);
        Assert.Equal(RocAuc.Compute(b, labels), r.AucOther, 12);
        Assert.Equal(r.AucOther - r.AucBaseline, r.Difference, 12);
        Assert.Equal(12, r.Groups);
    }

    [Fact]
    public void Compute_AgainstAPerfectScore_ReplicatesAreThoseOfTheBaselinesOwnBootstrap()
    {
        // A perfect score has AUC 1 in every replicate, so each replicate's difference is 1 − the baseline's replicate AUC:
        // the paired interval must mirror BootstrapAuc's interval for the baseline with the same seed, which the
        // fixture tests tie to explicit resampling with scikit-learn.
        var (scores, labels, groups) = Sample(4);
        var perfect = labels.Select(y => y ? 1.0 : 0.0).ToArray();
        var paired = PairedBootstrapAuc.Compute(scores, perfect, labels, groups, resamples: 400, seed: 9)!;
        var own = BootstrapAuc.Compute(scores, labels, groups, resamples: 400, seed: 9)!;
        Assert.Equal(own.Valid, paired.Valid);
        Assert.Equal(1 - own.Ci95!.Value.High, paired.Ci95!.Value.Low, 12);
        Assert.Equal(1 - own.Ci95!.Value.Low, paired.Ci95!.Value.High, 12);
        Assert.True(paired.ShareOtherHigher > 0.99);
    }

    [Fact]
    public void Compute_ScoreWithLessNoise_IntervalAboveZero_AndSwappingNegatesIt()
    {
        var (noisy, labels, groups) = Sample(5);
        var random = new Random(6);
        var better = labels.Select(y => (y ? 0.6 : 0.4) + 0.05 * (random.NextDouble() - 0.5)).ToArray();
        var r = PairedBootstrapAuc.Compute(noisy, better, labels, groups, resamples: 500, seed: 3)!;
        Assert.True(r.Difference > 0);
        Assert.True(r.Ci95!.Value.Low > 0, $"interval {r.Ci95}");
        var swapped = PairedBootstrapAuc.Compute(better, noisy, labels, groups, resamples: 500, seed: 3)!;
        Assert.Equal(-r.Difference, swapped.Difference, 12);
        Assert.Equal(-r.Ci95!.Value.High, swapped.Ci95!.Value.Low, 12);
    }

    [Fact]
    public void Compute_OneClassAbsent_IsNull_AndMismatchedLengthsThrow()
    {
        var labels = new[] { true, true, true };
        double[] three = [0.1, 0.2, 0.3], reversed = [0.3, 0.2, 0.1], two = [0.1, 0.2];
        bool[] mixed = [true, false, true];
        Assert.Null(PairedBootstrapAuc.Compute(three, reversed, labels, ["a", "b", "c"]));
        Assert.Throws<ArgumentException>(() => PairedBootstrapAuc.Compute(two, reversed, mixed, ["a", "b", "c"]));
        Assert.Throws<ArgumentException>(() => PairedBootstrapAuc.Compute(three, reversed, mixed, ["a", "b"]));
    }
}
