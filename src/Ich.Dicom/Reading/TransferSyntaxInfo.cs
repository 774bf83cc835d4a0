using Ich.Dicom.Model;

namespace Ich.Dicom.Reading;

/// <summary>How a transfer syntax encodes the data set (PS3.5 §10) and its display name.</summary>
public sealed record TransferSyntaxInfo(string Uid, string Name, bool ExplicitVr, bool BigEndian, bool Deflated, bool Encapsulated)
{
    private static readonly Dictionary<string, TransferSyntaxInfo> Known = new(StringComparer.Ordinal)
    {
        [TransferSyntaxes.ImplicitVRLittleEndian] = new(TransferSyntaxes.ImplicitVRLittleEndian, "Implicit VR Little Endian", false, false, false, false),
        [TransferSyntaxes.ExplicitVRLittleEndian] = new(TransferSyntaxes.ExplicitVRLittleEndian, "Explicit VR Little Endian", true, false, false, false),
        [TransferSyntaxes.DeflatedExplicitVRLittleEndian] = new(TransferSyntaxes.DeflatedExplicitVRLittleEndian, "Deflated Explicit VR Little Endian", true, false, true, false),
        [TransferSyntaxes.ExplicitVRBigEndian] = new(TransferSyntaxes.ExplicitVRBigEndian, "Explicit VR Big Endian (retired)", true, true, false, false),
        [TransferSyntaxes.JpegBaseline] = Compressed(TransferSyntaxes.JpegBaseline, "JPEG Baseline (Process 1)"),
        [TransferSyntaxes.JpegExtended] = Compressed(TransferSyntaxes.JpegExtended, "JPEG Extended (Process 2 & 4)"),
        ["1.2.840.10008.1.2.4.53"] = Compressed("1.2.840.10008.1.2.4.53", "JPEG Spectral Selection (Process 6 & 8, retired)"),
        ["1.2.840.10008.1.2.4.55"] = Compressed("1.2.840.10008.1.2.4.55", "JPEG Full Progression (Process 10 & 12, retired)"),
        [TransferSyntaxes.JpegLossless] = Compressed(TransferSyntaxes.JpegLossless, "JPEG Lossless (Process 14)"),
        [TransferSyntaxes.JpegLosslessSV1] = Compressed(TransferSyntaxes.JpegLosslessSV1, "JPEG Lossless SV1 (Process 14, Selection Value 1)"),
        [TransferSyntaxes.JpegLsLossless] = Compressed(TransferSyntaxes.JpegLsLossless, "JPEG-LS Lossless"),
        [TransferSyntaxes.JpegLsNearLossless] = Compressed(TransferSyntaxes.JpegLsNearLossless, "JPEG-LS Near-Lossless"),
        [TransferSyntaxes.Jpeg2000Lossless] = Compressed(TransferSyntaxes.Jpeg2000Lossless, "JPEG 2000 Lossless Only"),
        [TransferSyntaxes.Jpeg2000] = Compressed(TransferSyntaxes.Jpeg2000, "JPEG 2000"),
        [TransferSyntaxes.HtJpeg2000Lossless] = Compressed(TransferSyntaxes.HtJpeg2000Lossless, "HTJ2K Lossless"),
        [TransferSyntaxes.HtJpeg2000LosslessRpcl] = Compressed(TransferSyntaxes.HtJpeg2000LosslessRpcl, "HTJ2K Lossless RPCL"),
        [TransferSyntaxes.HtJpeg2000] = Compressed(TransferSyntaxes.HtJpeg2000, "HTJ2K"),
        [TransferSyntaxes.RleLossless] = Compressed(TransferSyntaxes.RleLossless, "RLE Lossless"),
    };

    private static TransferSyntaxInfo Compressed(string uid, string name) => new(uid, name, true, false, false, true);

    /// <summary>The transfer syntax for a UID, or null when this reader does not know it.</summary>
    public static TransferSyntaxInfo? Find(string uid) => Known.GetValueOrDefault(uid);

    /// <summary>A display name for any UID ("unknown" for UIDs not listed here).</summary>
    public static string NameOf(string uid) => Find(uid)?.Name ?? "unknown transfer syntax";

    public static TransferSyntaxInfo ImplicitLittle => Known[TransferSyntaxes.ImplicitVRLittleEndian];
    public static TransferSyntaxInfo ExplicitLittle => Known[TransferSyntaxes.ExplicitVRLittleEndian];
    public static TransferSyntaxInfo ExplicitBig => Known[TransferSyntaxes.ExplicitVRBigEndian];
}
