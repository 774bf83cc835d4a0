using Ich.Dicom.Codecs.Jpeg;
using Ich.Dicom.Codecs.Jpeg2000;
using Ich.Dicom.Codecs.JpegLs;
using Ich.Dicom.Codecs.Rle;

namespace Ich.Dicom.Codecs;

/// <summary>
/// One registry of frame decoders. <see cref="FrameDecoders"/> holds the process-wide one; tests build
/// their own with another OpenJPEG library name to exercise the "library absent" path, which the
/// process-wide set cannot show once the real library is loaded.
/// </summary>
internal sealed class FrameDecoderSet
{
    private readonly IFrameDecoder[] _decoders;
    private readonly string? _openJpegMissing;

    private FrameDecoderSet(IFrameDecoder[] decoders, string? openJpegMissing, string? openJpegVersion)
    {
        _decoders = decoders;
        _openJpegMissing = openJpegMissing;
        OpenJpegVersion = openJpegVersion;
    }

    /// <summary>The own-code decoders plus JPEG 2000 when one of <paramref name="openJpegNames"/> loads.</summary>
    public static FrameDecoderSet Create(IEnumerable<string> openJpegNames)
    {
        IFrameDecoder[] own = [new RleDecoder(), new JpegLosslessDecoder(), new JpegDctDecoder(), new JpegLsDecoder()];
        var openJpeg = OpenJpegLibrary.TryLoad(openJpegNames, out var reason);
        return openJpeg is null
            ? new FrameDecoderSet(own, reason, null)
            : new FrameDecoderSet([.. own, new Jpeg2000Decoder(openJpeg)], null, openJpeg.Version);
    }

    /// <summary>OpenJPEG's version when JPEG 2000 is available, else null.</summary>
    public string? OpenJpegVersion { get; }

    /// <summary>The decoder for a transfer syntax, or null when this set has none.</summary>
    public IFrameDecoder? Find(string transferSyntaxUid) =>
        Array.Find(_decoders, d => d.TransferSyntaxUids.Contains(transferSyntaxUid));

    /// <summary>For JPEG 2000 without OpenJPEG: why, and the install command; null otherwise.</summary>
    public string? MissingLibraryHint(string transferSyntaxUid) =>
        _openJpegMissing is not null && Jpeg2000Decoder.Handles(transferSyntaxUid) ? _openJpegMissing : null;
}
