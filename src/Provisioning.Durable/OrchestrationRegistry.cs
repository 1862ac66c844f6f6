using Microsoft.Extensions.DependencyInjection;

namespace Provisioning.Durable;

/// <summary>
/// The orchestrations and activities an engine can run, by name. Class-based ones are created per execution from
/// the service provider, so activities get their dependencies from DI.
/// </summary>
public sealed class OrchestrationRegistry
{
    private readonly Dictionary<string, Func<IServiceProvider, IOrchestrator>> _orchestrators = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Func<IServiceProvider, IActivity>> _activities = new(StringComparer.Ordinal);

    /// <summary>The registered orchestration names.</summary>
    public IReadOnlyCollection<string> OrchestratorNames => _orchestrators.Keys;

    /// <summary>The registered activity names.</summary>
    public IReadOnlyCollection<string> ActivityNames => _activities.Keys;

    /// <summary>Registers <typeparamref name="T"/> under its type name (or <paramref name="name"/>).</summary>
    public OrchestrationRegistry AddOrchestrator<T>(string? name = null)
        where T : class, IOrchestrator
        => AddOrchestrator(name ?? typeof(T).Name, static services => ActivatorUtilities.CreateInstance<T>(services));

    /// <summary>Registers an orchestration created by <paramref name="factory"/> for each execution.</summary>
    public OrchestrationRegistry AddOrchestrator(string name, Func<IServiceProvider, IOrchestrator> factory)
    {
        ValidateName(name);
        ArgumentNullException.ThrowIfNull(factory);
        if (!_orchestrators.TryAdd(name, factory))
        {
            throw new InvalidOperationException($"An orchestrator named '{name}' is already registered.");
        }

        return this;
    }

    /// <summary>Registers an orchestration written as a function.</summary>
    public OrchestrationRegistry AddOrchestratorFunc<TInput, TOutput>(string name, Func<OrchestrationContext, TInput, Task<TOutput>> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var orchestrator = new FuncOrchestrator<TInput, TOutput>(run);
        return AddOrchestrator(name, _ => orchestrator);
    }

    /// <summary>Registers <typeparamref name="T"/> under its type name (or <paramref name="name"/>).</summary>
    public OrchestrationRegistry AddActivity<T>(string? name = null)
        where T : class, IActivity
        => AddActivity(name ?? typeof(T).Name, static services => ActivatorUtilities.CreateInstance<T>(services));

    /// <summary>Registers an activity created by <paramref name="factory"/> for each execution.</summary>
    public OrchestrationRegistry AddActivity(string name, Func<IServiceProvider, IActivity> factory)
    {
        ValidateName(name);
        ArgumentNullException.ThrowIfNull(factory);
        if (!_activities.TryAdd(name, factory))
        {
            throw new InvalidOperationException($"An activity named '{name}' is already registered.");
        }

        return this;
    }

    /// <summary>Registers an activity written as a function.</summary>
    public OrchestrationRegistry AddActivityFunc<TInput, TOutput>(string name, Func<ActivityContext, TInput, Task<TOutput>> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var activity = new FuncActivity<TInput, TOutput>(run);
        return AddActivity(name, _ => activity);
    }

    /// <summary>Creates the orchestration registered as <paramref name="name"/>, if any.</summary>
    public bool TryCreateOrchestrator(string name, IServiceProvider services, out IOrchestrator? orchestrator)
    {
        orchestrator = _orchestrators.TryGetValue(name, out var factory) ? factory(services) : null;
        return orchestrator is not null;
    }

    /// <summary>Creates the activity registered as <paramref name="name"/>, if any.</summary>
    public bool TryCreateActivity(string name, IServiceProvider services, out IActivity? activity)
    {
        activity = _activities.TryGetValue(name, out var factory) ? factory(services) : null;
        return activity is not null;
    }

    /// <summary>True when an orchestration is registered as <paramref name="name"/>.</summary>
    public bool ContainsOrchestrator(string name) => _orchestrators.ContainsKey(name);

    private static void ValidateName(string name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("A task name must not be empty.", nameof(name));
        }
    }

    private sealed class FuncOrchestrator<TInput, TOutput>(Func<OrchestrationContext, TInput, Task<TOutput>> run) : Orchestrator<TInput, TOutput>
    {
        public override Task<TOutput> RunAsync(OrchestrationContext context, TInput input) => run(context, input);
    }

    private sealed class FuncActivity<TInput, TOutput>(Func<ActivityContext, TInput, Task<TOutput>> run) : Activity<TInput, TOutput>
    {
        public override Task<TOutput> RunAsync(ActivityContext context, TInput input) => run(context, input);
    }
}
