using Ich.Core.Labels;

namespace Ich.Data.Catalog;

/// <summary>Puts what a label reader dropped by rule (docs/labels.md) into an adapter's <see cref="LoadReport"/>.</summary>
public static class LabelTableReport
{
    /// <summary>Notes exact duplicate rows and partially labelled images of <paramref name="table"/>; returns the table.</summary>
    public static LabelTable<T> NotedIn<T>(this LabelTable<T> table, LoadReport report)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(report);
        if (table.DuplicateRows > 0) report.Note(table.Path, null, $"{table.DuplicateRows} exact duplicate rows ignored");
        if (table.PartialRows > 0) report.Note(table.Path, null, $"{table.PartialRows} image(s) with only some labels known are treated as unlabelled");
        return table;
    }
}
