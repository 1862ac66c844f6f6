namespace Provisioning.Plan;

/// <summary>What a run would do to one resource.</summary>
public enum PlanAction
{
    /// <summary>It does not exist: the run creates it.</summary>
    Create,

    /// <summary>It exists and differs: the run updates it in place.</summary>
    Update,

    /// <summary>It exists and differs in what cannot be updated in place: the run deletes and creates it (or, when it did not create it, refuses).</summary>
    Replace,

    /// <summary>It exists as the template wants it: the run leaves it.</summary>
    NoChange,
}
