namespace Ich.Dicom.Codecs.Jpeg;

/// <summary>One image component of a JPEG frame header (SOFn).</summary>
internal sealed class JpegComponent
{
    public required int Id { get; init; }
    /// <summary>Horizontal sampling factor, 1..4.</summary>
    public required int H { get; init; }
    /// <summary>Vertical sampling factor, 1..4.</summary>
    public required int V { get; init; }
    /// <summary>Quantization table selector, 0..3 (unused by lossless).</summary>
    public required int QuantTable { get; init; }
    /// <summary>Index of the component in the frame header (output sample order).</summary>
    public required int Index { get; init; }
}

/// <summary>A parsed frame header (SOFn).</summary>
internal sealed class JpegFrame
{
    public required int Marker { get; init; }
    /// <summary>Sample precision P, bits.</summary>
    public required int Precision { get; init; }
    /// <summary>Number of lines Y.</summary>
    public required int Height { get; init; }
    /// <summary>Samples per line X.</summary>
    public required int Width { get; init; }
    public required JpegComponent[] Components { get; init; }
    public int MaxH => Components.Max(c => c.H);
    public int MaxV => Components.Max(c => c.V);
}

/// <summary>One component of a scan header (SOS) with its entropy table selectors.</summary>
internal readonly record struct JpegScanComponent(JpegComponent Component, int DcTable, int AcTable);

/// <summary>A parsed scan header (SOS). For lossless, Ss is the predictor and Al the point transform.</summary>
internal sealed class JpegScan
{
    public required JpegScanComponent[] Components { get; init; }
    public required int Ss { get; init; }
    public required int Se { get; init; }
    public required int Ah { get; init; }
    public required int Al { get; init; }
}
