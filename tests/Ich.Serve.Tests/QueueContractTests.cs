using Ich.Serve.Queue;
using Ich.Serve.Tests.Support;
using Ich.TestKit;

namespace Ich.Serve.Tests;

/// <summary>
/// One behaviour, two engines: every test here runs against SQLite (<see cref="SqliteQueueTests"/>) and
/// against a real PostgreSQL 15 server (<see cref="PostgresQueueTests"/>). Times are given explicitly.
/// </summary>
public abstract class QueueContractTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    protected abstract Task<IStudyQueueStore> NewQueueAsync();

    private static InstanceRecord Instance(string study, int n) => new(study, study + ".1", $"{study}.1.{n}", "ACC", $"studies/{study}/{n}.dcm");

    private static StudyOutcome Outcome(string folder) =>
        new(true, 0.75, new Dictionary<string, double> { ["any"] = 0.75, ["subdural"] = 0.6 }, ["any", "subdural"], "m1", folder, 1.5);

    [SkippableFact]
    public async Task SameInstanceTwice_IsRecordedOnce()
    {
        await using var q = await NewQueueAsync();
        Assert.True(await q.RecordInstanceAsync(Instance("1.2.3", 1), T0, default));
        Assert.False(await q.RecordInstanceAsync(Instance("1.2.3", 1), T0.AddSeconds(1), default));
        Assert.True(await q.RecordInstanceAsync(Instance("1.2.3", 2), T0.AddSeconds(2), default));
        var row = await q.GetAsync("1.2.3", default);
        Assert.Equal(2, row!.InstanceCount);
        Assert.Equal(StudyStatus.Receiving, row.Status);
        Assert.Equal(T0, row.Received);
        Assert.Equal(2, (await q.InstancePathsAsync("1.2.3", default)).Count);
    }

    [SkippableFact]
    public async Task Study_IsQueuedOnlyAfterTheStablePeriod_SinceItsLastInstance()
    {
        await using var q = await NewQueueAsync();
        await q.RecordInstanceAsync(Instance("1.2.4", 1), T0, default);
        await q.RecordInstanceAsync(Instance("1.2.4", 2), T0.AddSeconds(8), default);
        Assert.Equal(0, await q.PromoteStableAsync(T0.AddSeconds(7), default)); // cutoff before the last instance
        Assert.Null(await q.ClaimAsync("w", Lease, 3, T0.AddSeconds(9), default));
        Assert.Equal(1, await q.PromoteStableAsync(T0.AddSeconds(8), default));
        Assert.Equal(StudyStatus.Queued, (await q.GetAsync("1.2.4", default))!.Status);
    }

    [SkippableFact]
    public async Task Claim_IsExclusive_AndCompletionRecordsTheOutcome()
    {
        await using var q = await NewQueueAsync();
        await q.RecordInstanceAsync(Instance("1.2.5", 1), T0, default);
        await q.PromoteStableAsync(T0, default);
        var lease = await q.ClaimAsync("a", Lease, 3, T0, default);
        Assert.NotNull(lease);
        Assert.Equal(1, lease.Attempt);
        Assert.Null(await q.ClaimAsync("b", Lease, 3, T0.AddSeconds(1), default)); // held
        Assert.True(await q.HeartbeatAsync(lease, Lease, T0.AddSeconds(20), default));
        Assert.Null(await q.ClaimAsync("b", Lease, 3, T0.AddSeconds(40), default)); // renewed until 50 s
        Assert.Equal(CompletionResult.Done, await q.CompleteAsync(lease, Outcome("results/1.2.5/x"), T0.AddSeconds(41), default));
        var row = await q.GetAsync("1.2.5", default);
        Assert.Equal(StudyStatus.Done, row!.Status);
        Assert.Equal(0.75, row.MaxAny);
        Assert.Equal(0.6, row.Max!["subdural"]);
        Assert.Equal(["any", "subdural"], row.FlaggedClasses);
        Assert.True(row.Triage);
        Assert.Equal("results/1.2.5/x", row.ResultFolder);
    }

    [SkippableFact]
    public async Task ExpiredLease_IsRetried_AndTheOldOwnerCannotComplete()
    {
        await using var q = await NewQueueAsync();
        await q.RecordInstanceAsync(Instance("1.2.6", 1), T0, default);
        await q.PromoteStableAsync(T0, default);
        var dead = await q.ClaimAsync("dead", Lease, 3, T0, default);
        var next = await q.ClaimAsync("alive", Lease, 3, T0.AddSeconds(31), default); // lease ran out at 30 s
        Assert.NotNull(next);
        Assert.Equal(2, next.Attempt);
        Assert.False(await q.HeartbeatAsync(dead!, Lease, T0.AddSeconds(32), default));
        Assert.Equal(CompletionResult.LeaseLost, await q.CompleteAsync(dead!, Outcome("results/1.2.6/old"), T0.AddSeconds(33), default));
        Assert.Equal(CompletionResult.Done, await q.CompleteAsync(next, Outcome("results/1.2.6/new"), T0.AddSeconds(34), default));
        Assert.Equal("results/1.2.6/new", (await q.GetAsync("1.2.6", default))!.ResultFolder);
    }

    [SkippableFact]
    public async Task Failures_AreRetriedUpToMaxAttempts_ThenFailedWithTheReason()
    {
        await using var q = await NewQueueAsync();
        await q.RecordInstanceAsync(Instance("1.2.7", 1), T0, default);
        await q.PromoteStableAsync(T0, default);
        var first = await q.ClaimAsync("w", Lease, 2, T0, default);
        await q.FailAsync(first!, "bad pixels", 2, default);
        Assert.Equal(StudyStatus.Queued, (await q.GetAsync("1.2.7", default))!.Status);
        var second = await q.ClaimAsync("w", Lease, 2, T0.AddSeconds(1), default);
        Assert.Equal(2, second!.Attempt);
        await q.FailAsync(second, "bad pixels again", 2, default);
        var row = await q.GetAsync("1.2.7", default);
        Assert.Equal(StudyStatus.Failed, row!.Status);
        Assert.Equal("bad pixels again", row.Error);
        Assert.Null(await q.ClaimAsync("w", Lease, 2, T0.AddSeconds(2), default));
    }

    [SkippableFact]
    public async Task LeaseExpiringOnTheLastAttempt_FailsTheStudy_NamingTheCause()
    {
        await using var q = await NewQueueAsync();
        await q.RecordInstanceAsync(Instance("1.2.8", 1), T0, default);
        await q.PromoteStableAsync(T0, default);
        await q.ClaimAsync("dies", Lease, 1, T0, default);
        Assert.Null(await q.ClaimAsync("w", Lease, 1, T0.AddSeconds(31), default));
        var row = await q.GetAsync("1.2.8", default);
        Assert.Equal(StudyStatus.Failed, row!.Status);
        Assert.Contains("lease expired on attempt 1 of 1", row.Error, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task InstanceArrivingWhileRunning_RequeuesOnCompletion_AndAfterDoneReopensTheStudy()
    {
        await using var q = await NewQueueAsync();
        await q.RecordInstanceAsync(Instance("1.2.9", 1), T0, default);
        await q.PromoteStableAsync(T0, default);
        var lease = await q.ClaimAsync("w", Lease, 3, T0, default);
        await q.RecordInstanceAsync(Instance("1.2.9", 2), T0.AddSeconds(1), default);
        Assert.Equal(StudyStatus.Running, (await q.GetAsync("1.2.9", default))!.Status);
        Assert.Equal(CompletionResult.Requeued, await q.CompleteAsync(lease!, Outcome("results/1.2.9/a"), T0.AddSeconds(2), default));
        Assert.Equal(StudyStatus.Receiving, (await q.GetAsync("1.2.9", default))!.Status);

        await q.PromoteStableAsync(T0.AddSeconds(10), default);
        var again = await q.ClaimAsync("w", Lease, 3, T0.AddSeconds(10), default);
        Assert.Equal(1, again!.Attempt);
        Assert.Equal(CompletionResult.Done, await q.CompleteAsync(again, Outcome("results/1.2.9/b"), T0.AddSeconds(11), default));
        await q.RecordInstanceAsync(Instance("1.2.9", 3), T0.AddSeconds(20), default);
        var row = await q.GetAsync("1.2.9", default);
        Assert.Equal(StudyStatus.Receiving, row!.Status);
        Assert.Equal(3, row.InstanceCount);
    }

    [SkippableFact]
    public async Task ConcurrentClaimers_NeverShareAStudy()
    {
        await using var q = await NewQueueAsync();
        for (var i = 1; i <= 30; i++) await q.RecordInstanceAsync(Instance($"1.3.{i}", 1), T0, default);
        await q.PromoteStableAsync(T0, default);
        var claimed = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Task.WhenAll(Enumerable.Range(0, 6).Select(w => Task.Run(async () =>
        {
            while (await q.ClaimAsync($"w{w}", Lease, 3, T0, default) is { } lease) claimed.Add(lease.StudyUid);
        })));
        Assert.Equal(30, claimed.Count);
        Assert.Equal(30, claimed.Distinct().Count());
    }

    [SkippableFact]
    public async Task List_IsNewestFirst_AndCountsCoverEveryStatus()
    {
        await using var q = await NewQueueAsync();
        await q.RecordInstanceAsync(Instance("1.4.1", 1), T0, default);
        await q.RecordInstanceAsync(Instance("1.4.2", 1), T0.AddSeconds(5), default);
        Assert.Equal(["1.4.2", "1.4.1"], (await q.ListAsync(default)).Select(r => r.StudyInstanceUid));
        var counts = await q.CountByStatusAsync(default);
        Assert.Equal(2, counts[StudyStatus.Receiving]);
        Assert.Equal(0, counts[StudyStatus.Done]);
        Assert.Equal(StudyStatus.All.Count, counts.Count);
    }
}

public sealed class SqliteQueueTests : QueueContractTests
{
    protected override async Task<IStudyQueueStore> NewQueueAsync()
    {
        var q = new SqliteStudyQueueStore(Path.Combine(RepoPaths.NewTempDir("ich-queue"), "queue.db"));
        await q.InitializeAsync(default);
        return q;
    }
}

public sealed class PostgresQueueTests(PostgresFixture postgres) : QueueContractTests, IClassFixture<PostgresFixture>
{
    protected override async Task<IStudyQueueStore> NewQueueAsync()
    {
        var q = new PostgresStudyQueueStore(postgres.Server.NewDatabase());
        await q.InitializeAsync(default);
        return q;
    }
}
