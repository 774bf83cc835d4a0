using Ich.Training.Ensemble;

namespace Ich.Pipeline.Tests.Seq;

public class StageScoresTests
{
    /// <summary>A scan's [L, 6] rows with only the "any" column set.</summary>
    private static float[] AnyOnly(params float[] perSlice)
    {
        var rows = new float[perSlice.Length * 6];
        for (var i = 0; i < perSlice.Length; i++) rows[i * 6] = perSlice[i];
        return rows;
    }

    [Fact]
    public void Compute_ScoresSlicesAndScansSeparately()
    {
        // Scan A: a bleed on slice 2 scored 0.9; scan B: no bleed but a 0.95 slice; scan C: a bleed scored only 0.3,
        // its clean slice 0.4. Slices: positives 0.9, 0.3 against negatives 0.2, 0.95, 0.1, 0.4 → 5 of 8 pairs.
        // Scans (highest slice): positives 0.9 (A) and 0.4 (C) against the negative 0.95 (B) → 0 of 2.
        var scans = new List<(float[], float[])>
        {
            (AnyOnly(0.2f, 0.9f), AnyOnly(0, 1)),
            (AnyOnly(0.95f, 0.1f), AnyOnly(0, 0)),
            (AnyOnly(0.3f, 0.4f), AnyOnly(1, 0)),
        };
        var scores = StageScores.Compute("stage", scans);
        Assert.Equal(6, scores.Slices);
        Assert.Equal(3, scores.Scans);
        Assert.Equal(0.625, scores.Auc[0], 12);
        Assert.Equal(0.0, scores.ScanAuc[0], 12);
        for (var c = 1; c < 6; c++)
        {
            Assert.True(double.IsNaN(scores.Auc[c]), "a class without positives has no slice AUC");
            Assert.True(double.IsNaN(scores.ScanAuc[c]), "a class without positives has no scan AUC");
        }
    }

    [Fact]
    public void Compute_RejectsRaggedOrEmptyScans()
    {
        Assert.Throws<ArgumentException>(() => StageScores.Compute("s", [(new float[6], new float[12])]));
        Assert.Throws<ArgumentException>(() => StageScores.Compute("s", [(new float[7], new float[7])]));
        Assert.Throws<ArgumentException>(() => StageScores.Compute("s", [(Array.Empty<float>(), Array.Empty<float>())]));
    }

    [Fact]
    public void Markdown_HasOneScanLevelRowPerStage()
    {
        var scans = new List<(float[], float[])> { (AnyOnly(0.2f, 0.9f), AnyOnly(0, 1)), (AnyOnly(0.1f), AnyOnly(0)) };
        var md = AblationTable.Markdown([StageScores.Compute("2D-CNN (x)", scans), StageScores.Compute("Model ensemble (single system)", scans)], "note");
        Assert.Contains("| stage | scans | scan AUC ICH |", md);
        Assert.Contains("| 2D-CNN (x) | 2 | 1.0000 | n/a |", md);
        Assert.Contains("| Model ensemble (single system) | 2 | 1.0000 |", md);
        Assert.Contains("| 2D-CNN (x) | 3 | ", md); // the slice table: three slices
    }
}
