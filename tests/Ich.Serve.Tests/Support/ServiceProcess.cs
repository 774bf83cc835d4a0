using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Ich.Serve.Tests.Support;

/// <summary>
/// A `serve` process of the test host (the real service with the test double processor), on a loopback
/// port. Started with `dotnet Ich.Serve.TestHost.dll`, killed and disposed by its own PID only.
/// </summary>
public sealed class ServiceProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServiceProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
    }

    public int Port { get; }
    public Uri BaseAddress { get; }
    public int Pid => _process.Id;

    /// <summary>What the process wrote so far (stdout and stderr), for assertion messages.</summary>
    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>Starts the host with <paramref name="args"/> (plus --urls) and waits until /healthz answers.</summary>
    public static async Task<ServiceProcess> StartAsync(IEnumerable<string> args, IDictionary<string, string>? environment = null, int? port = null)
    {
        var chosen = port ?? FreePort();
        var host = Path.Combine(AppContext.BaseDirectory, "Ich.Serve.TestHost.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(host);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add($"http://127.0.0.1:{chosen}");
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) info.Environment[k] = v;
        var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start the test host");
        var service = new ServiceProcess(process, chosen);
        process.OutputDataReceived += (_, e) => service.Append(e.Data);
        process.ErrorDataReceived += (_, e) => service.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await service.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        return service;
    }

    public HttpClient Client(string? token = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (token is not null) client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>SIGKILL: no shutdown code of the service runs.</summary>
    public void Kill()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: false);
        if (!_process.WaitForExit(10_000)) throw new InvalidOperationException($"process {Pid} did not die");
    }

    public void Dispose()
    {
        try { Kill(); } catch (InvalidOperationException) { }
        _process.Dispose();
    }

    private async Task WaitHealthyAsync(TimeSpan timeout)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited) throw new InvalidOperationException($"service exited with {_process.ExitCode}:\n{Output}");
            try
            {
                using var r = await client.GetAsync("/healthz");
                if (r.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(100);
        }
        Dispose();
        throw new TimeoutException($"service not healthy after {timeout}:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    /// <summary>A loopback port free at this moment.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
