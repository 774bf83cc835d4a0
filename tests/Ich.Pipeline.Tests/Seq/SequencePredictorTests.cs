using Ich.Model.Sequence;
using static TorchSharp.torch;

namespace Ich.Pipeline.Tests.Seq;

[Collection(TorchSerialCollection.Name)]
public class SequencePredictorTests
{
    private static SequenceScanData Scan(int n, int seed, bool reversed = false)
    {
        var rng = new Random(seed);
        var f = Enumerable.Range(0, n * 12).Select(_ => (float)rng.NextDouble()).ToArray();
        var p = Enumerable.Range(0, n * 6).Select(_ => (float)rng.NextDouble()).ToArray();
        var z = Enumerable.Range(0, n).Select(i => 5.0 * i).ToArray();
        if (!reversed) return new SequenceScanData([f], [p], z);
        float[] Rev(float[] a, int w) => Enumerable.Range(0, n).Reverse().SelectMany(i => a.Skip(i * w).Take(w)).ToArray();
        return new SequenceScanData([Rev(f, 12)], [Rev(p, 6)], z.Reverse().ToArray());
    }

    [Fact]
    public void Predict_WithReversedPass_IsMeanOfForwardAndFlippedBackReversedScan()
    {
        manual_seed(3);
        var o = TinySequenceBatch.Options(1);
        using var net = new SliceSequenceNet(o);
        const int n = 7;
        var both = SequencePredictor.Predict([net], [Scan(n, 1), Scan(4, 2)], reversedPass: true)[0];
        var forward = SequencePredictor.Predict([net], [Scan(n, 1)], reversedPass: false)[0];
        var backward = SequencePredictor.Predict([net], [Scan(n, 1, reversed: true)], reversedPass: false)[0];
        for (var i = 0; i < n; i++)
        for (var c = 0; c < 6; c++)
        {
            var expected = (forward.Stage2[i * 6 + c] + backward.Stage2[(n - 1 - i) * 6 + c]) / 2;
            Assert.Equal(expected, both.Stage2[i * 6 + c], 5);
            var expected1 = (forward.Stage1[i * 6 + c] + backward.Stage1[(n - 1 - i) * 6 + c]) / 2;
            Assert.Equal(expected1, both.Stage1[i * 6 + c], 5);
        }
    }

    [Fact]
    public void Predict_TwoFolds_IsTheMeanOfEachFold()
    {
        var o = TinySequenceBatch.Options(1);
        manual_seed(4);
        using var a = new SliceSequenceNet(o);
        using var b = new SliceSequenceNet(o);
        var scan = Scan(5, 9);
        var both = SequencePredictor.Predict([a, b], [scan], reversedPass: false)[0];
        var pa = SequencePredictor.Predict([a], [scan], reversedPass: false)[0];
        var pb = SequencePredictor.Predict([b], [scan], reversedPass: false)[0];
        for (var k = 0; k < both.Stage2.Length; k++) Assert.Equal((pa.Stage2[k] + pb.Stage2[k]) / 2, both.Stage2[k], 5);
    }
}
