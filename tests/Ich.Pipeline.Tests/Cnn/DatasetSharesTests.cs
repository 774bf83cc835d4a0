using Ich.Core.Errors;
using Ich.Training.Cnn;

namespace Ich.Pipeline.Tests.Cnn;

/// <summary>
/// <c>sampling.datasetShares</c>: a listed dataset's share of the draws is fixed whatever the pools' sizes, the others
/// keep their relative weights; every way a share could silently starve or rescale a dataset is an error.
/// </summary>
public class DatasetSharesTests
{
    private static readonly Dictionary<string, double> RealForty = new() { ["real"] = 0.4 };

    [Fact]
    public void Apply_ListedDatasetGetsItsShare_OthersKeepTheirRatios()
    {
        // Items 0–1 real (weights 1, 3), items 2–4 phantom (1, 1, 2), item 5 other (4).
        double[] weights = [1, 3, 1, 1, 2, 4];
        string[] of = ["real", "real", "phantom", "phantom", "phantom", "other"];
        DatasetSharePlan.Apply(RealForty, weights, k => of[k]);
        // real: 0.4 split 1:3; phantom and other share 0.6 in proportion to 4 and 4.
        double[] expected = [0.1, 0.3, 0.075, 0.075, 0.15, 0.3];
        for (var k = 0; k < weights.Length; k++) Assert.Equal(expected[k], weights[k], 12);
    }

    [Fact]
    public void Apply_NoShares_LeavesTheWeights()
    {
        double[] weights = [1, 3, 2];
        DatasetSharePlan.Apply(new Dictionary<string, double>(), weights, _ => "any");
        Assert.Equal([1, 3, 2], weights);
    }

    [Fact]
    public void EpochSampler_ShareHoldsWhateverThePoolSize()
    {
        // 2 "real" scans against 10 "phantom" scans of 8 slices: by slice count real would be 1/6 of the draws.
        var scans = TinyScans.Make(2, 8, seed: 3).Select(s => s with { Dataset = "real" })
            .Concat(TinyScans.Make(10, 8, seed: 4).Select(s => s with { Dataset = "phantom", ScanId = "ph-" + s.ScanId, PatientId = "ph-" + s.PatientId }))
            .ToList();
        var table = new SliceTable(scans, 16);
        var all = Enumerable.Range(0, scans.Count).ToList();
        var config = new SamplingConfig { Kind = "positive-oversample", DatasetShares = RealForty };
        // An epoch draws as many items as there are slices (96): 200 epochs give the shares to about ±0.01.
        int[] Draws(SamplingConfig c) => Enumerable.Range(0, 200).SelectMany(e => EpochSampler.Order(table, all, c, 7, 0, e)).ToArray();
        var plain = Draws(config with { DatasetShares = new Dictionary<string, double>() });
        var shared = Draws(config);
        double RealShare(int[] order) => order.Count(i => scans[table.Slices[i].Scan].Dataset == "real") / (double)order.Length;
        Assert.InRange(RealShare(plain), 0.13, 0.20);
        Assert.InRange(RealShare(shared), 0.38, 0.42);
        // Within a dataset positives stay positiveWeight× as likely as negatives.
        var real = shared.Where(i => scans[table.Slices[i].Scan].Dataset == "real").ToList();
        var positives = real.Count(table.IsPositive);
        var positiveSlices = all.Take(2).Sum(s => scans[s].Slices.Count(x => x.Labels![0] == 1));
        var negativeSlices = 16 - positiveSlices;
        var perPositive = positives / (double)positiveSlices;
        var perNegative = (real.Count - positives) / (double)negativeSlices;
        Assert.InRange(perPositive / perNegative, 2.6, 3.4);
    }

    [Theory]
    [InlineData("uniform", 0.4, "needs sampling.kind")]
    [InlineData("positive-oversample", 0, "share in (0, 1]")]
    [InlineData("positive-oversample", 1.5, "share in (0, 1]")]
    public void Validate_BadShares_AreConfigErrors(string kind, double share, string message)
    {
        var config = new CnnTrainConfig { Sampling = new SamplingConfig { Kind = kind, DatasetShares = new Dictionary<string, double> { ["physionet"] = share } } };
        Assert.Contains(message, Assert.Throws<ConfigException>(() => config.Validate()).Message);
    }

    [Fact]
    public void Validate_AgainstTheDatasets_NamesWhatIsWrong()
    {
        var datasets = new List<DatasetSpec> { new("physionet", "a"), new("phantom", "b") };
        CnnTrainConfig With(Dictionary<string, double> shares) =>
            new() { Datasets = datasets, Sampling = new SamplingConfig { Kind = "positive-oversample", DatasetShares = shares } };
        With(new() { ["physionet"] = 0.4 }).Validate();
        With(new() { ["physionet"] = 0.4, ["phantom"] = 0.6 }).Validate();
        Assert.Contains("'physionat'", Assert.Throws<ConfigException>(() => With(new() { ["physionat"] = 0.4 }).Validate()).Message);
        Assert.Contains("leave nothing for phantom", Assert.Throws<ConfigException>(() => With(new() { ["physionet"] = 1 }).Validate()).Message);
        Assert.Contains("not 1", Assert.Throws<ConfigException>(() => With(new() { ["physionet"] = 0.3, ["phantom"] = 0.3 }).Validate()).Message);
        Assert.Contains("more than 1", Assert.Throws<ConfigException>(() => With(new() { ["physionet"] = 0.6, ["phantom"] = 0.6 }).Validate()).Message);
    }

    [Fact]
    public void TrainAllConfig_MisspeltShare_IsRefusedAtLoad()
    {
        // The committed recipe that uses shares, with the dataset misspelt: caught when the config loads, before phantoms are drawn.
        var text = File.ReadAllText(Path.Combine(Ich.TestKit.RepoPaths.Root, "configs", "default.json"));
        Assert.Contains("\"datasetShares\": { \"physionet\": 0.3 }", text);
        var dir = Ich.TestKit.RepoPaths.NewTempDir();
        try
        {
            var broken = Path.Combine(dir, "train-all.json");
            File.WriteAllText(broken, text.Replace("\"datasetShares\": { \"physionet\": 0.3 }", "\"datasetShares\": { \"physionat\": 0.3 }"));
            var error = Assert.Throws<ConfigException>(() => Ich.Application.TrainAll.TrainAllConfig.Load(broken));
            Assert.Contains("'physionat'", error.Message);
            Assert.Contains("phantom, physionet", error.Message);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void ModelCard_ItemsPerEpochCell_StatesTheShares()
    {
        var plain = new SamplingConfig { Kind = "positive-oversample", MaxPerEpoch = 2000 };
        Assert.Equal("2000", Ich.Application.TrainAll.ModelCard.ItemsPerEpoch(plain));
        Assert.Equal("all", Ich.Application.TrainAll.ModelCard.ItemsPerEpoch(plain with { MaxPerEpoch = null }));
        var shared = plain with { DatasetShares = new Dictionary<string, double> { ["physionet"] = 0.3, ["cq500"] = 0.125 } };
        Assert.Equal("2000 (cq500 12.5 %, physionet 30 %)", Ich.Application.TrainAll.ModelCard.ItemsPerEpoch(shared));
    }

    [Fact]
    public void Apply_ListedDatasetMissingFromTheFold_IsAnError()
    {
        double[] weights = [1, 1];
        var error = Assert.Throws<ConfigException>(() => DatasetSharePlan.Apply(RealForty, weights, _ => "phantom"));
        Assert.Contains("'real'", error.Message);
    }

    [Fact]
    public void Json_RoundTripsTheShares()
    {
        var path = Path.Combine(Path.GetTempPath(), $"ich-shares-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(path, """{ "backbone": "small", "imageSize": 64, "sampling": { "kind": "positive-oversample", "datasetShares": { "physionet": 0.35 } } }""");
            var config = CnnTrainConfig.Load(path);
            Assert.Equal(0.35, config.Sampling.DatasetShares["physionet"]);
            using var written = System.Text.Json.JsonDocument.Parse(config.ToJson());
            Assert.Equal(0.35, written.RootElement.GetProperty("sampling").GetProperty("datasetShares").GetProperty("physionet").GetDouble());
        }
        finally { File.Delete(path); }
    }
}
