using System.Runtime.InteropServices;

namespace Provisioning.ArmEmulator.State;

/// <summary>
/// <c>fsync</c> of a directory, so a file created or renamed in it survives a power loss (file data is flushed
/// separately). .NET has no API for it; on Windows NTFS journals the rename itself, so nothing is done there.
/// </summary>
internal static class DirectorySync
{
    public static void Flush(string directory)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return;
        }

        var fd = NativeMethods.open(directory, 0);
        if (fd < 0)
        {
            return;
        }

        try
        {
            _ = NativeMethods.fsync(fd);
        }
        finally
        {
            _ = NativeMethods.close(fd);
        }
    }

    private static class NativeMethods
    {
#pragma warning disable SYSLIB1054, CA5392 // Three libc calls; no marshalling beyond a UTF-8 path.
        [DllImport("libc", SetLastError = true)]
        public static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

        [DllImport("libc", SetLastError = true)]
        public static extern int fsync(int fd);

        [DllImport("libc", SetLastError = true)]
        public static extern int close(int fd);
#pragma warning restore SYSLIB1054, CA5392
    }
}
