namespace Provisioning.Durable.Embedded.Storage;

/// <summary>How hard a SQLite commit is pushed to disk.</summary>
public enum StoreDurability
{
    /// <summary>Every commit is synced to disk (SQLite <c>synchronous=FULL</c> in WAL mode): survives power loss.</summary>
    Full,

    /// <summary>Commits are synced at checkpoints only (<c>synchronous=NORMAL</c>): survives a process crash, may lose the
    /// last commits on power loss or an OS crash.</summary>
    Normal,
}
