using System.Runtime.CompilerServices;
using Ich.Dicom.Model;

namespace Ich.Dicom.Codecs.Jpeg;

/// <summary>
/// Sequential DCT JPEG with Huffman coding: Baseline (Process 1, SOF0, 8-bit; 1.2.840.10008.1.2.4.50)
/// and Extended (Process 2 &amp; 4, SOF1, 8- or 12-bit; 1.2.840.10008.1.2.4.51). Interleaved and
/// non-interleaved scans, sampling factors 1..4 (chroma upsampled as the IJG decoder does), restart intervals.
/// Three-component frames whose photometric is YBR_FULL or YBR_FULL_422 are converted to RGB.
/// </summary>
public sealed class JpegDctDecoder : IFrameDecoder
{
    private const string Codec = "JPEG DCT";

    /// <summary>Natural-order index of the k-th zig-zag coefficient (T.81 Figure A.6).</summary>
    private static readonly byte[] ZigZag =
    [
        0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5,
        12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
        35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51,
        58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
    ];

    /// <inheritdoc/>
    public IReadOnlyCollection<string> TransferSyntaxUids { get; } =
        [TransferSyntaxes.JpegBaseline, TransferSyntaxes.JpegExtended];

    /// <summary>Decoded samples of one component, padded to whole MCUs.</summary>
    private sealed class Plane(int width, int blocksWide, int blocksHigh, int[] samples)
    {
        public int Width { get; } = width;               // stride, samples
        public int BlocksWide { get; } = blocksWide;     // blocks holding image data (non-interleaved scans)
        public int BlocksHigh { get; } = blocksHigh;
        public int[] Samples { get; } = samples;
        public bool Decoded { get; set; }
    }

    /// <inheritdoc/>
    public byte[] Decode(ReadOnlySpan<byte> frame, FrameInfo info)
    {
        var length = FrameGeometry.OutputLength(info, Codec);
        var parser = new JpegParser(info, Codec, m => m is JpegMarkers.Sof0 or JpegMarkers.Sof1);
        using var buffers = new SampleBuffers();
        Plane[] planes = [];

        parser.Run(frame,
            f =>
            {
                if (f.Precision is not (8 or 12)) parser.Fail($"sample precision {f.Precision} is not 8 or 12");
                if (f.Marker == JpegMarkers.Sof0 && f.Precision != 8) parser.Fail("baseline frame (SOF0) with a precision other than 8");
                if (f.Width != info.Columns || f.Height != info.Rows)
                    parser.Fail($"frame is {f.Width}×{f.Height}, the dataset says {info.Columns}×{info.Rows}");
                if (f.Components.Length != info.SamplesPerPixel)
                    parser.Fail($"frame has {f.Components.Length} components, the dataset says {info.SamplesPerPixel} samples per pixel");
                if (f.Precision > info.BitsAllocated)
                    parser.Fail($"sample precision {f.Precision} exceeds BitsAllocated {info.BitsAllocated}");
                int maxH = f.MaxH, maxV = f.MaxV;
                int mcusWide = Ceil(f.Width, 8 * maxH), mcusHigh = Ceil(f.Height, 8 * maxV);
                // Planes are padded to whole MCUs: at most (8·4)² - 1 samples more per component row/column pair.
                long planeSamples = f.Components.Sum(c => (long)mcusWide * c.H * 8 * mcusHigh * c.V * 8);
                if (planeSamples * sizeof(int) > 2 * FrameGeometry.MaxFrameBytes) parser.Fail("component planes are too large");
                planes = f.Components.Select(c => new Plane(
                    mcusWide * c.H * 8, Ceil(Ceil(f.Width * c.H, maxH), 8), Ceil(Ceil(f.Height * c.V, maxV), 8),
                    buffers.Rent(mcusWide * c.H * 8 * mcusHigh * c.V * 8))).ToArray();
            },
            (data, pos, scan) =>
            {
                // Ss/Se/Ah/Al carry no meaning in a sequential scan; some encoders write Se=0 (libjpeg only warns).
                foreach (var c in scan.Components)
                {
                    if (parser.DcTables[c.DcTable] is null || parser.AcTables[c.AcTable] is null)
                        parser.Fail($"scan component {c.Component.Id} uses Huffman tables {c.DcTable}/{c.AcTable}, which no DHT defined");
                    if (parser.QuantTables[c.Component.QuantTable] is null)
                        parser.Fail($"component {c.Component.Id} uses quantization table {c.Component.QuantTable}, which no DQT defined");
                    var plane = planes[c.Component.Index];
                    if (plane.Decoded) parser.Fail($"component {c.Component.Id} appears in two scans");
                    plane.Decoded = true;
                }
                if (scan.Components.Length > 1 && scan.Components.Sum(c => c.Component.H * c.Component.V) > 10)
                    parser.Fail("interleaved scan has more than 10 blocks per MCU");
                return DecodeScan(data, pos, scan, parser, planes);
            });

        if (parser.Frame is null) parser.Fail("stream has no frame header");
        if (planes.Any(p => !p.Decoded)) parser.Fail("stream ends before every component was decoded");
        return Assemble(parser.Frame!, planes, info, length, buffers);
    }

    private static int Ceil(int a, int b) => (a + b - 1) / b;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: fully optimised from the first frame
    private static int DecodeScan(ReadOnlySpan<byte> data, int pos, JpegScan scan, JpegParser parser, Plane[] planes)
    {
        var frame = parser.Frame!;
        int n = scan.Components.Length;
        var dc = new HuffmanTable[n];
        var ac = new HuffmanTable[n];
        var quant = new int[n][];
        for (int i = 0; i < n; i++)
        {
            dc[i] = parser.DcTables[scan.Components[i].DcTable]!;
            ac[i] = parser.AcTables[scan.Components[i].AcTable]!;
            quant[i] = parser.QuantTables[scan.Components[i].Component.QuantTable]!;
        }
        var predictors = new int[n];
        var block = new int[64];
        var reader = new JpegBitReader(data, pos, parser.Info);
        int restartInterval = parser.RestartInterval, left = restartInterval, restarts = 0;
        int maxCategory = frame.Precision + 3; // DC differences need up to P+3 bits (11 or 15)

        void Restart(ref JpegBitReader r)
        {
            r.Restart(restarts++);
            left = restartInterval;
            Array.Clear(predictors);
        }

        if (n == 1)
        {
            // Non-interleaved: one block per MCU, covering only the component's own blocks.
            var plane = planes[scan.Components[0].Component.Index];
            for (int by = 0; by < plane.BlocksHigh; by++)
            {
                for (int bx = 0; bx < plane.BlocksWide; bx++)
                {
                    if (restartInterval > 0)
                    {
                        if (left == 0) Restart(ref reader);
                        left--;
                    }
                    DecodeBlock(ref reader, dc[0], ac[0], quant[0], ref predictors[0], block, maxCategory, parser.Info);
                    InverseDct.Transform(block, frame.Precision, plane.Samples, by * 8 * plane.Width + bx * 8, plane.Width);
                }
                reader.ThrowIfOverrun();
            }
        }
        else
        {
            int mcusWide = Ceil(frame.Width, 8 * frame.MaxH), mcusHigh = Ceil(frame.Height, 8 * frame.MaxV);
            for (int my = 0; my < mcusHigh; my++)
            {
                for (int mx = 0; mx < mcusWide; mx++)
                {
                    if (restartInterval > 0)
                    {
                        if (left == 0) Restart(ref reader);
                        left--;
                    }
                    for (int i = 0; i < n; i++)
                    {
                        var c = scan.Components[i].Component;
                        var plane = planes[c.Index];
                        for (int v = 0; v < c.V; v++)
                        for (int h = 0; h < c.H; h++)
                        {
                            DecodeBlock(ref reader, dc[i], ac[i], quant[i], ref predictors[i], block, maxCategory, parser.Info);
                            int x0 = (mx * c.H + h) * 8, y0 = (my * c.V + v) * 8;
                            InverseDct.Transform(block, frame.Precision, plane.Samples, y0 * plane.Width + x0, plane.Width);
                        }
                    }
                }
                reader.ThrowIfOverrun();
            }
        }
        return JpegMarkers.SkipToMarker(data, reader.Position);
    }

    /// <summary>Huffman-decodes and dequantizes one 8×8 block into natural order (T.81 F.2.2).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DecodeBlock(ref JpegBitReader reader, HuffmanTable dc, HuffmanTable ac, int[] quant,
        ref int predictor, Span<int> block, int maxCategory, FrameInfo info)
    {
        block.Clear();
        int s = reader.Decode(dc);
        if (s > maxCategory) FrameGeometry.Fail(info, $"{Codec}: DC difference category {s} is out of range");
        predictor += reader.ReceiveExtend(s);
        block[0] = predictor * quant[0];
        for (int k = 1; k < 64;)
        {
            int rs = reader.Decode(ac);
            int run = rs >> 4, size = rs & 15;
            if (size == 0)
            {
                if (run != 15) break; // end of block
                k += 16;
                continue;
            }
            k += run;
            if (k > 63) FrameGeometry.Fail(info, $"{Codec}: AC coefficient index {k} is beyond the block");
            block[ZigZag[k]] = reader.ReceiveExtend(size) * quant[k];
            k++;
        }
    }

    /// <summary>Crops the planes to the image, upsamples subsampled components and interleaves the samples.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static byte[] Assemble(JpegFrame frame, Plane[] planes, FrameInfo info, int length, SampleBuffers buffers)
    {
        int width = frame.Width, height = frame.Height, n = planes.Length;
        int maxH = frame.MaxH, maxV = frame.MaxV;
        int count = width * height * n;
        var samples = buffers.Rent(count);
        for (int i = 0; i < n; i++)
        {
            var c = frame.Components[i];
            var plane = planes[i];
            if (c.H == maxH && c.V == maxV)
            {
                for (int y = 0; y < height; y++)
                {
                    int src = y * plane.Width, dst = y * width * n + i;
                    for (int x = 0; x < width; x++, dst += n) samples[dst] = plane.Samples[src + x];
                }
                continue;
            }
            if (maxH % c.H != 0 || maxV % c.V != 0)
                FrameGeometry.Fail(info, $"{Codec}: sampling factors {c.H}x{c.V} do not divide the maximum {maxH}x{maxV}");
            var full = buffers.Rent(width * height);
            ChromaUpsampler.Upsample(plane.Samples, plane.Width, Ceil(width * c.H, maxH), Ceil(height * c.V, maxV),
                maxH / c.H, maxV / c.V, width, height, full);
            for (int p = 0, dst = i; p < width * height; p++, dst += n) samples[dst] = full[p];
        }
        if (n == 3 && info.Photometric is "YBR_FULL" or "YBR_FULL_422")
            YCbCrToRgb(samples.AsSpan(0, count), frame.Precision);
        var output = new byte[length];
        SampleWriter.Write(samples.AsSpan(0, count), output, info.BitsAllocated);
        return output;
    }

    /// <summary>JFIF / ITU-R BT.601 full-range YCbCr to RGB, rounded and clamped (fixed point, 16 fraction bits).</summary>
    private static void YCbCrToRgb(Span<int> samples, int precision)
    {
        int max = (1 << precision) - 1, center = 1 << (precision - 1);
        const int Half = 1 << 15;
        for (int i = 0; i < samples.Length; i += 3)
        {
            int y = samples[i], cb = samples[i + 1] - center, cr = samples[i + 2] - center;
            int r = y + ((91881 * cr + Half) >> 16);
            int g = y + ((-22554 * cb - 46802 * cr + Half) >> 16);
            int b = y + ((116130 * cb + Half) >> 16);
            samples[i] = Math.Clamp(r, 0, max);
            samples[i + 1] = Math.Clamp(g, 0, max);
            samples[i + 2] = Math.Clamp(b, 0, max);
        }
    }
}
