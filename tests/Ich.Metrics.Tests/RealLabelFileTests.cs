using Ich.Core;
using Ich.Metrics.Labels;
using Ich.TestKit;

namespace Ich.Metrics.Tests;

/// <summary>The label readers on the real PhysioNet CT-ICH file (skipped by name when the corpus is absent).</summary>
public class RealLabelFileTests
{
    [SkippableFact]
    public void PhysionetLabels_RealHemorrhageDiagnosis_ReadsEverySliceConsistently()
    {
        var path = RepoPaths.RequireShared("physionet-ctich/hemorrhage_diagnosis.csv");
        var set = LabelSet.Read(path, LabelFormat.Physionet);
        // README of the corpus: 56 patients, 1,732 labelled slices; 25 patients with hemorrhage.
        Assert.Equal(1732, set.Items.Count);
        var patients = set.Items.Keys.Select(k => k[..3]).Distinct().ToArray();
        Assert.Equal(56, patients.Length);
        Assert.Contains("049", patients);
        var positivePatients = set.Items.Where(kv => kv.Value[0]).Select(kv => kv.Key[..3]).Distinct().Count();
        Assert.Equal(25, positivePatients);
        Assert.All(set.Items.Values, y => Assert.Equal(y.Skip(1).Any(v => v), y[0]));
        Assert.Equal(HemorrhageClasses.Count, set.Items.First().Value.Length);
    }
}
