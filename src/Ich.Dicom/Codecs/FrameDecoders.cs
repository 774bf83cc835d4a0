using Ich.Dicom.Codecs.Jpeg2000;

namespace Ich.Dicom.Codecs;

/// <summary>
/// The decoders of encapsulated transfer syntaxes this reader supports: the own-code ones always, JPEG 2000
/// when the OpenJPEG library (libopenjp2-7) can be loaded, which is tried once, on first use.
/// </summary>
public static class FrameDecoders
{
    private static readonly Lazy<FrameDecoderSet> DefaultSet =
        new(() => FrameDecoderSet.Create(OpenJpegLibrary.DefaultNames), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The process-wide set (OpenJPEG looked up under its default names).</summary>
    internal static FrameDecoderSet Default => DefaultSet.Value;

    /// <summary>The decoder for a transfer syntax, or null when it is not supported.</summary>
    public static IFrameDecoder? Find(string transferSyntaxUid) => Default.Find(transferSyntaxUid);

    /// <summary>
    /// Why a syntax that could be decoded is not, with what to install (JPEG 2000 without OpenJPEG), or null
    /// when it is either supported or simply not implemented.
    /// </summary>
    public static string? MissingLibraryHint(string transferSyntaxUid) => Default.MissingLibraryHint(transferSyntaxUid);

    /// <summary>The OpenJPEG version behind JPEG 2000 decoding, or null when the library is absent.</summary>
    public static string? OpenJpegVersion => Default.OpenJpegVersion;
}
