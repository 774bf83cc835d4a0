using Ich.Core.Text;

namespace Ich.Core.Labels;

/// <summary>Labels of one RSNA-style image.</summary>
/// <param name="ImageId">The image ID as in the file (= the slice's SOPInstanceUID; RSNA's start with <c>ID_</c>).</param>
/// <param name="Labels">Six 0/1 values in <see cref="HemorrhageClasses"/> order, or null when unknown (blank cells of a wide file).</param>
/// <param name="Line">First line of the image in the file.</param>
public sealed record RsnaImageLabel(string ImageId, float[]? Labels, int Line);

/// <summary>
/// The one reader of RSNA-style slice labels, used by the RSNA and phantom dataset adapters (training),
/// by <c>ich evaluate</c> and by the held-out check. Two layouts:
/// <list type="bullet">
/// <item>long (the challenge's <c>stage_2_train.csv</c>, <c>ich synth</c>'s labels.csv): header <c>ID,Label</c>,
/// one row per image and subtype, ID = <c>&lt;SOPInstanceUID&gt;_&lt;subtype&gt;</c> (<see cref="RowId"/>);
/// every image needs all six subtypes;</item>
/// <item>wide (e.g. the realdata <c>labels.csv</c>): an image-ID column (<c>rsna_image_id</c>, <c>ID</c>,
/// <c>SOPInstanceUID</c>, <c>image_id</c>, else <c>file</c>/<c>filename</c> without <c>.dcm</c>) and the six
/// class-name columns; a row with blank class cells is unlabelled.</item>
/// </list>
/// Rules (docs/labels.md): cells are 0 or 1; an exact repeat of a row is dropped and counted, a repeat with
/// another value is a <see cref="Errors.DatasetFormatException"/>; a subtype = 1 with any = 0 is a
/// <see cref="Errors.LabelContradictionException"/>; a file without rows is an error. Every error names file and line.
/// </summary>
public static class RsnaLabelFile
{
    /// <summary>The format's name in messages and on the command line.</summary>
    public const string FormatName = "rsna";

    private static readonly System.Buffers.SearchValues<char> UidCharacters = System.Buffers.SearchValues.Create("0123456789.");

    /// <summary>Reads a label file in either layout.</summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="legacyPhantomIds">
    /// Also accept label files of earlier <c>ich synth</c> versions, which wrote <c>ID_&lt;DICOM UID&gt;_&lt;subtype&gt;</c>:
    /// the <c>ID_</c> before a DICOM UID is removed (<see cref="WithoutLegacyPhantomPrefix"/>). Off for RSNA data.
    /// </param>
    public static LabelTable<RsnaImageLabel> Read(string path, bool legacyPhantomIds = false) =>
        Parse(CsvTable.Read(path), legacyPhantomIds);

    /// <inheritdoc cref="Read"/>
    public static LabelTable<RsnaImageLabel> Parse(CsvTable table, bool legacyPhantomIds = false)
    {
        ArgumentNullException.ThrowIfNull(table);
        Func<string, string> key = legacyPhantomIds ? WithoutLegacyPhantomPrefix : id => id;
        var result = IsLongLayout(table) ? RsnaLongLayout.Parse(table, key) : RsnaWideLayout.Parse(table, key);
        LabelRules.RequireRows(result.Items, table.Path);
        return result;
    }

    /// <summary>The long layout has the columns ID and Label and no class-name column.</summary>
    public static bool IsLongLayout(CsvTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return table.IndexOf("ID") >= 0 && table.IndexOf("Label") >= 0 && table.IndexOf(HemorrhageClasses.Names[0]) < 0;
    }

    /// <summary>The row ID of the long layout: <c>&lt;SOPInstanceUID&gt;_&lt;subtype&gt;</c>, no prefix ever added.</summary>
    public static string RowId(string sopInstanceUid, int classIndex) => $"{sopInstanceUid}_{HemorrhageClasses.Names[classIndex]}";

    /// <summary>
    /// "ID_" + a DICOM UID (digits and dots, at least one dot) becomes the UID: how earlier <c>ich synth</c> versions
    /// wrote phantom IDs. RSNA's own <c>ID_&lt;hex&gt;</c> IDs have no dot and are kept as they are.
    /// </summary>
    public static string WithoutLegacyPhantomPrefix(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (!id.StartsWith("ID_", StringComparison.Ordinal) || id.Length < 4) return id;
        var uid = id.AsSpan(3);
        var isUid = char.IsAsciiDigit(uid[0]) && uid.Contains('.') && !uid.ContainsAnyExcept(UidCharacters);
        return isUid ? uid.ToString() : id;
    }
}
