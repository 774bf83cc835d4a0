using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Ich.Core;
using Ich.Core.Scans;

namespace Ich.Training.Cnn;

/// <summary>
/// The layout of a CNN training run folder: <c>config.json</c>, <c>run.json</c> (git commit, start time,
/// device), <c>data_summary.json</c>, <c>folds.csv</c>, <c>metrics.csv</c> (one row per fold and epoch),
/// <c>log.txt</c>, <c>fold{k}/</c> (best.model, last.model, last.optim, state.json) and
/// <c>features/oof/</c> (a <see cref="Features.FeatureStore"/>).
/// </summary>
public sealed class RunFolder(string root)
{
    private static readonly JsonSerializerOptions IndentedJson = new() { WriteIndented = true };

    public string Root { get; } = root;
    public string ConfigPath => Path.Combine(Root, "config.json");
    public string MetricsPath => Path.Combine(Root, "metrics.csv");
    public string LogPath => Path.Combine(Root, "log.txt");
    public string FoldsPath => Path.Combine(Root, "folds.csv");
    public string OofFeatures => Path.Combine(Root, "features", "oof");
    public string FoldDir(int fold) => Path.Combine(Root, $"fold{fold}");
    public string BestModel(int fold) => Path.Combine(FoldDir(fold), "best.model");
    public string LastModel(int fold) => Path.Combine(FoldDir(fold), "last.model");
    public string LastOptimizer(int fold) => Path.Combine(FoldDir(fold), "last.optim");
    public string StatePath(int fold) => Path.Combine(FoldDir(fold), "state.json");

    public static readonly string MetricsHeader =
        "fold,epoch,lr,train_loss,val_weighted_logloss," + string.Join(",", HemorrhageClasses.Names.Select(n => "auc_" + n)) + ",seconds";

    /// <summary>Creates the folder for a new run; refuses a folder that already holds a run.</summary>
    public void CreateNew(CnnTrainConfig config, string device)
    {
        if (File.Exists(ConfigPath))
            throw new Ich.Core.Errors.ConfigException("a run already exists here (use --resume to continue it, or another --out)", Root);
        Directory.CreateDirectory(Root);
        File.WriteAllText(ConfigPath, config.ToJson());
        var run = new Dictionary<string, string>
        {
            ["gitCommit"] = GitCommit(),
            ["started"] = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            ["device"] = device,
            ["libtorch"] = TorchSharp.torch.__version__,
            ["machine"] = $"{Environment.ProcessorCount} cores, {Environment.OSVersion}",
        };
        File.WriteAllText(Path.Combine(Root, "run.json"), JsonSerializer.Serialize(run, IndentedJson));
        File.WriteAllText(MetricsPath, MetricsHeader + "\n");
    }

    /// <summary>Writes folds.csv and data_summary.json (scans, patients, slices and positives per class per fold).</summary>
    public void WriteData(IReadOnlyList<ScanRecord> scans, int[] folds, int foldCount)
    {
        var csv = new StringBuilder("dataset,patient_id,scan_id,fold\n");
        for (var i = 0; i < scans.Count; i++) csv.Append($"{scans[i].Dataset},{scans[i].PatientId},{scans[i].ScanId},{folds[i]}\n");
        File.WriteAllText(FoldsPath, csv.ToString());
        var summary = Enumerable.Range(0, foldCount).Select(f =>
        {
            var fs = scans.Where((_, i) => folds[i] == f).ToList();
            var slices = fs.SelectMany(s => s.Slices).ToList();
            return new
            {
                fold = f,
                scans = fs.Count,
                patients = fs.Select(s => s.PatientId).Distinct().Count(),
                slices = slices.Count,
                positives = HemorrhageClasses.Names.Select((n, c) => new { n, c })
                    .ToDictionary(t => t.n, t => slices.Count(s => s.Labels is { } l && l[t.c] > 0.5f)),
            };
        }).ToList();
        var datasets = scans.GroupBy(s => s.Dataset).ToDictionary(g => g.Key, g => g.Count());
        File.WriteAllText(Path.Combine(Root, "data_summary.json"),
            JsonSerializer.Serialize(new { datasets, folds = summary }, IndentedJson));
    }

    public void AppendMetrics(string row) => File.AppendAllText(MetricsPath, row + "\n");

    public void Log(string line) =>
        File.AppendAllText(LogPath, $"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ} {line}\n");

    private static string GitCommit()
    {
        try
        {
            var psi = new ProcessStartInfo("git", "rev-parse HEAD") { RedirectStandardOutput = true, RedirectStandardError = true };
            using var p = Process.Start(psi)!;
            var text = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit(5000);
            return p.ExitCode == 0 && text.Length > 0 ? text : "unknown (not a git checkout)";
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return "unknown (git not available)";
        }
    }
}

/// <summary>Resume point of one fold (<c>fold{k}/state.json</c>).</summary>
public sealed record FoldState
{
    public int Epoch { get; init; }
    public int Batch { get; init; }
    public double TrainLossSum { get; init; }
    public long TrainCount { get; init; }
    public double BestValLoss { get; init; } = double.PositiveInfinity;
    public int BestEpoch { get; init; } = -1;
    public bool Completed { get; init; }
    /// <summary>The libtorch thread count the fold was started with (null in folds saved before it was recorded).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public int? Threads { get; init; }

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static FoldState? Read(string path) =>
        File.Exists(path) ? JsonSerializer.Deserialize<FoldState>(File.ReadAllText(path), Json) : null;

    public void Write(string path)
    {
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, JsonSerializer.Serialize(this, Json));
        File.Move(tmp, path, overwrite: true);
    }
}
