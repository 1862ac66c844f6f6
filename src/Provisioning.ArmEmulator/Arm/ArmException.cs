using System.Net;

namespace Provisioning.ArmEmulator.Arm;

/// <summary>Thrown by handlers to answer with an ARM error.</summary>
internal sealed class ArmException : Exception
{
    public ArmException(HttpStatusCode status, ArmError error)
        : base(error.Message)
    {
        Status = status;
        Error = error;
    }

    public ArmException(HttpStatusCode status, string code, string message, string? target = null)
        : this(status, new ArmError(code, message, target))
    {
    }

    public HttpStatusCode Status { get; }

    public ArmError Error { get; }

    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);
}
