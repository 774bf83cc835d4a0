using Ich.Dicom.Codecs.Jpeg;
using Ich.Dicom.Codecs.JpegLs;
using Ich.Dicom.Codecs.Rle;

namespace Ich.Dicom.Codecs;

/// <summary>The decoders of encapsulated transfer syntaxes this reader supports.</summary>
public static class FrameDecoders
{
    private static readonly IFrameDecoder[] All =
    [
        new RleDecoder(),
        new JpegLosslessDecoder(),
        new JpegDctDecoder(),
        new JpegLsDecoder(),
    ];

    /// <summary>The decoder for a transfer syntax, or null when it is not supported.</summary>
    public static IFrameDecoder? Find(string transferSyntaxUid) =>
        All.FirstOrDefault(d => d.TransferSyntaxUids.Contains(transferSyntaxUid));
}
