using Provisioning.Secrets;

namespace Provisioning.Host.Configuration;

/// <summary>
/// Makes sure the data folder's key ring has its key before the host runs anything, under a lock file shared by every
/// host process on that folder.
/// </summary>
/// <remarks>
/// Data Protection creates its first key on first use and then caches the key ring for about a day. Two hosts started
/// together on an empty data folder (two processes on one store) could each create a key and never see the other's,
/// so one could not decrypt the secrets of a run the other started. Under the lock the first host creates the key and
/// the second reads it. Later keys are made days before they become the default, so every host has read them by then.
/// Registered before the durable worker, so no activity unprotects anything earlier. It also stops the host at start,
/// rather than a run later, when the key ring cannot be read or written.
/// </remarks>
/// <param name="protector">The protector whose key ring is initialised.</param>
/// <param name="keysFolder">The key ring's folder.</param>
internal sealed class KeyRingInitializer(SecretProtector protector, string keysFolder) : IHostedService
{
    /// <summary>The lock file's name: Data Protection reads only <c>*.xml</c> files there.</summary>
    public const string LockFile = ".keyring.lock";

    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(30);

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var gate = await AcquireAsync(Path.Combine(keysFolder, LockFile), cancellationToken);
        const string probe = "key ring check";
        if (protector.Unprotect(protector.Protect(probe)) != probe)
        {
            throw new InvalidOperationException($"The Data Protection key ring in '{keysFolder}' does not give back what it protects.");
        }
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // An exclusive open is a lock across processes (flock on Unix, a share lock on Windows); retried while another holds it.
    private static async Task<FileStream> AcquireAsync(string path, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + LockTimeout;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50, cancellationToken);
            }
        }
    }
}
