using Ich.Serve.Hosting;
using Ich.Serve.TestHost;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Ich.Serve.Tests.Support;

/// <summary>The service inside the test process on a dynamic loopback port, with the test double processor.</summary>
public sealed class InProcessService : IAsyncDisposable
{
    private readonly WebApplication _app;

    private InProcessService(WebApplication app, Uri address, string dataDir)
    {
        _app = app;
        BaseAddress = address;
        DataDir = dataDir;
    }

    public Uri BaseAddress { get; }
    public string DataDir { get; }

    public static async Task<InProcessService> StartAsync(ServeOptions options, Ich.Serve.Work.IResultForwarder? forwarder = null)
    {
        var app = await ServeHost.BuildAsync(options with { Urls = "http://127.0.0.1:0" }, new PixelMeanTestProcessor(), forwarder);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new InProcessService(app, new Uri(address), options.DataDir);
    }

    public HttpClient Client(string? token = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null) client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
