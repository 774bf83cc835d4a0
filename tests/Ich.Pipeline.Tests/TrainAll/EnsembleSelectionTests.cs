using Ich.Application.TrainAll;
using Ich.Core.Errors;
using Ich.Model.Folder;
using Ich.Training.Sequence;

namespace Ich.Pipeline.Tests.TrainAll;

/// <summary>
/// <c>model.ensemble</c>: the released code's mean of every SeqModel2, or the subset of outputs chosen by cross-validation, where
/// each sequence fold's out-of-fold predictions come from the subset chosen without that fold.
/// </summary>
public class EnsembleSelectionTests
{
    private static readonly EnsembleMember A1 = new("a", SequenceOutput.SeqModel1), A2 = new("a", SequenceOutput.SeqModel2),
        B1 = new("b", SequenceOutput.SeqModel1), B2 = new("b", SequenceOutput.SeqModel2);

    /// <summary>
    /// Slices of three folds; per fold, each output's probability of the true label (the same for all six classes). An output
    /// that is "good" on a fold says 0.9 for the truth, a "bad" one 0.4.
    /// </summary>
    private static List<OofSliceOutputs> Slices(Func<int, EnsembleMember, double> truthProbability, int perFold = 20)
    {
        var list = new List<OofSliceOutputs>();
        for (var fold = 0; fold < 3; fold++)
            for (var i = 0; i < perFold; i++)
            {
                var positive = i % 2 == 0;
                var labels = Enumerable.Repeat(positive, 6).ToArray();
                var outputs = new[] { A1, A2, B1, B2 }.ToDictionary(m => m, m =>
                {
                    var p = truthProbability(fold, m);
                    return Enumerable.Repeat(positive ? p : 1 - p, 6).ToArray();
                });
                // Each system's CNN stage says 0.1 ("a") or 0.3 ("b") for every class, so the CNN column shows which systems are used.
                var cnn = new Dictionary<string, double[]> { ["a"] = Enumerable.Repeat(0.1, 6).ToArray(), ["b"] = Enumerable.Repeat(0.3, 6).ToArray() };
                list.Add(new OofSliceOutputs("phantom", $"P{fold}-{i}", $"S{fold}-{i}", $"s{i}", 0, fold, labels, cnn, outputs));
            }
        return list;
    }

    [Fact]
    public void Candidates_TwoSystems_EveryNonEmptySubsetOfFourOutputs_SmallestFirst()
    {
        var candidates = EnsembleSelection.Candidates(["a", "b"]);

        Assert.Equal(15, candidates.Count);
        Assert.Equal(15, candidates.Select(c => string.Join(",", c)).Distinct().Count());
        Assert.Equal([1, 1, 1, 1], candidates.Take(4).Select(c => c.Count));
        Assert.Equal(4, candidates[^1].Count);
    }

    [Fact]
    public void Choose_MeanSeqModel2_EverySystemsSeqModel2_NoPerFoldChoice()
    {
        var choice = EnsembleSelection.Choose(Slices((_, m) => m == A1 ? 0.9 : 0.6), ["a", "b"], EnsembleRule.MeanSeqModel2);

        Assert.Equal([A2, B2], choice.Shipped);
        Assert.Empty(choice.PerFold);
        Assert.Equal([A2, B2], choice.ForFold(1));
        Assert.Single(choice.Candidates);
    }

    [Fact]
    public void Choose_MeanAll_BothOutputsOfEverySystem_NoPerFoldChoice_AndTheOofAnswerIsTheirMean()
    {
        var slices = Slices((_, m) => m == A1 ? 0.9 : 0.6);
        var choice = EnsembleSelection.Choose(slices, ["a", "b"], EnsembleRule.MeanAll);

        Assert.Equal([A1, A2, B1, B2], choice.Shipped);
        Assert.Empty(choice.PerFold);
        Assert.Equal([A1, A2, B1, B2], choice.ForFold(2));
        Assert.Single(choice.Candidates);
        // A positive slice: (0.9 + 0.6 + 0.6 + 0.6) / 4 for every class; the CNN column is the mean of both systems'.
        var first = OofEnsemble.Combine(slices, choice)[0];
        Assert.All(first.Ensemble, p => Assert.Equal(0.675, p, 12));
        Assert.All(first.Cnn, p => Assert.Equal(0.2, p, 12));
        Assert.Contains("every system's SeqModel1 and SeqModel2", EnsembleSelection.Describe(choice));
        // The rule round-trips through its config name.
        Assert.Equal("\"mean-all\"", System.Text.Json.JsonSerializer.Serialize(EnsembleRule.MeanAll));
    }

    [Fact]
    public void Choose_CvSelected_OneOutputBestEverywhere_ChosenForEveryFoldAndShipped()
    {
        var choice = EnsembleSelection.Choose(Slices((_, m) => m == A1 ? 0.9 : 0.6), ["a", "b"], EnsembleRule.CvSelected);

        Assert.Equal([A1], choice.Shipped);
        Assert.Equal([0, 1, 2], choice.PerFold.Select(f => f.Fold));
        Assert.All(choice.PerFold, f => Assert.Equal([A1], f.Members));
        Assert.True(choice.FoldsAgree);
        Assert.Equal(15, choice.Candidates.Count);
    }

    [Fact]
    public void Choose_CvSelected_FoldsOwnSlicesTakeNoPartInItsChoice()
    {
        // B2 is far better on fold 0 only, A1 slightly better on folds 1 and 2. Fold 0's members are chosen on folds 1 and 2,
        // where A1 wins; with fold 0's own slices counted (the shipped choice, on all folds) B2's lead there decides.
        var slices = Slices((fold, m) => fold == 0 ? (m == B2 ? 0.99 : 0.05) : m == A1 ? 0.8 : m == B2 ? 0.7 : 0.3);

        var choice = EnsembleSelection.Choose(slices, ["a", "b"], EnsembleRule.CvSelected);

        Assert.Equal([A1], choice.ForFold(0));
        Assert.Equal([B2], choice.Shipped);
        Assert.False(choice.FoldsAgree);
        // The out-of-fold ensemble of fold 0 is A1's output, of the other folds the choice made without each of them.
        var oof = OofEnsemble.Combine(slices, choice);
        Assert.Equal(slices[0].Outputs[A1], oof[0].Ensemble);
        Assert.Equal(Enumerable.Repeat(0.1, 6), oof[0].Cnn); // the CNN column is the used system's CNN stage
        var released = OofEnsemble.Combine(slices, EnsembleSelection.Choose(slices, ["a", "b"], EnsembleRule.MeanSeqModel2));
        Assert.All(released[0].Cnn, v => Assert.Equal(0.2, v, 12)); // both systems: their mean
    }

    [Fact]
    public void Choose_CvSelected_EqualScores_SmallerSubsetWins()
    {
        // Every output says the same: every subset's mean is that output, so all tie and the first single output stays.
        var choice = EnsembleSelection.Choose(Slices((_, _) => 0.8), ["a", "b"], EnsembleRule.CvSelected);

        Assert.Equal([A1], choice.Shipped);
    }

    [Fact]
    public void Choose_CvSelected_SixSystems_ConfigExceptionNamingTheLimit()
    {
        var e = Assert.Throws<ConfigException>(() =>
            EnsembleSelection.Choose(Slices((_, _) => 0.8), ["a", "b", "c", "d", "e", "f"], EnsembleRule.CvSelected));
        Assert.Contains("up to 5 systems", e.Message);
    }

    [Fact]
    public void ToJsonRead_RoundTripsTheRecord()
    {
        var choice = EnsembleSelection.Choose(Slices((fold, m) => fold == 0 ? (m == B2 ? 0.99 : 0.05) : m == A1 ? 0.8 : 0.3), ["a", "b"], EnsembleRule.CvSelected);
        var dir = Ich.TestKit.RepoPaths.NewTempDir("ich-ensemble");
        File.WriteAllText(Path.Combine(dir, EnsembleSelection.FileName), EnsembleSelection.ToJson(choice));

        var back = EnsembleSelection.Read(dir);

        Assert.Equal(choice.Shipped, back.Shipped);
        Assert.Equal(choice.PerFold.Select(f => string.Join(",", f.Members)), back.PerFold.Select(f => string.Join(",", f.Members)));
        Assert.Equal(choice.Candidates.Select(c => c.WeightedLogLoss), back.Candidates.Select(c => c.WeightedLogLoss));
        Assert.Contains("\"seqModel2\"", File.ReadAllText(Path.Combine(dir, EnsembleSelection.FileName)));
        Directory.Delete(dir, true);
    }

    [Theory]
    [InlineData(null, "package it again")]
    [InlineData("{\"rule\": \"cv-selected\", \"shipped\": null, \"perFold\": [], \"candidates\": []}", "package it again")]
    [InlineData("{\"rule\": \"cv-selected\", \"shipped\": [{\"system\": \"a\", \"output\": \"seqModel1\"}], \"perFold\": [null], \"candidates\": [{\"members\": [], \"weightedLogLoss\": 0.1}]}", "package it again")]
    [InlineData("{\"rule\": \"cv-selected\", \"shipped\": [", "unreadable")]
    public void Read_MissingOrIncompleteRecord_ConfigExceptionNamingTheProblem(string? text, string expected)
    {
        var dir = Ich.TestKit.RepoPaths.NewTempDir("ich-ensemble");
        if (text is not null) File.WriteAllText(Path.Combine(dir, EnsembleSelection.FileName), text);
        var e = Assert.Throws<ConfigException>(() => EnsembleSelection.Read(dir));
        Assert.Contains(expected, e.Message);
        Directory.Delete(dir, true);
    }
}
