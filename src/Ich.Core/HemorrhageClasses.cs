namespace Ich.Core;

/// <summary>
/// The six outputs of every model stage, in the fixed order of the RSNA 2019 challenge and the
/// released winning code: any, epidural, intraparenchymal, intraventricular, subarachnoid, subdural.
/// </summary>
public static class HemorrhageClasses
{
    public const int Count = 6;

    /// <summary>Class names exactly as they appear in RSNA label IDs (<c>ID_&lt;SOP&gt;_&lt;name&gt;</c>).</summary>
    public static readonly IReadOnlyList<string> Names =
        ["any", "epidural", "intraparenchymal", "intraventricular", "subarachnoid", "subdural"];

    /// <summary>Short clinical abbreviations, same order as <see cref="Names"/>.</summary>
    public static readonly IReadOnlyList<string> Abbreviations = ["ICH", "EDH", "IPH", "IVH", "SAH", "SDH"];

    /// <summary>Weights of the RSNA weighted log-loss and of the paper's training loss: 2 for any, 1 for subtypes.</summary>
    public static readonly IReadOnlyList<double> LossWeights = [2, 1, 1, 1, 1, 1];

    /// <summary>Index of a class name (case-insensitive), or -1.</summary>
    public static int IndexOf(string name)
    {
        for (var i = 0; i < Count; i++)
            if (string.Equals(Names[i], name, StringComparison.OrdinalIgnoreCase)) return i;
        return -1;
    }
}
