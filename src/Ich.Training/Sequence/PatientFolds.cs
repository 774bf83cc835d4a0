using Ich.Core.Errors;

namespace Ich.Training.Sequence;

/// <summary>
/// K-fold assignment by patient (no patient in two folds): patients (dataset + patient ID) in sorted
/// order, shuffled with the seed, dealt round-robin.
/// </summary>
public static class PatientFolds
{
    /// <returns>Fold per scan, same order as <paramref name="scans"/>.</returns>
    public static int[] Assign(IReadOnlyList<SeqScan> scans, int folds, int seed)
    {
        var patients = scans.Select(s => (s.Dataset, s.PatientId)).Distinct().OrderBy(p => p.Dataset, StringComparer.Ordinal)
            .ThenBy(p => p.PatientId, StringComparer.Ordinal).ToArray();
        if (patients.Length < folds)
            throw new ConfigException($"{patients.Length} patients cannot be split into {folds} folds; lower 'folds'");
        new Random(seed).Shuffle(patients);
        var foldOf = new Dictionary<(string, string), int>();
        for (var i = 0; i < patients.Length; i++) foldOf[patients[i]] = i % folds;
        return scans.Select(s => foldOf[(s.Dataset, s.PatientId)]).ToArray();
    }
}
