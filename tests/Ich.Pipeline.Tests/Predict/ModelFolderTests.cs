using Ich.Core.Errors;
using Ich.Core.Scans;
using Ich.Model.Folder;
using Ich.Model.Cnn;
using Ich.Pipeline.Tests.Seq;
using Ich.TestKit;
using Ich.Training.Sequence;

namespace Ich.Pipeline.Tests.Predict;

[Collection(TorchSerialCollection.Name)]
public class ModelFolderTests
{
    [Fact]
    public void Write_TinyComponents_GivesALoadableFolderWithHalfCheckpoints()
    {
        var source = TinyModelFolder.Create();
        var manifest = ModelManifest.Load(source);
        var target = RepoPaths.NewTempDir("ich-model");
        var backbone = manifest.Backbones[0] with { Checkpoints = [] };
        var bytes = ModelFolderWriter.Write(target, manifest with { Name = "repacked" },
            [new BackboneSource(backbone, [() => CnnFactory.Create("small", 1), () => CnnFactory.Create("small", 2)])],
            manifest.Sequence!, source, half: true, records: new Dictionary<string, string> { ["evidence.json"] = "[1]", ["oof/answer/physionet.csv"] = "scan_id" });
        var loaded = ModelManifest.Load(target);
        Assert.Equal("repacked", loaded.Name);
        Assert.Equal("[1]", File.ReadAllText(Path.Combine(target, "evidence.json")));
        Assert.Equal("scan_id", File.ReadAllText(Path.Combine(target, "oof", "answer", "physionet.csv")));
        Assert.Equal(["cnn/small/fold0.state", "cnn/small/fold1.state"], loaded.Backbones[0].Checkpoints);
        // SmallCnn has ~1.6 M parameters: two float16 folds are ~6.4 MB, float32 would be ~13 MB.
        Assert.InRange(new FileInfo(Path.Combine(target, "cnn/small/fold0.state")).Length, 2_000_000, 4_500_000);
        Assert.True(bytes > 0);
        Directory.Delete(target, true);
        Directory.Delete(source, true);
    }

    [Fact]
    public void Write_IntoAFolderThatIsNotAModel_IsRefusedAndLeavesItUntouched()
    {
        var source = TinyModelFolder.Create();
        var manifest = ModelManifest.Load(source);
        var target = RepoPaths.NewTempDir("ich-model");
        File.WriteAllText(Path.Combine(target, "notes.txt"), "a user's file");
        var ex = Assert.Throws<ConfigException>(() => ModelFolderWriter.Write(target, manifest,
            [new BackboneSource(manifest.Backbones[0], [() => CnnFactory.Create("small", 1)])], manifest.Sequence!, source, half: true));
        Assert.Contains("not a model folder", ex.Message);
        Assert.Equal(["notes.txt"], Directory.EnumerateFileSystemEntries(target).Select(Path.GetFileName));
        Assert.Empty(Directory.EnumerateDirectories(Path.GetDirectoryName(target)!, Path.GetFileName(target) + ".staging-*"));
        Directory.Delete(target, true);
        Directory.Delete(source, true);
    }

    [Theory]
    [InlineData("../escape.json")]
    [InlineData("oof/../../escape.json")]
    [InlineData("/escape.json")]
    [InlineData("oof//x.csv")]
    [InlineData("model.json")]
    [InlineData("cnn/small/fold0.state")]
    [InlineData("seq/x.csv")]
    public void Write_RecordThatIsNotAPlainRelativePath_IsRefusedAndNothingIsWritten(string name)
    {
        var source = TinyModelFolder.Create();
        var manifest = ModelManifest.Load(source);
        var target = Path.Combine(RepoPaths.NewTempDir("ich-model"), "model");
        Assert.Throws<ArgumentException>(() => ModelFolderWriter.Write(target, manifest,
            [new BackboneSource(manifest.Backbones[0] with { Checkpoints = [] }, [() => CnnFactory.Create("small", 1)])], manifest.Sequence!, source,
            half: true, records: new Dictionary<string, string> { [name] = "x" }));
        Assert.False(Directory.Exists(target));
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(target)!, "escape.json")));
        Directory.Delete(source, true);
    }

    /// <summary>
    /// model.json backbone <c>framing</c>: absent = <c>field</c> (every folder made before it existed, models/default
    /// 3.0.0 among them), <c>head</c> read as such, anything else refused naming the value's place.
    /// </summary>
    [Fact]
    public void Load_Framing_AbsentIsFieldHeadIsReadAndAnUnknownValueIsRefused()
    {
        var dir = TinyModelFolder.Create(framing: InputFraming.Head);
        var path = Path.Combine(dir, ModelManifest.FileName);
        var text = File.ReadAllText(path);
        Assert.Contains("\"framing\": \"head\"", text);
        Assert.Equal(InputFraming.Head, ModelManifest.Load(dir).Backbones[0].Framing);
        File.WriteAllText(path, text.Replace("\"framing\": \"head\",", ""));
        Assert.Equal(InputFraming.Field, ModelManifest.Load(dir).Backbones[0].Framing);
        File.WriteAllText(path, text.Replace("\"framing\": \"head\"", "\"framing\": \"zoom\""));
        var ex = Assert.Throws<ConfigException>(() => ModelManifest.Load(dir));
        Assert.Contains("framing", ex.Message);
        Directory.Delete(dir, true);
        // The bundled default declares the framing its recipe trained each backbone with.
        var bundled = ModelManifest.Load(Path.Combine(RepoPaths.Root, "models", "default"));
        var recipe = Ich.Application.TrainAll.TrainAllConfig.Load(Path.Combine(RepoPaths.Root, "configs", "default.json"));
        Assert.All(bundled.Backbones, b => Assert.Equal(recipe.Cnn[b.Name].Framing, b.Framing));
    }

    [Fact]
    public void Load_Ensemble_AbsentIsEverySeqModel2_NamedMembersAreRead_UnknownSystemOrDuplicateRefused()
    {
        var dir = TinyModelFolder.Create();
        var manifest = ModelManifest.Load(dir);
        Assert.Null(manifest.Ensemble);
        Assert.Equal([new EnsembleMember("small", SequenceOutput.SeqModel2)], manifest.EnsembleMembers());

        (manifest with { Ensemble = new EnsembleManifest { Members = [new("small", SequenceOutput.SeqModel1)], Description = "d" } }).Save(dir);
        Assert.Contains("\"output\": \"seqModel1\"", File.ReadAllText(Path.Combine(dir, ModelManifest.FileName)));
        Assert.Equal([new EnsembleMember("small", SequenceOutput.SeqModel1)], ModelManifest.Load(dir).EnsembleMembers());

        (manifest with { Ensemble = new EnsembleManifest { Members = [new("other", SequenceOutput.SeqModel1)] } }).Save(dir);
        Assert.Contains("names a system the folder does not hold", Assert.Throws<ConfigException>(() => ModelManifest.Load(dir)).Message);
        (manifest with { Ensemble = new EnsembleManifest { Members = [new("small", SequenceOutput.SeqModel2), new("small", SequenceOutput.SeqModel2)] } }).Save(dir);
        Assert.Contains("listed twice", Assert.Throws<ConfigException>(() => ModelManifest.Load(dir)).Message);
        (manifest with { Ensemble = new EnsembleManifest() }).Save(dir);
        Assert.Contains("no members", Assert.Throws<ConfigException>(() => ModelManifest.Load(dir)).Message);
        var path = Path.Combine(dir, ModelManifest.FileName);
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"members\": []", "\"members\": null"));
        Assert.Contains("no members", Assert.Throws<ConfigException>(() => ModelManifest.Load(dir)).Message);
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"members\": null", "\"members\": [null]"));
        Assert.Contains("without a system", Assert.Throws<ConfigException>(() => ModelManifest.Load(dir)).Message);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void Load_MissingCheckpoint_IsAConfigErrorNamingTheFile()
    {
        var dir = TinyModelFolder.Create();
        File.Delete(Path.Combine(dir, "seq/small/fold1.state"));
        var ex = Assert.Throws<ConfigException>(() => ModelManifest.Load(dir));
        Assert.Contains("seq/small/fold1.state", ex.Message);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void Choose_FourScans_PicksTheLowestPositiveMaximumForFullSensitivity()
    {
        // Class "any" scan maxima 0.9, 0.7, 0.4, 0.2 with labels 1, 1, 0, 1: sensitivity ≥ 0.95 needs all
        // three positives, so the threshold is 0.2 and the negative at 0.4 is a false positive.
        float[] Scan(float any) => [any, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f];
        float[] Label(bool positive) => [positive ? 1 : 0, 0, 0, 0, 0, 0];
        var scans = new List<(float[], float[])>
        {
            (Scan(0.9f), Label(true)), (Scan(0.7f), Label(true)), (Scan(0.4f), Label(false)), (Scan(0.2f), Label(true)),
        };
        var op = TriageOperatingPoint.Choose(scans, 0.95);
        Assert.Equal(0.2, op[0].Threshold, 6);
        Assert.Equal(1.0, op[0].Sensitivity);
        Assert.Equal(0.0, op[0].Specificity);
        Assert.Equal(3, op[0].Positives);
        Assert.Equal(0.5, op[1].Threshold);
        Assert.Contains("no positive scan", op[1].Rule);
    }
}
