using System.Text;
using Ich.Core.Errors;

namespace Ich.Core.Text;

/// <summary>
/// A small strict CSV reader (RFC 4180: quoted fields, doubled quotes, CRLF or LF, UTF-8 BOM skipped)
/// that keeps 1-based line numbers so that every error can name the file and line.
/// </summary>
public sealed class CsvTable
{
    private readonly Dictionary<string, int> _columns;

    private CsvTable(string path, string[] header, List<CsvRow> rows)
    {
        Path = path;
        Header = header;
        Rows = rows;
        _columns = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < header.Length; i++) _columns.TryAdd(header[i], i);
    }

    public string Path { get; }
    public string[] Header { get; }
    public IReadOnlyList<CsvRow> Rows { get; }

    /// <summary>Column index by name (case-insensitive), or -1.</summary>
    public int IndexOf(string column) => _columns.GetValueOrDefault(column, -1);

    /// <summary>Column index, or a <see cref="DatasetFormatException"/> naming the file and the missing column.</summary>
    public int Require(string column) =>
        IndexOf(column) is var i and >= 0 ? i
            : throw new DatasetFormatException($"missing column '{column}' (header: {string.Join(",", Header)})", Path, 1);

    public static CsvTable Read(string path)
    {
        if (!File.Exists(path)) throw new DatasetFormatException("file not found", path);
        string text;
        try { text = File.ReadAllText(path, Encoding.UTF8); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        { throw new DatasetFormatException($"cannot read: {e.Message}", path, null, e); }
        return Parse(text, path);
    }

    public static CsvTable Parse(string text, string path)
    {
        if (text.Length > 0 && text[0] == '\uFEFF') text = text[1..];
        var records = Split(text, path);
        if (records.Count == 0) throw new DatasetFormatException("empty file (no header)", path, 1);
        var header = records[0].Fields.Select(h => h.Trim()).ToArray();
        var rows = new List<CsvRow>(records.Count - 1);
        foreach (var r in records.Skip(1))
        {
            if (r.Fields.Length == 1 && r.Fields[0].Length == 0) continue; // blank line
            if (r.Fields.Length != header.Length)
                throw new DatasetFormatException($"expected {header.Length} fields, found {r.Fields.Length}", path, r.Line);
            rows.Add(new CsvRow(r.Line, r.Fields));
        }
        return new CsvTable(path, header, rows);
    }

    private static List<(int Line, string[] Fields)> Split(string text, string path)
    {
        var result = new List<(int, string[])>();
        var fields = new List<string>();
        var field = new StringBuilder();
        int line = 1, recordLine = 1, i = 0;
        var inQuotes = false;
        while (i < text.Length)
        {
            var c = text[i];
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i += 2; continue; }
                    inQuotes = false; i++; continue;
                }
                if (c == '\n') line++;
                field.Append(c); i++; continue;
            }
            switch (c)
            {
                case '"' when field.Length == 0: inQuotes = true; i++; break;
                case ',': fields.Add(field.ToString()); field.Clear(); i++; break;
                case '\r': i++; break;
                case '\n':
                    fields.Add(field.ToString()); field.Clear();
                    result.Add((recordLine, fields.ToArray())); fields.Clear();
                    i++; line++; recordLine = line; break;
                default: field.Append(c); i++; break;
            }
        }
        if (inQuotes) throw new DatasetFormatException("unterminated quoted field", path, recordLine);
        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            result.Add((recordLine, fields.ToArray()));
        }
        return result;
    }
}

/// <summary>One data row with its 1-based line number in the file.</summary>
public sealed record CsvRow(int Line, string[] Fields)
{
    public string this[int index] => Fields[index];
}
