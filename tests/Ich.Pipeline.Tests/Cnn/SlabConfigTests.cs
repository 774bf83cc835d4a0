using Ich.Core.Errors;
using Ich.Model.Folder;
using Ich.Pipeline.Tests.Predict;
using Ich.Training.Cnn;

namespace Ich.Pipeline.Tests.Cnn;

/// <summary>
/// <c>slabMm</c> as a contract: the CNN config and the model folder accept 2–10 mm or nothing, and a folder without slabs
/// writes no key (model.json of every earlier model reads and writes as before).
/// </summary>
public class SlabConfigTests
{
    [Theory]
    [InlineData(1.5)]
    [InlineData(11.0)]
    [InlineData(double.NaN)]
    public void CnnConfig_SlabOutsideItsRange_IsRefusedByName(double slabMm) =>
        Assert.Contains("slabMm must be 2–10 mm", Assert.Throws<ConfigException>(() => new CnnTrainConfig { SlabMm = slabMm }.Validate()).Message, StringComparison.Ordinal);

    [Fact]
    public void CnnConfig_SlabInRange_OrAbsent_IsAccepted()
    {
        new CnnTrainConfig { SlabMm = 5 }.Validate();
        new CnnTrainConfig().Validate();
    }

    [Fact]
    public void ModelFolder_WritesSlabOnlyWhenSet_AndRefusesOneOutOfRange()
    {
        var plain = TinyModelFolder.Create();
        Assert.DoesNotContain("slabMm", File.ReadAllText(Path.Combine(plain, ModelManifest.FileName)), StringComparison.Ordinal);
        var slab = TinyModelFolder.Create(slabMm: 5);
        Assert.Contains("\"slabMm\": 5", File.ReadAllText(Path.Combine(slab, ModelManifest.FileName)), StringComparison.Ordinal);
        using (var bundle = ModelBundle.Load(slab)) Assert.Equal(5, bundle.Manifest.Backbones[0].SlabMm);

        var wrong = TinyModelFolder.Create(slabMm: 20);
        Assert.Contains("backbone small: slabMm must be 2–10 mm", Assert.Throws<ConfigException>(() => ModelBundle.Load(wrong)).Message, StringComparison.Ordinal);
    }
}
