using Ich.Dicom.Series;
using Ich.TestKit;
using Ich.Training.Cnn;
using Ich.Application.TrainAll;
using Ich.Training.Sequence;

namespace Ich.Pipeline.Tests.Configs;

/// <summary>Every config the repository ships must load and pass its own validation (a stale key or an impossible value is caught here, not mid-training).</summary>
public class CommittedConfigTests
{
    public static IEnumerable<object[]> Files =>
        Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "configs"), "*.json", SearchOption.AllDirectories)
            .Select(f => new object[] { Path.GetRelativePath(RepoPaths.Root, f) }).OrderBy(f => (string)f[0], StringComparer.Ordinal);

    [Theory]
    [MemberData(nameof(Files))]
    public void Load_CommittedConfig_Validates(string relativePath)
    {
        var path = Path.Combine(RepoPaths.Root, relativePath);
        var name = Path.GetFileName(path);
        object loaded = name switch
        {
            "default.json" => TrainAllConfig.Load(path),
            _ when name.StartsWith("train-all", StringComparison.Ordinal) => TrainAllConfig.Load(path),
            "series-selection.json" => SeriesSelectionRules.Load(path),
            _ when name.StartsWith("seq", StringComparison.Ordinal) => SeqTrainConfig.Load(path),
            _ => CnnTrainConfig.Load(path),
        };
        Assert.NotNull(loaded);
    }

    [Fact]
    public void Load_DefaultConfigWithAnImpossibleImageSize_IsRefused()
    {
        // The check above is only worth something if loading really validates: break one value and it must throw.
        var text = File.ReadAllText(Path.Combine(RepoPaths.Root, "configs", "default.json"));
        Assert.Contains("\"imageSize\": 160", text);
        var dir = RepoPaths.NewTempDir();
        var broken = Path.Combine(dir, "default.json");
        File.WriteAllText(broken, text.Replace("\"imageSize\": 160", "\"imageSize\": 120"));
        var ex = Assert.Throws<Ich.Core.Errors.ConfigException>(() => TrainAllConfig.Load(broken));
        Assert.Contains("divisible by 16", ex.Message);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void DefaultConfig_TrainsAtLeastTwoArchitectures()
    {
        var config = TrainAllConfig.Load(Path.Combine(RepoPaths.Root, "configs", "default.json"));
        Assert.True(config.Cnn.Values.Select(c => c.Backbone).Distinct().Count() >= 2, "the default ensemble must mix architectures (issue: stages 2-3)");
    }
}
