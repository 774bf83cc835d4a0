namespace Ich.Serve.Work;

/// <summary>
/// Sends a study's DICOM results to the --forward-to DICOMweb server (the PACS) by STOW-RS. Implemented
/// by the integrator with the Ich.DicomWeb client. It should retry transient failures itself; an exception
/// makes the worker retry the whole study later, and the study is not marked done before forwarding succeeded.
/// </summary>
public interface IResultForwarder
{
    /// <summary>Sends <paramref name="dicomFiles"/> (absolute paths of Part 10 files) for <paramref name="studyInstanceUid"/>.</summary>
    Task ForwardAsync(string studyInstanceUid, IReadOnlyList<string> dicomFiles, CancellationToken cancel);
}
