using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Forecasting.Training.Neural.Serialization;

/// <summary>
/// Weights in the safetensors format: an 8-byte little-endian header length, a UTF-8 JSON
/// header <c>{"name": {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, …,
/// "__metadata__": {"format": "forecasting-neural", "spec": "&lt;NetworkSpec JSON&gt;"}}</c>
/// (space-padded to 8-byte alignment), then the raw little-endian float32 data, offsets relative
/// to the end of the header. Tensor names are the network's parameter names (docs/engine.md).
/// </summary>
public static class SafeTensors
{
    public const string FormatName = "safetensors";

    /// <param name="metadata">Extra string entries for the header's <c>__metadata__</c> (e.g. the service's model state).</param>
    public static byte[] Save(Network network, IReadOnlyDictionary<string, string>? metadata = null)
    {
        using var headerStream = new MemoryStream();
        using (var w = new Utf8JsonWriter(headerStream))
        {
            w.WriteStartObject();
            w.WriteStartObject("__metadata__");
            w.WriteString("format", "forecasting-neural");
            if (network.Spec is not null) w.WriteString("spec", network.Spec.ToJson());
            foreach (var (key, value) in metadata ?? new Dictionary<string, string>()) w.WriteString(key, value);
            w.WriteEndObject();
            long offset = 0;
            foreach (var p in network.Parameters)
            {
                w.WriteStartObject(p.Name);
                w.WriteString("dtype", "F32");
                w.WriteStartArray("shape");
                foreach (var d in p.Shape) w.WriteNumberValue(d);
                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(offset);
                w.WriteNumberValue(offset + 4L * p.Length);
                w.WriteEndArray();
                w.WriteEndObject();
                offset += 4L * p.Length;
            }
            w.WriteEndObject();
        }
        var header = headerStream.ToArray();
        var padded = (header.Length + 7) / 8 * 8;
        var dataLength = network.Parameters.Sum(p => 4L * p.Length);
        var bytes = new byte[8 + padded + dataLength];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)padded);
        header.CopyTo(bytes, 8);
        bytes.AsSpan(8 + header.Length, padded - header.Length).Fill((byte)' ');
        var pos = 8 + padded;
        foreach (var p in network.Parameters)
        {
            var dst = bytes.AsSpan(pos, 4 * p.Length);
            if (BitConverter.IsLittleEndian) MemoryMarshal.AsBytes(p.Value.AsSpan()).CopyTo(dst);
            else for (var i = 0; i < p.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(dst[(4 * i)..], p.Value[i]);
            pos += 4 * p.Length;
        }
        return bytes;
    }

    /// <summary>Loads every parameter of <paramref name="network"/> by name; names and shapes must match exactly.</summary>
    public static void Load(Network network, ReadOnlySpan<byte> bytes)
    {
        var (header, dataStart) = ReadHeader(bytes);
        using var doc = JsonDocument.Parse(header);
        var tensors = doc.RootElement.EnumerateObject().Where(e => e.Name != "__metadata__").ToDictionary(e => e.Name, e => e.Value);
        foreach (var p in network.Parameters)
        {
            if (!tensors.Remove(p.Name, out var entry)) throw new InvalidDataException($"safetensors file lacks tensor '{p.Name}'");
            var dtype = entry.GetProperty("dtype").GetString();
            if (dtype != "F32") throw new InvalidDataException($"tensor '{p.Name}' is {dtype}, expected F32");
            var shape = entry.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            if (!shape.SequenceEqual(p.Shape))
                throw new InvalidDataException($"tensor '{p.Name}' has shape [{string.Join(",", shape)}], the network expects [{string.Join(",", p.Shape)}]");
            var offsets = entry.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            if (offsets.Length != 2 || offsets[1] - offsets[0] != 4L * p.Length || dataStart + offsets[1] > bytes.Length)
                throw new InvalidDataException($"tensor '{p.Name}' has bad data offsets");
            var src = bytes.Slice((int)(dataStart + offsets[0]), 4 * p.Length);
            if (BitConverter.IsLittleEndian) src.CopyTo(MemoryMarshal.AsBytes(p.Value.AsSpan()));
            else for (var i = 0; i < p.Length; i++) p.Value[i] = BinaryPrimitives.ReadSingleLittleEndian(src[(4 * i)..]);
        }
        if (tensors.Count > 0) throw new InvalidDataException($"safetensors file has tensors the network lacks: {string.Join(", ", tensors.Keys)}");
    }

    /// <summary>The <c>__metadata__</c> entries (e.g. "spec", the NetworkSpec JSON to rebuild the model).</summary>
    public static IReadOnlyDictionary<string, string> ReadMetadata(ReadOnlySpan<byte> bytes)
    {
        var (header, _) = ReadHeader(bytes);
        using var doc = JsonDocument.Parse(header);
        return doc.RootElement.TryGetProperty("__metadata__", out var meta)
            ? meta.EnumerateObject().ToDictionary(e => e.Name, e => e.Value.GetString() ?? "")
            : new Dictionary<string, string>();
    }

    /// <summary>Rebuilds the network from the spec stored in the metadata and loads its weights.</summary>
    public static Network LoadNetwork(ReadOnlySpan<byte> bytes)
    {
        var meta = ReadMetadata(bytes);
        if (!meta.TryGetValue("spec", out var spec)) throw new InvalidDataException("safetensors file carries no network spec");
        var network = NetworkSpec.FromJson(spec).Build(0);
        Load(network, bytes);
        return network;
    }

    private static (string Header, long DataStart) ReadHeader(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 8) throw new InvalidDataException("safetensors file is shorter than its length prefix");
        var length = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (length > (ulong)(bytes.Length - 8)) throw new InvalidDataException("safetensors header length exceeds the file");
        return (Encoding.UTF8.GetString(bytes.Slice(8, (int)length)).TrimEnd(' '), 8 + (long)length);
    }
}
