using Ich.Core.Errors;
using Ich.Core.Scans;
using Ich.Data.Catalog;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ich.Training.Cnn;

/// <summary>Opens the datasets a config lists through <see cref="DatasetCatalog"/> and concatenates their scans.</summary>
public static class TrainingData
{
    /// <summary>
    /// All scans of <paramref name="specs"/> in order. Skipped or adjusted items of each dataset's load report
    /// are logged as warnings to <paramref name="log"/>; a dataset without scans is a <see cref="ConfigException"/>.
    /// </summary>
    public static IReadOnlyList<ScanRecord> Load(IEnumerable<DatasetSpec> specs, ILogger? log = null)
    {
        log ??= NullLogger.Instance;
        var all = new List<ScanRecord>();
        foreach (var spec in specs)
        {
            var load = DatasetCatalog.Open(spec.Kind, spec.Path, new DatasetOptions(spec.Labels));
            foreach (var issue in load.Report.Issues) TrainingLog.Warning(log, $"{spec.Kind}: {issue}");
            if (load.Scans.Count == 0) throw new ConfigException($"dataset '{spec.Kind}' has no scans", spec.Path);
            var scans = load.Scans;
            if (spec.ExcludePatients is { Count: > 0 } excluded)
            {
                // Every excluded patient must exist: a typo would otherwise silently train on a "locked" patient.
                var missing = excluded.Where(p => !scans.Any(s => s.PatientId == p)).ToList();
                if (missing.Count > 0)
                    throw new ConfigException($"dataset '{spec.Kind}': excluded patient(s) not found: {string.Join(", ", missing)}", spec.Path);
                scans = scans.Where(s => !excluded.Contains(s.PatientId)).ToList();
                var excludedList = string.Join(", ", excluded);
                TrainingLog.PatientsExcluded(log, spec.Kind, spec.Path, excluded.Count, excludedList);
            }
            var slices = scans.Sum(s => s.Slices.Count);
            TrainingLog.DatasetLoaded(log, spec.Kind, spec.Path, scans.Count, slices);
            all.AddRange(scans);
        }
        if (all.Count == 0) throw new ConfigException("the config lists no datasets");
        return all;
    }
}
