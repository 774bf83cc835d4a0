using System.Runtime.CompilerServices;
using System.Buffers.Binary;
using Ich.Dicom.Model;

namespace Ich.Dicom.Codecs.Rle;

/// <summary>
/// RLE Lossless (PS3.5 Annex G): a 64-byte header of a segment count and 15 segment offsets, then one
/// PackBits segment per byte plane. Segments are ordered by sample, and within a sample from the most
/// significant byte to the least significant one.
/// </summary>
public sealed class RleDecoder : IFrameDecoder
{
    private const int HeaderLength = 64;

    /// <inheritdoc/>
    public IReadOnlyCollection<string> TransferSyntaxUids { get; } = [TransferSyntaxes.RleLossless];

    /// <inheritdoc/>
    public byte[] Decode(ReadOnlySpan<byte> frame, FrameInfo info)
    {
        var length = FrameGeometry.OutputLength(info, "RLE");
        if (frame.Length < HeaderLength)
            FrameGeometry.Fail(info, $"RLE: frame of {frame.Length} bytes is shorter than the 64-byte header");

        int bytesPerSample = info.BitsAllocated / 8;
        int expectedSegments = info.SamplesPerPixel * bytesPerSample;
        uint segmentCount = BinaryPrimitives.ReadUInt32LittleEndian(frame);
        if (segmentCount != expectedSegments)
            FrameGeometry.Fail(info, $"RLE: header declares {segmentCount} segments, expected {expectedSegments} " +
                                     $"({info.SamplesPerPixel} samples × {bytesPerSample} bytes)");

        var offsets = new int[expectedSegments + 1];
        for (int i = 0; i < expectedSegments; i++)
        {
            uint offset = BinaryPrimitives.ReadUInt32LittleEndian(frame[(4 + 4 * i)..]);
            if (offset < HeaderLength || offset > frame.Length)
                FrameGeometry.Fail(info, $"RLE: segment {i + 1} offset {offset} is outside the frame of {frame.Length} bytes");
            if (i > 0 && offset < offsets[i - 1])
                FrameGeometry.Fail(info, $"RLE: segment {i + 1} offset {offset} precedes segment {i} offset {offsets[i - 1]}");
            offsets[i] = (int)offset;
        }
        offsets[expectedSegments] = frame.Length;

        int pixels = info.Rows * info.Columns;
        int pixelStride = info.SamplesPerPixel * bytesPerSample;
        var output = new byte[length];
        var plane = new byte[pixels];
        for (int segment = 0; segment < expectedSegments; segment++)
        {
            int sample = segment / bytesPerSample;
            int significance = segment % bytesPerSample; // 0 = most significant byte
            UnpackBits(frame[offsets[segment]..offsets[segment + 1]], plane, segment + 1, info);
            // Little-endian output: the most significant byte goes last within the sample.
            int start = sample * bytesPerSample + (bytesPerSample - 1 - significance);
            for (int p = 0, o = start; p < pixels; p++, o += pixelStride) output[o] = plane[p];
        }
        return output;
    }

    /// <summary>
    /// PackBits: header n in 0..127 copies n+1 literal bytes, -127..-1 repeats the next byte 1-n times,
    /// -128 is a no-op. Decoding stops once the plane is full (encoders may pad a segment to even length).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: fully optimised from the first frame
    private static void UnpackBits(ReadOnlySpan<byte> segment, byte[] plane, int segmentNumber, FrameInfo info)
    {
        int written = 0, pos = 0;
        while (written < plane.Length)
        {
            if (pos >= segment.Length)
                FrameGeometry.Fail(info, $"RLE: segment {segmentNumber} decodes to {written} bytes, expected {plane.Length}");
            int n = (sbyte)segment[pos++];
            if (n >= 0)
            {
                int count = n + 1;
                if (pos + count > segment.Length)
                    FrameGeometry.Fail(info, $"RLE: segment {segmentNumber} literal run of {count} bytes is truncated");
                if (written + count > plane.Length)
                    count = plane.Length - written;
                segment.Slice(pos, count).CopyTo(plane.AsSpan(written));
                pos += n + 1;
                written += count;
            }
            else if (n != -128)
            {
                if (pos >= segment.Length)
                    FrameGeometry.Fail(info, $"RLE: segment {segmentNumber} replicate run has no value byte");
                int count = Math.Min(1 - n, plane.Length - written);
                plane.AsSpan(written, count).Fill(segment[pos++]);
                written += count;
            }
        }
    }
}
