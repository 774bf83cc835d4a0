using Ich.Core.Errors;
using Ich.Dicom.Codecs;
using Ich.Dicom.Model;
using Ich.Dicom.Reading;

namespace Ich.Dicom.Pixels;

/// <summary>
/// The pixel data of a fully read <see cref="DicomFile"/>, frame by frame, as stored values
/// (masked to BitsStored and sign-extended per PS3.5 §8.1.1; MONOCHROME1 not inverted).
/// Native data is sliced from the file bytes; encapsulated frames are split from their fragments and
/// decoded by <see cref="FrameDecoders.Find"/>. Thread-safe: frames may be decoded concurrently.
/// Valid while its <see cref="DicomFile"/> is not disposed (the bytes may be a pooled buffer).
/// </summary>
public sealed class DicomPixelData
{
    private readonly DicomFile _file; // kept to refuse use after its (pooled) bytes were returned
    private readonly DicomDataset _dataset;
    private readonly ReadOnlyMemory<byte> _native;
    private readonly List<ReadOnlyMemory<byte>>? _fragments;
    private readonly FragmentRange[]? _frames;
    private readonly IFrameDecoder? _decoder;

    private DicomPixelData(DicomFile file, string transferSyntaxUid, DicomDataset dataset, PixelDescription description,
        ReadOnlyMemory<byte> native, List<ReadOnlyMemory<byte>>? fragments, FragmentRange[]? frames, IFrameDecoder? decoder)
    {
        _file = file;
        Path = file.Path;
        TransferSyntaxUid = transferSyntaxUid;
        _dataset = dataset;
        Description = description;
        _native = native;
        _fragments = fragments;
        _frames = frames;
        _decoder = decoder;
    }

    /// <summary>
    /// Largest frame accepted, in samples (2^28, e.g. 16384 × 16384 grey): one frame of stored values is
    /// an int[] of this many entries, allocated before decoding.
    /// </summary>
    public const long MaxSamplesPerFrame = 1L << 28;

    /// <summary>The file the pixels come from (named in errors).</summary>
    public string? Path { get; }
    /// <summary>Transfer syntax of the file.</summary>
    public string TransferSyntaxUid { get; }
    /// <summary>The Image Pixel module (rows, columns, bits, photometric, frames, padding value).</summary>
    public PixelDescription Description { get; }
    /// <summary>Number of frames.</summary>
    public int FrameCount => Description.Frames;
    /// <summary>True for compressed (encapsulated) pixel data.</summary>
    public bool IsEncapsulated => _fragments is not null;
    /// <summary>Pixel Padding Value as a stored value, or null (see <see cref="PixelDescription.PixelPaddingValue"/>).</summary>
    public int? PixelPaddingValue => Description.PixelPaddingValue;

    /// <summary>
    /// Prepares the pixel data of <paramref name="file"/> (read with pixel data, not header-only).
    /// Raises <see cref="DicomFormatException"/> for missing/short/unsplittable pixel data and
    /// <see cref="UnsupportedTransferSyntaxException"/> when no decoder handles the transfer syntax (for
    /// JPEG 2000 without the OpenJPEG library, with the install command in its message).
    /// </summary>
    public static DicomPixelData Create(DicomFile file) => Create(file, FrameDecoders.Default);

    /// <summary>As <see cref="Create(DicomFile)"/> with a given decoder set (tests: OpenJPEG absent).</summary>
    internal static DicomPixelData Create(DicomFile file, FrameDecoderSet decoders)
    {
        if (file.IsHeaderOnly) throw new ArgumentException("the file was read header-only; read it fully to decode pixels", nameof(file));
        var path = file.Path;
        var ds = file.Dataset;
        var element = ds.Get(DicomTags.PixelData)
            ?? throw new DicomFormatException("the data set has no Pixel Data (7FE0,0010)", path);
        var description = PixelDescription.FromDataset(ds, path);
        if (description.SamplesPerFrame > MaxSamplesPerFrame)
            throw new DicomFormatException(
                $"a frame of {description.Rows}×{description.Columns}×{description.SamplesPerPixel} samples is above the reader's limit of {MaxSamplesPerFrame} samples per frame",
                path);
        var tsUid = file.TransferSyntaxUid;
        var ts = TransferSyntaxInfo.Find(tsUid);

        if (element.Fragments is { } fragments)
        {
            if (ts is { Encapsulated: false })
                throw new DicomFormatException($"Pixel Data is encapsulated although the transfer syntax is {ts.Name}", path);
            var decoder = decoders.Find(tsUid)
                ?? throw new UnsupportedTransferSyntaxException(tsUid, TransferSyntaxInfo.NameOf(tsUid), path, decoders.MissingLibraryHint(tsUid));
            var ranges = EncapsulatedFrames.Split(fragments, description.Frames, ExtendedOffsets(ds), path);
            return new DicomPixelData(file, tsUid, ds, description, ReadOnlyMemory<byte>.Empty, fragments, ranges, decoder);
        }

        if (ts is null) throw new UnsupportedTransferSyntaxException(tsUid, TransferSyntaxInfo.NameOf(tsUid), path);
        if (ts.Encapsulated)
            throw new DicomFormatException($"Pixel Data is not encapsulated although the transfer syntax is {ts.Name}", path);
        // Compared in floating point: a hostile NumberOfFrames must not overflow the product.
        var neededBits = (double)description.NativeFrameBits * description.Frames;
        var needed = Math.Ceiling(neededBits / 8);
        if (element.Value.Length < needed)
            throw new DicomFormatException(
                $"Pixel Data has {element.Value.Length} bytes but {description.Frames} frame(s) of {description.Rows}×{description.Columns}×{description.SamplesPerPixel} samples at {description.BitsAllocated} bits need {needed:F0} (file truncated?)",
                path);
        return new DicomPixelData(file, tsUid, ds, description, element.Value, null, null, null);
    }

    /// <summary>Stored values of one frame, C order (row, column[, sample]): Rows × Columns × SamplesPerPixel ints.</summary>
    public int[] GetStoredFrame(int frame)
    {
        var result = GC.AllocateUninitializedArray<int>((int)Description.SamplesPerFrame); // fully written below
        GetStoredFrame(frame, result);
        return result;
    }

    /// <summary>As <see cref="GetStoredFrame(int)"/>, into a caller-supplied buffer of at least SamplesPerFrame values.</summary>
    public void GetStoredFrame(int frame, Span<int> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(frame);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(frame, FrameCount);
        ObjectDisposedException.ThrowIf(_file.IsDisposed, _file);
        var d = Description;
        if (destination.Length < d.SamplesPerFrame) throw new ArgumentException("destination is shorter than one frame", nameof(destination));
        if (d.BitsAllocated == 1 && !IsEncapsulated)
        {
            StoredSamples.UnpackBits(_native.Span, d.NativeFrameBits * frame, destination[..(int)d.SamplesPerFrame]);
            return;
        }
        StoredSamples.Unpack(GetNativeFrameBytes(frame), d, destination);
    }

    /// <summary>
    /// One frame as native little-endian, colour-by-pixel bytes (BitsAllocated 8/16/32), i.e. what an
    /// uncompressed Explicit VR Little Endian file would hold, before masking and sign extension.
    /// </summary>
    public ReadOnlySpan<byte> GetNativeFrameBytes(int frame)
    {
        ObjectDisposedException.ThrowIf(_file.IsDisposed, _file);
        var d = Description;
        if (d.BitsAllocated == 1) throw new NotSupportedException("BitsAllocated 1 frames are bit-packed; use GetStoredFrame");
        var frameBytes = (int)(d.NativeFrameBits / 8);
        if (_fragments is null)
        {
            var slice = _native.Span.Slice(frameBytes * frame, frameBytes);
            return d.PlanarConfiguration == 1 && d.SamplesPerPixel > 1
                ? StoredSamples.Interleave(slice, d.Rows * d.Columns, d.SamplesPerPixel, d.BitsAllocated / 8)
                : slice;
        }
        var range = _frames![frame];
        ReadOnlySpan<byte> compressed;
        if (range.Count == 1) compressed = _fragments[range.First + 1].Span;
        else
        {
            var total = 0;
            for (var i = 0; i < range.Count; i++) total += _fragments[range.First + 1 + i].Length;
            var joined = new byte[total];
            var at = 0;
            for (var i = 0; i < range.Count; i++)
            {
                var f = _fragments[range.First + 1 + i].Span;
                f.CopyTo(joined.AsSpan(at));
                at += f.Length;
            }
            compressed = joined;
        }
        var info = new FrameInfo(d.Rows, d.Columns, d.SamplesPerPixel, d.BitsAllocated, d.BitsStored, d.IsSigned,
            d.PlanarConfiguration, Path, d.Photometric);
        var decoded = _decoder!.Decode(compressed, info);
        if (decoded.Length < frameBytes)
            throw new DicomFormatException($"frame {frame} decoded to {decoded.Length} bytes, {frameBytes} expected", Path);
        return decoded.AsSpan(0, frameBytes);
    }

    /// <summary>The Modality LUT for a frame (rescale, functional groups or LUT sequence); see <see cref="ModalityTransform.FromDataset"/>.</summary>
    public ModalityTransform GetModalityTransform(int frame = 0)
    {
        ObjectDisposedException.ThrowIf(_file.IsDisposed, _file);
        return ModalityTransform.FromDataset(_dataset, Description, frame, Path);
    }

    private static ulong[]? ExtendedOffsets(DicomDataset ds)
    {
        var e = ds.Get(DicomTags.ExtendedOffsetTable);
        if (e is null || e.Value.Length < 8) return null;
        var span = e.Value.Span;
        var result = new ulong[span.Length / 8];
        for (var i = 0; i < result.Length; i++) result[i] = BitConverter.ToUInt64(span[(i * 8)..]);
        return result;
    }
}
