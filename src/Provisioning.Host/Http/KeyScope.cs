namespace Provisioning.Host.Http;

/// <summary>Which key a route requires.</summary>
public enum KeyScope
{
    /// <summary>The function key or the system key.</summary>
    Function,

    /// <summary>Only the system key.</summary>
    System,
}
