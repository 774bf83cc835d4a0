using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Ich.TestKit;

namespace Ich.Pipeline.Tests.Predict;

/// <summary>
/// <c>ich serve</c> of the built CLI (the real study processor) as its own process on a loopback port. Its output
/// is kept for assertion messages; it is stopped by its own PID only; every wait is bounded.
/// </summary>
internal sealed class CliServeProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private CliServeProcess(Process process, int port)
    {
        _process = process;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
    }

    /// <summary>The CLI as <c>dotnet test</c> builds it (the test project references Ich.Cli).</summary>
    public static string CliDll => Path.Combine(RepoPaths.Root, "artifacts", "bin", "Ich.Cli", "Release", "net10.0", "ich.dll");

    public Uri BaseAddress { get; }

    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>Starts <c>ich serve --urls http://127.0.0.1:PORT ARGS</c> and waits (up to 120 s) until /healthz answers.</summary>
    public static async Task<CliServeProcess> StartAsync(IEnumerable<string> args)
    {
        var port = FreePort();
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { CliDll, "serve", "--urls", $"http://127.0.0.1:{port}" }.Concat(args)) info.ArgumentList.Add(a);
        info.Environment["DOTNET_NOLOGO"] = "1";
        var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start ich serve");
        var service = new CliServeProcess(process, port);
        process.OutputDataReceived += (_, e) => service.Append(e.Data);
        process.ErrorDataReceived += (_, e) => service.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var http = service.Client();
            await service.WaitUntilAsync(async () => await GetOrNullAsync(http, "/healthz") is not null, TimeSpan.FromSeconds(120), "ich serve did not answer /healthz");
        }
        catch
        {
            service.Dispose();
            throw;
        }
        return service;
    }

    public HttpClient Client() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>The body of a successful GET, or null (error status, refused connection).</summary>
    public static async Task<string?> GetOrNullAsync(HttpClient http, string path)
    {
        try
        {
            using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
            return response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync() : null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    /// <summary>Polls <paramref name="condition"/> every 250 ms until it holds; fails with the service output after <paramref name="limit"/>.</summary>
    public async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan limit, string failure)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            if (_process.HasExited) Assert.Fail($"{failure}: ich serve exited with {_process.ExitCode}\n--- service output ---\n{Output}");
            if (await condition()) return;
            await Task.Delay(250);
        }
        Assert.Fail($"{failure} within {limit.TotalSeconds:0} s\n--- service output ---\n{Output}");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
