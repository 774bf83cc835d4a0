using Ich.Core.Errors;
using Ich.Serve.Api;
using Ich.Serve.Intake;
using Ich.Serve.Queue;
using Ich.Serve.Storage;
using Ich.Serve.Work;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ich.Serve.Hosting;

/// <summary>
/// Builds the ASP.NET Core application of <c>ich serve</c> for a role: intake (STOW-RS + API + stable-study
/// detection), workers, or both. The processor and forwarder come from the caller (the CLI verb), which is
/// the only place that knows the prediction layer and the DICOMweb client.
/// </summary>
public static class ServeHost
{
    /// <summary>Validates the options, prepares the data folder and queue, and builds the application.</summary>
    public static async Task<WebApplication> BuildAsync(ServeOptions options, IStudyProcessor? processor, IResultForwarder? forwarder,
        Action<ILoggingBuilder>? logging = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ServeOptionsValidator.Validate(options);
        if (options.RunsWorkers && processor is null)
            throw new ConfigException("this build of ich serve has no study processor for --role all|worker; run --role intake, or see docs/deploy.md");
        if (options.RunsWorkers && options.ForwardTo is not null && forwarder is null)
            throw new ConfigException("--forward-to needs the DICOMweb result forwarder, which this build does not have");
        var token = options.TokenFile is null ? null : BearerTokenMiddleware.ReadTokenFile(options.TokenFile);
        var layout = new DataLayout(options.DataDir);
        layout.Create();
        options = options with { DataDir = layout.Root };

        var queue = CreateQueue(options, layout);
        await queue.InitializeAsync(cancel).ConfigureAwait(false);
        var store = new InstanceStore(layout);
        // With SQLite one intake owns the data folder, so every leftover is from a dead upload. With PostgreSQL
        // other intakes may share the folder; Kestrel drops uploads stalled for minutes, so an hour is safe.
        if (options.RunsIntake) store.CleanIncoming(options.Db is null ? DateTime.MaxValue : DateTime.UtcNow.AddHours(-1));

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = layout.Root });
        builder.WebHost.UseUrls(options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = options.MaxBodyBytes;
            k.AddServerHeader = false;
        });
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        logging?.Invoke(builder.Logging);

        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton(layout);
        services.AddSingleton(queue);
        services.AddSingleton(store);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ServeMetrics>();
        services.AddSingleton<ResultStore>();
        services.AddSingleton<StowEndpoint>();
        if (processor is not null) services.AddSingleton(processor);
        if (options.RunsWorkers)
        {
            services.AddSingleton(sp => new StudyWorker(queue, processor!, options.ForwardTo is null ? null : forwarder,
                sp.GetRequiredService<ResultStore>(), layout, sp.GetRequiredService<ServeMetrics>(), options, TimeProvider.System,
                sp.GetRequiredService<ILogger<StudyWorker>>()));
            services.AddHostedService(sp => sp.GetRequiredService<StudyWorker>());
        }
        if (options.RunsIntake) services.AddHostedService<StableStudyMonitor>();

        var app = builder.Build();
        (processor as IUsesServiceLogging)?.UseLogging(app.Services.GetRequiredService<ILoggerFactory>());
        if (token is not null) app.UseMiddleware<BearerTokenMiddleware>(token);
        MapEndpoints(app, options, processor);
        return app;
    }

    private static IStudyQueueStore CreateQueue(ServeOptions options, DataLayout layout) =>
        options.Db is null ? new SqliteStudyQueueStore(layout.SqliteFile) : new PostgresStudyQueueStore(options.Db);

    private static void MapEndpoints(WebApplication app, ServeOptions options, IStudyProcessor? processor)
    {
        app.MapGet("/healthz", async (IStudyQueueStore queue, CancellationToken cancel) =>
        {
            await queue.CountByStatusAsync(cancel).ConfigureAwait(false); // proves the queue answers
            return Results.Text("ok\n");
        });
        app.MapGet("/metrics", async (IStudyQueueStore queue, ServeMetrics metrics, CancellationToken cancel) =>
            Results.Text(metrics.Render(await queue.CountByStatusAsync(cancel).ConfigureAwait(false), processor?.ModelVersion),
                "text/plain; version=0.0.4; charset=utf-8"));
        if (!options.RunsIntake) return;
        app.MapPost("/dicomweb/studies", (HttpContext context, StowEndpoint stow) => stow.HandleAsync(context));
        StudiesApi.Map(app);
        WorklistPage.Map(app);
    }
}
