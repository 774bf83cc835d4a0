using Ich.Dicom.Codecs.Jpeg;
using Ich.Dicom.Model;

namespace Ich.Dicom.Codecs.JpegLs;

/// <summary>
/// JPEG-LS (ITU T.87) lossless and near-lossless: transfer syntaxes 1.2.840.10008.1.2.4.80 and .81.
/// 2–16 bit precision, preset parameters (LSE id 1), 1–4 components in separate scans (ILV 0),
/// line-interleaved (ILV 1) or sample-interleaved (ILV 2). Mapping tables (palettes), restart intervals
/// and subsampled components are rejected with a format error.
/// </summary>
public sealed class JpegLsDecoder : IFrameDecoder
{
    private const string Codec = "JPEG-LS";

    /// <inheritdoc/>
    public IReadOnlyCollection<string> TransferSyntaxUids { get; } =
        [TransferSyntaxes.JpegLsLossless, TransferSyntaxes.JpegLsNearLossless];

    /// <inheritdoc/>
    public byte[] Decode(ReadOnlySpan<byte> frame, FrameInfo info)
    {
        var length = FrameGeometry.OutputLength(info, Codec);
        var parser = new JpegParser(info, Codec, m => m == JpegMarkers.Sof55);
        var preset = new JpegLsParameters(0, 0, 0, 0, 0);
        using var buffers = new SampleBuffers();
        int[][] planes = [];
        var shifts = new int[info.SamplesPerPixel];

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
                    parser.Fail("subsampled components are not supported");
                planes = f.Components.Select(_ => (int[])null!).ToArray();
            },
            (data, pos, scan) =>
            {
                var f = parser.Frame!;
                int near = scan.Ss, interleave = scan.Se, pt = scan.Al;
                if (parser.RestartInterval != 0) parser.Fail("restart intervals are not supported");
                if (interleave > 2) parser.Fail($"interleave mode {interleave} is not 0, 1 or 2");
                if (interleave == 0 && scan.Components.Length > 1) parser.Fail("a non-interleaved scan (ILV 0) with more than one component");
                if (scan.Components.Any(c => c.DcTable != 0 || c.AcTable != 0)) parser.Fail("mapping tables are not supported");
                var parameters = preset.Resolve(f.Precision - pt, near);
                if (parameters.MaxVal >= 1 << f.Precision) parser.Fail($"MAXVAL {parameters.MaxVal} does not fit precision {f.Precision}");
                if (near > Math.Min(255, parameters.MaxVal / 2)) parser.Fail($"NEAR {near} is out of range for MAXVAL {parameters.MaxVal}");
                if (!(parameters.T1 <= parameters.T2 && parameters.T2 <= parameters.T3 && parameters.T3 <= parameters.MaxVal))
                    parser.Fail($"thresholds T1={parameters.T1} T2={parameters.T2} T3={parameters.T3} are not ordered within MAXVAL");
                var targets = new int[scan.Components.Length][];
                for (int i = 0; i < targets.Length; i++)
                {
                    int index = scan.Components[i].Component.Index;
                    if (planes[index] is not null) parser.Fail($"component {scan.Components[i].Component.Id} appears in two scans");
                    planes[index] = targets[i] = buffers.Rent(f.Width * f.Height);
                    shifts[index] = pt;
                }
                var decoder = new JpegLsScanDecoder(info, parameters, near, targets.Length);
                return decoder.Decode(data, pos, f.Width, f.Height, targets, interleave == 2 && targets.Length > 1);
            },
            lse =>
            {
                if (lse.Length < 1) parser.Fail("LSE segment is empty");
                if (lse[0] != 1) parser.Fail($"LSE id {lse[0]} (mapping tables / extended dimensions) is not supported");
                if (lse.Length != 11) parser.Fail($"LSE preset-parameter segment has {lse.Length + 2} bytes, expected 13");
                preset = JpegLsParameters.Preset(lse);
            });

        if (parser.Frame is null) parser.Fail("stream has no frame header");
        if (planes.Any(p => p is null)) parser.Fail("stream ends before every component was decoded");
        int n = planes.Length, pixels = info.Rows * info.Columns;
        var samples = buffers.Rent(pixels * n);
        for (int c = 0; c < n; c++)
        {
            var plane = planes[c];
            int shift = shifts[c];
            for (int p = 0, o = c; p < pixels; p++, o += n) samples[o] = plane[p] << shift;
        }
        var output = new byte[length];
        SampleWriter.Write(samples.AsSpan(0, pixels * n), output, info.BitsAllocated);
        return output;
    }
}
