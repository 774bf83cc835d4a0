using System.Diagnostics;
using System.Reflection;
using Ich.Dicom.Writing;
using Ich.DicomResults.Objects;
using Ich.TestKit;

namespace Ich.DicomResults.Tests;

/// <summary>Every standard code the result objects use exists, with that meaning, in PS3.16 as pydicom ships it.</summary>
public sealed class ResultCodesTests
{
    private static IEnumerable<CodedConcept> AllCodes() =>
        typeof(ResultCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(CodedConcept)).Select(f => (CodedConcept)f.GetValue(null)!)
            .Concat(ResultCodes.ClassFindings);

    [SkippableFact]
    public void StandardCodes_ExistInPs316_WithTheirMeaning()
    {
        ToolRunner.RequirePydicom();
        // RFC5646 language tags are not PS3.16 concepts; the private scheme is ours by definition.
        var standard = AllCodes().Where(c => c.Scheme is "DCM" or "SCT" or "UCUM").Distinct().ToArray();
        Assert.True(standard.Length >= 25, $"only {standard.Length} standard codes found");
        var psi = new ProcessStartInfo(ToolRunner.PythonPath) { RedirectStandardInput = true, RedirectStandardOutput = true };
        psi.ArgumentList.Add(Path.Combine(RepoPaths.Root, "tools", "dicomresults", "check_codes.py"));
        using var p = Process.Start(psi)!;
        foreach (var c in standard) p.StandardInput.WriteLine($"{c.Value}|{c.Scheme}|{c.Meaning}");
        p.StandardInput.Close();
        var lines = p.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(p.WaitForExit(60_000));
        Assert.Equal(standard.Length, lines.Length);
        Assert.All(lines, l => Assert.StartsWith("ok ", l, StringComparison.Ordinal));
    }

    [Fact]
    public void PrivateCodes_UseTheDeclared99Scheme_AndEveryClassHasACode()
    {
        Assert.Equal(Ich.Core.HemorrhageClasses.Count, ResultCodes.ClassFindings.Count);
        Assert.StartsWith("99", ResultCodes.PrivateScheme, StringComparison.Ordinal);
        Assert.All(AllCodes(), c => Assert.Contains(c.Scheme, new[] { "DCM", "SCT", "UCUM", "RFC5646", ResultCodes.PrivateScheme }));
        // No code value is reused for two different concepts.
        Assert.Equal(AllCodes().Count(), AllCodes().Select(c => (c.Value, c.Scheme)).Distinct().Count());
    }
}
