using System.Buffers.Binary;

namespace Ich.Dicom.Codecs.JpegLs;

/// <summary>JPEG-LS coding parameters (ITU T.87 C.2.4.1): MAXVAL, thresholds T1..T3 and RESET.</summary>
internal sealed record JpegLsParameters(int MaxVal, int T1, int T2, int T3, int Reset)
{
    /// <summary>Preset values from an LSE (id 1) segment; zero means "default".</summary>
    public static JpegLsParameters Preset(ReadOnlySpan<byte> lse) => new(
        BinaryPrimitives.ReadUInt16BigEndian(lse[1..]), BinaryPrimitives.ReadUInt16BigEndian(lse[3..]),
        BinaryPrimitives.ReadUInt16BigEndian(lse[5..]), BinaryPrimitives.ReadUInt16BigEndian(lse[7..]),
        BinaryPrimitives.ReadUInt16BigEndian(lse[9..]));

    /// <summary>Fills the unset (zero) values with the defaults of T.87 C.2.4.1.1 for the precision and NEAR.</summary>
    public JpegLsParameters Resolve(int precision, int near)
    {
        int maxVal = MaxVal > 0 ? MaxVal : (1 << precision) - 1;
        int t1, t2, t3;
        const int BasicT1 = 3, BasicT2 = 7, BasicT3 = 21;
        if (maxVal >= 128)
        {
            int factor = (Math.Min(maxVal, 4095) + 128) >> 8;
            t1 = Clamp(factor * (BasicT1 - 2) + 2 + 3 * near, near + 1, maxVal);
            t2 = Clamp(factor * (BasicT2 - 3) + 3 + 5 * near, t1, maxVal);
            t3 = Clamp(factor * (BasicT3 - 4) + 4 + 7 * near, t2, maxVal);
        }
        else
        {
            int factor = 256 / (maxVal + 1);
            t1 = Clamp(Math.Max(2, BasicT1 / factor + 3 * near), near + 1, maxVal);
            t2 = Clamp(Math.Max(3, BasicT2 / factor + 5 * near), t1, maxVal);
            t3 = Clamp(Math.Max(4, BasicT3 / factor + 7 * near), t2, maxVal);
        }
        return new JpegLsParameters(maxVal, T1 > 0 ? T1 : t1, T2 > 0 ? T2 : t2, T3 > 0 ? T3 : t3, Reset > 0 ? Reset : 64);
    }

    private static int Clamp(int value, int low, int maxVal) => value > maxVal || value < low ? low : value;
}
