namespace Ich.Metrics;

/// <summary>
/// Argument checks shared by every binary metric. Scores must be finite; they need not be
/// probabilities (ratings work too) unless the metric says so.
/// </summary>
internal static class BinaryInput
{
    public static void Check(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels)
    {
        if (scores.Length != labels.Length)
            throw new ArgumentException($"scores ({scores.Length}) and labels ({labels.Length}) differ in length");
        for (var i = 0; i < scores.Length; i++)
            if (!double.IsFinite(scores[i]))
                throw new ArgumentException($"score {i} is {scores[i]}; scores must be finite numbers");
    }

    public static void CheckProbabilities(ReadOnlySpan<double> probabilities)
    {
        for (var i = 0; i < probabilities.Length; i++)
            if (!(probabilities[i] >= 0 && probabilities[i] <= 1))
                throw new ArgumentException($"probability {i} is {probabilities[i]}; expected a number in [0, 1]");
    }

    public static (int Positives, int Negatives) Count(ReadOnlySpan<bool> labels)
    {
        var p = 0;
        foreach (var y in labels) if (y) p++;
        return (p, labels.Length - p);
    }
}
