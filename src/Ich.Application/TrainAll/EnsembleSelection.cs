using System.Text.Json;
using Ich.Core.Errors;
using Ich.Metrics;
using Ich.Model.Folder;
using Ich.Training.Sequence;

namespace Ich.Application.TrainAll;

/// <summary>A candidate ensemble and its out-of-fold weighted log-loss on every scan.</summary>
public sealed record CandidateScore(List<EnsembleMember> Members, double WeightedLogLoss);

/// <summary>The members chosen on the scans outside one sequence fold, which that fold's out-of-fold predictions use.</summary>
public sealed record FoldChoice(int Fold, List<EnsembleMember> Members, double WeightedLogLossOutside);

/// <summary>
/// How the model's ensemble was chosen (<c>ensemble_selection.json</c> in the model folder): the shipped members, the members each
/// sequence fold's out-of-fold predictions were formed with (chosen without that fold), and every candidate's score.
/// </summary>
public sealed record EnsembleChoice(EnsembleRule Rule, List<EnsembleMember> Shipped, List<FoldChoice> PerFold, List<CandidateScore> Candidates)
{
    /// <summary>The members forming the out-of-fold predictions of <paramref name="fold"/>'s scans.</summary>
    public IReadOnlyList<EnsembleMember> ForFold(int fold) => PerFold.FirstOrDefault(f => f.Fold == fold)?.Members ?? Shipped;

    /// <summary>Whether every fold chose what was shipped (then the out-of-fold numbers are exactly the shipped ensemble's).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool FoldsAgree => PerFold.All(f => f.Members.SequenceEqual(Shipped));
}

/// <summary>
/// Chooses the outputs the model averages (<see cref="EnsembleRule"/>). For <see cref="EnsembleRule.CvSelected"/> the
/// candidates are every non-empty subset of the systems' SeqModel1 and SeqModel2 outputs, scored by the weighted log-loss
/// (the RSNA metric the sequence stage is trained on) of their unweighted mean over out-of-fold slices. Each sequence fold
/// gets the subset that scores best on the other folds' slices, so no fold's reported predictions took part in choosing
/// them; the shipped subset is the best on all slices. Ties go to the smaller subset (less to compute), then to the
/// earlier in a fixed order, so the choice is deterministic.
/// </summary>
public static class EnsembleSelection
{
    public const string FileName = "ensemble_selection.json";

    /// <summary>2^(2·5) − 1 = 1,023 candidates: beyond five systems an exhaustive search is not this rule's job.</summary>
    public const int MaxSystems = 5;

    public static EnsembleChoice Choose(IReadOnlyList<OofSliceOutputs> slices, IReadOnlyList<string> systems, EnsembleRule rule)
    {
        if (slices.Count == 0) throw new ArgumentException("no out-of-fold slices", nameof(slices));
        if (rule is EnsembleRule.MeanSeqModel2 or EnsembleRule.MeanAll)
        {
            // Fixed rules: nothing is chosen, so there is one candidate and no per-fold choice.
            var all = rule == EnsembleRule.MeanSeqModel2 ? EnsembleManifest.AllSeqModel2(systems) : Outputs(systems);
            return new EnsembleChoice(rule, all, [], [new CandidateScore(all, Loss(slices, all))]);
        }
        if (systems.Count > MaxSystems)
            throw new ConfigException($"model.ensemble \"cv-selected\" searches every subset of the outputs of up to {MaxSystems} systems; this run has {systems.Count}");
        var candidates = Candidates(systems);
        var scores = candidates.Select(c => new CandidateScore(c, Loss(slices, c))).ToList();
        var folds = slices.Select(s => s.SeqFold).Distinct().Order().ToList();
        var perFold = new List<FoldChoice>();
        foreach (var fold in folds)
        {
            var outside = slices.Where(s => s.SeqFold != fold).ToList();
            // A single-fold run has nothing outside the fold: its only honest choice is none, so it is refused.
            if (outside.Count == 0) throw new ConfigException("model.ensemble \"cv-selected\" needs out-of-fold slices from at least two sequence folds");
            var (best, loss) = Best(candidates.Select(c => (c, Loss(outside, c))));
            perFold.Add(new FoldChoice(fold, best, loss));
        }
        var shipped = Best(scores.Select(s => (s.Members, s.WeightedLogLoss))).Members;
        return new EnsembleChoice(rule, shipped, perFold, scores);
    }

    /// <summary>Every non-empty subset of the systems' two outputs, smaller subsets first.</summary>
    public static List<List<EnsembleMember>> Candidates(IReadOnlyList<string> systems)
    {
        var outputs = Outputs(systems);
        return Enumerable.Range(1, (1 << outputs.Count) - 1)
            .Select(bits => outputs.Where((_, i) => (bits & (1 << i)) != 0).ToList())
            .OrderBy(c => c.Count)
            .ToList();
    }

    /// <summary>Every system's SeqModel1 and SeqModel2, system by system.</summary>
    private static List<EnsembleMember> Outputs(IReadOnlyList<string> systems) =>
        systems.SelectMany(s => new[] { new EnsembleMember(s, SequenceOutput.SeqModel1), new EnsembleMember(s, SequenceOutput.SeqModel2) }).ToList();

    /// <summary>The model-folder record, as JSON.</summary>
    public static string ToJson(EnsembleChoice choice) => JsonSerializer.Serialize(choice, SeqTrainConfig.JsonOptions);

    /// <summary>Reads the record a model folder was packaged with.</summary>
    public static EnsembleChoice Read(string modelFolder)
    {
        var path = Path.Combine(modelFolder, FileName);
        if (!File.Exists(path)) throw new ConfigException($"the model folder has no {FileName}: package it again (ich train all reruns packaging)", path);
        EnsembleChoice choice;
        try { choice = JsonSerializer.Deserialize<EnsembleChoice>(File.ReadAllText(path), SeqTrainConfig.JsonOptions) ?? throw new JsonException("empty"); }
        catch (JsonException e) { throw new ConfigException($"unreadable: {e.Message}", path); }
        // A hand-edited or truncated record must not surface later as a null deep inside the card.
        if (choice.Shipped is not { Count: > 0 } || choice.PerFold is null || choice.Candidates is not { Count: > 0 }
            || choice.Shipped.Concat(choice.PerFold.SelectMany(f => f?.Members ?? [null!])).Any(m => m is null || string.IsNullOrEmpty(m.System)))
            throw new ConfigException("incomplete: it needs shipped members, per-fold choices (may be empty) and candidate scores; package it again", path);
        return choice;
    }

    /// <summary>A plain-language line on the members, for model.json and the card.</summary>
    public static string Describe(EnsembleChoice choice) =>
        $"unweighted mean of {string.Join(", ", choice.Shipped)}" + choice.Rule switch
        {
            EnsembleRule.MeanSeqModel2 => " (every system's SeqModel2, as the released code)",
            EnsembleRule.MeanAll => " (every system's SeqModel1 and SeqModel2; no data chose it)",
            _ => " (the subset of the systems' SeqModel1/SeqModel2 outputs with the lowest out-of-fold weighted log-loss; see " + FileName + ")",
        };

    private static (List<EnsembleMember> Members, double Loss) Best(IEnumerable<(List<EnsembleMember> Members, double Loss)> scored)
    {
        (List<EnsembleMember> Members, double Loss)? best = null;
        foreach (var s in scored)
            if (best is null || s.Loss < best.Value.Loss) best = s; // strict: the first (smallest) of equal candidates stays
        return best ?? throw new ArgumentException("no candidates");
    }

    private static double Loss(IReadOnlyList<OofSliceOutputs> slices, IReadOnlyList<EnsembleMember> members) =>
        WeightedLogLoss.Compute(slices.Select(s => OofEnsemble.Mean(s, members)).ToList(), slices.Select(s => s.Labels).ToList()).Total;
}
