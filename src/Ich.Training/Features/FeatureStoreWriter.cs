using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Ich.Core;

namespace Ich.Training.Features;

/// <summary>One slice's identity as written to <c>index.csv</c>.</summary>
/// <param name="SliceId">Slice ID.</param>
/// <param name="SliceIndex">0-based index in the scan; strictly increasing within a scan.</param>
/// <param name="ZMm">Position along the normal in mm, NaN when unknown.</param>
/// <param name="Labels">Six labels or null.</param>
public sealed record FeatureSlice(string SliceId, int SliceIndex, double ZMm, float[]? Labels);

/// <summary>
/// Writes a feature store folder scan by scan (rows grouped by scan, ordered by slice index):
/// features as little-endian float16 [rows, dim], probabilities as little-endian float32 [rows, 6],
/// <c>index.csv</c> and, last, <c>meta.json</c> (its presence marks a complete store).
/// </summary>
public sealed class FeatureStoreWriter : IDisposable
{
    private static readonly JsonSerializerOptions IndentedJson = new() { WriteIndented = true };

    private readonly string _folder;
    private readonly FileStream _features;
    private readonly FileStream _probs;
    private readonly StringBuilder _index = new();
    private readonly HashSet<(string, string)> _scans = [];
    private readonly string _backbone;
    private readonly string _kind;
    private readonly int _tta, _imageSize, _folds;
    private int _rows;
    private bool _completed;

    /// <summary>Creates the folder (refusing one that already holds a complete store unless <paramref name="overwrite"/>).</summary>
    public FeatureStoreWriter(string folder, string backbone, int dim, string kind, int tta, int imageSize, int folds, bool overwrite = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dim);
        if (kind is not (FeatureStoreMeta.KindOof or FeatureStoreMeta.KindTest))
            throw new ArgumentException($"kind must be '{FeatureStoreMeta.KindOof}' or '{FeatureStoreMeta.KindTest}'", nameof(kind));
        if (!overwrite && File.Exists(Path.Combine(folder, FeatureStoreFiles.Meta)))
            throw new IOException($"{folder}: a feature store already exists here (pass overwrite to replace it)");
        Directory.CreateDirectory(folder);
        File.Delete(Path.Combine(folder, FeatureStoreFiles.Meta));
        _folder = folder;
        Dim = dim;
        _backbone = backbone;
        _kind = kind;
        _tta = tta;
        _imageSize = imageSize;
        _folds = folds;
        _features = new FileStream(Path.Combine(folder, FeatureStoreFiles.Features), FileMode.Create, FileAccess.Write);
        _probs = new FileStream(Path.Combine(folder, FeatureStoreFiles.Probs), FileMode.Create, FileAccess.Write);
        _index.AppendJoin(',', FeatureStoreFiles.IndexColumns).Append('\n');
    }

    /// <summary>Feature vector length.</summary>
    public int Dim { get; }

    /// <summary>Rows written so far.</summary>
    public int Rows => _rows;

    /// <summary>
    /// Appends one scan: <paramref name="features"/> is [slices.Count, Dim] row-major, <paramref name="probs"/>
    /// [slices.Count, 6]; <paramref name="fold"/> is the validation fold (-1 for non-OOF rows).
    /// </summary>
    public void AppendScan(string dataset, string patientId, string scanId, IReadOnlyList<FeatureSlice> slices, int fold,
        ReadOnlySpan<float> features, ReadOnlySpan<float> probs)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        var n = slices.Count;
        if (n == 0) throw new ArgumentException($"scan {scanId}: no slices", nameof(slices));
        if (features.Length != n * Dim) throw new ArgumentException($"scan {scanId}: expected {n * Dim} feature values, got {features.Length}", nameof(features));
        if (probs.Length != n * HemorrhageClasses.Count) throw new ArgumentException($"scan {scanId}: expected {n * HemorrhageClasses.Count} probabilities, got {probs.Length}", nameof(probs));
        if (!_scans.Add((dataset, scanId))) throw new ArgumentException($"scan {dataset}/{scanId} appended twice", nameof(scanId));
        for (var i = 1; i < n; i++)
            if (slices[i].SliceIndex <= slices[i - 1].SliceIndex)
                throw new ArgumentException($"scan {scanId}: slice indices must increase (row {i})", nameof(slices));

        var half = new byte[features.Length * 2];
        for (var i = 0; i < features.Length; i++) BinaryPrimitives.WriteHalfLittleEndian(half.AsSpan(2 * i), (Half)features[i]);
        _features.Write(half);
        var single = new byte[probs.Length * 4];
        for (var i = 0; i < probs.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(single.AsSpan(4 * i), probs[i]);
        _probs.Write(single);

        foreach (var s in slices)
        {
            var inv = CultureInfo.InvariantCulture;
            _index.Append(_rows++.ToString(inv)).Append(',')
                .Append(Csv(dataset)).Append(',').Append(Csv(patientId)).Append(',').Append(Csv(scanId)).Append(',')
                .Append(Csv(s.SliceId)).Append(',').Append(s.SliceIndex.ToString(inv)).Append(',')
                .Append(double.IsNaN(s.ZMm) ? "" : s.ZMm.ToString("R", inv)).Append(',')
                .Append(fold.ToString(inv));
            for (var c = 0; c < HemorrhageClasses.Count; c++)
                _index.Append(',').Append(s.Labels is null ? "" : s.Labels[c].ToString("R", inv));
            _index.Append('\n');
        }
    }

    /// <summary>Flushes the binary files and writes <c>index.csv</c> and <c>meta.json</c>.</summary>
    public FeatureStoreMeta Complete()
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        _completed = true;
        _features.Dispose();
        _probs.Dispose();
        File.WriteAllText(Path.Combine(_folder, FeatureStoreFiles.Index), _index.ToString(), new UTF8Encoding(false));
        var meta = new FeatureStoreMeta(_backbone, Dim, _rows, _kind, _tta, _imageSize, _folds);
        File.WriteAllText(Path.Combine(_folder, FeatureStoreFiles.Meta),
            JsonSerializer.Serialize(meta, IndentedJson));
        return meta;
    }

    public void Dispose()
    {
        _features.Dispose();
        _probs.Dispose();
    }

    private static string Csv(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
}
