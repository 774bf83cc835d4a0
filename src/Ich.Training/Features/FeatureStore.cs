using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using Ich.Core;
using Ich.Core.Errors;
using Ich.Core.Text;

namespace Ich.Training.Features;

/// <summary>
/// A complete feature store folder opened for reading (the CNN → sequence model contract, see
/// docs/training.md). The index is held in memory; features and probabilities are read per scan from
/// disk so that stores larger than RAM work.
/// </summary>
public sealed class FeatureStore
{
    private FeatureStore(string folder, FeatureStoreMeta meta, IReadOnlyList<FeatureRow> rows, IReadOnlyList<FeatureScan> scans)
    {
        Folder = folder;
        Meta = meta;
        Rows = rows;
        Scans = scans;
    }

    public string Folder { get; }
    public FeatureStoreMeta Meta { get; }

    /// <summary>All rows in file order.</summary>
    public IReadOnlyList<FeatureRow> Rows { get; }

    /// <summary>Scans in file order, each a contiguous block of rows.</summary>
    public IReadOnlyList<FeatureScan> Scans { get; }

    /// <summary>Opens and validates a store; a missing file or inconsistent index is a <see cref="DatasetFormatException"/>.</summary>
    public static FeatureStore Open(string folder)
    {
        var metaPath = Path.Combine(folder, FeatureStoreFiles.Meta);
        if (!File.Exists(metaPath))
            throw new DatasetFormatException("not a complete feature store (meta.json missing)", folder);
        FeatureStoreMeta meta;
        try { meta = JsonSerializer.Deserialize<FeatureStoreMeta>(File.ReadAllText(metaPath)) ?? throw new JsonException("null"); }
        catch (JsonException e) { throw new DatasetFormatException($"invalid meta.json: {e.Message}", metaPath, null, e); }
        if (meta.Dim <= 0 || meta.Rows < 0 || meta.Kind is not (FeatureStoreMeta.KindOof or FeatureStoreMeta.KindTest))
            throw new DatasetFormatException($"invalid meta.json values (dim {meta.Dim}, rows {meta.Rows}, kind '{meta.Kind}')", metaPath);

        var featPath = Path.Combine(folder, FeatureStoreFiles.Features);
        var probPath = Path.Combine(folder, FeatureStoreFiles.Probs);
        ExpectLength(featPath, (long)meta.Rows * meta.Dim * 2);
        ExpectLength(probPath, (long)meta.Rows * HemorrhageClasses.Count * 4);

        var (rows, scans) = ReadIndex(Path.Combine(folder, FeatureStoreFiles.Index), meta.Rows);
        return new FeatureStore(folder, meta, rows, scans);
    }

    /// <summary>Features of rows [firstRow, firstRow + count) as float32, [count, Dim] row-major.</summary>
    public float[] ReadFeatures(int firstRow, int count)
    {
        CheckRange(firstRow, count);
        var bytes = new byte[(long)count * Meta.Dim * 2];
        using (var handle = File.OpenHandle(Path.Combine(Folder, FeatureStoreFiles.Features)))
            ReadExactly(handle, bytes, (long)firstRow * Meta.Dim * 2);
        var result = new float[count * Meta.Dim];
        for (var i = 0; i < result.Length; i++) result[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(bytes.AsSpan(2 * i));
        return result;
    }

    /// <summary>Probabilities of rows [firstRow, firstRow + count), [count, 6] row-major.</summary>
    public float[] ReadProbs(int firstRow, int count)
    {
        CheckRange(firstRow, count);
        const int c6 = HemorrhageClasses.Count;
        var bytes = new byte[(long)count * c6 * 4];
        using (var handle = File.OpenHandle(Path.Combine(Folder, FeatureStoreFiles.Probs)))
            ReadExactly(handle, bytes, (long)firstRow * c6 * 4);
        var result = new float[count * c6];
        for (var i = 0; i < result.Length; i++) result[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(4 * i));
        return result;
    }

    /// <summary>Features of one scan, [scan.Count, Dim].</summary>
    public float[] ReadFeatures(FeatureScan scan) => ReadFeatures(scan.FirstRow, scan.Count);

    /// <summary>Probabilities of one scan, [scan.Count, 6].</summary>
    public float[] ReadProbs(FeatureScan scan) => ReadProbs(scan.FirstRow, scan.Count);

    private void CheckRange(int firstRow, int count)
    {
        if (firstRow < 0 || count < 0 || firstRow + count > Meta.Rows)
            throw new ArgumentOutOfRangeException(nameof(firstRow), $"rows [{firstRow}, {firstRow + count}) outside [0, {Meta.Rows})");
    }

    private static void ReadExactly(Microsoft.Win32.SafeHandles.SafeFileHandle handle, byte[] buffer, long offset)
    {
        var done = 0;
        while (done < buffer.Length)
        {
            var n = RandomAccess.Read(handle, buffer.AsSpan(done), offset + done);
            if (n == 0) throw new EndOfStreamException("feature store file shorter than its index");
            done += n;
        }
    }

    private static void ExpectLength(string path, long expected)
    {
        if (!File.Exists(path)) throw new DatasetFormatException("file missing", path);
        var actual = new FileInfo(path).Length;
        if (actual != expected)
            throw new DatasetFormatException($"size {actual} bytes does not match meta.json (expected {expected})", path);
    }

    private static (List<FeatureRow>, List<FeatureScan>) ReadIndex(string path, int expectedRows)
    {
        var table = CsvTable.Read(path);
        var cols = FeatureStoreFiles.IndexColumns;
        if (!table.Header.SequenceEqual(cols))
            throw new DatasetFormatException($"header must be '{string.Join(",", cols)}'", path, 1);
        if (table.Rows.Count != expectedRows)
            throw new DatasetFormatException($"{table.Rows.Count} rows, meta.json says {expectedRows}", path);

        var inv = CultureInfo.InvariantCulture;
        var rows = new List<FeatureRow>(table.Rows.Count);
        var scans = new List<FeatureScan>();
        var seen = new HashSet<(string, string)>();
        foreach (var r in table.Rows)
        {
            int Int(int i) => int.TryParse(r[i], NumberStyles.Integer, inv, out var v) ? v
                : throw new DatasetFormatException($"column '{cols[i]}': '{r[i]}' is not an integer", path, r.Line);
            var row = Int(0);
            if (row != rows.Count) throw new DatasetFormatException($"row {row} out of order (expected {rows.Count})", path, r.Line);
            var z = r[6].Length == 0 ? double.NaN
                : double.TryParse(r[6], NumberStyles.Float, inv, out var zv) ? zv
                : throw new DatasetFormatException($"z_mm '{r[6]}' is not a number", path, r.Line);
            float[]? labels = null;
            var empty = Enumerable.Range(8, HemorrhageClasses.Count).Count(i => r[i].Length == 0);
            if (empty == 0)
            {
                labels = new float[HemorrhageClasses.Count];
                for (var c = 0; c < HemorrhageClasses.Count; c++)
                    labels[c] = float.TryParse(r[8 + c], NumberStyles.Float, inv, out var lv) ? lv
                        : throw new DatasetFormatException($"label '{cols[8 + c]}' = '{r[8 + c]}' is not a number", path, r.Line);
            }
            else if (empty != HemorrhageClasses.Count) throw new DatasetFormatException("labels must be all present or all empty", path, r.Line);

            var fr = new FeatureRow(row, r[1], r[2], r[3], r[4], Int(5), z, Int(7), labels);
            var prev = rows.Count > 0 ? rows[^1] : null;
            if (prev is not null && prev.Dataset == fr.Dataset && prev.ScanId == fr.ScanId)
            {
                if (fr.SliceIndex <= prev.SliceIndex)
                    throw new DatasetFormatException($"scan {fr.ScanId}: slice_index not increasing", path, r.Line);
                scans[^1] = scans[^1] with { Count = scans[^1].Count + 1 };
            }
            else
            {
                if (!seen.Add((fr.Dataset, fr.ScanId)))
                    throw new DatasetFormatException($"scan {fr.ScanId}: rows are not contiguous", path, r.Line);
                scans.Add(new FeatureScan(fr.Dataset, fr.PatientId, fr.ScanId, row, 1));
            }
            rows.Add(fr);
        }
        return (rows, scans);
    }
}
