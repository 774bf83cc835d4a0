using Ich.Metrics;

namespace Ich.Metrics.Tests;

/// <summary><see cref="OperatingPoints.AtTargetSpecificity"/> against hand-counted confusion tables.</summary>
public class TargetSpecificityTests
{
    // Scores descending; positives at 0.9, 0.7, 0.6; negatives at 0.8, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05 (7).
    private static readonly double[] Scores = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05];
    private static readonly bool[] Labels = [true, false, true, true, false, false, false, false, false, false];

    [Fact]
    public void Specificity80_LowestThresholdWithAtMostOneFalsePositive()
    {
        // ≥ 0.8 specificity allows 1 false positive of 7 (6/7 = 0.857; 5/7 = 0.714 is too low):
        // going down, 0.6 is the last threshold before the second negative (0.5). TP 3, FP 1.
        var op = OperatingPoints.AtTargetSpecificity(Scores, Labels, 0.8)!;
        Assert.Equal((0.6, 3, 1, 6, 0), (op.Threshold, op.TruePositives, op.FalsePositives, op.TrueNegatives, op.FalseNegatives));
        Assert.Equal(ThresholdRule.TargetSpecificity, op.Rule);
    }

    [Fact]
    public void Specificity90_NoFalsePositiveAllowed_ThresholdAboveFirstNegative()
    {
        // 6/7 = 0.857 < 0.9, so no negative may be called: only 0.9 qualifies. TP 1 of 3.
        var op = OperatingPoints.AtTargetSpecificity(Scores, Labels, 0.9)!;
        Assert.Equal((0.9, 1, 0), (op.Threshold, op.TruePositives, op.FalsePositives));
        Assert.Equal(1.0 / 3, op.Sensitivity!.Value, 12);
    }

    [Fact]
    public void TieOfNegativeAtTheTop_NoThresholdReachesTarget_Null()
    {
        Assert.Null(OperatingPoints.AtTargetSpecificity([0.9, 0.9, 0.1], [true, false, false], 0.9));
        Assert.Null(OperatingPoints.AtTargetSpecificity([0.9, 0.2], [true, true], 0.9)); // no negatives
        Assert.Throws<ArgumentOutOfRangeException>(() => OperatingPoints.AtTargetSpecificity(Scores, Labels, 0));
    }
}
