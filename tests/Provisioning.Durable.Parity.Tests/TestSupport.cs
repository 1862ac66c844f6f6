using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.DurableTask;

namespace Provisioning.Durable.Parity.Tests;

/// <summary>A thread-safe call counter activities can share with the test that registered them.</summary>
public sealed class Counter
{
    private int _value;

    public int Value => Volatile.Read(ref _value);

    public int Increment() => Interlocked.Increment(ref _value);
}

/// <summary>Helpers for asserting failure details.</summary>
public static class Failures
{
    /// <summary>The failure and its inner failures, outermost first, as (ErrorType, ErrorMessage).</summary>
    public static (string Type, string Message)[] Chain(TaskFailureDetails? failure)
    {
        var chain = new List<(string, string)>();
        for (var f = failure; f is not null; f = f.InnerFailure)
        {
            chain.Add((f.ErrorType, f.ErrorMessage));
        }

        return [.. chain];
    }
}

/// <summary>What an orchestration saw when it caught a <see cref="TaskFailedException"/>, in a serializable shape.</summary>
public sealed record CaughtFailure(
    string Message,
    string TaskName,
    int TaskId,
    string[] Chain,
    bool IsCausedByInvalidOperation,
    bool IsCausedByTaskFailed)
{
    public static CaughtFailure From(TaskFailedException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return new CaughtFailure(
            exception.Message,
            exception.TaskName,
            exception.TaskId,
            [.. Failures.Chain(exception.FailureDetails).Select(f => $"{f.Type}: {f.Message}")],
            exception.FailureDetails.IsCausedBy<InvalidOperationException>(),
            exception.FailureDetails.IsCausedBy<TaskFailedException>());
    }
}

/// <summary>
/// The ids <c>TaskOrchestrationContext.NewGuid</c> must produce: RFC 4122 name-based (SHA-1, version 5) UUIDs in the
/// namespace 9e952958-5e33-4daf-827f-2fa12937b875 over "{instanceId}_{CurrentUtcDateTime:o}_{n}", n counting the
/// calls of one execution from 0.
/// </summary>
public static class DeterministicGuid
{
    private static readonly Guid Namespace = Guid.Parse("9e952958-5e33-4daf-827f-2fa12937b875");

    public static Guid Create(string instanceId, string orchestrationTime, int counter)
    {
        var name = Encoding.UTF8.GetBytes(
            string.Concat(instanceId, "_", orchestrationTime, "_", counter.ToString(CultureInfo.InvariantCulture)));
        var data = new byte[16 + name.Length];
        Namespace.TryWriteBytes(data.AsSpan(0, 16), bigEndian: true, out _);
        name.CopyTo(data, 16);

        // SHA-1 is what RFC 4122 version 5 prescribes; nothing here is a secret.
#pragma warning disable CA5350
        var hash = SHA1.HashData(data);
#pragma warning restore CA5350
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }

    /// <summary>The version nibble of a GUID as written in its string form.</summary>
    public static int Version(Guid value) => value.ToString("D")[14] - '0';
}
