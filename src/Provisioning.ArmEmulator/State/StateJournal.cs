using System.Buffers.Binary;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

namespace Provisioning.ArmEmulator.State;

/// <summary>
/// An append-only file of change records. Each record is framed as a 4-byte little-endian length, the first 8 bytes of
/// the SHA-256 of the payload, then the payload, so a record cut short by a crash (or never written whole) is recognised
/// and everything from it on is ignored. Appends go to the operating system at once (a process crash loses nothing
/// written); <see cref="WaitDurableAsync"/> makes them survive a power loss too, with one <c>fsync</c> for every record
/// appended while the previous one ran (group commit).
/// </summary>
internal sealed class StateJournal : IDisposable
{
    private const int HeaderSize = 12;
    private const int MaxRecordSize = 256 * 1024 * 1024;

    private readonly SafeFileHandle _handle;
    private readonly SemaphoreSlim _flush = new(1, 1);
    private readonly Lock _append = new();
    private readonly long _base;
    private long _length;
    private long _durable;
    private bool _disposed;

    private StateJournal(string path, SafeFileHandle handle, long basePosition, long length)
    {
        Path = path;
        _handle = handle;
        _base = basePosition;
        _length = length;
        _durable = basePosition + length;
    }

    public string Path { get; }

    /// <summary>Bytes in the file.</summary>
    public long Length => Volatile.Read(ref _length);

    /// <summary>The position (over every journal of this process) after the last appended record.</summary>
    public long AppendedPosition => _base + Volatile.Read(ref _length);

    /// <summary>Opens (creating it if needed) a journal whose first byte is at <paramref name="basePosition"/> of the global order.</summary>
    public static StateJournal Open(string path, long basePosition)
    {
        var handle = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, FileOptions.None);
        return new StateJournal(path, handle, basePosition, RandomAccess.GetLength(handle));
    }

    /// <summary>Reads the whole records of a journal file, stopping at the first one that is incomplete or damaged.</summary>
    public static IEnumerable<byte[]> ReadRecords(string path)
    {
        if (!File.Exists(path))
        {
            yield break;
        }

        var bytes = File.ReadAllBytes(path);
        var offset = 0;
        while (bytes.Length - offset >= HeaderSize)
        {
            var length = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(offset, 4));
            if (length <= 0 || length > MaxRecordSize || length > bytes.Length - offset - HeaderSize)
            {
                yield break;
            }

            var payload = bytes.AsSpan(offset + HeaderSize, length);
            Span<byte> hash = stackalloc byte[32];
            SHA256.HashData(payload, hash);
            if (!hash[..8].SequenceEqual(bytes.AsSpan(offset + 4, 8)))
            {
                yield break;
            }

            yield return payload.ToArray();
            offset += HeaderSize + length;
        }
    }

    /// <summary>Appends one record; returns the position the caller waits for to know it is durable.</summary>
    public long Append(ReadOnlySpan<byte> payload)
    {
        var frame = new byte[HeaderSize + payload.Length];
        BinaryPrimitives.WriteInt32LittleEndian(frame, payload.Length);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(payload, hash);
        hash[..8].CopyTo(frame.AsSpan(4));
        payload.CopyTo(frame.AsSpan(HeaderSize));
        lock (_append)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            RandomAccess.Write(_handle, frame, _length);
            Volatile.Write(ref _length, _length + frame.Length);
            return _base + _length;
        }
    }

    /// <summary>Returns once everything up to <paramref name="position"/> is on disk (one fsync for all who wait together).</summary>
    public async ValueTask WaitDurableAsync(long position)
    {
        if (Volatile.Read(ref _durable) >= position)
        {
            return;
        }

        await _flush.WaitAsync();
        try
        {
            FlushTo(position);
        }
        finally
        {
            _flush.Release();
        }
    }

    /// <summary>The synchronous <see cref="WaitDurableAsync"/>.</summary>
    public void WaitDurable(long position)
    {
        if (Volatile.Read(ref _durable) >= position)
        {
            return;
        }

        _flush.Wait();
        try
        {
            FlushTo(position);
        }
        finally
        {
            _flush.Release();
        }
    }

    /// <summary>Marks everything appended so far durable (it was saved another way, e.g. in a snapshot).</summary>
    public void MarkDurable() => Volatile.Write(ref _durable, AppendedPosition);

    public void Dispose()
    {
        _flush.Wait();
        try
        {
            lock (_append)
            {
                if (_disposed)
                {
                    return;
                }

                _disposed = true;
                _handle.Dispose();
            }
        }
        finally
        {
            _flush.Release();
        }
    }

    private void FlushTo(long position)
    {
        if (Volatile.Read(ref _durable) >= position)
        {
            return;
        }

        long target;
        lock (_append)
        {
            if (_disposed)
            {
                // Closed by a compaction (whose snapshot holds these records, durably) or by shutdown.
                return;
            }

            target = AppendedPosition;
        }

        RandomAccess.FlushToDisk(_handle);
        Volatile.Write(ref _durable, Math.Max(Volatile.Read(ref _durable), target));
    }
}
