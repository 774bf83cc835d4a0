namespace Ich.Dicom.Codecs.Jpeg;

/// <summary>JPEG marker codes (ITU T.81 Table B.1) and marker scanning.</summary>
internal static class JpegMarkers
{
    public const int Sof0 = 0xC0, Sof1 = 0xC1, Sof2 = 0xC2, Sof3 = 0xC3;
    public const int Dht = 0xC4, Dac = 0xCC;
    public const int Rst0 = 0xD0, Rst7 = 0xD7;
    public const int Soi = 0xD8, Eoi = 0xD9, Sos = 0xDA, Dqt = 0xDB, Dnl = 0xDC, Dri = 0xDD;
    public const int App0 = 0xE0, App15 = 0xEF, Com = 0xFE;
    public const int Jpg = 0xC8, Lse = 0xF8, Sof55 = 0xF7;

    /// <summary>True for the start-of-frame markers SOF0..SOF15 (excluding DHT, JPG and DAC).</summary>
    public static bool IsSof(int marker) => marker is >= 0xC0 and <= 0xCF && marker is not (Dht or Jpg or Dac);

    /// <summary>A readable name of a start-of-frame marker's coding process.</summary>
    public static string SofName(int marker) => marker switch
    {
        Sof0 => "SOF0 baseline DCT",
        Sof1 => "SOF1 extended sequential DCT",
        Sof2 => "SOF2 progressive DCT",
        Sof3 => "SOF3 lossless",
        0xC5 => "SOF5 differential sequential DCT",
        0xC6 => "SOF6 differential progressive DCT",
        0xC7 => "SOF7 differential lossless",
        >= 0xC9 and <= 0xCF => $"SOF{marker - 0xC0} arithmetic-coded",
        Sof55 => "SOF55 JPEG-LS",
        _ => $"marker 0x{marker:X2}",
    };

    /// <summary>
    /// Position of the next marker (an 0xFF followed by a byte other than 0x00 and 0xFF) at or after
    /// <paramref name="position"/>; the data length when there is none.
    /// </summary>
    public static int SkipToMarker(ReadOnlySpan<byte> data, int position)
    {
        for (int i = position; i + 1 < data.Length; i++)
        {
            if (data[i] == 0xFF && data[i + 1] is not (0x00 or 0xFF)) return i;
        }
        return data.Length;
    }
}
