using Ich.Core.Errors;
using Ich.Dicom.Model;
using Ich.Dicom.Writing;

namespace Ich.DicomResults.Input;

/// <summary>
/// The patient and study identity of the source study, kept as the source's raw element values so that
/// every result object carries them byte for byte (names in ISO_IR 100, ISO_IR 192, ... included), together
/// with the source's Specific Character Set that gives those bytes their meaning.
/// </summary>
public sealed class SourceStudyIdentity
{
    /// <summary>The copied attributes with the VR each is written with (Patient and General Study modules, SOP Common charset).</summary>
    public static readonly IReadOnlyList<(DicomTag Tag, DicomVR VR)> CopiedAttributes =
    [
        (DicomTags.SpecificCharacterSet, DicomVR.CS),
        (DicomTags.StudyDate, DicomVR.DA),
        (DicomTags.StudyTime, DicomVR.TM),
        (DicomTags.AccessionNumber, DicomVR.SH),
        (DicomTags.ReferringPhysicianName, DicomVR.PN),
        (DicomTags.PatientName, DicomVR.PN),
        (DicomTags.PatientID, DicomVR.LO),
        (DicomTags.PatientBirthDate, DicomVR.DA),
        (DicomTags.PatientSex, DicomVR.CS),
        (DicomTags.StudyInstanceUID, DicomVR.UI),
        (DicomTags.StudyID, DicomVR.SH),
    ];

    private readonly Dictionary<DicomTag, ReadOnlyMemory<byte>> _values;

    private SourceStudyIdentity(string studyInstanceUid, Dictionary<DicomTag, ReadOnlyMemory<byte>> values)
    {
        StudyInstanceUid = studyInstanceUid;
        _values = values;
    }

    /// <summary>The study's UID, validated (it names the output folder).</summary>
    public string StudyInstanceUid { get; }

    /// <summary>The raw value of a copied attribute as found in the source, or null when the source lacks it.</summary>
    public ReadOnlyMemory<byte>? RawValue(DicomTag tag) => _values.TryGetValue(tag, out var v) ? v : null;

    /// <summary>
    /// Copies the identity from one instance of the source study (any slice: these attributes are the same
    /// in every instance of a study). A missing or invalid StudyInstanceUID raises
    /// <see cref="ResultInputException"/> naming <paramref name="sourceName"/>.
    /// </summary>
    public static SourceStudyIdentity FromDataset(DicomDataset source, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        var values = new Dictionary<DicomTag, ReadOnlyMemory<byte>>();
        foreach (var (tag, _) in CopiedAttributes)
            if (source.Get(tag) is { } e) values[tag] = e.Value.ToArray();
        var uid = source.GetText(DicomTags.StudyInstanceUID)
                  ?? throw new ResultInputException("the source has no StudyInstanceUID (0020,000D)", sourceName);
        if (!DicomUids.IsValid(uid))
            throw new ResultInputException($"the source's StudyInstanceUID '{Printable(uid)}' is not a valid UID", sourceName);
        return new SourceStudyIdentity(uid, values);
    }

    /// <summary>
    /// The copied elements to put into a result dataset: each present source value unchanged, each absent
    /// Type 2 attribute empty; the Specific Character Set only when the source has one.
    /// </summary>
    public IEnumerable<DicomElement> Elements()
    {
        foreach (var (tag, vr) in CopiedAttributes)
        {
            if (_values.TryGetValue(tag, out var raw)) yield return DicomElements.Bytes(tag, vr, raw);
            else if (tag != DicomTags.SpecificCharacterSet) yield return DicomElements.Empty(tag, vr);
        }
    }

    private static string Printable(string s) =>
        new(s.Take(80).Select(c => c is >= ' ' and <= '~' ? c : '?').ToArray());
}
