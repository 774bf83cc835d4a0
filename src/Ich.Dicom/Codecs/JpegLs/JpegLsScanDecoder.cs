using System.Runtime.CompilerServices;
using System.Collections.Concurrent;

namespace Ich.Dicom.Codecs.JpegLs;

/// <summary>
/// The LOCO-I context model of JPEG-LS (ITU T.87 Annex A) for one scan: regular mode with the median
/// edge predictor, bias correction and adaptive Golomb codes, run mode with run-interruption samples,
/// lossless (NEAR = 0) and near-lossless. The components of a scan share one set of contexts and are
/// decoded line-interleaved (ILV 1, or ILV 0 with a single component; one run index per component) or
/// sample-interleaved (ILV 2: a run needs all components flat, one run index, interruption samples
/// coded in the RItype-0 context against the sample above).
/// </summary>
internal sealed class JpegLsScanDecoder
{
    private static readonly int[] J =
        [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 9, 10, 11, 12, 13, 14, 15];

    private readonly FrameInfo _info;
    private readonly int _near, _maxVal, _range, _qbpp, _limit, _t1, _t2, _t3, _reset;
    /// <summary>Context statistics (T.87 A.2): error magnitude sum A, bias sum B, correction C, count N, negative-error count Nn.</summary>
    private struct Context
    {
        public int A, B, C, N, Nn;
    }

    // Regular contexts 0..364, run-interruption contexts 365 (RItype 0) and 366 (RItype 1).
    private readonly Context[] _contexts = new Context[367];
    private readonly int[] _runIndex;
    // Quantized gradient for every difference -MAXVAL..MAXVAL (index d + MAXVAL): branch-free context lookup.
    private readonly sbyte[] _quantized;
    private static readonly ConcurrentDictionary<(int, int, int, int, int), sbyte[]> QuantizerCache = new();

    public JpegLsScanDecoder(FrameInfo info, JpegLsParameters p, int near, int components)
    {
        _info = info;
        _near = near;
        _maxVal = p.MaxVal;
        _t1 = p.T1;
        _t2 = p.T2;
        _t3 = p.T3;
        _reset = p.Reset;
        _range = (_maxVal + 2 * near) / (2 * near + 1) + 1;
        _qbpp = Log2Ceiling(_range);
        int bpp = Math.Max(2, Log2Ceiling(_maxVal + 1));
        _limit = 2 * (bpp + Math.Max(8, bpp));
        int initialA = Math.Max(2, (_range + 32) / 64);
        Array.Fill(_contexts, new Context { A = initialA, N = 1 });
        _runIndex = new int[components];
        var key = (_maxVal, _near, _t1, _t2, _t3);
        if (!QuantizerCache.TryGetValue(key, out var table))
        {
            table = new sbyte[2 * _maxVal + 1];
            for (int d = -_maxVal; d <= _maxVal; d++) table[d + _maxVal] = (sbyte)Quantize(d);
            if (QuantizerCache.Count < 16) QuantizerCache.TryAdd(key, table); // a few parameter sets recur; bound the cache
        }
        _quantized = table;
    }

    private static int Log2Ceiling(int value)
    {
        int bits = 0;
        while (1L << bits < value) bits++;
        return bits;
    }

    /// <summary>
    /// Decodes the scan into <paramref name="planes"/> (one Width × Height plane per scan component);
    /// returns the position of the marker that ends the scan.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: fully optimised from the first frame
    public int Decode(ReadOnlySpan<byte> data, int position, int width, int height, int[][] planes, bool sampleInterleaved)
    {
        int count = planes.Length;
        // Each line keeps one extra sample on both sides: [0] is x = -1, [width + 1] is x = width.
        var previous = new int[count][];
        var current = new int[count][];
        for (int i = 0; i < count; i++)
        {
            previous[i] = new int[width + 2];
            current[i] = new int[width + 2];
        }
        var reader = new JpegLsBitReader(data, position, _info);
        for (int y = 0; y < height; y++)
        {
            for (int i = 0; i < count; i++)
            {
                previous[i][width + 1] = previous[i][width];
                current[i][0] = previous[i][1];
            }
            if (sampleInterleaved)
            {
                DecodeInterleavedLine(ref reader, previous, current, width);
            }
            else
            {
                for (int i = 0; i < count; i++) DecodeLine(ref reader, previous[i], current[i], width, i);
            }
            for (int i = 0; i < count; i++)
            {
                Array.Copy(current[i], 1, planes[i], y * width, width);
                (previous[i], current[i]) = (current[i], previous[i]);
            }
            reader.ThrowIfOverrun();
        }
        return reader.EndOfScan();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void DecodeLine(ref JpegLsBitReader reader, int[] prev, int[] curr, int width, int component)
    {
        int x = 1;
        while (x <= width)
        {
            int ra = curr[x - 1], rb = prev[x], rc = prev[x - 1], rd = prev[x + 1];
            int context = ContextOf(rd - rb, rb - rc, rc - ra);
            if (context == 0)
            {
                x = DecodeRun(ref reader, prev, curr, x, width, component);
                continue;
            }
            curr[x] = DecodeRegular(ref reader, context, ra, rb, rc);
            x++;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void DecodeInterleavedLine(ref JpegLsBitReader reader, int[][] prev, int[][] curr, int width)
    {
        int n = prev.Length;
        Span<int> contexts = stackalloc int[4];
        int x = 1;
        while (x <= width)
        {
            bool flat = true;
            for (int c = 0; c < n; c++)
            {
                int ra = curr[c][x - 1], rb = prev[c][x], rc = prev[c][x - 1], rd = prev[c][x + 1];
                contexts[c] = ContextOf(rd - rb, rb - rc, rc - ra);
                flat &= contexts[c] == 0;
            }
            if (flat)
            {
                x = DecodeInterleavedRun(ref reader, prev, curr, x, width);
                continue;
            }
            for (int c = 0; c < n; c++)
                curr[c][x] = DecodeRegular(ref reader, contexts[c], curr[c][x - 1], prev[c][x], prev[c][x - 1]);
            x++;
        }
    }

    /// <summary>Signed context number 81·Q1 + 9·Q2 + Q3 of the quantized gradients; 0 means run mode.</summary>
    private int ContextOf(int d1, int d2, int d3) =>
        (_quantized[d1 + _maxVal] * 9 + _quantized[d2 + _maxVal]) * 9 + _quantized[d3 + _maxVal];

    private int Quantize(int d)
    {
        if (d <= -_t3) return -4;
        if (d <= -_t2) return -3;
        if (d <= -_t1) return -2;
        if (d < -_near) return -1;
        if (d <= _near) return 0;
        if (d < _t1) return 1;
        if (d < _t2) return 2;
        if (d < _t3) return 3;
        return 4;
    }

    /// <summary>
    /// Regular-mode sample. The sign of the context number is the sign of its first non-zero gradient
    /// (81 and 9 outweigh the later terms), so negating it gives the sign-normalised context of T.87 A.3.4.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int DecodeRegular(ref JpegLsBitReader reader, int context, int ra, int rb, int rc)
    {
        int sign = context < 0 ? -1 : 1;
        ref var ctx = ref _contexts[context * sign];

        // Median edge detector, then the context's bias correction.
        int px = rc >= Math.Max(ra, rb) ? Math.Min(ra, rb) : rc <= Math.Min(ra, rb) ? Math.Max(ra, rb) : ra + rb - rc;
        px += sign * ctx.C;
        if (px < 0) px = 0;
        else if (px > _maxVal) px = _maxVal;

        int k = 0;
        while (ctx.N << k < ctx.A && k < 24) k++;
        int mapped = ReadGolomb(ref reader, k, _limit);
        int error = (mapped & 1) == 0 ? mapped >> 1 : -((mapped + 1) >> 1);
        if (_near == 0 && k == 0 && 2 * ctx.B <= -ctx.N) error = -error - 1; // T.87 A.5.2 special mapping

        UpdateRegular(ref ctx, error);
        return Reconstruct(px + sign * error * (2 * _near + 1));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void UpdateRegular(ref Context ctx, int error)
    {
        ctx.B += error * (2 * _near + 1);
        ctx.A += Math.Abs(error);
        if (ctx.N == _reset)
        {
            ctx.A >>= 1;
            ctx.B >>= 1;
            ctx.N >>= 1;
        }
        ctx.N++;
        if (ctx.B <= -ctx.N)
        {
            ctx.B += ctx.N;
            if (ctx.C > -128) ctx.C--;
            if (ctx.B <= -ctx.N) ctx.B = -ctx.N + 1;
        }
        else if (ctx.B > 0)
        {
            ctx.B -= ctx.N;
            if (ctx.C < 127) ctx.C++;
            if (ctx.B > 0) ctx.B = 0;
        }
    }

    /// <summary>Undoes the modulo reduction of the error and clamps to 0..MAXVAL (T.87 A.4.5 / A.5).</summary>
    private int Reconstruct(int value)
    {
        int span = _range * (2 * _near + 1);
        if (value < -_near) value += span;
        else if (value > _maxVal + _near) value -= span;
        return value < 0 ? 0 : value > _maxVal ? _maxVal : value;
    }

    /// <summary>Golomb code of parameter k with the length limit and escape of T.87 A.5.3.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int ReadGolomb(ref JpegLsBitReader reader, int k, int limit)
    {
        int escape = limit - _qbpp - 1;
        int prefix = reader.Unary(escape);
        if (prefix >= escape) return reader.Bits(_qbpp) + 1;
        return k == 0 ? prefix : (prefix << k) | reader.Bits(k);
    }

    /// <summary>Run length (T.87 A.7.1) of a run starting with <paramref name="remaining"/> samples left in the line.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int ReadRunLength(ref JpegLsBitReader reader, ref int runIndex, int remaining)
    {
        int length = 0;
        while (reader.Bit())
        {
            int block = 1 << J[runIndex];
            int n = Math.Min(block, remaining - length);
            length += n;
            if (n == block && runIndex < 31) runIndex++;
            if (length == remaining) return length;
        }
        length += reader.Bits(J[runIndex]);
        if (length > remaining)
            FrameGeometry.Fail(_info, $"JPEG-LS: run of {length} samples passes the end of the line ({remaining} left)");
        return length;
    }

    /// <summary>Decodes a run starting at x and its interruption sample; returns the next x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int DecodeRun(ref JpegLsBitReader reader, int[] prev, int[] curr, int x, int width, int component)
    {
        int value = curr[x - 1];
        int remaining = width - x + 1;
        ref int runIndex = ref _runIndex[component];
        int length = ReadRunLength(ref reader, ref runIndex, remaining);
        for (int i = 0; i < length; i++) curr[x + i] = value;
        x += length;
        if (length == remaining) return x;

        // Run interruption sample (T.87 A.7.2).
        int ra = curr[x - 1], rb = prev[x];
        int riType = Math.Abs(ra - rb) <= _near ? 1 : 0;
        int error = DecodeInterruptionError(ref reader, riType, runIndex);
        int px = riType == 1 ? ra : rb;
        int sign = riType == 0 && ra > rb ? -1 : 1;
        curr[x] = Reconstruct(px + sign * error * (2 * _near + 1));
        if (runIndex > 0) runIndex--;
        return x + 1;
    }

    /// <summary>Sample-interleaved run: every component repeats its left sample; the interruption pixel
    /// codes each component in the RItype-0 context against the sample above.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int DecodeInterleavedRun(ref JpegLsBitReader reader, int[][] prev, int[][] curr, int x, int width)
    {
        int remaining = width - x + 1;
        ref int runIndex = ref _runIndex[0];
        int length = ReadRunLength(ref reader, ref runIndex, remaining);
        for (int c = 0; c < curr.Length; c++)
        {
            int value = curr[c][x - 1];
            for (int i = 0; i < length; i++) curr[c][x + i] = value;
        }
        x += length;
        if (length == remaining) return x;
        for (int c = 0; c < curr.Length; c++)
        {
            int ra = curr[c][x - 1], rb = prev[c][x];
            int error = DecodeInterruptionError(ref reader, 0, runIndex);
            int sign = rb >= ra ? 1 : -1;
            curr[c][x] = Reconstruct(rb + sign * error * (2 * _near + 1));
        }
        if (runIndex > 0) runIndex--;
        return x + 1;
    }

    /// <summary>Error of a run-interruption sample with its context update (T.87 A.7.2.2–A.7.2.3).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int DecodeInterruptionError(ref JpegLsBitReader reader, int riType, int runIndex)
    {
        ref var ctx = ref _contexts[365 + riType];
        int temp = riType == 1 ? ctx.A + (ctx.N >> 1) : ctx.A;
        int k = 0;
        while (ctx.N << k < temp && k < 24) k++;
        int mapped = ReadGolomb(ref reader, k, _limit - J[runIndex] - 1);
        int t = mapped + riType;
        int magnitude = (t + 1) >> 1;
        bool odd = (t & 1) == 1;
        // The map bit (t odd) says the error is negative exactly when (k != 0 or 2·Nn ≥ N) agrees with it.
        int error = (k != 0 || 2 * ctx.Nn >= ctx.N) == odd ? -magnitude : magnitude;

        if (error < 0) ctx.Nn++;
        ctx.A += (mapped + 1 - riType) >> 1;
        if (ctx.N == _reset)
        {
            ctx.A >>= 1;
            ctx.N >>= 1;
            ctx.Nn >>= 1;
        }
        ctx.N++;
        return error;
    }

}
