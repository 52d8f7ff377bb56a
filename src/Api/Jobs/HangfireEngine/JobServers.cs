using Forecasting.Domain;
using Hangfire;
using Microsoft.Extensions.Options;

namespace Forecasting.Api.Jobs.HangfireEngine;

/// <summary>
/// The worker: one Hangfire server per served queue, each with <see cref="JobsOptions.Workers"/> slots, so a
/// queue's jobs never wait for another queue's (statistical runs do not wait behind neural training).
/// </summary>
public sealed class JobServers(JobStorage storage, JobActivator activator, IOptions<JobsOptions> options, ILogger<JobServers> logger) : IHostedService
{
    private List<BackgroundJobServer> _servers = [];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var jobs = options.Value;
        foreach (var queue in jobs.ServedQueues)
        {
            _servers.Add(new BackgroundJobServer(new BackgroundJobServerOptions
            {
                ServerName = $"{jobs.WorkerName}:{queue.ToWire()}",
                Queues = [queue.ToWire()],
                WorkerCount = jobs.Workers,
                SchedulePollingInterval = jobs.SchedulePollInterval,
                Activator = activator,
            }, storage));
        }
        logger.LogInformation("Worker {Worker} serves {Queues} with {Workers} job slots each", jobs.WorkerName, string.Join(", ", jobs.ServedQueues.Select(q => q.ToWire())), jobs.Workers);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // The host may stop twice (the test factory does): the second call finds nothing left to stop.
        var servers = Interlocked.Exchange(ref _servers, []);
        foreach (var server in servers) server.SendStop();
        foreach (var server in servers)
        {
            await server.WaitForShutdownAsync(cancellationToken);
            server.Dispose();
        }
    }
}
