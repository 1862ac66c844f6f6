using Provisioning.Activities;

namespace Provisioning.Orchestrations;

/// <summary>What compensation did: it deletes, in reverse order, exactly what the run created.</summary>
/// <param name="Deleted">Resources it deleted (or found already gone).</param>
/// <param name="Failed">Resources it could not delete, with the error: these need a person (or drift repair).</param>
public sealed record CompensationReport(IReadOnlyList<CreatedResource> Deleted, IReadOnlyList<CompensationFailure> Failed)
{
    /// <summary>One line for logs and failure messages.</summary>
    public string Summary => Failed.Count == 0
        ? $"compensation deleted {Deleted.Count} resource(s) this run created{(Deleted.Count == 0 ? string.Empty : ": " + string.Join(", ", Deleted.Select(d => d.Id)))}"
        : $"compensation deleted {Deleted.Count} resource(s) but could NOT delete {string.Join("; ", Failed.Select(f => $"{f.Resource.Id} ({f.Error})"))}";
}

/// <summary>A resource compensation could not delete.</summary>
/// <param name="Resource">The resource.</param>
/// <param name="Error">Why.</param>
public sealed record CompensationFailure(CreatedResource Resource, string Error);
