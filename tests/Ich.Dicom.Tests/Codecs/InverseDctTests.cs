using Ich.Dicom.Codecs.Jpeg;

namespace Ich.Dicom.Tests.Codecs;

/// <summary>The integer IDCT against the textbook double-precision 2-D IDCT (T.81 A.3.3).</summary>
public sealed class InverseDctTests
{
    [Theory]
    [InlineData(8)]
    [InlineData(12)]
    public void Transform_RandomBlocks_WithinOneOfExactIdct(int precision)
    {
        var random = new Random(precision);
        int max = (1 << precision) - 1, shift = 1 << (precision - 1);
        int worst = 0;
        for (int trial = 0; trial < 300; trial++)
        {
            var coefficients = new int[64];
            for (int i = 0; i < 64; i++)
            {
                int u = i % 8, v = i / 8;
                int range = (8 << (precision - 8)) * 64 / (1 + u + v) / 4;
                coefficients[i] = random.Next(-range, range + 1);
            }
            var output = new int[64];
            InverseDct.Transform((int[])coefficients.Clone(), precision, output, 0, 8);
            for (int y = 0; y < 8; y++)
            for (int x = 0; x < 8; x++)
            {
                double sum = 0;
                for (int v = 0; v < 8; v++)
                for (int u = 0; u < 8; u++)
                {
                    double cu = u == 0 ? Math.Sqrt(0.5) : 1, cv = v == 0 ? Math.Sqrt(0.5) : 1;
                    sum += cu * cv * coefficients[8 * v + u] * Math.Cos((2 * x + 1) * u * Math.PI / 16) * Math.Cos((2 * y + 1) * v * Math.PI / 16);
                }
                int exact = Math.Clamp((int)Math.Round(sum / 4) + shift, 0, max);
                worst = Math.Max(worst, Math.Abs(exact - output[8 * y + x]));
            }
        }
        Assert.True(worst <= 1, $"largest difference from the exact IDCT is {worst}");
    }
}
