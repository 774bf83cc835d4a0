using Ich.Core.Errors;
using Ich.TestKit;
using Ich.Training.Sequence;

namespace Ich.Pipeline.Tests.Seq;

/// <summary>A small sequence run for tests that train: one feature store "alpha" of 9 patients, 3 folds, 2 epochs.</summary>
internal static class TinySeqRun
{
    /// <summary>Writes the store into a new temporary folder and returns that folder (the caller deletes it).</summary>
    public static string NewFolderWithStore()
    {
        var dir = RepoPaths.NewTempDir("ich-seq-run");
        TinyFeatureStores.Write(Path.Combine(dir, "alpha"), "alpha", 8, 9, seed: 3);
        return dir;
    }

    /// <summary>A run of the store in <paramref name="dir"/> into <c>dir/run</c>.</summary>
    public static SeqTrainConfig Config(string dir, string run, bool halfPrecision = false) => new()
    {
        OofStores = new() { ["alpha"] = Path.Combine(dir, "alpha") },
        Out = Path.Combine(dir, run), Folds = 3, Seed = 7, Epochs = 2, Milestones = [2], BatchScans = 4, Window = 6,
        HalfPrecision = halfPrecision, Network = TinySequenceBatch.Options(1) with { Dropout = 0.2 }, BaseDirectory = dir,
    };

    public static string Oof(string dir, string run) => File.ReadAllText(Path.Combine(dir, run, "oof_alpha.csv"));

    /// <summary>The error <see cref="SeqTrainConfig.Load"/> gives for a config file with this text.</summary>
    public static ConfigException LoadError(string json)
    {
        var dir = RepoPaths.NewTempDir("ich-seq-config");
        var path = Path.Combine(dir, "seq.json");
        File.WriteAllText(path, json);
        try { return Assert.Throws<ConfigException>(() => SeqTrainConfig.Load(path)); }
        finally { Directory.Delete(dir, true); }
    }
}
