using static TorchSharp.torch;

namespace Ich.Pipeline.Tests.Cnn;

/// <summary>
/// The weight and input formulas of tools/torch/backbone_reference.py, re-implemented here so that the
/// committed Python logits can be checked without committing any weight file.
/// </summary>
internal static class ReferenceWeights
{
    public static double NameOffset(string key)
    {
        long acc = 0;
        for (var i = 0; i < key.Length; i++) acc = (acc + (i + 1L) * key[i]) % 100003;
        return acc % 1000 / 1000.0 * 2.0 * Math.PI;
    }

    public static float[] Fill(string key, long[] shape)
    {
        var n = shape.Aggregate(1L, (a, d) => a * d);
        var leaf = key[(key.LastIndexOf('.') + 1)..];
        var phase = NameOffset(key);
        var v = new float[n];
        var fanIn = shape.Length > 0 ? n / shape[0] : 1;
        for (long k = 0; k < n; k++)
        {
            var u = Math.Sin(0.7 * k + phase);
            v[k] = (float)(leaf switch
            {
                "running_mean" => 0.05 * u,
                "running_var" => 1.0 + 0.2 * Math.Abs(u),
                "weight" when shape.Length == 1 => 0.5 + 0.1 * u,
                "bias" => 0.02 * u,
                _ => u * Math.Sqrt(1.0 / fanIn),
            });
        }
        return v;
    }

    /// <summary>Overwrites every floating-point state-dict entry of <paramref name="module"/> with the formula.</summary>
    public static void Apply(nn.Module module)
    {
        using var _ = no_grad();
        foreach (var (key, t) in module.state_dict())
        {
            if (!t.is_floating_point()) continue;
            using var src = tensor(Fill(key, t.shape)).reshape(t.shape);
            t.copy_(src);
        }
    }

    public static Tensor Input()
    {
        var n = 2 * 3 * 64 * 64;
        var x = new float[n];
        for (var k = 0; k < n; k++) x[k] = (float)(0.5 + 0.5 * Math.Sin(0.01 * k + 0.3));
        return tensor(x).reshape(2, 3, 64, 64);
    }
}
