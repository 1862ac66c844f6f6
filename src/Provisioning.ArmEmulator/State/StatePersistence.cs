using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace Provisioning.ArmEmulator.State;

/// <summary>
/// Keeps the emulated Azure in <c>{DataDirectory}/state</c>: a snapshot (<c>snapshot.json</c>, replaced by writing a
/// temporary file, flushing it and renaming it over the old one) and an append-only journal of change records
/// (<c>journal-{generation}.log</c>). Every unit of work (an ARM request, an operation or a delivery that completes, an
/// admin change) ends with <see cref="Commit"/> under the store lock: the entries it changed are appended as one record.
/// An answer is sent only after <see cref="WaitDurableAsync"/> saw its record on disk, so a crash at any moment loses no
/// acknowledged change. At start the snapshot and the journal's whole records are read back (a record cut short by a
/// crash was never acknowledged and is dropped) and a new snapshot replaces both; a journal grown past the compaction
/// size is folded into a new snapshot the same way. A lock file keeps a second emulator off the same folder.
/// </summary>
internal sealed class StatePersistence : IDisposable
{
    public const string Format = "provisioning-arm-emulator-state";
    public const int Version = 1;
    private const string SnapshotFile = "snapshot.json";

    private readonly List<IPersistentState> _parts = [];
    private readonly string? _directory;
    private readonly long _compactionBytes;
    private ILogger? _logger;
    private FileStream? _lock;
    private StateJournal? _journal;
    private long _generation;
    private Exception? _failure;
    private bool _closed;

    private StatePersistence(string? directory, long compactionBytes, ILogger? logger)
    {
        _directory = directory;
        _compactionBytes = compactionBytes;
        _logger = logger;
    }

    /// <summary>Whether state is saved (false: it lives in memory only).</summary>
    public bool Enabled => _directory is not null;

    /// <summary>The state folder, when saved.</summary>
    public string? Directory => _directory;

    /// <summary>How many journal records were replayed at start (diagnostics and tests).</summary>
    public int ReplayedRecords { get; private set; }

    /// <summary>How many entries were restored at start.</summary>
    public int RestoredEntries { get; private set; }

    /// <summary>State kept in memory only.</summary>
    public static StatePersistence InMemory() => new(null, 0, null);

    /// <summary>State kept in <paramref name="directory"/>; takes the folder's lock or throws when another emulator holds it.</summary>
    public static StatePersistence Open(string directory, long compactionBytes)
    {
        System.IO.Directory.CreateDirectory(directory);
        var persistence = new StatePersistence(directory, Math.Max(4096, compactionBytes), null);
        try
        {
            persistence._lock = new FileStream(Path.Combine(directory, "lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            persistence._lock.SetLength(0);
            var pid = System.Text.Encoding.UTF8.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
            persistence._lock.Write(pid);
            persistence._lock.Flush();
        }
        catch (IOException ex)
        {
            persistence._lock?.Dispose();
            throw new InvalidOperationException($"The emulator state folder '{directory}' is in use by another emulator process. Stop that emulator, or give this one another data folder.", ex);
        }

        return persistence;
    }

    /// <summary>Adds a part whose entries are saved (before <see cref="Load"/>).</summary>
    public void Register(IPersistentState part)
    {
        if (Enabled)
        {
            _parts.Add(part);
            part.StartTracking();
        }
    }

    /// <summary>The position every change so far will be durable at.</summary>
    public long AppendedPosition => _journal?.AppendedPosition ?? 0;

    /// <summary>Reads the saved state into the registered parts, then writes it back as a fresh snapshot.</summary>
    /// <exception cref="InvalidOperationException">The snapshot is not the emulator's, is of a newer version, or is damaged.</exception>
    public void Load(ILogger logger)
    {
        _logger = logger;
        if (_directory is null)
        {
            return;
        }

        var entries = new Dictionary<string, JsonObject>(StringComparer.OrdinalIgnoreCase);
        var snapshotPath = Path.Combine(_directory, SnapshotFile);
        if (File.Exists(snapshotPath))
        {
            JsonObject snapshot;
            try
            {
                snapshot = JsonNode.Parse(File.ReadAllBytes(snapshotPath)) as JsonObject ?? throw new JsonException("not a JSON object");
            }
            catch (JsonException ex)
            {
                throw new InvalidOperationException($"The emulator state '{snapshotPath}' is damaged ({ex.Message}). Move the data folder's 'state' folder away to start with an empty Azure.", ex);
            }

            if ((string?)snapshot["format"] != Format)
            {
                throw new InvalidOperationException($"'{snapshotPath}' is not an ARM emulator state file (format '{(string?)snapshot["format"]}').");
            }

            var version = (int?)snapshot["version"] ?? 0;
            if (version > Version)
            {
                throw new InvalidOperationException($"The emulator state '{snapshotPath}' was written by a newer emulator (version {version}; this one reads up to {Version}).");
            }

            _generation = (long?)snapshot["generation"] ?? 0;
            Apply(entries, snapshot["entries"] as JsonObject);
        }

        foreach (var record in StateJournal.ReadRecords(JournalPath(_generation)))
        {
            try
            {
                Apply(entries, JsonNode.Parse(record) as JsonObject);
                ReplayedRecords++;
            }
            catch (JsonException)
            {
                break;
            }
        }

        foreach (var part in _parts)
        {
            foreach (var (key, value) in entries.Where(e => e.Key.StartsWith(part.Prefix + "|", StringComparison.OrdinalIgnoreCase)).ToList())
            {
                part.Restore(key[(part.Prefix.Length + 1)..], value);
                RestoredEntries++;
            }
        }

        foreach (var key in entries.Keys.Where(k => !_parts.Any(p => k.StartsWith(p.Prefix + "|", StringComparison.OrdinalIgnoreCase))))
        {
            _logger?.LogWarning("Ignoring saved state entry {Key}: no part of this emulator owns it", key);
        }

        _journal = StateJournal.Open(JournalPath(_generation), 0);
        Compact();
        _logger?.LogInformation("Emulator state: {Entries} entries restored from {Directory} ({Records} journal records replayed)", RestoredEntries, _directory, ReplayedRecords);
    }

    /// <summary>
    /// Appends what changed since the last commit as one record (call under the store lock, at the end of a unit of
    /// work); returns the position to wait for before acknowledging anything the unit did or revealed.
    /// </summary>
    public long Commit()
    {
        if (_journal is null || _closed)
        {
            return 0;
        }

        if (_failure is not null)
        {
            throw new InvalidOperationException("The emulator could not save its state earlier; it refuses changes it cannot keep. Restart it.", _failure);
        }

        var buffer = new ArrayBufferWriter<byte>();
        int count;
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            var writer = new StateWriter(json);
            foreach (var part in _parts)
            {
                part.WriteChanges(writer);
            }

            json.WriteEndObject();
            count = writer.Count;
        }

        if (count == 0)
        {
            return _journal.AppendedPosition;
        }

        try
        {
            var position = _journal.Append(buffer.WrittenSpan);
            if (_journal.Length >= _compactionBytes)
            {
                Compact();
            }

            return position;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _failure = ex;
            _logger?.LogError(ex, "The emulator could not save its state in {Directory}", _directory);
            throw;
        }
    }

    /// <summary>Returns once everything committed up to <paramref name="position"/> is on disk.</summary>
    public ValueTask WaitDurableAsync(long position) =>
        _journal is null || position == 0 ? ValueTask.CompletedTask : _journal.WaitDurableAsync(position);

    /// <summary>The synchronous <see cref="WaitDurableAsync"/>.</summary>
    public void WaitDurable(long position)
    {
        if (_journal is not null && position != 0)
        {
            _journal.WaitDurable(position);
        }
    }

    /// <summary>Every entry as one JSON object, keys sorted (call under the store lock; tests compare a state with its reload).</summary>
    public string Dump()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            var writer = new StateWriter(json);
            foreach (var part in _parts)
            {
                part.WriteAll(writer);
            }

            json.WriteEndObject();
        }

        var entries = (JsonObject)JsonNode.Parse(buffer.WrittenSpan)!;
        var sorted = new JsonObject();
        foreach (var (key, value) in entries.OrderBy(e => e.Key, StringComparer.Ordinal).ToList())
        {
            entries.Remove(key);
            sorted[key] = value;
        }

        return sorted.ToJsonString();
    }

    /// <summary>Stops saving (call under the store lock): later commits do nothing. Nothing is buffered, so nothing is lost.</summary>
    public void Dispose()
    {
        _closed = true;
        _journal?.Dispose();
        _lock?.Dispose();
    }

    private string JournalPath(long generation) => Path.Combine(_directory!, $"journal-{generation.ToString("D8", CultureInfo.InvariantCulture)}.log");

    private static void Apply(Dictionary<string, JsonObject> entries, JsonObject? changes)
    {
        if (changes is null)
        {
            return;
        }

        var items = changes.ToList();
        changes.Clear();
        foreach (var (key, value) in items)
        {
            if (value is JsonObject entry)
            {
                entries[key] = entry;
            }
            else
            {
                entries.Remove(key);
            }
        }
    }

    /// <summary>Writes every entry to a new snapshot (temporary file, flushed, renamed), then starts its empty journal.</summary>
    private void Compact()
    {
        var directory = _directory!;
        var generation = _generation + 1;
        var snapshotPath = Path.Combine(directory, SnapshotFile);
        var temporary = snapshotPath + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024))
        {
            using (var json = new Utf8JsonWriter(file))
            {
                json.WriteStartObject();
                json.WriteString("format", Format);
                json.WriteNumber("version", Version);
                json.WriteNumber("generation", generation);
                json.WriteStartObject("entries");
                var writer = new StateWriter(json);
                foreach (var part in _parts)
                {
                    part.WriteAll(writer);
                }

                json.WriteEndObject();
                json.WriteEndObject();
            }

            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, snapshotPath, overwrite: true);
        DirectorySync.Flush(directory);

        // The snapshot holds every record of the old journal: they are durable now, whatever the old journal's state.
        var old = _journal!;
        old.MarkDurable();
        var next = StateJournal.Open(JournalPath(generation), old.AppendedPosition);
        _journal = next;
        _generation = generation;
        old.Dispose();
        foreach (var stale in System.IO.Directory.EnumerateFiles(directory, "journal-*.log"))
        {
            if (!string.Equals(Path.GetFullPath(stale), Path.GetFullPath(next.Path), StringComparison.Ordinal))
            {
                File.Delete(stale);
            }
        }

        DirectorySync.Flush(directory);
    }
}
