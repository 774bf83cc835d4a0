using Ich.Core.Errors;
using Ich.Core.Scans;

namespace Ich.Training.Cnn;

/// <summary>
/// k-fold assignment by patient (a patient's scans are always in one fold), stratified on whether the
/// patient has any hemorrhage slice so every fold gets positives; deterministic for a seed.
/// </summary>
public static class PatientFolds
{
    /// <summary>Fold (0..k-1) of each scan, in scan order. Fewer patients than folds is a <see cref="ConfigException"/>.</summary>
    public static int[] Assign(IReadOnlyList<ScanRecord> scans, int folds, long seed)
    {
        var patients = scans.Select(s => (s.Dataset, s.PatientId)).Distinct().OrderBy(p => p.Dataset, StringComparer.Ordinal)
            .ThenBy(p => p.PatientId, StringComparer.Ordinal).ToList();
        if (patients.Count < folds)
            throw new ConfigException($"{patients.Count} patient(s) cannot fill {folds} folds: a fold would be empty (use fewer folds or more data)");
        var positive = scans.Where(s => s.Slices.Any(x => x.Labels is { } l && l[0] > 0.5f) || s.ScanLabels is { } sl && sl[0] > 0.5f)
            .Select(s => (s.Dataset, s.PatientId)).ToHashSet();
        var rng = new Random(unchecked((int)(seed * 7919 + 17)));
        var fold = new Dictionary<(string, string), int>();
        var next = 0;
        foreach (var group in new[] { patients.Where(positive.Contains).ToList(), patients.Where(p => !positive.Contains(p)).ToList() })
        {
            rng.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(group));
            foreach (var p in group) fold[p] = next++ % folds;
        }
        return scans.Select(s => fold[(s.Dataset, s.PatientId)]).ToArray();
    }
}
