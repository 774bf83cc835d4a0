using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Ich.Dicom.Codecs.JpegLs;

/// <summary>
/// MSB-first bit reader for JPEG-LS scan data (ITU T.87 A.1): after an 0xFF byte the next byte carries
/// only 7 bits (its top bit is a stuffed 0); 0xFF followed by a byte with the top bit set is a marker,
/// where the data ends. Past the end, zero bits are fed and counted so that overruns are reported.
/// </summary>
internal ref struct JpegLsBitReader
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly FrameInfo _info;
    private int _position;
    private ulong _buffer;
    private int _count;
    private int _padding;
    private bool _afterFF;
    private bool _atMarker;

    public JpegLsBitReader(ReadOnlySpan<byte> data, int position, FrameInfo info)
    {
        _data = data;
        _position = position;
        _info = info;
    }

    /// <summary>True once bits beyond the scan data have been consumed.</summary>
    public readonly bool Overrun => _count < _padding;

    /// <summary>Position of the first byte not yet loaded.</summary>
    public readonly int Position => _position;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: fully optimised from the first frame
    private void Fill()
    {
        // Fast path: the next 8 bytes hold no 0xFF (no stuffing, no marker), so whole bytes go in at once.
        if (!_afterFF && !_atMarker && _position + 8 <= _data.Length)
        {
            ulong v = BinaryPrimitives.ReadUInt64BigEndian(_data[_position..]);
            ulong inverted = ~v;
            if (((inverted - 0x0101010101010101UL) & ~inverted & 0x8080808080808080UL) == 0)
            {
                int bytes = (64 - _count) >> 3;
                _buffer |= v >> (64 - 8 * bytes) << (64 - 8 * bytes - _count);
                _count += 8 * bytes;
                _position += bytes;
                return;
            }
        }
        while (_count <= 56)
        {
            if (_atMarker)
            {
                _count += 8;
                _padding += 8;
                continue;
            }
            if (_position >= _data.Length)
            {
                _atMarker = true;
                continue;
            }
            int b = _data[_position];
            if (_afterFF)
            {
                if (b >= 0x80)
                {
                    _atMarker = true; // cannot happen after a data 0xFF (checked below); kept for safety
                    continue;
                }
                _buffer |= (ulong)b << (57 - _count);
                _count += 7;
                _afterFF = false;
                _position++;
                continue;
            }
            if (b == 0xFF && (_position + 1 >= _data.Length || _data[_position + 1] >= 0x80))
            {
                _atMarker = true; // a marker: the scan data ends here
                continue;
            }
            _buffer |= (ulong)b << (56 - _count);
            _count += 8;
            _afterFF = b == 0xFF;
            _position++;
        }
    }

    /// <summary>Reads n (0..32) bits as an unsigned number.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Bits(int n)
    {
        if (n == 0) return 0;
        if (_count < n) Fill();
        int v = (int)(_buffer >> (64 - n));
        _buffer <<= n;
        _count -= n;
        return v;
    }

    /// <summary>Reads one bit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Bit()
    {
        if (_count < 1) Fill();
        bool bit = (long)_buffer < 0;
        _buffer <<= 1;
        _count--;
        return bit;
    }

    /// <summary>Counts 0 bits up to and including the next 1 bit; returns the number of zeros (at most <paramref name="max"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Unary(int max)
    {
        int zeros = 0;
        while (true)
        {
            if (_count < 32) Fill();
            int lz = BitOperations.LeadingZeroCount(_buffer);
            if (lz < _count)
            {
                zeros += lz;
                _buffer <<= lz + 1;
                _count -= lz + 1;
                return zeros;
            }
            zeros += _count;
            _buffer = 0;
            _count = 0;
            if (zeros > max)
                FrameGeometry.Fail(_info, Overrun || _atMarker
                    ? "JPEG-LS: scan data is truncated (ran into a marker or the end of the stream)"
                    : $"JPEG-LS: Golomb code prefix longer than {max} bits at byte {_position}");
        }
    }

    /// <summary>Throws when bits beyond the scan data were consumed.</summary>
    public readonly void ThrowIfOverrun()
    {
        if (Overrun) FrameGeometry.Fail(_info, "JPEG-LS: scan data is truncated (ran into a marker or the end of the stream)");
    }

    /// <summary>Position of the marker that ends the scan (0xFF followed by a byte ≥ 0x80), or the data length.</summary>
    public readonly int EndOfScan()
    {
        for (int i = _position; i + 1 < _data.Length; i++)
            if (_data[i] == 0xFF && _data[i + 1] >= 0x80) return i;
        return _data.Length;
    }
}
