using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Xunit;

namespace Ich.TestKit.Serve;

/// <summary>
/// A service started as its own process on a loopback port (<see cref="ServeLaunch"/>: <c>ich serve</c> or the service
/// test host). Its stdout and stderr are kept for assertion messages; it is stopped by its own PID (and its children's)
/// only; every wait is bounded.
/// </summary>
public sealed class ServeProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServeProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
    }

    public int Port { get; }
    public Uri BaseAddress { get; }
    public int Pid => _process.Id;

    /// <summary>What the process wrote so far (stdout and stderr).</summary>
    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>
    /// Starts <paramref name="launch"/> with <paramref name="args"/> after <c>--urls</c>, on <paramref name="port"/> or a free
    /// one, and waits until <c>/healthz</c> answers 200; fails with the service's output when it exits or stays unready.
    /// </summary>
    public static async Task<ServeProcess> StartAsync(ServeLaunch launch, IEnumerable<string> args,
        IReadOnlyDictionary<string, string>? environment = null, int? port = null)
    {
        ArgumentNullException.ThrowIfNull(launch);
        ArgumentNullException.ThrowIfNull(args);
        var chosen = port ?? FreePort();
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { launch.Dll }.Concat(launch.Command).Concat(["--urls", $"http://127.0.0.1:{chosen}"]).Concat(args))
            info.ArgumentList.Add(a);
        info.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) info.Environment[k] = v;
        var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {launch.Dll}");
        var service = new ServeProcess(process, chosen);
        process.OutputDataReceived += (_, e) => service.Append(e.Data);
        process.ErrorDataReceived += (_, e) => service.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var probe = new HttpClient { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
            await service.WaitUntilAsync(async () => await GetOrNullAsync(probe, "/healthz") is not null, launch.Readiness,
                $"{Path.GetFileName(launch.Dll)} did not answer /healthz");
        }
        catch
        {
            service.Dispose();
            throw;
        }
        return service;
    }

    /// <summary>A client of the service, with a bearer token when given.</summary>
    public HttpClient Client(string? token = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>The body of a successful GET, or null (error status, refused connection, timeout).</summary>
    public static async Task<string?> GetOrNullAsync(HttpClient http, string path)
    {
        ArgumentNullException.ThrowIfNull(http);
        try
        {
            using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
            return response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync() : null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>Polls <paramref name="condition"/> every 250 ms until it holds; fails with the service output when the process exits or after <paramref name="limit"/>.</summary>
    public async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan limit, string failure)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            if (_process.HasExited) Assert.Fail($"{failure}: the service exited with {_process.ExitCode}\n--- service output ---\n{Output}");
            if (await condition()) return;
            await Task.Delay(250);
        }
        Assert.Fail($"{failure} within {limit.TotalSeconds:0} s\n--- service output ---\n{Output}");
    }

    /// <summary>SIGKILL to this process and its children: no shutdown code of the service runs.</summary>
    public void Kill()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        if (!_process.WaitForExit(10_000)) throw new InvalidOperationException($"process {Pid} did not die");
    }

    public void Dispose()
    {
        try { Kill(); } catch (InvalidOperationException) { } // already gone, or reported by the test that killed it
        _process.Dispose();
    }

    /// <summary>A loopback port free at this moment.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }
}
