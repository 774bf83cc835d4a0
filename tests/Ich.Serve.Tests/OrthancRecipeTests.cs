using System.Diagnostics;
using System.Text.Json.Nodes;
using Ich.Serve.Tests.Support;
using Ich.TestKit;

namespace Ich.Serve.Tests;

/// <summary>
/// The Orthanc recipe of docs/deploy.md, for real: dcmtk storescu sends a study to Debian's Orthanc by
/// C-STORE; Orthanc's Lua OnStableStudy forwards it by STOW-RS (DICOMweb "Servers" entry with the bearer
/// header) to `serve` (the test host). Orthanc binds 0.0.0.0, so everything runs inside a private network
/// namespace (unshare -n) with only the loopback interface; the script stops what it starts by PID.
/// </summary>
[Collection("service processes")]
public class OrthancRecipeTests
{
    private const string Orthanc = "/usr/sbin/Orthanc";
    private const string DicomWebPlugin = "/usr/share/orthanc/plugins/libOrthancDicomWeb.so";

    [SkippableFact]
    public async Task StudySentToOrthancByCStore_IsForwardedOnStable_AndTriagedByTheService()
    {
        Skip.IfNot(File.Exists(Orthanc) && File.Exists(DicomWebPlugin), "skipped: orthanc / orthanc-dicomweb not installed (apt packages orthanc orthanc-dicomweb)");
        Skip.IfNot(File.Exists("/usr/bin/storescu"), "skipped: storescu missing (apt package dcmtk)");
        Skip.IfNot(Environment.UserName == "root" && File.Exists("/usr/bin/unshare"), "skipped: needs root and unshare for a private network namespace (Orthanc binds 0.0.0.0)");

        var dir = RepoPaths.NewTempDir("ich-orthanc");
        var study = TestStudies.Make(seed: 500, slices: 5, accession: "ORTHANC-1");
        var uid = study[0].StudyUid;
        Directory.CreateDirectory(Path.Combine(dir, "dicom"));
        foreach (var instance in study) await File.WriteAllBytesAsync(Path.Combine(dir, "dicom", instance.SopUid + ".dcm"), instance.Bytes);
        var token = "orthanc-test-token-" + Guid.NewGuid().ToString("N");
        await File.WriteAllTextAsync(Path.Combine(dir, "token"), token);

        // The configuration and Lua script of docs/deploy.md, with test paths and a short StableAge.
        var config = new JsonObject
        {
            ["Name"] = "ICH-TEST",
            ["StorageDirectory"] = Path.Combine(dir, "orthanc-db"),
            ["IndexDirectory"] = Path.Combine(dir, "orthanc-db"),
            ["HttpPort"] = 8042,
            ["DicomPort"] = 4242,
            ["DicomAet"] = "ORTHANC",
            ["RemoteAccessAllowed"] = false,
            ["AuthenticationEnabled"] = false,
            ["DicomAlwaysAllowStore"] = true,
            ["SaveJobs"] = false,
            ["StableAge"] = 1,
            ["LuaScripts"] = new JsonArray(Path.Combine(dir, "ich-forward.lua")),
            ["Plugins"] = new JsonArray(DicomWebPlugin),
            ["DicomWeb"] = new JsonObject
            {
                ["Enable"] = true,
                ["Servers"] = new JsonObject
                {
                    ["ich"] = new JsonObject
                    {
                        ["Url"] = "http://127.0.0.1:8043/dicomweb/",
                        ["HttpHeaders"] = new JsonObject { ["Authorization"] = "Bearer " + token },
                    },
                },
            },
        };
        await File.WriteAllTextAsync(Path.Combine(dir, "orthanc.json"), config.ToJsonString());
        await File.WriteAllTextAsync(Path.Combine(dir, "ich-forward.lua"), """
            function OnStableStudy(studyId, tags, metadata)
              RestApiPost('/dicom-web/servers/ich/stow', '{"Resources": ["' .. studyId .. '"]}')
            end
            """);
        var host = Path.Combine(AppContext.BaseDirectory, "Ich.Serve.TestHost.dll");
        await File.WriteAllTextAsync(Path.Combine(dir, "run.sh"), $$"""
            set -u
            D='{{dir}}'
            ip link set lo up
            dotnet '{{host}}' --data "$D/ich" --urls http://127.0.0.1:8043 --token-file "$D/token" --stable-seconds 1 > "$D/ich.log" 2>&1 &
            ICH=$!
            Orthanc "$D/orthanc.json" > "$D/orthanc.log" 2>&1 &
            ORT=$!
            trap 'kill -TERM $ORT; kill -KILL $ICH; wait $ORT $ICH 2>/dev/null' EXIT
            for i in $(seq 1 300); do
              curl -sf http://127.0.0.1:8043/healthz > /dev/null && curl -sf http://127.0.0.1:8042/system > /dev/null && break
              sleep 0.2
            done
            storescu -aec ORTHANC 127.0.0.1 4242 "$D"/dicom/*.dcm || { echo "storescu failed"; exit 1; }
            for i in $(seq 1 300); do
              curl -sf -H "Authorization: Bearer $(cat "$D/token")" http://127.0.0.1:8043/api/studies/{{uid}} > "$D/detail.json" \
                && grep -q '"status":"done"' "$D/detail.json" && break
              sleep 0.3
            done
            echo finished
            """);

        var info = new ProcessStartInfo("unshare") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-n", "bash", Path.Combine(dir, "run.sh") }) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("the Orthanc recipe script did not finish in 180 s");
        }
        var logs = $"{await stdout}\n{await stderr}\nich.log:\n{ReadOrEmpty(dir, "ich.log")}\northanc.log (tail):\n{string.Join('\n', ReadOrEmpty(dir, "orthanc.log").Split('\n').TakeLast(30))}";
        var detailFile = Path.Combine(dir, "detail.json");
        Assert.True(File.Exists(detailFile) && new FileInfo(detailFile).Length > 0, logs);
        var detail = JsonNode.Parse(await File.ReadAllTextAsync(detailFile))!.AsObject();
        Assert.True(detail["status"]!.GetValue<string>() == "done", logs);
        Assert.Equal("ORTHANC-1", detail["accessionNumber"]!.GetValue<string>());
        Assert.Equal(5, detail["instances"]!.GetValue<int>());
        Assert.Equal(study.Select(TestStudies.ExpectedAny), detail["slices"]!.AsArray().Select(s => s!["probabilities"]!["any"]!.GetValue<double>()));
    }

    private static string ReadOrEmpty(string dir, string name) =>
        File.Exists(Path.Combine(dir, name)) ? File.ReadAllText(Path.Combine(dir, name)) : "(none)";
}
