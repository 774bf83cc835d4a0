using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Ich.Dicom.Pixels;

/// <summary>
/// Turns native little-endian sample bytes into stored values (PS3.5 §8.1.1): for single-sample
/// images with BitsStored &lt; BitsAllocated the value is the low BitsStored bits, sign-extended
/// when Pixel Representation is 1. 32-bit unsigned samples keep their bit pattern in the int.
/// </summary>
public static class StoredSamples
{
    /// <summary>
    /// Unpacks one frame of colour-by-pixel data (<paramref name="source"/> = SamplesPerFrame samples
    /// of BitsAllocated 8/16/32) into <paramref name="destination"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: skip tier-0 code
    public static void Unpack(ReadOnlySpan<byte> source, PixelDescription d, Span<int> destination)
    {
        var n = (int)d.SamplesPerFrame;
        var bits = d.SamplesPerPixel == 1 && d.BitsStored < d.BitsAllocated ? d.BitsStored : 0; // 0: no masking
        var dest = destination[..n];
        switch (d.BitsAllocated)
        {
            case 8:
            {
                var s = source[..n];
                if (d.IsSigned && bits == 0)
                    for (var i = 0; i < n; i++) dest[i] = (sbyte)s[i];
                else
                    for (var i = 0; i < n; i++) dest[i] = s[i];
                break;
            }
            case 16:
            {
                if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("big-endian hosts are not supported");
                if (d.IsSigned && bits == 0) WidenSigned(MemoryMarshal.Cast<byte, short>(source[..(n * 2)]), dest);
                else if (!d.IsSigned)
                {
                    // Unsigned: widen and mask in one pass (12-bit CT is the common case).
                    var mask = bits > 0 ? (1u << bits) - 1 : 0xFFFFu;
                    WidenUnsigned(MemoryMarshal.Cast<byte, ushort>(source[..(n * 2)]), MemoryMarshal.Cast<int, uint>(dest), mask);
                    return;
                }
                else WidenUnsigned(MemoryMarshal.Cast<byte, ushort>(source[..(n * 2)]), MemoryMarshal.Cast<int, uint>(dest), 0xFFFFu);
                break;
            }
            case 32:
            {
                var s = MemoryMarshal.Cast<byte, int>(source[..(n * 4)]);
                s.CopyTo(dest);
                break;
            }
            default:
                throw new ArgumentException($"BitsAllocated {d.BitsAllocated} is not byte-aligned", nameof(d));
        }
        if (bits > 0) MaskAndExtend(dest, bits, d.IsSigned);
    }

    private static void WidenSigned(ReadOnlySpan<short> s, Span<int> dest)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
            for (; i <= s.Length - Vector<short>.Count; i += Vector<short>.Count)
            {
                Vector.Widen(new Vector<short>(s[i..]), out var low, out var high);
                low.CopyTo(dest[i..]);
                high.CopyTo(dest[(i + Vector<int>.Count)..]);
            }
        for (; i < s.Length; i++) dest[i] = s[i];
    }

    private static void WidenUnsigned(ReadOnlySpan<ushort> s, Span<uint> dest, uint mask)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vmask = new Vector<uint>(mask);
            for (; i <= s.Length - Vector<ushort>.Count; i += Vector<ushort>.Count)
            {
                Vector.Widen(new Vector<ushort>(s[i..]), out var low, out var high);
                (low & vmask).CopyTo(dest[i..]);
                (high & vmask).CopyTo(dest[(i + Vector<uint>.Count)..]);
            }
        }
        for (; i < s.Length; i++) dest[i] = s[i] & mask;
    }

    /// <summary>Unpacks bit-packed BitsAllocated 1 data (LSB first), frame after frame without byte alignment.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: skip tier-0 code
    public static void UnpackBits(ReadOnlySpan<byte> source, long firstBit, Span<int> destination)
    {
        for (var i = 0; i < destination.Length; i++)
        {
            var bit = firstBit + i;
            destination[i] = (source[(int)(bit >> 3)] >> (int)(bit & 7)) & 1;
        }
    }

    /// <summary>Keeps the low <paramref name="bits"/> bits and, when signed, sign-extends from them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: skip tier-0 code
    public static void MaskAndExtend(Span<int> values, int bits, bool signed)
    {
        var i = 0;
        var count = Vector<int>.Count;
        if (signed)
        {
            var shift = 32 - bits;
            if (Vector.IsHardwareAccelerated)
                for (; i <= values.Length - count; i += count)
                    Vector.ShiftRightArithmetic(Vector.ShiftLeft(new Vector<int>(values[i..]), shift), shift).CopyTo(values[i..]);
            for (; i < values.Length; i++) values[i] = (values[i] << shift) >> shift;
        }
        else
        {
            var mask = (int)((1u << bits) - 1);
            if (Vector.IsHardwareAccelerated)
            {
                var vmask = new Vector<int>(mask);
                for (; i <= values.Length - count; i += count) (new Vector<int>(values[i..]) & vmask).CopyTo(values[i..]);
            }
            for (; i < values.Length; i++) values[i] &= mask;
        }
    }

    /// <summary>Reorders colour-by-plane native data (RRR…GGG…BBB…) into colour-by-pixel.</summary>
    public static byte[] Interleave(ReadOnlySpan<byte> planar, int pixels, int samples, int bytesPerSample)
    {
        var result = new byte[pixels * samples * bytesPerSample];
        for (var s = 0; s < samples; s++)
        for (var p = 0; p < pixels; p++)
            planar.Slice((s * pixels + p) * bytesPerSample, bytesPerSample)
                .CopyTo(result.AsSpan((p * samples + s) * bytesPerSample, bytesPerSample));
        return result;
    }

}
