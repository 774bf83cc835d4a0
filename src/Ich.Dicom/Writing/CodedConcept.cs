using Ich.Dicom.Model;

namespace Ich.Dicom.Writing;

/// <summary>
/// A coded concept (PS3.3 §8.8 Code Sequence Macro): value, scheme designator and meaning, e.g.
/// (1386000, SCT, "Intracranial hemorrhage"). Values are ASCII so they are valid under every
/// Specific Character Set a result object may carry over from its source.
/// </summary>
public sealed record CodedConcept(string Value, string Scheme, string Meaning)
{
    /// <summary>One item of a code sequence (CodeValue, CodingSchemeDesignator, CodeMeaning).</summary>
    public DicomDataset ToItem()
    {
        if (Value.Length is 0 or > 16) throw new ArgumentException($"code value '{Value}' must have 1..16 characters");
        if (Meaning.Length is 0 or > 64) throw new ArgumentException($"code meaning '{Meaning}' must have 1..64 characters");
        return new DicomDataset().With(
            DicomElements.Text(DicomTags.CodeValue, DicomVR.SH, SrText.Ascii(Value)),
            DicomElements.Text(DicomTags.CodingSchemeDesignator, DicomVR.SH, SrText.Ascii(Scheme)),
            DicomElements.Text(DicomTags.CodeMeaning, DicomVR.LO, SrText.Ascii(Meaning)));
    }

    public override string ToString() => $"({Value}, {Scheme}, \"{Meaning}\")";
}

/// <summary>Guards text that this project generates into result objects.</summary>
public static class SrText
{
    /// <summary>
    /// Returns <paramref name="text"/> when it is printable ASCII (0x20..0x7E), else throws. Generated text
    /// is kept ASCII because ASCII bytes mean the same under every character set a source can declare
    /// (ISO_IR 100, ISO_IR 192, ISO 2022 with ASCII in G0), so carrying over the source's Specific
    /// Character Set never misrepresents it. Backslash is refused as it separates values.
    /// </summary>
    public static string Ascii(string text)
    {
        foreach (var c in text)
            if (c is < ' ' or > '~' or '\\')
                throw new ArgumentException($"'{text}' has a character outside printable ASCII (or a backslash)", nameof(text));
        return text;
    }
}
