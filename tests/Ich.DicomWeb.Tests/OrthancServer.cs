using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ich.DicomResults.Tests;
using Ich.TestKit;

namespace Ich.DicomWeb.Tests;

/// <summary>
/// A throw-away Debian Orthanc (with the DICOMweb plugin) for one test: own temporary storage, free high ports
/// chosen at start, and stopped by its PID in <see cref="Dispose"/> (SIGTERM, then kill after 15 s).
/// <para>
/// Loopback only: Orthanc 1.10 has no bind-address option and listens on 0.0.0.0. Running it inside
/// <c>unshare -n</c> would hide it from this test process (the HTTP client runs in-process, in the host
/// namespace), so instead: HTTP refuses non-loopback clients (RemoteAccessAllowed false) and needs a random
/// per-run password; DICOM accepts only the called AET of this run from the one registered calling AET at
/// 127.0.0.1 (DicomCheckCalledAet, DicomCheckModalityHost, DicomAlwaysAllowStore false); and it lives only
/// for the seconds of the test. See docs/dicom-results.md.
/// </para>
/// </summary>
public sealed class OrthancServer : IDisposable
{
    public const string PluginPath = "/usr/share/orthanc/plugins/libOrthancDicomWeb.so";
    public const string CallingAet = "ICHSTORESCU";
    private readonly Process _process;
    private readonly string _dir;

    public int HttpPort { get; }
    public int DicomPort { get; }
    public string CalledAet { get; } = "ICHT" + RandomNumberGenerator.GetHexString(8);
    public const string User = "ich";
    public string Password { get; } = RandomNumberGenerator.GetHexString(24);
    public Uri DicomWebRoot => new($"http://127.0.0.1:{HttpPort}/dicom-web/");

    /// <summary>Skips the calling test by name when Orthanc or its DICOMweb plugin is missing.</summary>
    public static void RequireInstalled()
    {
        Skip.If(ToolRunner.FindOnPath("Orthanc") is null && !File.Exists("/usr/sbin/Orthanc"),
            "skipped: Orthanc not installed (apt-get install -y orthanc orthanc-dicomweb; .ci/run installs it)");
        Skip.IfNot(File.Exists(PluginPath), "skipped: Orthanc DICOMweb plugin not installed (apt-get install -y orthanc-dicomweb)");
    }

    public OrthancServer()
    {
        _dir = RepoPaths.NewTempDir("ich-orthanc");
        HttpPort = FreeLoopbackPort();
        DicomPort = FreeLoopbackPort();
        var config = new Dictionary<string, object>
        {
            ["Name"] = "ICH-TEST",
            ["StorageDirectory"] = Path.Combine(_dir, "db"),
            ["IndexDirectory"] = Path.Combine(_dir, "db"),
            ["HttpPort"] = HttpPort,
            ["DicomPort"] = DicomPort,
            ["DicomAet"] = CalledAet,
            ["DicomCheckCalledAet"] = true,
            ["DicomCheckModalityHost"] = true,
            ["DicomAlwaysAllowStore"] = false,
            ["DicomAlwaysAllowEcho"] = false,
            ["DicomModalities"] = new Dictionary<string, object> { ["scu"] = new object[] { CallingAet, "127.0.0.1", 1 } },
            ["RemoteAccessAllowed"] = false,
            ["AuthenticationEnabled"] = true,
            ["RegisteredUsers"] = new Dictionary<string, string> { [User] = Password },
            ["Plugins"] = new[] { PluginPath },
            ["DicomWeb"] = new Dictionary<string, object>
            {
                ["Enable"] = true, ["Root"] = "/dicom-web/", ["EnableWado"] = false, ["Host"] = $"127.0.0.1:{HttpPort}", ["Ssl"] = false,
            },
            ["SaveJobs"] = false,
            ["StableAge"] = 1,
        };
        var configPath = Path.Combine(_dir, "orthanc.json");
        File.WriteAllText(configPath, JsonSerializer.Serialize(config));
        var exe = ToolRunner.FindOnPath("Orthanc") ?? "/usr/sbin/Orthanc";
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _dir };
        psi.ArgumentList.Add(configPath);
        _process = Process.Start(psi)!;
        // Drain the logs so Orthanc never blocks on a full pipe; keep them for failure messages.
        _process.OutputDataReceived += (_, e) => Log(e.Data);
        _process.ErrorDataReceived += (_, e) => Log(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        WaitUntilUp(TimeSpan.FromSeconds(30));
    }

    private readonly StringBuilder _log = new();

    /// <summary>Orthanc's log so far (for assertion messages).</summary>
    public string LogText { get { lock (_log) return _log.ToString(); } }

    private void Log(string? line)
    {
        if (line is null) return;
        lock (_log) if (_log.Length < 200_000) _log.AppendLine(line);
    }

    /// <summary>An HttpClient with this run's credentials (the caller disposes it).</summary>
    public HttpClient NewHttpClient()
    {
        var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.ASCII.GetBytes($"{User}:{Password}")));
        return http;
    }

    private void WaitUntilUp(TimeSpan limit)
    {
        using var http = NewHttpClient();
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"Orthanc exited with {_process.ExitCode}:\n{LogText}");
            try
            {
                using var r = http.GetAsync($"http://127.0.0.1:{HttpPort}/system").GetAwaiter().GetResult();
                if (r.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { /* not listening yet */ }
            Thread.Sleep(100);
        }
        throw new TimeoutException($"Orthanc did not answer within {limit.TotalSeconds} s:\n{LogText}");
    }

    private const int SigTerm = 15;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    private static int FreeLoopbackPort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                // Graceful stop by PID (SIGTERM lets Orthanc close its index); hard kill if it hangs.
                _ = SendSignal(_process.Id, SigTerm);
                if (!_process.WaitForExit(15_000)) _process.Kill();
                _process.WaitForExit(5000);
            }
        }
        finally
        {
            _process.Dispose();
            try { Directory.Delete(_dir, recursive: true); } catch (IOException) { /* left for inspection */ }
        }
    }
}
