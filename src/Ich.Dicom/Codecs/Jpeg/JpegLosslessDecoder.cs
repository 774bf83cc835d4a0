using System.Runtime.CompilerServices;
using Ich.Dicom.Model;

namespace Ich.Dicom.Codecs.Jpeg;

/// <summary>
/// JPEG Lossless, Non-Hierarchical (Process 14, SOF3; ITU T.81 Annex H) with Huffman coding:
/// predictors 1–7, point transform, 2–16 bit precision, restart intervals, 1–4 components at full
/// resolution. Transfer syntaxes 1.2.840.10008.1.2.4.57 and .70 (first-order prediction).
/// </summary>
public sealed class JpegLosslessDecoder : IFrameDecoder
{
    private const string Codec = "JPEG Lossless";

    /// <inheritdoc/>
    public IReadOnlyCollection<string> TransferSyntaxUids { get; } =
        [TransferSyntaxes.JpegLossless, TransferSyntaxes.JpegLosslessSV1];

    /// <inheritdoc/>
    public byte[] Decode(ReadOnlySpan<byte> frame, FrameInfo info)
    {
        var length = FrameGeometry.OutputLength(info, Codec);
        var parser = new JpegParser(info, Codec, m => m == JpegMarkers.Sof3);
        using var buffers = new SampleBuffers();
        int count = length / (info.BitsAllocated / 8);
        int[]? samples = null; // interleaved: (row * width + column) * components + component
        bool[]? decoded = null;
        int[] shifts = [];

        parser.Run(frame,
            f =>
            {
                if (f.Precision is < 2 or > 16) parser.Fail($"sample precision {f.Precision} is outside 2..16");
                if (f.Width != info.Columns || f.Height != info.Rows)
                    parser.Fail($"frame is {f.Width}×{f.Height}, the dataset says {info.Columns}×{info.Rows}");
                if (f.Components.Length != info.SamplesPerPixel)
                    parser.Fail($"frame has {f.Components.Length} components, the dataset says {info.SamplesPerPixel} samples per pixel");
                if (f.Precision > info.BitsAllocated)
                    parser.Fail($"sample precision {f.Precision} exceeds BitsAllocated {info.BitsAllocated}");
                if (f.Components.Any(c => c.H != f.Components[0].H || c.V != f.Components[0].V))
                    parser.Fail("subsampled components are not supported in lossless JPEG");
                samples = buffers.Rent(count);
                decoded = new bool[f.Components.Length];
                shifts = new int[f.Components.Length];
            },
            (data, pos, scan) =>
            {
                var f = parser.Frame!;
                if (scan.Ss is < 1 or > 7) parser.Fail($"predictor {scan.Ss} is outside 1..7");
                if (scan.Al >= f.Precision) parser.Fail($"point transform {scan.Al} is not below the precision {f.Precision}");
                if (scan.Components.Length > 1 && scan.Components.Any(c => c.Component.H != 1 || c.Component.V != 1))
                    parser.Fail("interleaved lossless scan with sampling factors other than 1x1 is not supported");
                foreach (var c in scan.Components)
                {
                    if (parser.DcTables[c.DcTable] is null) parser.Fail($"scan uses Huffman table {c.DcTable}, which no DHT defined");
                    if (decoded![c.Component.Index]) parser.Fail($"component {c.Component.Id} appears in two scans");
                    decoded[c.Component.Index] = true;
                    shifts[c.Component.Index] = scan.Al;
                }
                return DecodeScan(data, pos, scan, parser, samples!);
            });

        if (parser.Frame is null) parser.Fail("stream has no frame header");
        if (decoded!.Any(d => !d)) parser.Fail("stream ends before every component was decoded");
        var output = new byte[length];
        if (shifts.All(s => s == shifts[0]))
        {
            SampleWriter.Write(samples.AsSpan(0, count), output, info.BitsAllocated, shifts[0]);
        }
        else
        {
            for (int i = 0; i < count; i++) samples![i] <<= shifts[i % shifts.Length];
            SampleWriter.Write(samples.AsSpan(0, count), output, info.BitsAllocated);
        }
        return output;
    }

    /// <summary>Decodes one scan into the interleaved sample array; returns the position after its data.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: fully optimised from the first frame
    private static int DecodeScan(ReadOnlySpan<byte> data, int pos, JpegScan scan, JpegParser parser, int[] samples)
    {
        var frame = parser.Frame!;
        int width = frame.Width, height = frame.Height, stride = frame.Components.Length;
        int rowStride = width * stride;
        int predictor = scan.Ss, pt = scan.Al;
        int initial = 1 << (frame.Precision - pt - 1);
        int count = scan.Components.Length;
        var tables = new HuffmanTable[count];
        var offsets = new int[count];
        for (int i = 0; i < count; i++)
        {
            tables[i] = parser.DcTables[scan.Components[i].DcTable]!;
            offsets[i] = scan.Components[i].Component.Index;
        }

        var reader = new JpegBitReader(data, pos, parser.Info);
        int restartInterval = parser.RestartInterval, left = restartInterval, restarts = 0;
        int firstLine = 0;          // row whose samples are predicted from the left only (T.81 H.1.2.1)
        bool resetNext = true;      // next sample takes the initial prediction 2^(P-Pt-1)
        for (int y = 0; y < height; y++)
        {
            int row = y * rowStride;
            for (int x = 0; x < width; x++)
            {
                if (restartInterval > 0)
                {
                    if (left == 0)
                    {
                        reader.Restart(restarts++);
                        left = restartInterval;
                        resetNext = true;
                        firstLine = y;
                    }
                    left--;
                }
                int at = row + x * stride;
                for (int i = 0; i < count; i++)
                {
                    int s = reader.Decode(tables[i]);
                    int diff = s switch
                    {
                        0 => 0,
                        16 => 32768,
                        < 16 => reader.ReceiveExtend(s),
                        _ => FrameGeometry.Fail<int>(parser.Info, $"{Codec}: difference category {s} is above 16"),
                    };
                    int o = at + offsets[i];
                    int prediction;
                    if (resetNext) prediction = initial;
                    else if (y == firstLine) prediction = samples[o - stride];
                    else if (x == 0) prediction = samples[o - rowStride];
                    else
                    {
                        int ra = samples[o - stride], rb = samples[o - rowStride], rc = samples[o - rowStride - stride];
                        prediction = predictor switch
                        {
                            1 => ra,
                            2 => rb,
                            3 => rc,
                            4 => ra + rb - rc,
                            5 => ra + ((rb - rc) >> 1),
                            6 => rb + ((ra - rc) >> 1),
                            _ => (ra + rb) >> 1,
                        };
                    }
                    samples[o] = (prediction + diff) & 0xFFFF;
                }
                resetNext = false;
            }
            reader.ThrowIfOverrun();
        }
        return JpegMarkers.SkipToMarker(data, reader.Position);
    }
}
