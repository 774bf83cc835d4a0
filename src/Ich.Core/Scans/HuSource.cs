namespace Ich.Core.Scans;

/// <summary>Where a scan's Hounsfield units come from (<see cref="ScanRecord.HuSource"/>).</summary>
public enum HuSource
{
    /// <summary>Stored values with their rescale (DICOM, NIfTI, phantoms): the full CT range, air near −1000 HU.</summary>
    Stored,

    /// <summary>
    /// Rebuilt from 8-bit display-window images (the PhysioNet JPG export's brain and bone windows). The range is cut
    /// at the lowest window's floor, which a per-scan fit can put above −500 HU (real patient 081): such a scan has no
    /// air below −500 HU although it is real CT.
    /// </summary>
    RebuiltFromDisplayWindows,
}
