using Ich.Core.Errors;
using Ich.Core.Scans;
using Ich.Training.Sequence;

namespace Ich.Training;

/// <summary>
/// k-fold assignment by patient (a patient's scans are always in one fold), stratified on whether the patient
/// has any hemorrhage so every fold gets positives; deterministic for a seed. The CNN and the sequence stage
/// both split this way.
/// </summary>
public static class PatientFolds
{
    /// <summary>Fold (0..k-1) of each CNN training scan, in scan order.</summary>
    public static int[] Assign(IReadOnlyList<ScanRecord> scans, int folds, long seed) =>
        Assign(scans, s => (s.Dataset, s.PatientId),
            s => s.Slices.Any(x => x.Labels is { } l && l[0] > 0.5f) || s.ScanLabels is { } sl && sl[0] > 0.5f, folds, seed);

    /// <summary>Fold (0..k-1) of each sequence-stage scan, in scan order.</summary>
    public static int[] Assign(IReadOnlyList<SeqScan> scans, int folds, long seed) =>
        Assign(scans, s => (s.Dataset, s.PatientId), s => s.Data.Labels is { } y && HasAny(y), folds, seed);

    /// <summary>
    /// Patients (dataset, patient ID) sorted, split into those with and without hemorrhage, each group shuffled
    /// with the seed and dealt round-robin (continuing the count across groups). Fewer patients than folds is a
    /// <see cref="ConfigException"/>.
    /// </summary>
    public static int[] Assign<T>(IReadOnlyList<T> items, Func<T, (string Dataset, string PatientId)> patientOf,
        Func<T, bool> hasHemorrhage, int folds, long seed)
    {
        var patients = items.Select(patientOf).Distinct().OrderBy(p => p.Dataset, StringComparer.Ordinal)
            .ThenBy(p => p.PatientId, StringComparer.Ordinal).ToList();
        if (patients.Count < folds)
            throw new ConfigException($"{patients.Count} patient(s) cannot fill {folds} folds: a fold would be empty (use fewer folds or more data)");
        var positive = items.Where(hasHemorrhage).Select(patientOf).ToHashSet();
        var rng = new Random(unchecked((int)(seed * 7919 + 17)));
        var fold = new Dictionary<(string, string), int>();
        var next = 0;
        foreach (var group in new[] { patients.Where(positive.Contains).ToList(), patients.Where(p => !positive.Contains(p)).ToList() })
        {
            rng.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(group));
            foreach (var p in group) fold[p] = next++ % folds;
        }
        return items.Select(s => fold[patientOf(s)]).ToArray();
    }

    /// <summary>Whether any slice of [L, 6] labels is positive for <c>any</c>.</summary>
    private static bool HasAny(float[] labels)
    {
        for (var i = 0; i < labels.Length; i += Ich.Core.HemorrhageClasses.Count)
            if (labels[i] > 0.5f) return true;
        return false;
    }
}
