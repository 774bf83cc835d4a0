using System.Text.Encodings.Web;
using System.Text.Json;
using Ich.Application.Prediction;
using Ich.Core;

namespace Ich.Application.Writers;

/// <summary>
/// One JSON object per scan (JSON Lines), written and flushed as each scan finishes: the fields of a
/// <c>scans.csv</c> row (same names) with the per-class maxima and flags as objects keyed by class name.
/// <c>ich predict --json</c> writes these to stdout for a script to read while the batch runs.
/// </summary>
/// <param name="output">Where the lines go (not disposed here).</param>
public sealed class JsonLinesWriter(TextWriter output) : IPredictionOutputWriter
{
    private static readonly JsonWriterOptions Options = new() { Indented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private string modelName = "";
    private string modelVersion = "";

    public void Begin(PredictionRunInfo run)
    {
        ArgumentNullException.ThrowIfNull(run);
        (modelName, modelVersion) = (run.Model.Name, run.Model.Version);
    }

    public void WriteScan(ScanResult scan)
    {
        ArgumentNullException.ThrowIfNull(scan);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            json.WriteString("scan_id", scan.ScanId);
            json.WriteString("source", scan.Input.Source);
            json.WriteString("status", scan.Succeeded ? "ok" : "failed");
            if (scan.Input.Scan is { } record) json.WriteNumber("slices", record.Slices.Count); else json.WriteNull("slices");
            json.WriteString("study_instance_uid", scan.Dicom?.StudyInstanceUid);
            json.WriteString("series_instance_uid", scan.Dicom?.SeriesInstanceUid);
            json.WriteString("accession_number", scan.Dicom?.AccessionNumber);
            json.WriteString("model_name", modelName);
            json.WriteString("model_version", modelVersion);
            if (scan.Prediction is { } p)
            {
                json.WriteStartObject("max");
                for (var c = 0; c < HemorrhageClasses.Count; c++) json.WriteNumber(HemorrhageClasses.Names[c], p.ScanMax[c]);
                json.WriteEndObject();
                json.WriteStartObject("flags");
                for (var c = 0; c < HemorrhageClasses.Count; c++) json.WriteBoolean(HemorrhageClasses.Names[c], p.Flags[c]);
                json.WriteEndObject();
                json.WriteBoolean("triage", p.Triage);
                json.WriteNumber("ms_per_slice", Math.Round(p.Timings.MsPerSlice(p.Scan.Slices.Count), 1));
                json.WriteStartArray("notes");
                foreach (var note in p.Notes) json.WriteStringValue(note);
                json.WriteEndArray();
                json.WriteNull("error");
            }
            else
            {
                json.WriteNull("max");
                json.WriteNull("flags");
                json.WriteNull("triage");
                json.WriteNull("ms_per_slice");
                json.WriteStartArray("notes");
                json.WriteEndArray();
                json.WriteString("error", scan.Error);
            }
            json.WriteEndObject();
        }
        output.Write(System.Text.Encoding.UTF8.GetString(buffer.ToArray()) + "\n");
        output.Flush();
    }

    public void Complete(PredictionSummary summary) { }
}
