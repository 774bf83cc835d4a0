using System.Runtime.CompilerServices;
namespace Ich.Dicom.Codecs.Jpeg;

/// <summary>
/// Accurate integer 8×8 inverse DCT: the separable Loeffler–Ligtenberg–Moschytz factorisation with
/// 13-bit fixed-point constants (the "islow" method of the IJG reference decoder, so results agree with
/// libjpeg to the unit). Columns first with <c>pass1Bits</c> extra bits of precision, then rows.
/// </summary>
internal static class InverseDct
{
    private const int ConstBits = 13;
    // cos-based constants × 2^13, rounded.
    private const int F0_298631336 = 2446, F0_390180644 = 3196, F0_541196100 = 4433, F0_765366865 = 6270;
    private const int F0_899976223 = 7373, F1_175875602 = 9633, F1_501321110 = 12299, F1_847759065 = 15137;
    private const int F1_961570560 = 16069, F2_053119869 = 16819, F2_562915447 = 20995, F3_072711026 = 25172;

    /// <summary>
    /// Transforms dequantized coefficients (natural order, 64) into samples, adding the level shift
    /// 2^(precision-1) and clamping to 0..2^precision-1, written at <paramref name="output"/>[offset + y*stride + x].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: fully optimised from the first frame
    public static void Transform(Span<int> coefficients, int precision, int[] output, int offset, int stride)
    {
        int pass1Bits = precision <= 8 ? 2 : 1; // headroom for 12-bit data in 32-bit arithmetic
        Span<int> work = stackalloc int[64];
        for (int col = 0; col < 8; col++)
        {
            int d0 = coefficients[col], d1 = coefficients[8 + col], d2 = coefficients[16 + col], d3 = coefficients[24 + col];
            int d4 = coefficients[32 + col], d5 = coefficients[40 + col], d6 = coefficients[48 + col], d7 = coefficients[56 + col];
            if ((d1 | d2 | d3 | d4 | d5 | d6 | d7) == 0)
            {
                int dc = d0 << pass1Bits;
                for (int r = 0; r < 8; r++) work[8 * r + col] = dc;
                continue;
            }
            Butterfly(d0, d1, d2, d3, d4, d5, d6, d7, work, col, 8, ConstBits - pass1Bits);
        }
        int maxValue = (1 << precision) - 1, levelShift = 1 << (precision - 1);
        int shift = ConstBits + pass1Bits + 3;
        Span<int> row = stackalloc int[8];
        for (int r = 0; r < 8; r++)
        {
            var w = work.Slice(8 * r, 8);
            Butterfly(w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7], row, 0, 1, shift);
            int o = offset + r * stride;
            for (int c = 0; c < 8; c++)
            {
                int v = row[c] + levelShift;
                output[o + c] = v < 0 ? 0 : v > maxValue ? maxValue : v;
            }
        }
    }

    /// <summary>One 8-point IDCT; writes the 8 outputs, descaled by <paramref name="descale"/> bits with rounding.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Butterfly(int d0, int d1, int d2, int d3, int d4, int d5, int d6, int d7,
        Span<int> output, int start, int step, int descale)
    {
        // Even part: rotation of (d2, d6) and the sum/difference of (d0, d4).
        int z1 = (d2 + d6) * F0_541196100;
        int tmp2 = z1 - d6 * F1_847759065;
        int tmp3 = z1 + d2 * F0_765366865;
        int tmp0 = (d0 + d4) << ConstBits;
        int tmp1 = (d0 - d4) << ConstBits;
        int tmp10 = tmp0 + tmp3, tmp13 = tmp0 - tmp3, tmp11 = tmp1 + tmp2, tmp12 = tmp1 - tmp2;

        // Odd part on (d7, d5, d3, d1).
        int o0 = d7, o1 = d5, o2 = d3, o3 = d1;
        int za = o0 + o3, zb = o1 + o2, zc = o0 + o2, zd = o1 + o3;
        int z5 = (zc + zd) * F1_175875602;
        o0 *= F0_298631336;
        o1 *= F2_053119869;
        o2 *= F3_072711026;
        o3 *= F1_501321110;
        za *= -F0_899976223;
        zb *= -F2_562915447;
        zc = zc * -F1_961570560 + z5;
        zd = zd * -F0_390180644 + z5;
        o0 += za + zc;
        o1 += zb + zd;
        o2 += zb + zc;
        o3 += za + zd;

        int round = 1 << (descale - 1);
        output[start] = (tmp10 + o3 + round) >> descale;
        output[start + 7 * step] = (tmp10 - o3 + round) >> descale;
        output[start + step] = (tmp11 + o2 + round) >> descale;
        output[start + 6 * step] = (tmp11 - o2 + round) >> descale;
        output[start + 2 * step] = (tmp12 + o1 + round) >> descale;
        output[start + 5 * step] = (tmp12 - o1 + round) >> descale;
        output[start + 3 * step] = (tmp13 + o0 + round) >> descale;
        output[start + 4 * step] = (tmp13 - o0 + round) >> descale;
    }
}
