using Microsoft.DurableTask;

namespace Provisioning.Host.Samples;

/// <summary>
/// A sample orchestration that waits, durably, for an <c>Approval</c> event: raise it through the HTTP API, or let the
/// timeout pass. Shows external events and timers surviving restarts.
/// </summary>
public sealed class ApprovalWorkflow : TaskOrchestrator<ApprovalRequest?, string>
{
    /// <inheritdoc />
    public override async Task<string> RunAsync(TaskOrchestrationContext context, ApprovalRequest? input)
    {
        ArgumentNullException.ThrowIfNull(context);
        var timeout = TimeSpan.FromMinutes(input?.TimeoutMinutes is int minutes and > 0 ? minutes : 60);
        context.SetCustomStatus(new { waitingFor = "Approval", until = context.CurrentUtcDateTime.Add(timeout) });
        try
        {
            var approved = await context.WaitForExternalEvent<bool>("Approval", timeout);
            return approved ? "approved" : "rejected";
        }
        catch (TaskCanceledException)
        {
            return "timed out";
        }
    }
}

/// <summary>The approval sample's input.</summary>
/// <param name="TimeoutMinutes">How long to wait for the event (default 60).</param>
public sealed record ApprovalRequest(int? TimeoutMinutes);
