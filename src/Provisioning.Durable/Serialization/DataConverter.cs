namespace Provisioning.Durable.Serialization;

/// <summary>Turns inputs, outputs, event payloads and custom status into the strings history stores.</summary>
public abstract class DataConverter
{
    /// <summary>Serializes <paramref name="value"/>; <c>null</c> stays <c>null</c>.</summary>
    public abstract string? Serialize(object? value);

    /// <summary>Deserializes <paramref name="data"/> to <paramref name="targetType"/>; <c>null</c> gives the type's default.</summary>
    public abstract object? Deserialize(string? data, Type targetType);

    /// <summary>Deserializes <paramref name="data"/> to <typeparamref name="T"/>.</summary>
    public T? Deserialize<T>(string? data) => (T?)Deserialize(data, typeof(T));
}
