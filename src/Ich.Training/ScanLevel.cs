using Ich.Core;

namespace Ich.Training;

/// <summary>
/// A scan's score for a class is its highest slice probability, and a scan is positive for a class when any of its
/// slices is: the one scan-level rule of the ablation table and both kinds of operating point.
/// </summary>
public static class ScanLevel
{
    /// <summary>Class <paramref name="c"/>'s highest value over a scan's [L, 6] row-major rows.</summary>
    /// <exception cref="ArgumentException">The scan has no slice.</exception>
    public static float Max(float[] perSlice, int c)
    {
        ArgumentNullException.ThrowIfNull(perSlice);
        if (perSlice.Length < HemorrhageClasses.Count) throw new ArgumentException("a scan needs at least one slice", nameof(perSlice));
        var m = float.NegativeInfinity;
        for (var i = c; i < perSlice.Length; i += HemorrhageClasses.Count) m = Math.Max(m, perSlice[i]);
        return m;
    }
}
