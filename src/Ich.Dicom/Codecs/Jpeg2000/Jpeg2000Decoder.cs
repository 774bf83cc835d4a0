using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using Ich.Dicom.Model;

namespace Ich.Dicom.Codecs.Jpeg2000;

/// <summary>
/// JPEG 2000 (1.2.840.10008.1.2.4.90 lossless only, .91 lossy or lossless) and High-Throughput JPEG 2000
/// (HTJ2K, Part 15: .201 lossless, .202 lossless RPCL, .203 lossy or lossless) through OpenJPEG 2.x; an
/// HTJ2K frame is a J2K codestream with HT code-blocks, which OpenJPEG decodes since 2.5.0.
/// Accepts a bare J2K codestream (what DICOM prescribes) or a JP2 file (some writers wrap it), checks the
/// decoded geometry against the DICOM header before OpenJPEG allocates the image, and writes each
/// component's samples as raw bits into BitsAllocated containers, colour-by-pixel (the reader then masks to
/// BitsStored and sign-extends, so a codestream whose signedness disagrees with Pixel Representation,
/// pydicom issue #1149, gets header semantics, as the pydicom/GDCM references in realdata do). A codestream precision that differs
/// from BitsStored is accepted as long as it fits BitsAllocated: archives hold such files (pydicom #693)
/// and every reference toolkit decodes them with the header governing.
/// Stateless and thread-safe: every call has its own codec, stream and image, freed in finally.
/// </summary>
internal sealed unsafe class Jpeg2000Decoder(OpenJpegLibrary library) : IFrameDecoder
{
    private const string Codec = "JPEG 2000";

    // opj_dparameters_t is ~8.3 KB in OpenJPEG 2.5 (two 4096-byte path buffers); a larger zeroed block keeps
    // opj_set_default_decoder_parameters in bounds whatever minor version is installed.
    private const int DecoderParametersBytes = 16 << 10;

    // OpenJPEG's own read buffer: the whole frame when small, at most 1 MiB (its default chunk size).
    private const int MaxStreamChunk = 1 << 20;

    /// <summary>JP2 signature box (ISO/IEC 15444-1 Annex I.5.1).</summary>
    private static ReadOnlySpan<byte> Jp2Signature => [0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20, 0x0D, 0x0A, 0x87, 0x0A];

    /// <summary>SOC followed by SIZ: the first two markers of every J2K codestream.</summary>
    private static ReadOnlySpan<byte> CodestreamStart => [0xFF, 0x4F, 0xFF, 0x51];

    /// <summary>Part 1 JPEG 2000 always; HTJ2K only from OpenJPEG 2.5.0 on (older versions cannot decode HT code-blocks).</summary>
    public IReadOnlyCollection<string> TransferSyntaxUids { get; } = SupportsHighThroughput(library.Version)
        ? [TransferSyntaxes.Jpeg2000Lossless, TransferSyntaxes.Jpeg2000,
           TransferSyntaxes.HtJpeg2000Lossless, TransferSyntaxes.HtJpeg2000LosslessRpcl, TransferSyntaxes.HtJpeg2000]
        : [TransferSyntaxes.Jpeg2000Lossless, TransferSyntaxes.Jpeg2000];

    /// <summary>True for OpenJPEG versions with the Part 15 (HT) block decoder, 2.5.0 and later.</summary>
    internal static bool SupportsHighThroughput(string openJpegVersion) =>
        Version.TryParse(openJpegVersion, out var v) && v >= new Version(2, 5, 0);

    /// <summary>True for the syntaxes this decoder is registered for (whether or not OpenJPEG is present).</summary>
    public static bool Handles(string transferSyntaxUid) =>
        transferSyntaxUid is TransferSyntaxes.Jpeg2000Lossless or TransferSyntaxes.Jpeg2000
            or TransferSyntaxes.HtJpeg2000Lossless or TransferSyntaxes.HtJpeg2000LosslessRpcl or TransferSyntaxes.HtJpeg2000;

    public byte[] Decode(ReadOnlySpan<byte> frame, FrameInfo info)
    {
        var outputLength = FrameGeometry.OutputLength(info, Codec);
        var format = DetectFormat(frame, info);
        var output = GC.AllocateUninitializedArray<byte>(outputLength); // every sample is written by CopySamples
        var messages = new List<string>();
        var messagesHandle = GCHandle.Alloc(messages);
        var parameters = NativeMemory.AllocZeroed(DecoderParametersBytes);
        nint codec = 0, stream = 0;
        OpenJpegImage* image = null;
        try
        {
            fixed (byte* data = frame)
            {
                var state = new OpenJpegMemoryStream.State { Data = data, Length = frame.Length };
                codec = library.CreateDecompress(format);
                if (codec == 0) FrameGeometry.Fail(info, $"{Codec}: OpenJPEG could not create a decoder");
                library.SetErrorHandler(codec, &OpenJpegMemoryStream.CollectError, (void*)GCHandle.ToIntPtr(messagesHandle));
                library.SetDefaultDecoderParameters(parameters);
                if (library.SetupDecoder(codec, parameters) == 0) Fail(info, "decoder setup failed", messages);

                stream = library.StreamCreate((nuint)Math.Clamp(frame.Length, 1, MaxStreamChunk), 1);
                if (stream == 0) FrameGeometry.Fail(info, $"{Codec}: OpenJPEG could not create a stream");
                library.StreamSetReadFunction(stream, &OpenJpegMemoryStream.Read);
                library.StreamSetSkipFunction(stream, &OpenJpegMemoryStream.Skip);
                library.StreamSetSeekFunction(stream, &OpenJpegMemoryStream.Seek);
                library.StreamSetUserData(stream, &state, null);
                library.StreamSetUserDataLength(stream, (ulong)frame.Length);

                if (library.ReadHeader(stream, codec, &image) == 0 || image is null) Fail(info, "the codestream header is unreadable", messages);
                CheckAgainstHeader(image, info);
                if (library.DecodeImage(codec, stream, image) == 0) Fail(info, "decoding failed", messages);
                if (library.EndDecompress(codec, stream) == 0) Fail(info, "the codestream does not end properly", messages);
            }
            CheckDecoded(image, info);
            CopySamples(image, info, output);
            return output;
        }
        finally
        {
            if (image is not null) library.ImageDestroy(image);
            if (stream != 0) library.StreamDestroy(stream);
            if (codec != 0) library.DestroyCodec(codec);
            NativeMemory.Free(parameters);
            messagesHandle.Free();
        }
    }

    private static int DetectFormat(ReadOnlySpan<byte> frame, FrameInfo info)
    {
        if (frame.StartsWith(CodestreamStart)) return OpenJpegLibrary.CodecJ2k;
        if (frame.StartsWith(Jp2Signature)) return OpenJpegLibrary.CodecJp2;
        return FrameGeometry.Fail<int>(info, frame.Length < 4
            ? $"{Codec}: frame of {frame.Length} bytes is too short for a codestream"
            : $"{Codec}: frame starts with {Convert.ToHexString(frame[..4])}, neither a J2K codestream (FF4FFF51) nor a JP2 file");
    }

    /// <summary>
    /// Refuses a codestream whose image differs from the DICOM header before opj_decode allocates its
    /// sample planes: the header was already bounded by <see cref="FrameGeometry.OutputLength"/>, so this
    /// also bounds what OpenJPEG allocates.
    /// </summary>
    private static void CheckAgainstHeader(OpenJpegImage* image, FrameInfo info)
    {
        long width = (long)image->X1 - image->X0, height = (long)image->Y1 - image->Y0;
        if (width != info.Columns || height != info.Rows)
            Mismatch(info, $"codestream image is {width}×{height} (columns × rows) but the header says {info.Columns}×{info.Rows}");
        if (image->ComponentCount != info.SamplesPerPixel || image->Components is null)
            Mismatch(info, $"codestream has {image->ComponentCount} component(s) but SamplesPerPixel is {info.SamplesPerPixel}");
        for (var c = 0; c < info.SamplesPerPixel; c++)
        {
            var component = image->Components[c];
            if (component.Dx != 1 || component.Dy != 1)
                Mismatch(info, $"component {c} is subsampled ({component.Dx}×{component.Dy}); DICOM JPEG 2000 frames are not");
            if (component.Precision < 1 || component.Precision > 16 || component.Precision > info.BitsAllocated)
                Mismatch(info, $"component {c} has {component.Precision}-bit precision, which does not fit BitsAllocated {info.BitsAllocated} (1–16 bits supported)");
        }
    }

    private static void CheckDecoded(OpenJpegImage* image, FrameInfo info)
    {
        for (var c = 0; c < info.SamplesPerPixel; c++)
        {
            var component = image->Components[c];
            if (component.Data is null || component.Width != info.Columns || component.Height != info.Rows)
                Mismatch(info, $"component {c} decoded to {component.Width}×{component.Height} samples, {info.Columns}×{info.Rows} expected");
        }
    }

    /// <summary>Interleaves the component planes into little-endian containers, keeping the raw bits.</summary>
    private static void CopySamples(OpenJpegImage* image, FrameInfo info, byte[] output)
    {
        var pixels = info.Rows * info.Columns;
        var samples = info.SamplesPerPixel;
        if (samples == 1)
        {
            SampleWriter.Write(new ReadOnlySpan<int>(image->Components[0].Data, pixels), output, info.BitsAllocated);
            return;
        }
        var bytes = info.BitsAllocated / 8;
        for (var c = 0; c < samples; c++)
        {
            var plane = new ReadOnlySpan<int>(image->Components[c].Data, pixels);
            for (var p = 0; p < pixels; p++)
            {
                var at = (p * samples + c) * bytes;
                switch (bytes)
                {
                    case 1: output[at] = (byte)plane[p]; break;
                    case 2: BinaryPrimitives.WriteUInt16LittleEndian(output.AsSpan(at), (ushort)plane[p]); break;
                    default: BinaryPrimitives.WriteInt32LittleEndian(output.AsSpan(at), plane[p]); break;
                }
            }
        }
    }

    [DoesNotReturn]
    private static void Fail(FrameInfo info, string what, List<string> messages) =>
        FrameGeometry.Fail(info, messages.Count == 0
            ? $"{Codec}: {what}"
            : $"{Codec}: {what} (OpenJPEG: {string.Join("; ", messages)})");

    [DoesNotReturn]
    private static void Mismatch(FrameInfo info, string what) =>
        FrameGeometry.Fail(info, $"{Codec}: {what}");
}
