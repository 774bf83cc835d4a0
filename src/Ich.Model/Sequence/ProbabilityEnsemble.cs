namespace Ich.Model.Sequence;

/// <summary>
/// The paper's model ensemble (Table 3, last row): the unweighted average of the probabilities of the
/// systems built on different backbones.
/// </summary>
public static class ProbabilityEnsemble
{
    /// <summary>Element-wise mean of equally long probability arrays (e.g. [L, 6] per system).</summary>
    public static float[] Average(IReadOnlyList<float[]> members)
    {
        if (members.Count == 0) throw new ArgumentException("no ensemble members", nameof(members));
        var n = members[0].Length;
        if (members.Any(m => m.Length != n)) throw new ArgumentException("ensemble members differ in length", nameof(members));
        var result = new float[n];
        for (var i = 0; i < n; i++)
        {
            var sum = 0.0;
            foreach (var m in members) sum += m[i];
            result[i] = (float)(sum / members.Count);
        }
        return result;
    }
}
