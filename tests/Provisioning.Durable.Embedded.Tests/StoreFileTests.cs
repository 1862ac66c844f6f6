using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.Sqlite;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Provisioning.Durable.Embedded.Storage;

namespace Provisioning.Durable.Embedded.Tests;

public sealed class StoreFileTests
{
    [Fact]
    public async Task A_file_that_is_not_SQLite_gives_a_clear_error_naming_it()
    {
        using var database = new TempDatabase();
        await File.WriteAllBytesAsync(database.DatabasePath, Enumerable.Range(0, 8192).Select(i => (byte)(i * 7)).ToArray());

        var error = await Assert.ThrowsAsync<DurableStoreException>(() => EngineTestSupport.StartAsync(r => r.AddHello(), database, TimeProvider.System));

        Assert.Equal(database.DatabasePath, error.DatabasePath);
        Assert.Contains(database.DatabasePath, error.Message, StringComparison.Ordinal);
        Assert.Contains("not a SQLite database or is corrupt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_SQLite_file_of_another_application_is_refused()
    {
        using var database = new TempDatabase();
        await using (var connection = new SqliteConnection($"Data Source={database.DatabasePath};Pooling=false"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)";
            await command.ExecuteNonQueryAsync();
        }

        var error = await Assert.ThrowsAsync<DurableStoreException>(() => EngineTestSupport.StartAsync(r => r.AddHello(), database, TimeProvider.System));
        Assert.Contains("another application", error.Message, StringComparison.Ordinal);
        Assert.Contains("customers", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_store_written_by_a_newer_engine_is_refused_and_the_error_repeats_without_retrying()
    {
        using var database = new TempDatabase();
        await using (var host = await EngineTestSupport.StartAsync(r => r.AddHello(), database, TimeProvider.System))
        {
            Assert.Null(await host.Client.GetInstanceAsync("x"));
        }

        await using (var connection = new SqliteConnection($"Data Source={database.DatabasePath};Pooling=false"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE schema_version SET version = 99";
            await command.ExecuteNonQueryAsync();
        }

        var error = await Assert.ThrowsAsync<DurableStoreException>(() => EngineTestSupport.StartAsync(r => r.AddHello(), database, TimeProvider.System));
        Assert.Contains("newer engine (schema version 99", error.Message, StringComparison.Ordinal);

        // A client of an engine whose store failed gets the same error on every call, immediately.
        await using var engine = new EmbeddedEngine(new EmbeddedEngineOptions { DatabasePath = database.DatabasePath }, new EmptyServices());
        await Assert.ThrowsAsync<DurableStoreException>(() => engine.Client.GetInstanceAsync("x"));
        await Assert.ThrowsAsync<DurableStoreException>(() => engine.StartAsync(new NoTasks()));
    }

    [Fact]
    public async Task The_schema_is_created_on_first_use_and_reopened_later()
    {
        using var database = new TempDatabase();
        await using (var host = await EngineTestSupport.StartAsync(r => r.AddHello(), database, TimeProvider.System))
        {
            await host.Client.CompletionAsync(await host.Client.ScheduleNewOrchestrationInstanceAsync("HelloSequence", "x", new StartOrchestrationOptions { InstanceId = "kept" }));
        }

        Assert.True(File.Exists(database.DatabasePath));
        await using var reopened = await EngineTestSupport.StartAsync(r => r.AddHello(), database, TimeProvider.System);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await reopened.Client.GetInstanceAsync("kept"))!.RuntimeStatus);
    }

    private sealed class EmptyServices : IServiceProvider
    {
        public object? GetService(Type serviceType) => null;
    }

    private sealed class NoTasks : IDurableTaskFactory
    {
        public bool TryCreateActivity(TaskName name, IServiceProvider serviceProvider, [NotNullWhen(true)] out ITaskActivity? activity)
        {
            activity = null;
            return false;
        }

        public bool TryCreateOrchestrator(TaskName name, IServiceProvider serviceProvider, [NotNullWhen(true)] out ITaskOrchestrator? orchestrator)
        {
            orchestrator = null;
            return false;
        }
    }
}
