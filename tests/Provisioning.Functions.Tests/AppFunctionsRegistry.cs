using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Moq;
using Provisioning.Functions.Orchestration;
using Provisioning.Runs;

namespace Provisioning.Functions.Tests;

/// <summary>
/// Registers the app's orchestration and activity functions (every method with an <c>[OrchestrationTrigger]</c> or an
/// <c>[ActivityTrigger]</c>) with a Durable Task worker under their function names, calling the function methods
/// themselves, as the Durable extension does: orchestrators get the context, activities their input, a function
/// context (the worker's services, the function name, the run's id) and, where asked, the Durable client.
/// </summary>
internal static class AppFunctionsRegistry
{
    public static IEnumerable<MethodInfo> FunctionMethods(Type trigger)
        => typeof(ActivityFunctions).Assembly.GetTypes()
            .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance))
            .Where(method => method.GetCustomAttribute<FunctionAttribute>() is not null
                && method.GetParameters().Any(parameter => parameter.GetCustomAttribute(trigger) is not null));

    public static DurableTaskRegistry AddAppFunctions(this DurableTaskRegistry registry, Func<DurableTaskClient> client)
    {
        foreach (var method in FunctionMethods(typeof(OrchestrationTriggerAttribute)))
        {
            registry.AddOrchestrator(method.GetCustomAttribute<FunctionAttribute>()!.Name, new OrchestratorFunction(method));
        }

        foreach (var method in FunctionMethods(typeof(ActivityTriggerAttribute)))
        {
            registry.AddActivity(method.GetCustomAttribute<FunctionAttribute>()!.Name, services => new ActivityFunction(method, services, client));
        }

        return registry;
    }

    private static async Task<object?> ResultOf(object? returned)
    {
        var task = (Task)returned!;
        await task;
        return task.GetType().GetProperty(nameof(Task<object>.Result))?.GetValue(task);
    }

    private static Type ResultType(MethodInfo method) => method.ReturnType.IsGenericType ? method.ReturnType.GetGenericArguments()[0] : typeof(object);

    private sealed class OrchestratorFunction(MethodInfo method) : ITaskOrchestrator
    {
        // The function reads its input from the context (GetInput<T>), which on this worker returns the input as
        // deserialized for InputType: the input type of the domain orchestrator of the function's name.
        public Type InputType { get; } = ProvisioningRegistration.Orchestrators
            .Where(type => type.Name == method.GetCustomAttribute<FunctionAttribute>()!.Name)
            .Select(type => type.BaseType!.GetGenericArguments()[0])
            .SingleOrDefault() ?? typeof(object);

        public Type OutputType => ResultType(method);

        public Task<object?> RunAsync(TaskOrchestrationContext context, object? input) => ResultOf(method.Invoke(null, BindingFlags.DoNotWrapExceptions, null, [context], null));
    }

    private sealed class ActivityFunction(MethodInfo method, IServiceProvider services, Func<DurableTaskClient> client) : ITaskActivity
    {
        private readonly ParameterInfo[] _parameters = method.GetParameters();

        public Type InputType => _parameters.Single(parameter => parameter.GetCustomAttribute<ActivityTriggerAttribute>() is not null).ParameterType;

        public Type OutputType => ResultType(method);

        public Task<object?> RunAsync(TaskActivityContext context, object? input)
        {
            var functionContext = FunctionContextFor(method.GetCustomAttribute<FunctionAttribute>()!.Name, context.InstanceId, services);
            var arguments = _parameters.Select(parameter =>
                parameter.GetCustomAttribute<ActivityTriggerAttribute>() is not null ? input
                : parameter.ParameterType == typeof(FunctionContext) ? functionContext
                : parameter.ParameterType == typeof(DurableTaskClient) ? client()
                : throw new InvalidOperationException($"{method.Name} has a parameter '{parameter.Name}' the Durable extension would not bind."));
            return ResultOf(method.Invoke(null, BindingFlags.DoNotWrapExceptions, null, [.. arguments], null));
        }
    }

    private static FunctionContext FunctionContextFor(string name, string instanceId, IServiceProvider services)
    {
        var definition = new Mock<FunctionDefinition>();
        definition.SetupGet(d => d.Name).Returns(name);
        var binding = new Mock<BindingContext>();
        binding.SetupGet(b => b.BindingData).Returns(new Dictionary<string, object?> { ["instanceId"] = instanceId });
        var context = new Mock<FunctionContext>();
        context.SetupGet(c => c.FunctionDefinition).Returns(definition.Object);
        context.SetupGet(c => c.BindingContext).Returns(binding.Object);
        context.SetupGet(c => c.InstanceServices).Returns(services);
        return context.Object;
    }
}
