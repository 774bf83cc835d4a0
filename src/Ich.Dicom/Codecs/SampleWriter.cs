using System.Runtime.CompilerServices;
using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Ich.Dicom.Codecs;

/// <summary>Stores decoded sample values into little-endian containers of BitsAllocated bits.</summary>
internal static class SampleWriter
{
    /// <summary>
    /// Writes <paramref name="samples"/> (already interleaved, one per output sample) into
    /// <paramref name="output"/>, each shifted left by <paramref name="shift"/> and truncated to the container.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: fully optimised from the first frame
    public static void Write(ReadOnlySpan<int> samples, Span<byte> output, int bitsAllocated, int shift = 0)
    {
        switch (bitsAllocated)
        {
            case 8:
                for (int i = 0; i < samples.Length; i++) output[i] = (byte)(samples[i] << shift);
                break;
            case 16 when BitConverter.IsLittleEndian:
                var words = MemoryMarshal.Cast<byte, ushort>(output[..(2 * samples.Length)]);
                for (int i = 0; i < samples.Length; i++) words[i] = (ushort)(samples[i] << shift);
                break;
            case 16:
                for (int i = 0; i < samples.Length; i++)
                    BinaryPrimitives.WriteUInt16LittleEndian(output[(2 * i)..], (ushort)(samples[i] << shift));
                break;
            default:
                for (int i = 0; i < samples.Length; i++)
                    BinaryPrimitives.WriteUInt32LittleEndian(output[(4 * i)..], (uint)(samples[i] << shift));
                break;
        }
    }
}
